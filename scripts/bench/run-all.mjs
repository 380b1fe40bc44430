import { mkdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { tsImport } from 'tsx/esm/api';
import { benches } from '../../bench/benches.mjs';
import { runOne } from './run-one.mjs';

/**
 * Runs every registered benchmark (or those whose file name contains `only`), then prints the
 * rows they reported as one table under the date and the machine, and writes it to
 * .cache/bench-results/. A benchmark that fails gets a row saying so; the others still run.
 * Resolves with 1 when any failed.
 */
export async function runAll(root, { quick, only, scale }) {
  // --8gib: only the benchmarks with a `scale` setup (the snapshot and the daily run), at 8 GiB.
  const chosen = benches.filter(
    (bench) => (!only || bench.entry.includes(only)) && (!scale || bench.scale),
  );
  const scratch = mkdtempSync(join(tmpdir(), 'backup-yaml-bench-'));
  const results = join(scratch, 'rows.jsonl');
  writeFileSync(results, '');
  // The benchmarks run the bundles (backup-runner, the server): build them from this checkout.
  await import('../build.mjs');
  const started = new Date();
  const header = await machine(scale ? '8gib' : quick ? 'quick' : 'full', started);
  const failures = [];
  const durations = [];
  for (const bench of chosen) {
    console.log(`\n=== ${bench.entry}${scale ? ' (8 GiB)' : quick ? ' (quick)' : ''}\n`);
    const setup = scale ? bench.scale : quick ? (bench.quick ?? {}) : (bench.full ?? {});
    const began = performance.now();
    const status = await runOne(root, bench, setup.args ?? [], {
      ...setup.env,
      BENCH_RESULTS: results,
    });
    durations.push(`${bench.entry} ${((performance.now() - began) / 1000).toFixed(0)} s`);
    if (status !== 0) failures.push(`${bench.entry} failed (exit status ${status})`);
  }
  const rows = readFileSync(results, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  rmSync(scratch, { recursive: true, force: true });
  const { formatTable } = await tsImport('../../bench/results.ts', import.meta.url);
  const report = [
    ...header,
    `Load average (1, 5, 15 min) at the end: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(', ')}`,
    `Run times: ${durations.join(', ')}`,
    ...failures.map((failure) => `**${failure}**`),
    '',
    formatTable(rows),
    '',
  ].join('\n');
  console.log(`\n${report}`);
  const dir = join(root, '.cache', 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(
    dir,
    `${started.toISOString().replace(/[:.]/g, '-')}${scale ? '-8gib' : quick ? '-quick' : ''}.md`,
  );
  writeFileSync(file, report);
  console.log(`written to ${file}`);
  return failures.length > 0 ? 1 : 0;
}

const RUN_NAMES = {
  quick: 'quick run (npm run bench -- --quick)',
  full: 'full run (npm run bench)',
  '8gib': 'scale run at 8 GiB (npm run bench -- --8gib)',
};

async function machine(mode, started) {
  const restic = await execa('restic', ['version'], { reject: false });
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return [
    `Benchmarks, ${RUN_NAMES[mode]}, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `Machine: ${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, ${restic.exitCode === 0 ? restic.stdout.split(' compiled')[0] : 'no restic'}`,
    `Load average (1, 5, 15 min) at the start: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(', ')}`,
  ];
}
