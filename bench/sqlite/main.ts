// The work of bench/sqlite-snapshot.ts (see there), in an ESM scope: execa is ESM only.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { createTestDatabase } from '../../test/sqlite/support/database';
import { WriterProcess } from '../../test/sqlite/support/writer-process';
import { reportRows } from '../results';
import { median, medianFigure } from '../stats';
import type { Contender, Outcome } from './contenders';
import {
  cliBackup,
  copyWithCp,
  defaultBackupApi,
  heldBackupApi,
  idle,
  ourSnapshot,
} from './contenders';

const { values } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '5' },
    'cap-s': { type: 'string', default: '60' },
    rate: { type: 'string', default: '50' },
    'capped-rounds': { type: 'string', default: '1' },
    journal: { type: 'string', default: 'wal' },
  },
});
const sizeMb = Number(values['size-mb']);
const rounds = Number(values.rounds);
const capSeconds = Number(values['cap-s']);
const cappedRounds = Number(values['capped-rounds']);

const root = join(import.meta.dirname, '..', '..', '.cache', 'bench-sqlite');
const journalMode = values.journal === 'delete' ? 'delete' : 'wal';
const database = join(root, `${journalMode}-${sizeMb}mb.db`);
const outDir = join(root, 'out');
const PAD_BYTES = 900;

function buildDatabase(): void {
  if (existsSync(database)) return;
  mkdirSync(root, { recursive: true });
  console.log(`building a ${sizeMb} MB ${journalMode} database at ${database} ...`);
  const started = performance.now();
  const padRows = Math.round((sizeMb * 1024 * 1024) / (PAD_BYTES + 110));
  createTestDatabase(database, { journalMode, padRows, padBytes: PAD_BYTES });
  console.log(`  built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

interface Row {
  name: string;
  contender: Contender;
  rounds: number;
  samples: { outcome: Outcome; ratio: number; latencyMs: number }[];
}

const span = (values: number[], digits: number) => {
  const xs = values.filter(Number.isFinite);
  if (xs.length === 0) return '-';
  return `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`;
};

/** Removes the previous copy and lets its write-back finish, outside any measured window. */
async function settle(): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await execa('sync');
  await new Promise((resolve) => setTimeout(resolve, 500));
}

async function main(): Promise<void> {
  buildDatabase();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await execa('cat', [database], { stdout: 'ignore' }); // a warm page cache, as measured in the design notes
  const size = statSync(database).size;
  const reader = new Database(database, { readonly: true });
  const pages = reader.pragma('page_count', { simple: true });
  reader.close();
  console.log(
    `${journalMode} database: ${(size / 2 ** 20).toFixed(0)} MiB (${String(pages)} pages), writer at ${values.rate} tx/s`,
  );

  const writer = await WriterProcess.start(database, [
    '--rate',
    values.rate,
    '--quiet',
    '--pads',
    '4',
  ]);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const baseline = await writer.mark();
  console.log(
    `writer alone: ${baseline.commits} commits in 2 s, max commit latency ${baseline.maxLatencyMs.toFixed(1)} ms\n`,
  );

  const rows: Row[] = [
    { name: 'idle (writer alone)', contender: idle, rounds, samples: [] },
    { name: 'cp', contender: copyWithCp, rounds, samples: [] },
    { name: 'ours (snapshot)', contender: ourSnapshot('off'), rounds, samples: [] },
    { name: 'ours + quick_check', contender: ourSnapshot('quick'), rounds: 1, samples: [] },
    { name: 'backup API, held txn', contender: heldBackupApi, rounds, samples: [] },
    {
      name: 'backup() default',
      contender: defaultBackupApi(capSeconds),
      rounds: cappedRounds,
      samples: [],
    },
    {
      name: 'sqlite3 .backup',
      contender: cliBackup(capSeconds),
      rounds: cappedRounds,
      samples: [],
    },
  ];
  for (let round = 0; round < rounds; round++) {
    // Rotated each round so no contender always follows the same one (deleting the previous
    // 1 GiB copy and its write-back weigh on whoever comes next).
    const due = rows.filter((row) => round < row.rounds);
    const order = due.map((_, i) => due[(i + round) % due.length]!);
    const seconds = new Map<Row, number>();
    for (const row of order) {
      await settle();
      await writer.mark();
      const outcome = await row.contender(database, outDir);
      const { maxLatencyMs } = await writer.mark();
      seconds.set(row, outcome.seconds);
      row.samples.push({ outcome, ratio: NaN, latencyMs: maxLatencyMs });
      console.log(
        `round ${round + 1}  ${row.name.padEnd(22)} ${outcome.seconds.toFixed(2).padStart(6)} s  writer max ${maxLatencyMs.toFixed(1).padStart(6)} ms` +
          `${outcome.finished ? '' : '  NOT FINISHED'}${outcome.note ? `  (${outcome.note})` : ''}`,
      );
    }
    const cpSeconds = seconds.get(rows.find((row) => row.contender === copyWithCp)!) ?? NaN;
    for (const row of due)
      if (row.contender !== idle) row.samples.at(-1)!.ratio = (seconds.get(row) ?? NaN) / cpSeconds;
  }
  await writer.stop();

  console.log('\nmedian (min-max) over rounds');
  console.log(
    `${'contender'.padEnd(22)} ${'seconds'.padEnd(20)} ${'x cp'.padEnd(20)} writer max ms        finished`,
  );
  for (const row of rows) {
    const seconds = row.samples.map((s) => s.outcome.seconds);
    const ratios = row.samples.map((s) => s.ratio);
    const latencies = row.samples.map((s) => s.latencyMs);
    const finished = row.samples.filter((s) => s.outcome.finished).length;
    console.log(
      `${row.name.padEnd(22)} ${span(seconds, 2).padEnd(20)} ${span(ratios, 2).padEnd(20)} ${span(latencies, 1).padEnd(20)} ${finished}/${row.samples.length}`,
    );
  }
  const find = (name: string) => rows.find((row) => row.name === name)!.samples;
  const ours = find('ours (snapshot)');
  const label = `${sizeMb >= 1024 ? `${sizeMb / 1024} GiB` : `${sizeMb} MiB`} ${journalMode.toUpperCase()}`;
  reportRows('sqlite-snapshot', [
    {
      measure: `live SQLite snapshot (${label}, writer at ${values.rate} tx/s)`,
      ours: medianFigure(
        ours.map((s) => s.outcome.seconds),
        's',
      ),
      anchor: {
        name: 'cp of the live file',
        ...medianFigure(
          find('cp').map((s) => s.outcome.seconds),
          's',
        ),
      },
      ratio: medianFigure(
        ours.map((s) => s.ratio),
        '×',
      ),
    },
    {
      measure: `writer's max commit latency during the snapshot (${label})`,
      ours: medianFigure(
        ours.map((s) => s.latencyMs),
        'ms',
      ),
      anchor: {
        name: 'the writer alone',
        ...medianFigure(
          find('idle (writer alone)').map((s) => s.latencyMs),
          'ms',
        ),
      },
    },
  ]);
}

await main();
