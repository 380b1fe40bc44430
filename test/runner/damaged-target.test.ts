import * as assert from 'node:assert/strict';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import type { StatusRecord } from '../../runner/src/protocol';
import { filesSpec, makeStack } from '../support/demo-stack';
import type { Workdir } from '../support/runner-cli';
import { finished, makeWorkdir, runCli, snapshots, stepStatus } from '../support/runner-cli';

/**
 * Issue 10, item 3: once a check (or a restore drill) of a target failed, runs there apply no
 * retention, say the target is damaged (exit 4) and status is unhealthy, until a check passes.
 */
describe('a target known to be damaged gets no retention until a check passes', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  let spec: string;
  let hidden: { from: string; to: string } | undefined;

  /** A pack holding file contents (not trees: a backup reads those, and restic would retry). */
  async function dataPack(): Promise<string> {
    const env = { RESTIC_REPOSITORY: stack.repository, RESTIC_PASSWORD_FILE: stack.passwordFile };
    const indexes = String((await execa('restic', ['list', 'index'], { env })).stdout).split('\n');
    for (const id of indexes.filter(Boolean)) {
      const index = JSON.parse(
        String((await execa('restic', ['cat', 'index', id, '--no-lock'], { env })).stdout),
      ) as { packs: { id: string; blobs: { type: string }[] }[] };
      const pack = index.packs.find((p) => p.blobs.every((b) => b.type === 'data'));
      if (pack) return join(stack.repository, 'data', pack.id.slice(0, 2), pack.id);
    }
    throw new Error('no data pack');
  }

  /** Takes a data pack out of the repository (put back by the test that repairs it). */
  async function hidePack(): Promise<void> {
    const from = await dataPack();
    hidden = { from, to: work.path('pack-aside') };
    await rename(from, hidden.to);
  }

  /** Flips bytes in a data pack, keeping its size: restoring it fails, a plain check does not. */
  async function corruptPack(): Promise<() => Promise<void>> {
    const path = await dataPack();
    const original = await readFile(path);
    const broken = Buffer.from(original);
    for (let i = 0; i < Math.min(64, broken.length); i++) broken[i] = (broken[i] ?? 0) ^ 0xff;
    await writeFile(path, broken);
    return () => writeFile(path, original);
  }

  before(async () => {
    work = await makeWorkdir('backup-yaml-damaged-');
    stack = await makeStack(work);
    // No check: section at all: a damaged target is checked on every run anyway.
    spec = await work.writeSpec(filesSpec(stack, { retention: { keep_last: 1 } }));
    assert.equal((await runCli(['init', '-c', spec])).exitCode, 0);
    assert.equal((await runCli(['run', '-c', spec])).exitCode, 0);
  });
  after(() => work.cleanup());

  test('a failed check is recorded; the next run keeps every snapshot and exits 4', async () => {
    await hidePack();
    const check = await runCli(['check', '-c', spec, '--json']);
    assert.equal(check.exitCode, 1);
    const before = await snapshots(stack.repository, stack.passwordFile);

    const run = await runCli(['run', '-c', spec, '--json']);
    assert.equal(run.exitCode, 4, run.stdout.slice(-2000));
    const done = finished(run);
    assert.equal(done.snapshots.length, 1, 'the run still made its snapshot');
    assert.equal(stepStatus(run, 'retention:local'), 'skipped');
    const started = run.records.find((r) => r.type === 'run-started');
    const retention =
      started?.type === 'run-started'
        ? started.steps.find((s) => s.id === 'retention:local')
        : undefined;
    assert.match(retention?.skip ?? '', /target "local" is damaged, its last check failed/);
    assert.equal(stepStatus(run, 'check:local'), 'failed', 'it is checked again');
    const after = await snapshots(stack.repository, stack.passwordFile);
    assert.equal(after.length, before.length + 1, 'nothing was forgotten');

    const status = await runCli(['status', '-c', spec, '--json']);
    assert.equal(status.exitCode, 1);
    const record = status.records[0] as StatusRecord;
    assert.equal(record.health, 'unhealthy');
    assert.deepEqual(
      record.problems?.map((p) => [p.code, p.subject]),
      [['target-damaged', 'local']],
    );
  });

  test('repaired: the run checks it, the check passes, retention runs again', async () => {
    assert.ok(hidden, 'the previous test hid a pack');
    await rename(hidden.to, hidden.from);
    const run = await runCli(['run', '-c', spec, '--json']);
    assert.equal(run.exitCode, 0, run.stdout.slice(-2000));
    assert.equal(stepStatus(run, 'check:local'), 'ok');
    // The plan was made while the target was still damaged; the next run applies retention.
    const next = await runCli(['run', '-c', spec, '--json']);
    assert.equal(next.exitCode, 0);
    assert.equal(stepStatus(next, 'retention:local'), 'ok');
    assert.equal(stepStatus(next, 'check:local'), undefined, 'and checks are off again');
    assert.equal((await snapshots(stack.repository, stack.passwordFile)).length, 1);
    const status = await runCli(['status', '-c', spec, '--json']);
    assert.equal((status.records[0] as StatusRecord).health, 'ok');
  });

  test('a failed restore drill counts too, until a check that reads all data passes', async () => {
    const repair = await corruptPack();
    const verify = await runCli(['verify', '-c', spec, '--json']);
    assert.equal(verify.exitCode, 1, verify.stdout);
    const run = await runCli(['run', '-c', spec, '--json']);
    assert.equal(run.exitCode, 4, run.stdout.slice(-2000));
    assert.equal(stepStatus(run, 'retention:local'), 'skipped');
    const started = run.records.find((r) => r.type === 'run-started');
    const check =
      started?.type === 'run-started'
        ? started.steps.find((s) => s.id === 'check:local')
        : undefined;
    assert.ok(check?.commands[0]?.includes('--read-data'), 'the run reads all the data');
    assert.equal(stepStatus(run, 'check:local'), 'failed', 'and finds the damage');
    await repair();
    assert.equal((await runCli(['check', '-c', spec, '--read-data'])).exitCode, 0);
    const status = await runCli(['status', '-c', spec, '--json']);
    assert.equal((status.records[0] as StatusRecord).health, 'ok', 'a passing check clears it');
  });
});
