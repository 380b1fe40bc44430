// Bundles the runner CLI, the language server, the VS Code extension, and the extension-host test
// suites with their code-server harness. better-sqlite3 stays external (a native addon); vscode
// is provided by the editor; mocha and playwright-core load files of their own at run time.
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildRemoteRunners } from './build-remote-runners.mjs';
import { yamlWithoutEnvLookups } from './yaml-env-plugin.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
export const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  external: ['better-sqlite3', 'vscode', 'mocha', 'playwright-core'],
  // ESM dependencies (fdir, under tinyglobby) call createRequire(import.meta.url); in a CJS
  // bundle import.meta is empty, so give it this file's URL.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('url').pathToFileURL(__filename).href;" },
  plugins: [yamlWithoutEnvLookups],
};

// Importing this file builds (scripts/test.mjs relies on it) unless the importer only wants the
// settings (scripts/bench.mjs).
if (process.env.BACKUP_YAML_BUILD_ON_IMPORT !== '0') await buildAll();

async function buildAll() {
  await Promise.all([
    build({ ...common, entryPoints: ['runner/src/cli/entry.ts'], outfile: 'runner/dist/cli.cjs' }),
    build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'server/dist/server.cjs' }),
    build({
      ...common,
      entryPoints: ['client/src/extension.ts'],
      outfile: 'dist/client/extension.js',
    }),
    build({ ...common, entryPoints: ['test/vscode/suite/*.ts'], outdir: 'dist/test/vscode/suite' }),
    build({
      ...common,
      entryPoints: ['test/vscode/remote-suite/*.ts'],
      outdir: 'dist/test/vscode/remote-suite',
    }),
    build({
      ...common,
      entryPoints: ['test/vscode/failing-suite/index.ts'],
      outdir: 'dist/test/vscode/failing-suite',
    }),
    build({
      ...common,
      entryPoints: ['test/vscode/harness/cli.ts'],
      outfile: 'dist/test/vscode/code-server-cli.js',
      banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
    }),
  ]);
  chmodSync(`${root}/dist/test/vscode/code-server-cli.js`, 0o755);
  // After the runner bundle: the JS flavour packs it.
  await buildRemoteRunners(root, common);
}
