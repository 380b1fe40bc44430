import * as assert from 'node:assert/strict';
import { link, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ResultPromise } from 'execa';
import { execa } from 'execa';
import type { RestoreRecord } from '../../runner/src/protocol';
import { runnerBin } from '../support/paths';
import { toResult } from '../support/runner-cli';
import type { OpsStack } from './support/ops-stack';
import { cli, makeOpsStack, record } from './support/ops-stack';

/**
 * Issue 10, item 7: `restore --in-place` must see a database held open through another path —
 * a hard link, a bind mount (what a Docker volume is) — by matching device and inode; and where
 * it cannot see other processes at all (its own PID namespace, as in a container) it refuses
 * unless told the application is stopped (--app-stopped).
 */
describe('restore --in-place knows the database by its inode, and knows what it cannot see', () => {
  let stack: OpsStack;
  let spec: string;
  const holders: ResultPromise[] = [];

  /** A process that has the file open for reading and takes no lock: an idle application. */
  const holdOpen = async (path: string) => {
    const child = execa('sh', ['-c', `exec sleep 600 < '${path}'`], { reject: false });
    holders.push(child);
    // It has the file open once /proc shows the descriptor.
    for (let i = 0; i < 200; i++) {
      const fd = await execa('readlink', [`/proc/${child.pid}/fd/0`], { reject: false });
      if (String(fd.stdout).endsWith(basename(path))) return { pid: child.pid, child };
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`the holder never opened ${path}`);
  };
  // (A holder is wrapped: an execa child is a promise, which an async function would await.)
  const release = async (holder: { child: ResultPromise }) => {
    holder.child.kill('SIGKILL');
    await holder.child;
  };
  const inPlace = (exitCode: number, extra: string[] = []) =>
    cli(['restore', '-c', spec, '--source', 'tracker-db', '--in-place', ...extra], exitCode).then(
      (result) => record(result, 'restore') as RestoreRecord,
    );

  before(async () => {
    stack = await makeOpsStack();
    spec = await stack.spec();
    await cli(['run', '-c', spec]);
  });
  after(async () => {
    for (const child of holders) child.kill('SIGKILL');
    await stack?.cleanup();
  });

  test('open through a hard link: refused', async () => {
    const other = stack.work.path('elsewhere.db');
    await link(stack.db, other);
    const holder = await holdOpen(other);
    try {
      const refused = await inPlace(1);
      assert.equal(refused.error?.code, 'database-in-use');
      assert.match(
        refused.error?.message ?? '',
        new RegExp(`sleep \\(PID ${holder.pid}\\) has open`),
      );
      assert.deepEqual(refused.keptAside, []);
    } finally {
      await release(holder);
    }
  });

  test('open through a bind mount of its directory: refused', async () => {
    const mountPoint = stack.work.path('volume');
    await mkdir(mountPoint);
    await execa('mount', ['--bind', join(stack.db, '..'), mountPoint]);
    try {
      const holder = await holdOpen(join(mountPoint, 'tracker.db'));
      try {
        const refused = await inPlace(1);
        assert.equal(refused.error?.code, 'database-in-use');
      } finally {
        await release(holder);
      }
    } finally {
      await execa('umount', [mountPoint]);
    }
  });

  test('in a PID namespace of its own: refused unless --app-stopped, then restored', async () => {
    const inContainer = (extra: string[]) =>
      execa(
        'unshare',
        [
          '--pid',
          '--fork',
          '--mount-proc',
          'node',
          runnerBin,
          'restore',
          '-c',
          spec,
          '--json',
          '--source',
          'tracker-db',
          '--in-place',
          ...extra,
        ],
        { reject: false },
      ).then((r) => toResult(r.exitCode ?? -1, String(r.stdout), String(r.stderr)));
    const refused = await inContainer([]);
    assert.equal(refused.exitCode, 1, refused.stdout + refused.stderr);
    const error = (refused.records[0] as RestoreRecord).error;
    assert.equal(error?.code, 'processes-not-visible');
    assert.match(error?.hint ?? '', /--app-stopped/);
    const restored = await inContainer(['--app-stopped']);
    assert.equal(restored.exitCode, 0, restored.stdout + restored.stderr);
    assert.equal((restored.records[0] as RestoreRecord).status, 'ok');
  });
});
