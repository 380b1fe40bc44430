// `npm run package`: builds everything, then packs the extension into dist/backup-yaml-<version>.vsix
// with @vscode/vsce: the extension and language server bundles, both runners it uploads to hosts
// (the JS bundle and the linux-x64 self-contained executable), the manifest's static files.
// .vscodeignore lets in only those; dependencies are inside the bundles (--no-dependencies).
// The packed file list is checked: no test, source, map or node_modules file may be in it.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version, name } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// `npm run package -- FILE` writes it elsewhere (the install test packs into its own directory).
const out = process.argv[2] ?? join(root, 'dist', `${name}-${version}.vsix`);
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const flags = [
  '--no-dependencies',
  // Links in README.md point into this repository, which has no public URL to rewrite them to.
  '--no-rewrite-relative-links',
  '--allow-missing-repository',
  '--skip-license',
];

if (process.env.BACKUP_YAML_PACKAGE_SKIP_BUILD !== '1') await import('./build.mjs');
const listed = await execa(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root });
const files = String(listed.stdout).split('\n').filter(Boolean);
const unwanted = files.filter((f) => /(^|\/)(test|node_modules|src)\/|\.map$|\.ts$/.test(f));
if (unwanted.length > 0) {
  console.error(`the .vsix would hold files it must not:\n  ${unwanted.join('\n  ')}`);
  process.exit(1);
}
for (const required of [
  'dist/client/extension.js',
  'server/dist/server.cjs',
  'dist/remote/manifest.json',
])
  if (!files.includes(required)) {
    console.error(`the .vsix would lack ${required}: run npm run build`);
    process.exit(1);
  }
await execa(process.execPath, [vsce, 'package', ...flags, '--out', out], {
  cwd: root,
  stdio: 'inherit',
});
const mib = (statSync(out).size / 1048576).toFixed(1);
console.log(`${out}: ${mib} MiB, ${files.length} files`);
