import * as assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import type { RunnerRecord } from '../../runner/src/protocol';
import { decodeRecord, encodeServe } from '../../runner/src/protocol';
import { filesSpec, makeStack, stagedRuns } from '../support/demo-stack';
import { runnerBin } from '../support/paths';
import { startServe } from '../support/serve-session';
import type { Workdir } from '../support/runner-cli';
import { makeWorkdir, restic, runCli } from '../support/runner-cli';

/** Starts backup-runner with a stdin pipe the test closes, as an SSH client without a pty would. */
function startWithStdin(args: string[]) {
  return execa('node', [runnerBin, ...args], { reject: false, stdin: 'pipe' });
}

/** Resolves with the records seen once one satisfies `accept`. */
function waitForRecord(
  child: ReturnType<typeof startWithStdin>,
  accept: (record: RunnerRecord) => boolean,
): Promise<RunnerRecord[]> {
  return new Promise((resolve, reject) => {
    const seen: RunnerRecord[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      const record = decodeRecord(line);
      if (!record) return;
      seen.push(record);
      if (accept(record)) resolve(seen);
    });
    void child.then((result) =>
      reject(new Error(`the runner ended first (${result.exitCode}): ${String(result.stderr)}`)),
    );
  });
}

describe('--cancel-on-eof: the end of stdin cancels cleanly (no signal crosses SSH)', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  let spec: string;

  before(async () => {
    work = await makeWorkdir();
    stack = await makeStack(work);
    spec = await work.writeSpec(filesSpec(stack));
    assert.equal((await runCli(['init', '-c', spec])).exitCode, 0);
  });
  after(() => work.cleanup());

  test('stdin closed while a hook runs: exit 130, run cancelled, partial run removed, lock released', async () => {
    const hooked = await work.writeSpec(
      filesSpec(stack, { hooks: { before: [['sleep', '30']] } }),
      'hooked.yaml',
    );
    const run = startWithStdin(['run', '-c', hooked, '--json', '--cancel-on-eof']);
    await waitForRecord(run, (r) => r.type === 'step-started' && r.step.startsWith('hook:'));
    run.stdin.write('input before the end is ignored\n');
    run.stdin.end();
    const result = await run;
    assert.equal(result.exitCode, 130);
    const finished = String(result.stdout)
      .split('\n')
      .map(decodeRecord)
      .find((r) => r?.type === 'run-finished');
    assert.equal(finished?.type === 'run-finished' && finished.status, 'cancelled');
    assert.deepEqual(await stagedRuns(stack.staging), [], 'no partial run, no lock');
  });

  test('stdin closed while restic writes the snapshot: no restic lock left, the next run succeeds', async () => {
    await writeFile(`${stack.app}/big.bin`, Buffer.alloc(96 * 1024 * 1024, 3));
    try {
      const run = startWithStdin(['run', '-c', spec, '--json', '--cancel-on-eof']);
      await waitForRecord(run, (r) => r.type === 'step-started' && r.step === 'backup:local');
      run.stdin.end();
      const result = await run;
      assert.equal(result.exitCode, 130, String(result.stdout).slice(-1500));
      const locks = await restic(stack.repository, stack.passwordFile, [
        'list',
        'locks',
        '--no-lock',
      ]);
      assert.equal(locks.trim(), '', 'restic removed its own lock');
      await assert.rejects(
        readFile(`${stack.staging}/backup-yaml.lock`),
        'the runner lock is gone',
      );
      const next = await runCli(['run', '-c', spec, '--json']);
      assert.equal(next.exitCode, 0, next.stdout.slice(-1500));
      assert.ok(
        !next.records.some((r) => r.type === 'log' && /died without releasing/.test(r.message)),
        'nothing was left to take over',
      );
    } finally {
      await rm(`${stack.app}/big.bin`, { force: true });
    }
  });

  test('without --cancel-on-eof a closed stdin changes nothing (cron, systemd)', async () => {
    // --accept-shrink: the test before removed its 96 MB file on purpose (otherwise this run is
    // a shrunken source, exit 3, issue 10 item 2).
    const result = await execa(
      'node',
      [runnerBin, 'run', '-c', spec, '--json', '--accept-shrink'],
      {
        reject: false,
        input: '',
      },
    );
    assert.equal(result.exitCode, 0, String(result.stdout).slice(-1500));
  });
});

describe('serve --stdio: many commands over one connection', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  let hooked: string;

  before(async () => {
    work = await makeWorkdir();
    stack = await makeStack(work);
    const spec = await work.writeSpec(filesSpec(stack));
    assert.equal((await runCli(['init', '-c', spec])).exitCode, 0);
    hooked = await work.writeSpec(
      filesSpec(stack, { hooks: { before: [['sleep', '30']] } }),
      'hooked.yaml',
    );
  });
  after(() => work.cleanup());

  /** Starts a run (request `id`) whose before hook sleeps, and waits until the hook runs. */
  async function runHookedSpec(id: number) {
    const serve = startServe();
    serve.child.stdin.write(
      `${encodeServe({ type: 'request', id, argv: ['run', '-c', hooked, '--json'] })}\n`,
    );
    await serve.until(
      (m) =>
        m.type === 'serve-record' &&
        m.record.type === 'step-started' &&
        m.record.step.startsWith('hook:'),
    );
    return serve;
  }

  test('answers each request by id, with the ready record first', async () => {
    const serve = startServe();
    serve.child.stdin.write(
      `${encodeServe({ type: 'request', id: 7, argv: ['version', '--json'] })}\n`,
    );
    await serve.until((m) => m.type === 'serve-exit' && m.id === 7);
    serve.child.stdin.end();
    assert.equal((await serve.child).exitCode, 0);
    assert.equal(serve.messages[0]?.type, 'serve-ready');
    const record = serve.messages.find((m) => m.type === 'serve-record' && m.id === 7);
    assert.equal(record?.type === 'serve-record' && record.record.type, 'version');
    const exit = serve.messages.find((m) => m.type === 'serve-exit');
    assert.equal(exit?.type === 'serve-exit' && exit.exitCode, 0);
  });

  test('a cancel request stops that run cleanly (exit 130, no lock, no partial run)', async () => {
    const serve = await runHookedSpec(1);
    serve.child.stdin.write(`${encodeServe({ type: 'cancel', id: 1 })}\n`);
    await serve.until((m) => m.type === 'serve-exit' && m.id === 1);
    const exit = serve.messages.find((m) => m.type === 'serve-exit');
    assert.equal(exit?.type === 'serve-exit' && exit.exitCode, 130);
    assert.deepEqual(await stagedRuns(stack.staging), []);
    serve.child.stdin.end();
    assert.equal((await serve.child).exitCode, 0);
  });

  test('the connection closing mid-run cancels the run and serve waits for its cleanup', async () => {
    const serve = await runHookedSpec(2);
    serve.child.stdin.end();
    assert.equal((await serve.child).exitCode, 0);
    const finished = serve.messages.find(
      (m) => m.type === 'serve-record' && m.record.type === 'run-finished',
    );
    assert.equal(
      finished?.type === 'serve-record' &&
        finished.record.type === 'run-finished' &&
        finished.record.status,
      'cancelled',
    );
    assert.deepEqual(await stagedRuns(stack.staging), []);
  });
});
