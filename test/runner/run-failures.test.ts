import * as assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { filesSpec, makeStack, stagedRuns } from '../support/demo-stack';
import type { Workdir } from '../support/runner-cli';
import {
  finished,
  makeWorkdir,
  runCli,
  snapshots,
  startCli,
  stepStatus,
} from '../support/runner-cli';

describe('a failing run loses nothing', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  let goodSpec: string;

  before(async () => {
    work = await makeWorkdir();
    stack = await makeStack(work);
    goodSpec = await work.writeSpec(filesSpec(stack, { retention: { keep_last: 1 } }));
    assert.equal((await runCli(['init', '-c', goodSpec])).exitCode, 0);
    assert.equal((await runCli(['run', '-c', goodSpec])).exitCode, 0);
  });
  after(() => work.cleanup());

  test('a source that fails: exit 1, no snapshot, no retention, current/ and old snapshots intact', async () => {
    const currentBefore = await readFile(`${stack.staging}/current/manifest.json`, 'utf8');
    const snapshotsBefore = await snapshots(stack.repository, stack.passwordFile);
    const spec = await work.writeSpec(
      filesSpec(stack, {
        sources: { config: { type: 'files', paths: [stack.app, work.path('gone.toml')] } },
        retention: { keep_last: 1 },
        hooks: {
          on_failure: [
            ['sh', '-c', `echo "$BACKUP_STATUS $BACKUP_ERROR" > ${work.path('failure.log')}`],
          ],
        },
      }),
      'failing.yaml',
    );
    const result = await runCli(['run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 1);
    assert.equal(finished(result).error?.code, 'files-missing');
    assert.equal(stepStatus(result, 'backup:local'), 'skipped');
    assert.equal(stepStatus(result, 'retention:local'), 'skipped');
    assert.deepEqual(await snapshots(stack.repository, stack.passwordFile), snapshotsBefore);
    assert.equal(await readFile(`${stack.staging}/current/manifest.json`, 'utf8'), currentBefore);
    assert.deepEqual(
      await stagedRuns(stack.staging),
      ['current'],
      'the partial run is removed, the lock released',
    );
    assert.equal(await readFile(work.path('failure.log'), 'utf8'), 'failed files-missing\n');
  });

  test('a failing before hook stops the run and on_failure hooks still run', async () => {
    const spec = await work.writeSpec(
      filesSpec(stack, {
        hooks: {
          before: [['sh', '-c', 'echo stopping the app; exit 3']],
          on_failure: [['sh', '-c', `echo restarted > ${work.path('restart.log')}`]],
        },
      }),
      'hook-fails.yaml',
    );
    const result = await runCli(['run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 1);
    assert.equal(finished(result).error?.code, 'hook-failed');
    assert.match(finished(result).error?.message ?? '', /hooks\.before\[0\] \(sh\) exited with 3/);
    assert.equal(stepStatus(result, 'dump:config'), 'skipped');
    assert.equal(stepStatus(result, 'hook:on_failure[0]'), 'ok');
    assert.equal(await readFile(work.path('restart.log'), 'utf8'), 'restarted\n');
    assert.ok(
      result.records.some((r) => r.type === 'log' && r.message === 'stopping the app'),
      'hook output reaches the log',
    );
  });

  test('a hook that outlives its timeout is killed and fails the run', async () => {
    const spec = await work.writeSpec(
      filesSpec(stack, { hooks: { before: [{ command: ['sleep', '30'], timeout: '1s' }] } }),
      'hook-timeout.yaml',
    );
    const result = await runCli(['run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 1);
    assert.equal(finished(result).error?.code, 'hook-timeout');
  });

  test('a wrong repository password fails at the preflight with a clear message', async () => {
    const wrong = work.path('wrong.pw');
    await writeFile(wrong, 'not the password\n');
    const spec = await work.writeSpec(
      filesSpec({ ...stack, passwordFile: wrong }),
      'wrong-password.yaml',
    );
    const result = await runCli(['run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 1);
    assert.equal(finished(result).error?.code, 'restic-wrong-password');
    // The error's detail is what restic itself said.
    assert.match(finished(result).error?.detail ?? '', /wrong password/);
  });

  test('an unreadable password file fails before anything runs', async () => {
    const spec = await work.writeSpec(
      filesSpec({ ...stack, passwordFile: work.path('missing.pw') }, {}),
      'missing-password.yaml',
    );
    const result = await runCli(['run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 1);
    assert.equal(finished(result).error?.code, 'secret-unavailable');
    assert.match(finished(result).error?.message ?? '', /missing\.pw: ENOENT/);
    assert.equal(stepStatus(result, 'lock'), 'ok');
    assert.equal(stepStatus(result, 'preflight:local'), 'failed', 'the preflight reads secrets');
    assert.equal(stepStatus(result, 'dump:config'), 'skipped');
  });

  test('a second run while one holds the lock exits 75 and leaves the first alone', async () => {
    const slow = await work.writeSpec(
      filesSpec(stack, { hooks: { before: [['sleep', '4']] } }),
      'slow.yaml',
    );
    const first = startCli(['run', '-c', slow, '--json']);
    await waitForFile(`${stack.staging}/backup-yaml.lock`);
    const second = await runCli(['run', '-c', goodSpec, '--json']);
    assert.equal(second.exitCode, 75);
    assert.equal(finished(second).error?.code, 'locked');
    assert.match(
      finished(second).error?.message ?? '',
      new RegExp(`PID ${first.pid} on ${hostname()}`),
    );
    assert.equal((await first).exitCode, 0);
  });

  test('a stale lock (its run died) is taken over', async () => {
    await writeFile(
      `${stack.staging}/backup-yaml.lock`,
      JSON.stringify({ pid: 999_999, host: hostname(), runId: 'dead', startedAt: 'long ago' }),
    );
    const result = await runCli(['run', '-c', goodSpec, '--json']);
    assert.equal(result.exitCode, 0);
    assert.ok(
      result.records.some(
        (r) =>
          r.type === 'log' &&
          r.level === 'warn' &&
          /run dead \(PID 999999\) died without releasing the lock/.test(r.message),
      ),
    );
    await assert.rejects(readFile(`${stack.staging}/backup-yaml.lock`));
  });

  test('SIGTERM mid-run: exit 130, partial run removed, lock released, on_failure ran', async () => {
    const spec = await work.writeSpec(
      filesSpec(stack, {
        hooks: {
          before: [['sleep', '30']],
          on_failure: [['sh', '-c', `echo "$BACKUP_STATUS" > ${work.path('cancel.log')}`]],
        },
      }),
      'cancel.yaml',
    );
    const run = startCli(['run', '-c', spec, '--json']);
    await waitForFile(`${stack.staging}/backup-yaml.lock`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    run.kill('SIGTERM');
    const result = await run;
    assert.equal(result.exitCode, 130);
    assert.match(
      String(result.stdout),
      /"type":"run-finished","runId":"[^"]+","status":"cancelled","exitCode":130/,
    );
    assert.deepEqual(await stagedRuns(stack.staging), ['current']);
    assert.equal(await readFile(work.path('cancel.log'), 'utf8'), 'cancelled\n');
  });

  test('SIGKILL of the runner mid-run, then the next run succeeds', async () => {
    await writeFile(`${stack.app}/big.bin`, Buffer.alloc(64 * 1024 * 1024, 7));
    try {
      const run = startCli(['run', '-c', goodSpec, '--json']);
      // Kill it once restic is writing the snapshot, the worst moment for the repository lock.
      await waitForOutput(run, '"step":"backup:local"');
      run.kill('SIGKILL');
      await run;
      const next = await runCli(['run', '-c', goodSpec, '--json']);
      assert.equal(next.exitCode, 0, next.stdout.slice(-2000));
      const takeover = next.records.find(
        (r) => r.type === 'log' && /died without releasing the lock/.test(r.message),
      );
      assert.ok(takeover, 'the killed run left its lock, and this run took it over');
      assert.deepEqual(await stagedRuns(stack.staging), ['current']);
    } finally {
      await rm(`${stack.app}/big.bin`, { force: true });
    }
  });
});

async function waitForFile(path: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      await readFile(path);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`${path} never appeared`);
}

function waitForOutput(child: ReturnType<typeof startCli>, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) resolve();
    });
    void child.then(() =>
      reject(new Error(`the run ended before "${text}" appeared:\n${seen.slice(-1500)}`)),
    );
  });
}
