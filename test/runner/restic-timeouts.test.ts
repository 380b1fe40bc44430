import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { ErrorRecord } from '../../runner/src/protocol';
import type { BlackHole } from '../support/black-hole';
import { startBlackHole } from '../support/black-hole';
import { makeStack } from '../support/demo-stack';
import type { Workdir } from '../support/runner-cli';
import { finished, makeWorkdir, runCli, stepStatus } from '../support/runner-cli';

/**
 * Issue 10, item 5: a repository host that accepts the connection and never answers (a hung
 * NAS) fails the run at the preflight, within timeouts.connect, naming the target and what
 * timed out; the lock is released and restic (with its ssh) is gone. The bound is 3 s here;
 * the test's own watchdog is 120 s, so a runner without the bound fails instead of hanging.
 */
describe('a repository that never answers: a bounded, named failure', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  let hole: BlackHole;

  before(async () => {
    [work, hole] = await Promise.all([makeWorkdir('backup-yaml-timeouts-'), startBlackHole()]);
    stack = await makeStack(work);
  });
  after(async () => {
    await hole.close();
    await work.cleanup();
  });

  const spec = (target: Record<string, unknown>, name: string) =>
    work.writeSpec(
      {
        version: 1,
        name: 'hung',
        sources: { config: { type: 'files', paths: [stack.app] } },
        staging: { dir: stack.staging },
        hooks: { before: [['sh', '-c', `touch ${work.path(`${name}.stopped`)}`]] },
        targets: {
          nas: { password_file: stack.passwordFile, timeouts: { connect: '3s' }, ...target },
        },
      },
      `${name}.yaml`,
    );
  const targets: [string, () => Record<string, unknown>][] = [
    [
      'sftp',
      () => ({
        repository: `sftp:backup@127.0.0.1:/srv/restic`,
        options: {
          'sftp.command': `ssh -p ${hole.port} -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null backup@127.0.0.1 -s sftp`,
        },
      }),
    ],
    ['rest', () => ({ repository: `rest:http://127.0.0.1:${hole.port}/hung/` })],
  ];

  for (const [kind, target] of targets) {
    test(`${kind}: run fails in the preflight with restic-timeout, before any hook`, async () => {
      const path = await spec(target(), kind);
      const accepted = hole.accepted();
      const result = await watchdog(runCli(['run', '-c', path, '--json']));
      assert.equal(result.exitCode, 1, result.stdout.slice(-2000));
      assert.ok(hole.accepted() > accepted, 'restic did reach the black hole');
      const error = finished(result).error;
      assert.equal(error?.code, 'restic-timeout');
      assert.equal(error?.subject, 'nas');
      assert.match(
        error?.message ?? '',
        /restic cat config did not reach the repository of target "nas" within 3 s \(timeouts\.connect\)/,
      );
      assert.equal(stepStatus(result, 'preflight:nas'), 'failed');
      assert.equal(stepStatus(result, 'hook:before[0]'), 'skipped');
      await assert.rejects(
        readFile(work.path(`${kind}.stopped`)),
        'the application was not stopped',
      );
      await assert.rejects(readFile(`${stack.staging}/backup-yaml.lock`), 'the lock is released');
      for (let i = 0; i < 100 && hole.open() > 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(hole.open(), 0, `restic${kind === 'sftp' ? ' and its ssh' : ''} were stopped`);
    });

    test(`${kind}: snapshots fails with restic-timeout too`, async () => {
      const path = await spec(target(), `${kind}-snapshots`);
      const result = await watchdog(runCli(['snapshots', '-c', path, '--json']));
      assert.equal(result.exitCode, 1);
      const record = result.records[0] as ErrorRecord;
      assert.equal(record.error.code, 'restic-timeout');
      assert.match(record.error.message, /target "nas" within 3 s/);
    });
  }
});

async function watchdog<T>(running: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('still hanging after 120 s')), 120_000);
  });
  try {
    return await Promise.race([running, bound]);
  } finally {
    clearTimeout(timer);
  }
}
