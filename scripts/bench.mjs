// Runs the benchmarks.
//   npm run bench -- --quick          every benchmark of bench/benches.mjs, small sizes (minutes)
//   npm run bench                     every benchmark at its full size (an hour or more)
//   npm run bench -- --only restore   the ones whose file name contains this
//   npm run bench -- --8gib           the SQLite snapshot and the daily run on 8 GiB databases,
//                                     lean on disk (about 45 GB free needed), with peak RSS
//   node scripts/bench.mjs bench/lsp-latency.ts [args...]   one script, bundled as it ships
// With several, the rows they report (bench/results.ts) end in one table with the date and the
// machine, printed last and written to .cache/bench-results/.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runAll } from './bench/run-all.mjs';
import { runOne } from './bench/run-one.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const [first, ...rest] = process.argv.slice(2);
if (first?.endsWith('.ts')) process.exit(await runOne(root, { entry: first, run: 'bundle' }, rest));

const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, only: { type: 'string' }, '8gib': { type: 'boolean' } },
});
// `npm run bench --quick` (without `--`) hands the flag to npm, which passes it on as config.
const quick = values.quick === true || process.env.npm_config_quick === 'true';
const only = values.only ?? process.env.npm_config_only;
const scale = values['8gib'] === true || process.env.npm_config_8gib === 'true';
process.exit(await runAll(root, { quick, only, scale }));
