// Every benchmark `npm run bench` runs, in this order. Joining the table is one line here: the
// script, how it runs ('bundle': bundled by scripts/bench.mjs with the product's esbuild
// settings; 'tsx': its TypeScript run as it is), and the arguments and environment of a --quick
// run (a full run uses the script's own defaults), and for the few that `--8gib` runs, a `scale`
// setup (8 GiB databases). A script reports its rows with
// bench/results.ts (reportRows), which is how they reach the table.
// prettier-ignore
export const benches = [
  { entry: 'bench/lsp-latency.ts', run: 'bundle', quick: { env: { BENCH_SAMPLES: '100', BENCH_ROUNDS: '2' } } },
  { entry: 'bench/restore.ts', run: 'tsx', quick: { args: ['--size-mb', '256', '--rounds', '2'] } },
  { entry: 'bench/sqlite-snapshot.ts', run: 'tsx', quick: { args: ['--size-mb', '256', '--rounds', '2', '--capped-rounds', '0'] },
    scale: { args: ['--size-mb', '8192', '--rounds', '1', '--capped-rounds', '0'] } },
  { entry: 'bench/daily-pipeline.ts', run: 'tsx', quick: { args: ['--size-mb', '128', '--rounds', '1'] },
    scale: { args: ['--size-mb', '8192', '--rounds', '1', '--days', '1', '--warmup', 'ours', '--lean-disk'] } },
  { entry: 'bench/mysql-restic.ts', run: 'tsx', quick: { env: { BENCH_ROWS: '200000', BENCH_ROUNDS: '1' } } },
  // The remote side: each starts its own test sshd hosts on 127.0.0.1 and stops them.
  { entry: 'bench/remote-latency.ts', run: 'bundle', quick: { args: ['--rounds', '3'] } },
  { entry: 'bench/remote-status.ts', run: 'bundle', quick: { args: ['--polls', '2'] } },
  { entry: 'bench/remote-upload.ts', run: 'bundle', quick: { args: ['--rounds', '1'] } },
  { entry: 'bench/tree-browse.ts', run: 'bundle', quick: { args: ['--rounds', '3'] } },
];
