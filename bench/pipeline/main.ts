import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { changeOnePercent, trackerDatabase } from './tracker-db';
import { reportRows } from '../results';
import type { BenchRow } from '../results';
import { median, medianFigure } from '../stats';
import type { PeakRss } from './peak-rss';
import type { Route } from './routes';
import { initRepository, ourRoute, rawRoute, repositoryBytes, seedsRoute } from './routes';

const { values } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '2' },
    // Room for big sizes (8 GiB: the disk holds the database, staging, two repositories): the
    // rounds work on the cached database itself instead of a copy, the raw-snapshot route (the
    // growth rows' anchor) is left out, and each route's files go once they are measured.
    'lean-disk': { type: 'boolean', default: false },
    // Measured days after the first backup: 2 (clustered, then spread changes) or 1 (clustered).
    days: { type: 'string', default: '2' },
    // Who gets the unmeasured first backup: `all`, or `ours` (the seeds' script gains nothing
    // from it: every day's tar.gz is new to restic; at 8 GiB it saves half an hour).
    warmup: { type: 'string', default: 'all' },
  },
});
const lean = values['lean-disk'] === true;
const sizeMb = Number(values['size-mb']);
const rounds = Number(values.rounds);
const root = join(import.meta.dirname, '..', '..', '.cache', 'bench-pipeline');
const dir = join(root, `work-${sizeMb}`);
mkdirSync(dir, { recursive: true });
const database = join(dir, 'sqlite3.db');
const passwordFile = join(dir, 'restic.pw');
writeFileSync(passwordFile, 'bench\n');

console.log(`building or reusing a ${sizeMb} MB tracker database…`);
const template = trackerDatabase(root, sizeMb);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

const growth: Record<string, Record<string, number[]>> = {};
const times: Record<string, number[]> = {};
const peaks: PeakRss[] = [];
for (let round = 1; round <= rounds; round++) {
  const { copyFileSync } = await import('node:fs');
  const db = lean ? template : database;
  if (!lean) copyFileSync(template, database);
  const routes: Route[] = [
    ourRoute(dir, db, passwordFile),
    seedsRoute(dir, db, passwordFile, lean),
    ...(lean ? [] : [rawRoute(dir, db, passwordFile)]),
  ];
  for (const route of routes) await initRepository(route.repository, passwordFile);
  // Day 1: the first full backup of each route (not measured).
  for (const route of routes)
    if (values.warmup !== 'ours' || route.name === 'backup-runner run') await route.daily();
  const days = (
    [
      [2, 'clustered'],
      [3, 'spread'],
    ] as const
  ).slice(0, Number(values.days));
  for (const [day, how] of days) {
    const changed = changeOnePercent(db, how, day + round * 10);
    for (const route of routes) {
      const before = await repositoryBytes(route.repository);
      const seconds = await route.daily();
      const added = (await repositoryBytes(route.repository)) - before;
      ((growth[how] ??= {})[route.name] ??= []).push(added);
      if (route.name !== 'raw snapshot into restic') (times[route.name] ??= []).push(seconds);
      if (route.lastPeak) peaks.push(route.lastPeak);
      console.log(
        `round ${round} day ${day} (${changed} rows, ${how}): ${route.name.padEnd(34)} ${seconds.toFixed(1).padStart(6)} s, repository +${mb(added)} MiB`,
      );
    }
  }
}

console.log(`\n${sizeMb} MB database, ${rounds} round(s); medians`);
console.log('\nRepository growth on a day after 1% of the rows changed:');
// The rows take less room than the builder's estimate: name the size that was measured.
const size = `${(statSync(template).size / 2 ** 20).toFixed(0)} MiB tracker database`;
const rows: BenchRow[] = [];
for (const [how, byRoute] of lean ? [] : Object.entries(growth)) {
  const mib = (name: string) =>
    medianFigure(
      (byRoute[name] ?? []).map((b) => b / 2 ** 20),
      'MiB',
    );
  rows.push({
    measure: `a day's repository growth, 1 % of rows changed ${how} (${size})`,
    ours: mib('backup-runner run'),
    anchor: { name: 'raw snapshot into restic', ...mib('raw snapshot into restic') },
  });
  const ours = median(byRoute['backup-runner run'] ?? []);
  const raw = median(byRoute['raw snapshot into restic'] ?? []);
  const seeds = median(byRoute['seeds: .backup + tar czf + restic'] ?? []);
  console.log(
    `  ${how.padEnd(9)} ours +${mb(ours)} MiB, raw snapshot +${mb(raw)} MiB, tar.gz +${mb(seeds)} MiB  →  ours/raw ${(ours / raw).toFixed(2)}×, ours/tar.gz ${(ours / seeds).toFixed(2)}×`,
  );
}
const ourTime = median(times['backup-runner run'] ?? []);
const seedTime = median(times['seeds: .backup + tar czf + restic'] ?? []);
console.log(
  `\nDaily run wall time: ours ${ourTime.toFixed(1)} s, seeds' pipeline ${seedTime.toFixed(1)} s  →  ${(ourTime / seedTime).toFixed(2)}× (target ≤ 0.35×)`,
);
rows.unshift({
  measure: `daily run wall time (${size})`,
  ours: medianFigure(times['backup-runner run'] ?? [], 's'),
  anchor: {
    name: "the seeds' .backup + tar czf + restic",
    ...medianFigure(times['seeds: .backup + tar czf + restic'] ?? [], 's'),
  },
  target: { ratio: 0.35 },
});
const peakMiB = (pick: (peak: PeakRss) => number) =>
  medianFigure(
    peaks.map((peak) => pick(peak) / 2 ** 20),
    'MiB',
  );
rows.push(
  {
    measure: `peak RSS of backup-runner during a daily run (${size})`,
    ours: peakMiB((peak) => peak.root),
  },
  {
    measure: `peak RSS of restic backup during a daily run (${size})`,
    ours: peakMiB((peak) => peak.restic),
  },
  {
    // It maps the copy it checks: its resident pages are the page cache's, and grow with it.
    measure: `peak RSS of the integrity_check child, mapped copy included (${size})`,
    ours: peakMiB((peak) => peak.sqliteChild),
  },
);
console.log(
  `\nPeak RSS (MiB): runner ${peaks.map((p) => (p.root / 2 ** 20).toFixed(0)).join(', ')}; restic ${peaks.map((p) => (p.restic / 2 ** 20).toFixed(0)).join(', ')}`,
);
reportRows('daily-pipeline', rows);
