import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startMariaDb } from '../../test/support/servers/mariadb';
import { reportRows } from '../results';
import { median, medianFigure } from '../stats';
import { cpuSeconds } from './cpu';
import { createTrackerDatabase } from './dataset';
import type { Context, Measurement } from './pipelines';
import { clearWork, dumpPipedToRestic, dumpThenRestic, dumpToFile, secondDay } from './pipelines';

const rows = Number(process.env.BENCH_ROWS ?? 1_200_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
// Day 2's 1 % of changed rows: one contiguous range (new and recent torrents), or every 100th
// row (counters changing everywhere, which leaves no 1 MiB restic chunk of the dump unchanged).
const day2Changes = process.env.BENCH_DAY2 === 'spread' ? 'spread' : 'clustered';

const variants: { name: string; run: (context: Context) => Promise<Measurement> }[] = [
  { name: 'dump > file (the runner)', run: dumpToFile },
  { name: 'dump | restic --stdin', run: (c) => dumpPipedToRestic(c, 'auto') },
  { name: 'dump > file; restic backup', run: (c) => dumpThenRestic(c, 'auto') },
  { name: 'dump | restic --stdin (compression off)', run: (c) => dumpPipedToRestic(c, 'off') },
  { name: 'dump > file; restic backup (compression off)', run: (c) => dumpThenRestic(c, 'off') },
  { name: 'day 2: dump | restic --stdin', run: (c) => secondDay(c, 'auto', dumpPipedToRestic) },
  { name: 'day 2: dump > file; restic backup', run: (c) => secondDay(c, 'auto', dumpThenRestic) },
];

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
async function main() {
  const { stdout: resticVersion } = await execa('restic', ['version']);
  console.log(
    `mysqldump → restic benchmark: ${rows.toLocaleString('en')} rows, ${rounds} rounds, day 2 changes ${day2Changes} (BENCH_DAY2=clustered|spread)`,
  );
  console.log(`${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${resticVersion}`);
  console.log(
    `load average at start: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );

  const scratch = await mkdtemp(join(tmpdir(), 'backup-yaml-bench-mysql-'));
  const db = await startMariaDb({
    extraArgs: ['--innodb-buffer-pool-size=1G', '--innodb-log-file-size=512M'],
  });
  try {
    const started = performance.now();
    console.log('creating the database…');
    await createTrackerDatabase(db, rows, console.log);
    console.log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const password = `bench-${process.pid}`;
    await db.createUser('backup', password, 'SELECT, SHOW VIEW, TRIGGER, EVENT', 'tracker.*');
    let changes = 0;
    const resticPasswordFile = join(scratch, 'restic.pw');
    await writeFile(resticPasswordFile, 'bench-repository\n', { mode: 0o600 });
    const context: Context = {
      source: {
        type: 'mysql',
        database: 'tracker',
        host: db.host,
        port: db.port,
        user: 'backup',
        password_command: ['printf', '%s', password],
        routines: false,
        events: false,
      },
      password,
      scratch,
      resticPasswordFile,
      cpu: () => cpuSeconds(db.pid),
      changeRows: async () => {
        changes += 1;
        const where =
          day2Changes === 'spread'
            ? `id % 100 = ${changes % 100}`
            : `id > ${rows - Math.floor(rows / 100)}`;
        await db.sql(
          `UPDATE torrents SET seeders = seeders + 1, leechers = ${changes} WHERE ${where}`,
          'tracker',
        );
      },
    };

    // One unmeasured dump warms the buffer pool and the page cache.
    const warm = await dumpToFile(context);
    console.log(`dump size: ${megabytes(warm.dumpBytes)}\n`);
    await clearWork(context);

    const results = new Map<string, Measurement[]>(variants.map(({ name }) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      // Rotate the order so slow phases of the shared machine do not always hit one variant.
      const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
      for (const variant of order) {
        const measurement = await variant.run(context);
        await clearWork(context);
        results.get(variant.name)?.push(measurement);
        console.log(
          `round ${round + 1}: ${variant.name.padEnd(46)} ${measurement.seconds.toFixed(2)} s, ${measurement.cpuSeconds.toFixed(2)} s CPU`,
        );
      }
    }
    report(results);
    console.log(
      `\nload average at end: ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await db.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

function report(results: Map<string, Measurement[]>) {
  const first = results.get(variants[0]!.name) ?? [];
  const baseWall = median(first.map((m) => m.seconds));
  const baseCpu = median(first.map((m) => m.cpuSeconds));
  const column = (value: string, width: number) => value.padStart(width);
  console.log(
    `\n${'variant'.padEnd(46)}${column('wall', 8)}${column('min', 8)}${column('max', 8)}${column('ratio', 7)}${column('CPU', 8)}${column('ratio', 7)}  stored`,
  );
  for (const [name, measurements] of results) {
    const wall = measurements.map((m) => m.seconds);
    const cpu = median(measurements.map((m) => m.cpuSeconds));
    const stored = measurements[0]?.storedBytes;
    console.log(
      [
        name.padEnd(46),
        column(`${median(wall).toFixed(2)}s`, 8),
        column(`${Math.min(...wall).toFixed(2)}s`, 8),
        column(`${Math.max(...wall).toFixed(2)}s`, 8),
        column(`${(median(wall) / baseWall).toFixed(2)}×`, 7),
        column(`${cpu.toFixed(2)}s`, 8),
        column(`${(cpu / baseCpu).toFixed(2)}×`, 7),
        stored === undefined ? '' : `  ${megabytes(stored)}`,
      ].join(''),
    );
  }
  console.log('wall and CPU are medians; ratios are to "dump > file"; target ≤ 2× (wall)');
  console.log('stored: the repository after the run; for day 2, what the measured run added to it');
  const seconds = (name: string) =>
    medianFigure(
      (results.get(name) ?? []).map((m) => m.seconds),
      's',
    );
  const anchor = { name: 'mariadb-dump > file', ...seconds(variants[0]!.name) };
  const dump = megabytes(first[0]?.dumpBytes ?? 0);
  reportRows('mysql-restic', [
    {
      measure: `MySQL daily backup, day 2 (${day2Changes}), through staging (${dump} dump)`,
      ours: seconds('day 2: dump > file; restic backup'),
      anchor,
      target: { ratio: 2 },
    },
    {
      measure: `MySQL daily backup, day 2 (${day2Changes}), piped (${dump} dump)`,
      ours: seconds('day 2: dump | restic --stdin'),
      anchor,
    },
    {
      measure: `MySQL first backup into an empty repository, through staging (${dump} dump)`,
      ours: seconds('dump > file; restic backup'),
      anchor,
    },
  ]);
}

// Until main() finishes, a run that stops early (the event loop emptied) counts as a failure.
process.exitCode = 1;
await main();
process.exitCode = 0;
