import * as assert from 'node:assert/strict';
import {
  chmod,
  lstat,
  mkdir,
  readFile,
  readlink,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { dumpFiles } from '../../runner/src/sources/files/index';
import type { FilesSource } from '../../runner/src/spec/types';
import type { Workdir } from '../support/runner-cli';
import { makeWorkdir } from '../support/runner-cli';

let work: Workdir;
let outCount = 0;

async function dump(source: Omit<FilesSource, 'type'>) {
  const outDir = work.path(`out-${++outCount}`);
  await mkdir(outDir, { mode: 0o700 });
  const warnings: string[] = [];
  const result = await dumpFiles({
    name: 'config',
    source: { type: 'files', ...source },
    outDir,
    signal: new AbortController().signal,
    progress: () => undefined,
    warn: (message) => warnings.push(message),
  });
  return { result, outDir, warnings, staged: (path: string) => `${outDir}${path}` };
}

describe('files source', () => {
  before(async () => {
    work = await makeWorkdir('backup-yaml-files-');
    const app = work.path('app');
    await mkdir(`${app}/etc/conf.d`, { recursive: true });
    await writeFile(`${app}/.env`, 'TOKEN=1\n');
    await chmod(`${app}/.env`, 0o600);
    await writeFile(`${app}/etc/tracker.toml`, '[tracker]\n');
    await writeFile(`${app}/etc/conf.d/a.log`, 'log\n');
    await writeFile(`${app}/etc/conf.d/keep.conf`, 'keep\n');
    await utimes(
      `${app}/etc/tracker.toml`,
      new Date('2024-01-02T03:04:05Z'),
      new Date('2024-01-02T03:04:05Z'),
    );
    await symlink('../.env', `${app}/etc/env-link`);
    await writeFile(work.path('outside.txt'), 'outside\n');
    await symlink(work.path('outside.txt'), `${app}/etc/outside-link`);
  });
  after(() => work.cleanup());

  test('mirrors paths under their absolute path, keeping mode and modification time', async () => {
    const app = work.path('app');
    const { result, staged } = await dump({ paths: [app] });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(await readFile(staged(`${app}/.env`), 'utf8'), 'TOKEN=1\n');
    assert.equal((await stat(staged(`${app}/.env`))).mode & 0o777, 0o600);
    assert.equal(
      (await stat(staged(`${app}/etc/tracker.toml`))).mtime.toISOString(),
      '2024-01-02T03:04:05.000Z',
    );
    assert.equal(result.value.metadata['files'], 4);
    assert.equal(result.value.metadata['symlinks'], 2);
  });

  test('keeps symlinks as links by default, also those pointing outside', async () => {
    const app = work.path('app');
    const { result, staged } = await dump({ paths: [app] });
    assert.ok(result.ok);
    assert.ok((await lstat(staged(`${app}/etc/env-link`))).isSymbolicLink());
    assert.equal(await readlink(staged(`${app}/etc/outside-link`)), work.path('outside.txt'));
  });

  test('follow_symlinks copies what a link outside the tree points to, keeps links inside as links', async () => {
    const app = work.path('app');
    const { result, staged } = await dump({ paths: [app], follow_symlinks: true });
    assert.ok(result.ok);
    const outside = staged(`${app}/etc/outside-link`);
    assert.ok((await lstat(outside)).isFile());
    assert.equal(await readFile(outside, 'utf8'), 'outside\n');
    assert.ok((await lstat(staged(`${app}/etc/env-link`))).isSymbolicLink());
  });

  test('exclude matches file names anywhere and whole paths', async () => {
    const app = work.path('app');
    const { result, staged } = await dump({
      paths: [app],
      exclude: ['*.log', `${app}/etc/tracker.toml`],
    });
    assert.ok(result.ok);
    await assert.rejects(stat(staged(`${app}/etc/conf.d/a.log`)));
    await assert.rejects(stat(staged(`${app}/etc/tracker.toml`)));
    assert.ok((await stat(staged(`${app}/etc/conf.d/keep.conf`))).isFile());
    assert.equal(result.value.metadata['excluded'], 2);
  });

  test('globs expand; overlapping paths are copied once; a glob matching nothing makes the source empty', async () => {
    const app = work.path('app');
    const { result, staged, warnings } = await dump({
      paths: [`${app}/etc/*.toml`, `${app}/etc`, `${app}/nothing/*.conf`],
    });
    assert.ok(result.ok, JSON.stringify(result));
    assert.ok((await stat(staged(`${app}/etc/tracker.toml`))).isFile());
    assert.deepEqual(result.value.metadata['paths'], [`${app}/etc`]);
    // The engine fails the run on it (test/runner/empty-and-shrunk.test.ts) unless allow_empty.
    assert.match(result.value.empty ?? '', /nothing\/\*\.conf matches no file/);
    assert.deepEqual(warnings, []);
    const allowed = await dump({ paths: [`${app}/nothing/*.conf`], allow_empty: true });
    assert.ok(allowed.result.ok);
    assert.match(allowed.warnings[0] ?? '', /nothing\/\*\.conf matches no file/);
  });

  test('a listed path that does not exist is an error, not a silent skip', async () => {
    const { result } = await dump({
      paths: [work.path('app', '.env'), work.path('app', 'gone.toml')],
    });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'files-missing');
  });

  test('a FIFO is skipped with a warning instead of blocking the copy forever', async () => {
    const fifoDir = work.path('with-fifo');
    await mkdir(fifoDir);
    await writeFile(`${fifoDir}/real.conf`, 'x\n');
    await execa('mkfifo', [`${fifoDir}/pipe`]);
    const { result, staged, warnings } = await dump({ paths: [fifoDir] });
    assert.ok(result.ok);
    assert.equal(result.value.metadata['skipped'], 1);
    assert.match(warnings.join('\n'), /pipe is not a regular file/);
    assert.ok((await stat(staged(`${fifoDir}/real.conf`))).isFile());
  });

  test('a cancelled copy stops with cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const outDir = work.path('out-cancelled');
    await mkdir(outDir);
    const result = await dumpFiles({
      name: 'c',
      source: { type: 'files', paths: [work.path('app')] },
      outDir,
      signal: controller.signal,
      progress: () => undefined,
      warn: () => undefined,
    });
    assert.equal(!result.ok && result.error.code, 'cancelled');
  });
});
