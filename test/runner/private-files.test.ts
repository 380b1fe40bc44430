import * as assert from 'node:assert/strict';
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { makeStack } from '../support/demo-stack';
import { runnerBin } from '../support/paths';
import type { Workdir } from '../support/runner-cli';
import { makeWorkdir, runCli } from '../support/runner-cli';

/**
 * Issue 10, item 6: what the runner writes that holds backed-up data is private to the backup
 * user whatever the umask, and whether its directories existed before: `nobody` reads none of
 * it (the archive was 0644 and handed the whole dump to anyone).
 */
describe('staging, archives and restores in progress are private, whatever the umask', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  let spec: string;

  before(async () => {
    work = await makeWorkdir('backup-yaml-private-');
    stack = await makeStack(work);
    const database = work.path('shop.db');
    await execa('sqlite3', [database, 'CREATE TABLE t (x); INSERT INTO t VALUES (42);']);
    // Directories that exist already, open to everyone, the way an admin might have made them.
    for (const dir of [stack.staging, work.path('archives')]) {
      await mkdir(dir, { recursive: true });
      await chmod(dir, 0o755);
    }
    await chmod(work.dir, 0o755);
    spec = await work.writeSpec({
      version: 1,
      name: 'shop',
      sources: {
        db: { type: 'sqlite', path: database },
        config: { type: 'files', paths: [stack.app] },
      },
      staging: { dir: stack.staging },
      archive: { dir: work.path('archives'), format: 'tar.zst' },
      targets: { local: { repository: stack.repository, password_file: stack.passwordFile } },
    });
    assert.equal((await runCli(['init', '-c', spec])).exitCode, 0);
    const run = await execa('sh', ['-c', `umask 000; exec node ${runnerBin} run -c ${spec}`], {
      reject: false,
    });
    assert.equal(run.exitCode, 0, String(run.stdout));
  });
  after(() => work.cleanup());

  const asNobody = (path: string) =>
    execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'cat', path], {
      reject: false,
    });

  test('the archive and the staged copies are 0600 in 0700 directories', async () => {
    const [archive] = await readdir(work.path('archives'));
    assert.ok(archive);
    const archivePath = join(work.path('archives'), archive);
    assert.equal((await lstat(archivePath)).mode & 0o777, 0o600, archive);
    assert.equal((await lstat(stack.staging)).mode & 0o777, 0o700, 'staging, though it existed');
    const current = join(stack.staging, 'current');
    for (const path of [current, join(current, 'db'), join(current, 'config')])
      assert.equal((await lstat(path)).mode & 0o777, 0o700, path);
    for (const path of [join(current, 'manifest.json'), join(current, 'db', 'shop.db')])
      assert.equal((await lstat(path)).mode & 0o777, 0o600, path);
  });

  test('nobody reads the archive, the staged database or the manifest', async () => {
    const [archive] = await readdir(work.path('archives'));
    for (const path of [
      join(work.path('archives'), archive ?? ''),
      join(stack.staging, 'current', 'db', 'shop.db'),
      join(stack.staging, 'current', 'manifest.json'),
    ]) {
      const read = await asNobody(path);
      assert.notEqual(read.exitCode, 0, `nobody could read ${path}`);
      assert.match(String(read.stderr), /Permission denied/);
    }
  });

  test('a restore leaves no scratch directory behind, and the database keeps its 0600', async () => {
    const to = work.path('restored');
    const restore = await execa(
      'sh',
      ['-c', `umask 000; exec node ${runnerBin} restore -c ${spec} --to ${to}`],
      {
        reject: false,
      },
    );
    assert.equal(restore.exitCode, 0, String(restore.stderr));
    // The private directory restic restored into is gone; what was moved in place keeps the
    // modes it was backed up with (the database copy: 0600).
    assert.deepEqual(
      (await readdir(to)).filter((n) => n.startsWith('.')),
      [],
    );
    assert.equal((await lstat(join(to, 'db', 'shop.db'))).mode & 0o777, 0o600);
  });
});
