// The test command (`npm test`, also run by .ci/run): builds the bundles, then runs every
// test/**/*.test.ts with node's test runner and ends with the line "N passed, N failed".
// Arguments narrow the run to files or folders: `npm test -- test/spec`.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { dockerForTests } from './docker-for-tests.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// Extension-host suites run inside VS Code (test/vscode/extension-host.test.ts starts them).
const excluded = [
  join(root, 'test', 'vscode', 'suite'),
  join(root, 'test', 'vscode', 'failing-suite'),
  join(root, 'test', 'vscode', 'remote-suite'),
  join(root, 'test', 'fixtures'),
];

function testFiles(path) {
  if (excluded.some((dir) => path === dir || path.startsWith(`${dir}/`))) return [];
  if (statSync(path).isDirectory())
    return readdirSync(path)
      .sort()
      .flatMap((name) => testFiles(join(path, name)));
  return path.endsWith('.test.ts') ? [path] : [];
}

const targets = process.argv.slice(2).map((arg) => resolve(arg));
const files = (targets.length > 0 ? targets : [join(root, 'test')]).flatMap(testFiles);
if (files.length === 0) {
  console.error('no test files found');
  process.exit(2);
}

// Real components (restic, MariaDB, sshd, code-server...) are installed here when missing.
if (process.env.BACKUP_YAML_SKIP_DEPS !== '1') {
  await execa('bash', [join(root, 'scripts', 'ensure-test-deps.sh')], {
    cwd: root,
    stdio: 'inherit',
  });
}
await import('./build.mjs');
// After the build: the backup-runner image packs the fresh runner bundle.
const stopDocker = await dockerForTests(root, files);

const scratch = mkdtempSync(join(tmpdir(), 'backup-yaml-test-'));
const summaryFile = join(scratch, 'summary.json');
const started = Date.now();
const run = await execa(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-timeout=900000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'test', 'support', 'summary-reporter.mjs')}`,
    `--test-reporter-destination=${summaryFile}`,
    ...files.map((file) => relative(root, file)),
  ],
  { cwd: root, stdio: 'inherit', reject: false },
);
await stopDocker();
let counts = { passed: 0, failed: 0, skipped: 0, todo: 0 };
try {
  counts = JSON.parse(readFileSync(summaryFile, 'utf8'));
} catch {
  counts.failed = Math.max(1, counts.failed);
}
rmSync(scratch, { recursive: true, force: true });
const extra = [
  counts.skipped && `${counts.skipped} skipped`,
  counts.todo && `${counts.todo} todo`,
].filter(Boolean);
console.log(
  `\n${files.length} test files in ${((Date.now() - started) / 1000).toFixed(1)} s${extra.length ? `; ${extra.join(', ')}` : ''}`,
);
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(run.exitCode === 0 && counts.failed === 0 ? 0 : 1);
