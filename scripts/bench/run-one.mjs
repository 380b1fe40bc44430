import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';

/**
 * Runs one benchmark script and resolves with its exit status. 'bundle' builds it with the
 * esbuild settings of the CLI and the language server (scripts/build.mjs), so it measures what
 * ships; 'tsx' runs its TypeScript as it is.
 */
export async function runOne(root, bench, args, env = {}) {
  let command = [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), bench.entry, ...args];
  if (bench.run === 'bundle') {
    process.env.BACKUP_YAML_BUILD_ON_IMPORT = '0';
    const { common } = await import('../build.mjs');
    const outfile = join(root, '.cache', 'bench-bundles', `${basename(bench.entry, '.ts')}.cjs`);
    await build({ ...common, entryPoints: [bench.entry], outfile, sourcemap: false });
    command = [outfile, ...args];
  }
  const result = await execa(process.execPath, command, {
    cwd: root,
    stdio: 'inherit',
    reject: false,
    env,
  });
  return result.exitCode ?? 1;
}
