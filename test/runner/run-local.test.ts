import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Workdir } from '../support/runner-cli';
import {
  events,
  finished,
  makeWorkdir,
  restic,
  runCli,
  snapshots,
  stepStatus,
} from '../support/runner-cli';
import { filesSpec, makeStack, stagedRuns } from '../support/demo-stack';

describe('backup-runner run against a local restic repository', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  let spec: string;
  let firstRunAdded = 0;

  before(async () => {
    work = await makeWorkdir();
    stack = await makeStack(work);
    await writeFile(`${stack.app}/blob.bin`, randomBytes(2 * 1024 * 1024));
    spec = await work.writeSpec(
      filesSpec(stack, {
        archive: { dir: work.path('archives'), format: 'tar.zst' },
        retention: { keep_last: 2 },
        hooks: {
          after: [
            [
              'sh',
              '-c',
              `echo "$BACKUP_NAME $BACKUP_STATUS $BACKUP_RUN_ID" >> ${work.path('after.log')}`,
            ],
          ],
        },
      }),
    );
  });
  after(() => work.cleanup());

  test('a run before init fails at the preflight, before touching anything', async () => {
    const result = await runCli(['run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 1);
    assert.equal(finished(result).error?.code, 'restic-no-repository');
    assert.equal(stepStatus(result, 'preflight:local'), 'failed');
    assert.equal(stepStatus(result, 'dump:config'), 'skipped', 'no source was dumped');
  });

  test('init creates the repository once', async () => {
    const first = await runCli(['init', '-c', spec, '--json']);
    assert.equal(first.exitCode, 0);
    assert.deepEqual(first.records, [{ type: 'init', target: 'local', status: 'created' }]);
    const second = await runCli(['init', '-c', spec, '--json']);
    assert.deepEqual(second.records, [{ type: 'init', target: 'local', status: 'exists' }]);
  });

  test('a run stages, archives, backs up with stable tags and paths, and reports typed events', async () => {
    const result = await runCli(['run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    const all = events(result);
    assert.equal(all[0]?.type, 'run-started');
    const done = finished(result);
    assert.equal(done.status, 'ok');
    assert.equal(done.snapshots.length, 1);
    firstRunAdded = done.snapshots[0]?.dataAdded ?? 0;
    assert.ok(
      firstRunAdded > 2 * 1024 * 1024,
      `the first run stores the 2 MiB blob (${firstRunAdded})`,
    );
    for (const step of [
      'lock',
      'preflight:local',
      'dump:config',
      'manifest',
      'promote',
      'archive',
      'backup:local',
      'retention:local',
      'prune-local',
      'hook:after[0]',
      'unlock',
    ]) {
      assert.equal(stepStatus(result, step), 'ok', step);
    }
    const [snapshot] = await snapshots(stack.repository, stack.passwordFile);
    assert.ok(snapshot);
    assert.ok(
      done.snapshots[0]?.snapshotId && snapshot.id.startsWith(done.snapshots[0].snapshotId),
    );
    assert.deepEqual(snapshot.tags, ['backup-yaml:stack', 'source:config']);
    assert.equal(snapshot.hostname, 'test-host');
    assert.deepEqual(snapshot.paths, [
      `${stack.staging}/current/config`,
      `${stack.staging}/current/manifest.json`,
    ]);
    const listing = await restic(stack.repository, stack.passwordFile, ['ls', 'latest']);
    assert.match(listing, new RegExp(`${stack.staging}/current/config${stack.app}/\\.env`));
    assert.deepEqual(await stagedRuns(stack.staging), ['current']);
    assert.equal((await readdir(work.path('archives'))).length, 1);
    assert.match(await readFile(work.path('after.log'), 'utf8'), /^stack ok \d{8}T/);
  });

  test('the manifest in the snapshot lists every staged file with its sha256', async () => {
    const manifest = JSON.parse(
      await restic(stack.repository, stack.passwordFile, [
        'dump',
        'latest',
        `${stack.staging}/current/manifest.json`,
      ]),
    ) as {
      files: { path: string; sha256: string; size: number }[];
      sources: Record<string, unknown>;
    };
    const env = manifest.files.find((f) => f.path === `config${stack.app}/.env`);
    assert.ok(env);
    assert.equal(env.size, 'TRACKER_TOKEN=abc\n'.length);
    assert.equal(env.sha256, createHash('sha256').update('TRACKER_TOKEN=abc\n').digest('hex'));
    assert.equal(Object.keys(manifest.sources).join(), 'config');
  });

  test('an unchanged second run stores almost nothing new', async () => {
    const result = await runCli(['run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 0);
    const [summary] = finished(result).snapshots;
    assert.ok(summary);
    // Every run stages fresh copies (new inodes), so restic re-reads them; deduplication
    // stores only the new manifest.json.
    assert.equal(summary.filesNew, 0);
    assert.ok(
      summary.dataAdded < 64 * 1024,
      `added ${summary.dataAdded} bytes after ${firstRunAdded} the first time`,
    );
  });

  test('retention forgets old snapshots: after four runs keep_last 2 leaves two', async () => {
    for (let i = 0; i < 2; i++) {
      await writeFile(`${stack.app}/etc/tracker.toml`, `[core]\nrun = ${i}\n`);
      const result = await runCli(['run', '-c', spec, '--json']);
      assert.equal(result.exitCode, 0);
    }
    assert.equal((await snapshots(stack.repository, stack.passwordFile)).length, 2);
  });

  test('plan prints the exact commands and changes nothing', async () => {
    const before = (await snapshots(stack.repository, stack.passwordFile)).length;
    const result = await runCli(['plan', '-c', spec, '--json']);
    assert.equal(result.exitCode, 0);
    const plan = result.records[0];
    assert.ok(plan?.type === 'plan');
    const backup = plan.steps.find((s) => s.id === 'backup:local');
    assert.deepEqual(backup?.commands[0]?.slice(0, 4), [
      `RESTIC_REPOSITORY=${stack.repository}`,
      `RESTIC_PASSWORD_FILE=${stack.passwordFile}`,
      'restic',
      'backup',
    ]);
    const forget = plan.steps.find((s) => s.id === 'retention:local')?.commands[0] ?? [];
    assert.ok(
      forget.includes('--keep-last') && forget.includes('--prune') && forget.includes('--group-by'),
    );
    const dry = await runCli(['run', '-c', spec, '--dry-run']);
    assert.equal(dry.exitCode, 0);
    assert.match(
      dry.stdout,
      /\$ RESTIC_REPOSITORY=.* restic backup --json --host test-host --tag backup-yaml:stack --tag source:config/,
    );
    assert.equal((await snapshots(stack.repository, stack.passwordFile)).length, before);
  });

  test('the human log (no --json) shows each step and the snapshot', async () => {
    const result = await runCli(['run', '-c', spec]);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /^backup stack · run \d{8}T/);
    assert.match(
      result.stdout,
      /✓ restic backup to target "local" \(config\): snapshot [0-9a-f]{8}/,
    );
    assert.match(result.stdout, /run finished in/);
  });
});
