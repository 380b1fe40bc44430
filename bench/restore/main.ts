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
  const bytes = statSync(ws.database).size;
  console.log(
    `database: ${(bytes / 2 ** 20).toFixed(0)} MiB; snapshot ${ws.snapshotId.slice(0, 8)}\n`,
  );
  // One unmeasured restore reads the repository into the page cache for everyone.
  await contenders.resticRestore.run(ws);
  const measured = new Map<Pair, { ours: number[]; anchor: number[] }>(
    PAIRS.map((pair) => [pair, { ours: [], anchor: [] }]),
  );
  for (let round = 0; round < rounds; round++) {
    // Pairs in a rotated order; within a pair, ours first in even rounds, its anchor in odd ones.
    const order = PAIRS.map((_, i) => PAIRS[(i + round) % PAIRS.length]!);
    for (const pair of order) {
      const sides = round % 2 === 0 ? (['ours', 'anchor'] as const) : (['anchor', 'ours'] as const);
      for (const side of sides) {
        const took = await timed(ws, pair[side]);
        measured.get(pair)![side].push(took);
        console.log(
          `round ${round + 1}: ${pair[side].name.padEnd(36)} ${took.toFixed(2).padStart(6)} s`,
        );
      }
    }
  }
  await settle(ws);
  console.log('\nwhere our restore spends its time (one more pass, restic calls logged):');
  for (const line of await breakdown(ws)) console.log(`  ${line}`);
  console.log(`\nload average at end: ${load()}`);
  reportRows('restore', rows(measured, bytes));
  rmSync(ws.dir, { recursive: true, force: true });
}

/** Ours and its yardstick, run back to back: they meet the same moment of the shared machine. */
interface Pair {
  measure: string;
  ours: Contender;
  anchor: Contender;
  target?: { ratio: number };
}

const PAIRS: Pair[] = [
  {
    measure: 'restore --source --to DIR',
    ours: contenders.restoreTo,
    anchor: contenders.resticRestore,
    target: { ratio: 1.3 },
  },
  {
    measure: 'restore --in-place',
    ours: contenders.restoreInPlace,
    anchor: contenders.resticRestore,
    target: { ratio: 1.3 },
  },
  { measure: 'restore --source --to DIR vs cp', ours: contenders.restoreTo, anchor: contenders.cp },
  {
    measure: 'verify',
    ours: contenders.verify,
    anchor: contenders.restoreAndCheck,
    target: { ratio: 1.5 },
  },
];

async function timed(ws: Workspace, contender: Contender): Promise<number> {
  await settle(ws);
  const started = performance.now();
  await contender.run(ws);
  return (performance.now() - started) / 1000;
}

function rows(
  measured: Map<Pair, { ours: number[]; anchor: number[] }>,
  bytes: number,
): BenchRow[] {
  // The tracker database's rows take less room than the builder's estimate: name what was measured.
  const size = `${bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`} SQLite`;
  return PAIRS.map((pair) => {
    const { ours, anchor } = measured.get(pair)!;
    const row: BenchRow = {
      measure: `${pair.measure} (${size})`,
      ours: medianFigure(ours, 's'),
      anchor: { name: pair.anchor.name, ...medianFigure(anchor, 's') },
      ratio: medianFigure(
        ours.map((s, round) => s / (anchor[round] ?? NaN)),
        '×',
      ),
    };
    if (pair.target) row.target = pair.target;
    return row;
  });
}

// Until main() finishes, a run that stops early (the event loop emptied) counts as a failure.
process.exitCode = 1;
await main();
process.exitCode = 0;
