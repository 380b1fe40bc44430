// The snapshot tree's speed on a test host (sshd on 127.0.0.1, the extension's session and
// runner), side by side with restic itself, interleaved each round:
//   folder, cached     a folder the runner has listed before (new window, or after Refresh):
//                      `ls` over the open session, answered in-process from the runner's cache
//                      (target < 100 ms and ≥ 20× faster than restic ls of the same folder)
//   folder, uncached   a folder never listed: the runner calls restic ls (target < 1 s; restic
//                      ls of the same folder is the floor)
//   folder, in memory  a second expansion in the same window: no request at all
//   open 1 MiB file    `cat --json` over the session vs `restic dump` of it to /dev/null
//
//   node scripts/bench.mjs bench/tree-browse.ts [--rounds 7] [--files 200]
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { execa } from 'execa';
import { SnapshotData } from '../client/src/snapshot-data';
import { reportRows } from './results';
import { medianFigure } from './stats';
import { median, range, runnerBin, startBenchHosts } from './remote/hosts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '7' },
      files: { type: 'string', default: '200' },
    },
  });
  const rounds = Number(values.rounds);
  const bench = await startBenchHosts(1);
  try {
    const [host] = bench.hosts;
    const spec = bench.specs[0] ?? '';
    if (!host) throw new Error('no bench host');
    const parsed = parse(await readFile(spec, 'utf8')) as {
      sources: { config: { paths: string[] } };
      staging: { dir: string };
      targets: { local: { repository: string; password_file: string } };
    };
    const app = parsed.sources.config.paths[0] ?? '';
    await mkdir(join(app, 'data'), { recursive: true });
    for (let i = 0; i < Number(values.files); i++)
      await writeFile(
        join(app, 'data', `torrent-${String(i).padStart(4, '0')}.json`),
        `{"id":${i}}\n`,
      );
    await writeFile(join(app, 'big.bin'), randomBytes(1024 * 1024));
    await execa('node', [runnerBin, 'run', '-c', spec], { stdin: 'ignore' });

    const sessions = bench.sessions();
    const data = new SnapshotData(sessions);
    const snapshots = await data.snapshots(host, 'local');
    if (!snapshots.ok || !snapshots.value[0])
      throw new Error(`no snapshot: ${JSON.stringify(snapshots)}`);
    const id = snapshots.value[0].id;
    const folder = `config${app}/data`;
    const bigFile = `config${app}/big.bin`;
    const resticRoot = join(parsed.staging.dir, 'current');
    const env = {
      RESTIC_REPOSITORY: parsed.targets.local.repository,
      RESTIC_PASSWORD_FILE: parsed.targets.local.password_file,
    };
    const listingCache = join(parsed.staging.dir, 'snapshot-cache', 'local', id, 'ls');
    const time = async (body: () => Promise<unknown>) => {
      const started = performance.now();
      await body();
      return performance.now() - started;
    };
    const expand = async () => {
      data.dropListings();
      const listing = await data.listing(host, 'local', id, folder);
      if (!listing.ok || listing.value.entries.length !== Number(values.files))
        throw new Error(`listing failed: ${JSON.stringify(listing).slice(0, 300)}`);
      return listing.value.cached;
    };
    const figures = {
      resticLs: [],
      uncached: [],
      cached: [],
      memory: [],
      dump: [],
      open: [],
      openSmall: [],
    } as Record<string, number[]>;
    await expand(); // the session opens (and the runner is uploaded) outside the figures
    for (let round = 0; round < rounds; round++) {
      figures['resticLs']?.push(
        await time(() =>
          execa('restic', ['ls', '--json', id, join(resticRoot, folder)], { env, stdin: 'ignore' }),
        ),
      );
      await rm(listingCache, { recursive: true, force: true });
      figures['uncached']?.push(
        await time(async () => {
          if (await expand()) throw new Error('cached?');
        }),
      );
      figures['cached']?.push(
        await time(async () => {
          if (!(await expand())) throw new Error('not cached');
        }),
      );
      figures['memory']?.push(await time(() => data.listing(host, 'local', id, folder)));
      figures['dump']?.push(
        await time(() =>
          execa('restic', ['dump', id, join(resticRoot, bigFile)], {
            env,
            stdin: 'ignore',
            stdout: 'ignore',
          }),
        ),
      );
      figures['openSmall']?.push(
        await time(async () => {
          const file = await data.file(
            host,
            'local',
            id,
            `config${app}/etc/tracker.toml`,
            16 * 1048576,
          );
          if (!file.ok) throw new Error('open failed');
        }),
      );
      figures['open']?.push(
        await time(async () => {
          const file = await data.file(host, 'local', id, bigFile, 16 * 1048576);
          if (!file.ok || file.value.bytes.length !== 1048576) throw new Error('open failed');
        }),
      );
    }
    const m = (name: string) => median(figures[name] ?? []);
    const line = (label: string, name: string, note: string) =>
      console.log(
        `  ${label.padEnd(26)} ${m(name).toFixed(1).padStart(8)} ms  (${range(figures[name] ?? [])})  ${note}`,
      );
    console.log(
      `snapshot tree on a test host (sshd on 127.0.0.1), a folder of ${values.files} files, ${rounds} rounds, medians:`,
    );
    line('restic ls of the folder', 'resticLs', 'the floor');
    line(
      'expand, uncached',
      'uncached',
      `${(m('uncached') / m('resticLs')).toFixed(2)}× restic ls (target < 1000 ms)`,
    );
    line(
      'expand, runner cache',
      'cached',
      `restic ls is ${(m('resticLs') / m('cached')).toFixed(1)}× slower (target < 100 ms, ≥ 20×)`,
    );
    line('expand, in memory', 'memory', 'a second expansion in the same window');
    line('restic dump of 1 MiB', 'dump', 'the floor');
    line('open a 31-byte file', 'openSmall', 'what a file costs besides its bytes');
    line('open a 1 MiB file', 'open', `${(m('open') / m('dump')).toFixed(2)}× restic dump`);
    const figure = (name: string) => medianFigure(figures[name] ?? [], 'ms');
    const resticLs = { name: 'restic ls of the folder', ...figure('resticLs') };
    const folderOf = `a folder of ${values.files} files, over a test sshd`;
    reportRows('tree-browse', [
      {
        measure: `snapshot tree: expand ${folderOf}, from the runner's cache`,
        ours: figure('cached'),
        anchor: resticLs,
        target: { below: 100, ratio: 0.05 },
      },
      {
        measure: `snapshot tree: expand ${folderOf}, uncached`,
        ours: figure('uncached'),
        anchor: resticLs,
        target: { below: 1000 },
      },
      {
        measure: 'snapshot tree: open a 1 MiB file, over a test sshd',
        ours: figure('open'),
        anchor: { name: 'restic dump of it', ...figure('dump') },
      },
    ]);
  } finally {
    await bench.stop();
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
