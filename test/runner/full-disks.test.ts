import * as assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { updateState } from '../../runner/src/monitoring/state';
import { makeStack } from '../support/demo-stack';
import type { Workdir } from '../support/runner-cli';
import { finished, makeWorkdir, runCli, snapshots, stepStatus } from '../support/runner-cli';
import type { SmallDisk } from '../support/tmpfs';
import { fillDisk, mountSmallDisk } from '../support/tmpfs';

const MiB = 1024 * 1024;

/**
 * Issue 10, items 9, 12 and 14: a full disk is found before anything is stopped (staging needs
 * room for a second copy next to current/), reported with its real cause (ENOSPC, not the EPIPE
 * it causes), and leaves no 0-byte temporary file behind.
 */
describe('full disks: found early, named right, nothing left behind', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  let database: string;
  const disks: SmallDisk[] = [];

  before(async () => {
    work = await makeWorkdir('backup-yaml-disks-');
    stack = await makeStack(work);
    database = work.path('shop.db');
    // ~12 MiB of random bytes: it compresses to nothing less.
    await execa('sqlite3', [
      database,
      'CREATE TABLE t (x BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO t SELECT randomblob(4000) FROM n;',
    ]);
  });
  after(async () => {
    for (const disk of disks) await disk.unmount();
    await work.cleanup();
  });

  const mount = async (bytes: number) => {
    const disk = await mountSmallDisk(bytes);
    disks.push(disk);
    return disk.dir;
  };
  const spec = (extra: Record<string, unknown>, name: string) =>
    work.writeSpec(
      {
        version: 1,
        name: 'shop',
        sources: { db: { type: 'sqlite', path: database } },
        targets: { local: { repository: stack.repository, password_file: stack.passwordFile } },
        hooks: { before: [['sh', '-c', `touch ${work.path(`${name}.stopped`)}`]] },
        ...extra,
      },
      `${name}.yaml`,
    );

  test('staging without room for this run next to current/: fails in the preflight, app untouched', async () => {
    const staging = await mount(40 * MiB);
    const path = await spec({ staging: { dir: staging } }, 'staging');
    assert.equal((await runCli(['init', '-c', path])).exitCode, 0);
    const first = await runCli(['run', '-c', path, '--json']);
    assert.equal(first.exitCode, 0, first.stdout.slice(-2000));
    await rm(work.path('staging.stopped'));
    // Something else fills the disk: 12 MiB of current/ are there, the next copy does not fit.
    const filler = await fillDisk(staging);
    await execa('truncate', ['-s', `-${6 * MiB}`, filler]);
    const result = await runCli(['run', '-c', path, '--json']);
    assert.equal(result.exitCode, 1, result.stdout.slice(-2000));
    assert.equal(finished(result).error?.code, 'staging-no-room');
    assert.match(
      finished(result).error?.message ?? '',
      /has [\d.]+ MiB free; this run needs about 1[0-9]\.\d MiB/,
    );
    assert.equal(stepStatus(result, 'preflight'), 'failed');
    assert.equal(stepStatus(result, 'hook:before[0]'), 'skipped');
    await assert.rejects(readFile(work.path('staging.stopped')), 'hooks.before never ran');
    await rm(filler);
    assert.equal((await runCli(['run', '-c', path])).exitCode, 0, 'with room again, a run goes on');
  });

  test('a full archive disk is reported as ENOSPC, and leaves no partial archive', async () => {
    const archives = await mount(4 * MiB);
    const path = await spec(
      {
        staging: { dir: work.path('staging-archive') },
        archive: { dir: archives, format: 'tar.zst' },
      },
      'archive',
    );
    const before = await snapshots(stack.repository, stack.passwordFile);
    const result = await runCli(['run', '-c', path, '--json']);
    assert.equal(result.exitCode, 1);
    const error = finished(result).error;
    assert.equal(error?.code, 'archive-failed');
    assert.match(error?.message ?? '', /ENOSPC/);
    assert.doesNotMatch(error?.message ?? '', /EPIPE/);
    assert.deepEqual(await readdir(archives), []);
    assert.deepEqual(await snapshots(stack.repository, stack.passwordFile), before);
  });

  test('a state file that cannot be written leaves no 0-byte temporary file', async () => {
    const dir = await mount(1 * MiB);
    await fillDisk(dir);
    const stateFile = join(dir, 'backup-yaml.state.json');
    await assert.rejects(
      updateState(stateFile, { name: 'shop', spec: '/x' }, () => undefined),
      /ENOSPC/,
    );
    assert.deepEqual(
      (await readdir(dir)).filter((name) => name.endsWith('.tmp')),
      [],
    );
  });
});
