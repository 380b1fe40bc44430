import * as assert from 'node:assert/strict';
import { access, rm, writeFile } from 'node:fs/promises';
import { after, afterEach, before, describe, test } from 'node:test';
import { missedRun } from '../../runner/src/schedule/daemon-schedule';
import { filesSpec, makeStack, stagedRuns } from '../support/demo-stack';
import type { Workdir } from '../support/runner-cli';
import { makeWorkdir, runCli, snapshots } from '../support/runner-cli';
import { readDaemonStatus, startDaemon, stopDaemons, waitForFile, waitForStatus } from './helpers';

describe('backup-runner daemon (outside Docker)', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  let slowSpec: string;
  let hold: string;
  let holding: string;
  const statusFile = () => `${stack.staging}/backup-yaml.daemon.json`;

  before(async () => {
    work = await makeWorkdir('backup-yaml-daemon-');
    stack = await makeStack(work);
    // A before hook makes each run outlast the one-second schedule, so times come mid-run; while
    // the hold file exists it does not return, and it says so in the holding file, so a test can
    // signal a run it knows is in progress. (A run's start time cannot tell that: on a loaded
    // machine the status may be read only after a run has started and passed the hold check.)
    hold = work.path('hold');
    holding = work.path('holding');
    const slowHook = [
      'sh',
      '-c',
      `sleep 1.5; while [ -e ${hold} ]; do : > ${holding}; sleep 0.1; done`,
    ];
    slowSpec = await work.writeSpec(
      filesSpec(stack, { hooks: { before: [slowHook] }, schedule: '0 3 * * *' }),
    );
    assert.equal((await runCli(['init', '-c', slowSpec])).exitCode, 0);
  });
  // A failed assertion must not leave a daemon running into the next test or the cleanup.
  afterEach(async () => {
    await stopDaemons();
    await rm(hold, { force: true });
    await rm(holding, { force: true });
  });
  after(() => work.cleanup());

  test('runs on a seconds schedule one at a time, counts skipped times, and SIGTERM cancels cleanly', async () => {
    const daemon = startDaemon(['-c', slowSpec, '--schedule', '* * * * * *']);
    const two = await waitForStatus(statusFile(), (s) => s.recentRuns.length >= 2, 'two runs');
    const [second, first] = two.recentRuns.slice(-2);
    assert.ok(first && second);
    assert.deepEqual([first.status, second.status], ['ok', 'ok']);
    assert.ok(second.startedAt >= first.finishedAt, 'runs never overlap');
    assert.ok(two.skipped > 0, 'times that came during a run were skipped, not queued');

    await writeFile(hold, '');
    await waitForFile(holding, 'a run held by its before hook');
    daemon.child.kill('SIGTERM');
    const result = await daemon.child;
    assert.equal(result.exitCode, 0, String(result.stderr));
    const stopped = await readDaemonStatus(statusFile());
    assert.equal(stopped?.state, 'stopped');
    assert.equal(stopped?.recentRuns[0]?.status, 'cancelled');
    assert.equal(stopped?.currentRun, undefined);
    assert.deepEqual(await stagedRuns(stack.staging), ['backup-yaml.daemon.json', 'current']); // no lock, no partial run
    assert.equal(
      (await snapshots(stack.repository, stack.passwordFile)).length,
      stopped?.recentRuns.filter((r) => r.status === 'ok').length,
    );
    assert.match(daemon.lines.join('\n'), /received SIGTERM: cancelling it/);
  });

  test('--grace lets the current run finish after SIGTERM', async () => {
    await writeFile(hold, '');
    const daemon = startDaemon(['-c', slowSpec, '--schedule', '* * * * * *', '--grace', '60s']);
    await waitForFile(holding, 'a run held by its before hook');
    daemon.child.kill('SIGTERM');
    await daemon.line(/received SIGTERM: letting the run finish/);
    await rm(hold);
    const result = await daemon.child;
    assert.equal(result.exitCode, 0, String(result.stderr));
    const stopped = await readDaemonStatus(statusFile());
    assert.deepEqual(
      stopped?.recentRuns.map((r) => r.status),
      ['ok'],
      'the run finished and no other started',
    );
    await assert.rejects(access(`${stack.staging}/backup-yaml.lock`));
  });

  test('--catch-up runs at start when no run was recorded, and not when none was missed', async () => {
    const fresh = await makeWorkdir('backup-yaml-daemon-fresh-');
    try {
      const freshStack = await makeStack(fresh);
      const spec = await fresh.writeSpec(filesSpec(freshStack, { schedule: '0 3 * * *' }));
      assert.equal((await runCli(['init', '-c', spec])).exitCode, 0);
      const status = `${freshStack.staging}/backup-yaml.daemon.json`;

      const first = startDaemon(['-c', spec, '--catch-up', '--json']);
      const done = await waitForStatus(status, (s) => s.recentRuns.length === 1, 'a catch-up run');
      assert.equal(done.recentRuns[0]?.reason, 'catch-up');
      assert.equal(done.recentRuns[0]?.status, 'ok');
      first.child.kill('SIGTERM');
      assert.equal((await first.child).exitCode, 0);

      // The decision is made right after the "started" record, before any signal is handled.
      const second = startDaemon(['-c', spec, '--catch-up', '--json']);
      await second.line(/"event":"started"/);
      second.child.kill('SIGTERM');
      assert.equal((await second.child).exitCode, 0);
      assert.ok(!second.lines.some((l) => l.includes('"run-starting"')), second.lines.join('\n'));
      assert.equal((await snapshots(freshStack.repository, freshStack.passwordFile)).length, 1);
    } finally {
      await fresh.cleanup();
    }
  });

  test('missedRun: the latest scheduled time after the last run, if any', () => {
    const now = new Date('2026-06-10T12:00:00Z');
    const daily = '0 3 * * *';
    const latest = missedRun(daily, undefined, now);
    assert.equal(latest?.getHours(), 3);
    assert.ok(latest && latest <= now && now.getTime() - latest.getTime() < 86_400_000);
    assert.equal(missedRun(daily, new Date(now.getTime() - 60_000), now), undefined);
    assert.deepEqual(missedRun(daily, new Date(now.getTime() - 3 * 86_400_000), now), latest);
  });

  test('--json: every line is a JSON record, the daemon’s and the run’s', async () => {
    const daemon = startDaemon(['-c', slowSpec, '--schedule', '* * * * * *', '--json']);
    await daemon.line(/"type":"run-finished"/);
    daemon.child.kill('SIGTERM');
    await daemon.child;
    const records = daemon.lines
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string });
    const types = new Set(records.map((r) => r.type));
    for (const type of ['daemon', 'run-started', 'step-finished', 'run-finished'])
      assert.ok(types.has(type), `${type} in ${[...types].join(', ')}`);
  });

  test('no schedule, or a bad --schedule or --grace: exit 2 with a coded error', async () => {
    const unscheduled = await work.writeSpec(filesSpec(stack), 'unscheduled.yaml');
    const none = await runCli(['daemon', '-c', unscheduled, '--json']);
    assert.equal(none.exitCode, 2);
    assert.match(none.stdout, /"code":"daemon-no-schedule"/);
    const bad = await runCli(['daemon', '-c', slowSpec, '--schedule', '61 * * * *']);
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /schedule "61 \* \* \* \*"/);
    const seven = await runCli(['daemon', '-c', slowSpec, '--schedule', '* * * * * * *']);
    assert.equal(seven.exitCode, 2);
    const grace = await runCli(['daemon', '-c', slowSpec, '--grace', 'soon']);
    assert.equal(grace.exitCode, 2);
  });

  test('status --strict (the HEALTHCHECK) fails after a failed run that plain status accepts', async () => {
    assert.equal((await runCli(['run', '-c', slowSpec])).exitCode, 0);
    const wrongPassword = work.path('wrong.pw');
    await writeFile(wrongPassword, 'not the password\n', { mode: 0o600 });
    const failing = await work.writeSpec(
      filesSpec({ ...stack, passwordFile: wrongPassword }, { schedule: '0 3 * * *' }),
      'failing.yaml',
    );
    assert.equal((await runCli(['run', '-c', failing])).exitCode, 1);
    assert.equal((await runCli(['status', '-c', slowSpec])).exitCode, 0);
    const strict = await runCli(['status', '-c', slowSpec, '--strict']);
    assert.equal(strict.exitCode, 1, strict.stdout);
    assert.equal((await runCli(['run', '-c', slowSpec])).exitCode, 0);
    assert.equal((await runCli(['status', '-c', slowSpec, '--strict'])).exitCode, 0);
  });
});
