import * as assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { filesSpec, makeStack, stagedRuns } from '../support/demo-stack';
import type { CliResult, Workdir } from '../support/runner-cli';
import { finished, makeWorkdir, runCli, snapshots, stepStatus } from '../support/runner-cli';

/** A sound database in WAL mode, as an application keeps it. */
function soundDatabase(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE t(a INTEGER, b INTEGER); CREATE INDEX ti ON t(a);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
    INSERT INTO t SELECT i, 5000 - i FROM n;`);
  db.close();
}

/**
 * The live database damaged the way a bug or a bad disk does it: an index that no longer
 * matches its table. The snapshot is a faithful copy, so the staged copy is damaged the same
 * way and only the full integrity_check sees it.
 */
async function damageIndex(path: string): Promise<void> {
  await execa('sqlite3', [
    path,
    "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = 'CREATE INDEX ti ON t(b)' WHERE name = 'ti';",
  ]);
}

function stepResult(result: CliResult, step: string): Record<string, unknown> | undefined {
  for (const record of result.records)
    if (record.type === 'step-finished' && record.step === step) return record.result;
  return undefined;
}

/**
 * The SQLite copy's integrity check runs alongside the backup (docs/guarantees.md): a copy that
 * fails it still fails the run, keeps retention from running, and withdraws the run — its
 * snapshot forgotten, its archive removed, the previous run current/ again.
 */
describe('the integrity check that runs alongside the backup', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  let spec: string;
  let database: string;
  const archives = () => work.path('archives');

  before(async () => {
    work = await makeWorkdir('backup-yaml-alongside-');
    stack = await makeStack(work);
    database = work.path('app.db');
    soundDatabase(database);
    spec = await work.writeSpec(
      filesSpec(stack, {
        sources: {
          config: { type: 'files', paths: [stack.app] },
          'app-db': { type: 'sqlite', path: database, integrity_check: 'full' },
        },
        archive: { dir: archives(), format: 'tar.zst' },
        // keep_last 1: a retention that ran after the bad run would forget the good snapshot.
        retention: { keep_last: 1 },
      }),
    );
    assert.equal((await runCli(['init', '-c', spec])).exitCode, 0);
  });
  after(() => work.cleanup());

  test('a sound copy: the run passes its integrity step between the backup and retention', async () => {
    const result = await runCli(['run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 0, result.stderr);
    const started = result.records.find((r) => r.type === 'run-started');
    const ids = started?.type === 'run-started' ? started.steps.map((s) => s.id) : [];
    assert.ok(ids.indexOf('integrity:app-db') > ids.indexOf('backup:local'));
    assert.ok(ids.indexOf('integrity:app-db') < ids.indexOf('retention:local'));
    assert.equal(stepStatus(result, 'integrity:app-db'), 'ok');
    const facts = stepResult(result, 'integrity:app-db')?.['integrityCheck'] as
      { mode: string; result: string } | undefined;
    assert.deepEqual([facts?.mode, facts?.result], ['full', 'ok']);
    const manifest = JSON.parse(await readFile(`${stack.staging}/current/manifest.json`, 'utf8'));
    assert.equal(manifest.sources['app-db'].metadata.integrityCheck.result, 'alongside-backup');
    assert.equal((await snapshots(stack.repository, stack.passwordFile)).length, 1);
  });

  test('a damaged copy: exit 1, the new snapshot forgotten, no retention, current/ and the archives as before', async () => {
    const currentBefore = await readFile(`${stack.staging}/current/manifest.json`, 'utf8');
    const snapshotsBefore = await snapshots(stack.repository, stack.passwordFile);
    const archivesBefore = (await readdir(archives())).sort();
    await damageIndex(database);

    const result = await runCli(['run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 1, result.stderr);
    const error = finished(result).error;
    assert.equal(error?.code, 'sqlite-integrity-failed');
    assert.match(error?.message ?? '', /integrity_check found problems .*missing from index ti/);
    assert.equal(stepStatus(result, 'backup:local'), 'ok', 'the backup ran alongside the check');
    assert.equal(stepStatus(result, 'integrity:app-db'), 'failed');
    assert.equal(stepStatus(result, 'retention:local'), 'skipped');
    assert.equal(stepStatus(result, 'prune-local'), 'skipped');
    assert.deepEqual(finished(result).snapshots, [], 'a withdrawn run reports no snapshot');
    assert.deepEqual(
      (await snapshots(stack.repository, stack.passwordFile)).map((s) => s.id),
      snapshotsBefore.map((s) => s.id),
      'the bad snapshot is forgotten, the good one kept',
    );
    assert.equal(await readFile(`${stack.staging}/current/manifest.json`, 'utf8'), currentBefore);
    assert.deepEqual(await stagedRuns(stack.staging), ['current']);
    assert.deepEqual((await readdir(archives())).sort(), archivesBefore);
    assert.ok(
      result.records.some((r) => r.type === 'log' && /withdrawn: forgot snapshot/.test(r.message)),
      'the run says what it withdrew',
    );
  });

  test('the next run after the database is repaired succeeds without a manual step', async () => {
    await rm(database);
    await rm(`${database}-wal`, { force: true });
    await rm(`${database}-shm`, { force: true });
    soundDatabase(database);
    const result = await runCli(['run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(stepStatus(result, 'retention:local'), 'ok');
    assert.equal((await snapshots(stack.repository, stack.passwordFile)).length, 1);
  });
});
