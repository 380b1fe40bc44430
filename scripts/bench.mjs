// Runs a benchmark as the product ships: bundled with the same esbuild settings as the CLI and
// the language server (scripts/build.mjs), then executed by node with the remaining arguments.
//   node scripts/bench.mjs bench/lsp-latency.ts [args...]
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { execa } from 'execa';

process.env.BACKUP_YAML_BUILD_ON_IMPORT = '0';
const { common } = await import('./build.mjs');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/bench.mjs bench/<name>.ts [args...]');
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = join(root, '.cache', 'bench-bundles', `${basename(entry, '.ts')}.cjs`);
await build({ ...common, entryPoints: [entry], outfile, sourcemap: false });
const result = await execa(process.execPath, [outfile, ...args], {
  stdio: 'inherit',
  reject: false,
});
process.exit(result.exitCode ?? 1);
