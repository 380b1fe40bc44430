import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { filesSpec, makeStack } from '../support/demo-stack';
import {
  describeLocks,
  holdLock,
  leaveStaleLock,
  lockFiles,
  removeStaleLocks,
} from '../support/restic-locks';
import type { Workdir } from '../support/runner-cli';
import { finished, makeWorkdir, runCli, snapshots, startCli } from '../support/runner-cli';

/**
 * Issue 10, item 1: a lock left by a restic killed with -9 must not stop later commands, and a
 * lock held by a live restic is waited for within lock_wait, then reported with its holder.
 */
describe('repository locks: stale ones are removed by every command, live ones waited for', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  let spec: string;

  before(async () => {
    work = await makeWorkdir('backup-yaml-locks-');
    stack = await makeStack(work);
    spec = await work.writeSpec(
      filesSpec(stack, { lock_wait: '2s', retention: { keep_last: 3 }, check: { every: '1s' } }),
    );
    assert.equal((await runCli(['init', '-c', spec])).exitCode, 0);
    const first = await runCli(['run', '-c', spec, '--json']);
    assert.equal(first.exitCode, 0, first.stdout);
  });
  after(() => work.cleanup());

  const commands: [string, () => string[]][] = [
    ['run', () => ['run', '-c', spec, '--json']],
    ['snapshots', () => ['snapshots', '-c', spec, '--json']],
    // 'latest' asks the repository (a snapshot id is served from the listing cache).
    ['ls', () => ['ls', '-c', spec, '--json', 'latest']],
    [
      'restore',
      () => ['restore', '-c', spec, '--json', '--to', work.path(`restored-${Date.now()}`)],
    ],
    ['verify', () => ['verify', '-c', spec, '--json']],
    ['check', () => ['check', '-c', spec, '--json']],
    ['init', () => ['init', '-c', spec, '--json']],
  ];

  for (const kind of ['exclusive', 'shared'] as const) {
    for (const [name, args] of commands) {
      test(`${name} goes on after a restic holding a ${kind} lock was killed with -9`, async () => {
        await leaveStaleLock(stack.repository, stack.passwordFile, kind);
        try {
          assert.equal((await lockFiles(stack.repository)).length, 1, 'the stale lock is there');
          const result = await runCli(args());
          assert.equal(result.exitCode, 0, result.stdout.slice(-2000) + result.stderr);
          // A stale exclusive lock stands in every command's way and is removed; a stale shared
          // one only in the way of exclusive work (retention, check), which removes it then.
          if (kind === 'exclusive' || name === 'run' || name === 'check')
            assert.deepEqual(
              await lockFiles(stack.repository),
              [],
              `and it is gone: ${await describeLocks(stack.repository, stack.passwordFile)}\n${result.stdout.slice(-3000)}`,
            );
        } finally {
          await removeStaleLocks(stack.repository, stack.passwordFile);
        }
      });
    }
  }

  test('a lock of a live restic is waited for (lock_wait), then reported with its holder', async () => {
    const before = await snapshots(stack.repository, stack.passwordFile);
    const holder = await holdLock(stack.repository, stack.passwordFile, 'exclusive');
    try {
      const result = await runCli(['run', '-c', spec, '--json']);
      assert.equal(result.exitCode, 1);
      const error = finished(result).error;
      assert.equal(error?.code, 'restic-locked');
      assert.equal(error?.subject, 'local');
      assert.match(
        error?.message ?? '',
        new RegExp(
          `an exclusive lock of restic PID ${holder.pid} on \\S+ \\(user \\w+\\) since 20\\d\\d-`,
        ),
      );
      assert.match(error?.message ?? '', /waited 2 s \(lock_wait\)/);
      assert.ok(
        result.records.some(
          (r) => r.type === 'log' && /waiting up to 2 s \(lock_wait\)/.test(r.message),
        ),
        'the run says what it waits for',
      );
    } finally {
      await holder.release();
    }
    assert.deepEqual(await snapshots(stack.repository, stack.passwordFile), before);
    assert.equal(
      (await runCli(['run', '-c', spec])).exitCode,
      0,
      'and once it is gone, a run goes on',
    );
  });

  test('a live lock that goes away while a command waits: the command goes on', async () => {
    const waiting = await work.writeSpec(filesSpec(stack, { lock_wait: '10m' }), 'patient.yaml');
    const holder = await holdLock(stack.repository, stack.passwordFile, 'shared');
    const check = startCli(['check', '-c', waiting]);
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      check.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/waiting up to 600 s/.test(stderr)) resolve();
      });
      void check.then(() => reject(new Error(`check ended without waiting: ${stderr}`)));
    });
    assert.match(stderr, new RegExp(`a shared lock of restic PID ${holder.pid}`));
    await holder.release();
    const result = await check;
    assert.equal(result.exitCode, 0, String(result.stderr));
  });
});
