import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import type { BenchRow } from '../results';
import { reportRows } from '../results';
import { medianFigure } from '../stats';
import { breakdown } from './breakdown';
import type { Contender } from './contenders';
import { contenders } from './contenders';
import type { Workspace } from './workspace';
import { createWorkspace } from './workspace';

const { values } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '3' },
  },
});
const sizeMb = Number(values['size-mb']);
const rounds = Number(values.rounds);
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

/** Removes the last contender's output (and a replaced database kept aside) and lets it be written back. */
async function settle(ws: Workspace): Promise<void> {
  rmSync(ws.out, { recursive: true, force: true });
  mkdirSync(ws.out);
  const live = join(ws.dir, 'live');
  for (const name of readdirSync(live))
    if (name.includes('.before-restore-')) rmSync(join(live, name), { force: true });
  await execa('sync');
  await new Promise((resolve) => setTimeout(resolve, 500));
}

async function main(): Promise<void> {
  const { stdout: restic } = await execa('restic', ['version']);
  console.log(
    `restore benchmark: ${sizeMb} MB SQLite database, ${rounds} rounds; ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${restic}`,
  );
  console.log(`load average at start: ${load()}`);
  const ws = await createWorkspace(sizeMb, console.log);
  console.log(
    `database: ${(statSync(ws.database).size / 2 ** 20).toFixed(0)} MiB; snapshot ${ws.snapshotId.slice(0, 8)}\n`,
  );
  // One unmeasured restore reads the repository into the page cache for everyone.
  await contenders.resticRestore.run(ws);
  const all: Contender[] = Object.values(contenders);
  const seconds = new Map<Contender, number[]>(all.map((c) => [c, []]));
  for (let round = 0; round < rounds; round++) {
    const order = all.map((_, i) => all[(i + round) % all.length]!);
    for (const contender of order) {
      await settle(ws);
      const started = performance.now();
      await contender.run(ws);
      const took = (performance.now() - started) / 1000;
      seconds.get(contender)!.push(took);
      console.log(
        `round ${round + 1}: ${contender.name.padEnd(36)} ${took.toFixed(2).padStart(6)} s`,
      );
    }
  }
  await settle(ws);
  console.log('\nwhere our restore spends its time (one more pass, restic calls logged):');
  for (const line of await breakdown(ws)) console.log(`  ${line}`);
  console.log(`\nload average at end: ${load()}`);
  reportRows('restore', rows(seconds));
  rmSync(ws.dir, { recursive: true, force: true });
}

function rows(seconds: Map<Contender, number[]>): BenchRow[] {
  const figure = (c: Contender) => medianFigure(seconds.get(c) ?? [], 's');
  const anchor = (c: Contender) => ({ name: c.name, ...figure(c) });
  const size = `${sizeMb >= 1024 ? `${sizeMb / 1024} GiB` : `${sizeMb} MiB`} SQLite`;
  return [
    {
      measure: `restore --source --to DIR (${size})`,
      ours: figure(contenders.restoreTo),
      anchor: anchor(contenders.resticRestore),
      target: { ratio: 1.3 },
    },
    {
      measure: `restore --in-place (${size})`,
      ours: figure(contenders.restoreInPlace),
      anchor: anchor(contenders.resticRestore),
      target: { ratio: 1.3 },
    },
    {
      measure: `restore --source --to DIR vs cp (${size})`,
      ours: figure(contenders.restoreTo),
      anchor: anchor(contenders.cp),
    },
    {
      measure: `verify (${size})`,
      ours: figure(contenders.verify),
      anchor: anchor(contenders.restoreAndCheck),
      target: { ratio: 1.5 },
    },
  ];
}

// Until main() finishes, a run that stops early (the event loop emptied) counts as a failure.
process.exitCode = 1;
await main();
process.exitCode = 0;
