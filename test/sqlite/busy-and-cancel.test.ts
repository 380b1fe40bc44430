import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cliIntegrity } from './support/compare';
import { createTestDatabase, readSnapshotState } from './support/database';
import type { DumpRun } from './support/dump';
import { dump, filesIn, scratchDirectory } from './support/dump';
import { SqlSession } from './support/sql-session';

const scratch = scratchDirectory('sqlite-busy');
let databases = 0;

function database(journalMode: 'wal' | 'delete', padRows = 2000): string {
  const path = join(scratch, `db-${++databases}.db`);
  createTestDatabase(path, { journalMode, padRows, padBytes: 500 });
  return path;
}

function failure(run: DumpRun) {
  if (run.result.ok) assert.fail(`the dump should fail: ${JSON.stringify(run.metadata)}`);
  return run.result.error;
}

/** Proves the dump left no lock behind: another process gets an exclusive lock at once. */
async function assertUnlocked(path: string): Promise<void> {
  const probe = await SqlSession.open(path, 0);
  assert.equal(await probe.tryExec('BEGIN EXCLUSIVE'), undefined, 'nothing still locks the source');
  await probe.exec('ROLLBACK');
  await probe.close();
}

describe('busy_timeout', () => {
  test('rollback journal: a writer holding an exclusive lock past busy_timeout gives sqlite-busy', async () => {
    const path = database('delete');
    const holder = await SqlSession.open(path);
    await holder.exec('BEGIN EXCLUSIVE; INSERT INTO txlog VALUES (1, 0)');
    const run = await dump(scratch, path, { source: { busy_timeout: '1s' } });
    const error = failure(run);
    assert.equal(error.code, 'sqlite-busy');
    assert.match(error.message, /stayed locked by another connection/);
    assert.match(error.hint ?? '', /busy_timeout/);
    assert.deepEqual(filesIn(run.outDir), []);
    // The writer was not disturbed: its transaction still commits.
    await holder.exec('COMMIT');
    await holder.close();
  });

  test('rollback journal: a writer that lets go within busy_timeout is waited for', async () => {
    const path = database('delete');
    const holder = await SqlSession.open(path);
    await holder.exec('BEGIN EXCLUSIVE; INSERT INTO txlog VALUES (1, 0)');
    const running = dump(scratch, path, { source: { busy_timeout: '60s' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await holder.exec('COMMIT');
    const run = await running;
    await holder.close();
    assert.ok(run.result.ok, JSON.stringify(run.result));
    assert.equal(readSnapshotState(run.copy).lastTxn, 1);
  });

  test('WAL: a writer holding the write lock past busy_timeout does not stop the snapshot', async () => {
    const path = database('wal');
    const holder = await SqlSession.open(path);
    await holder.exec(
      'INSERT INTO txlog VALUES (1, 0); BEGIN IMMEDIATE; INSERT INTO txlog VALUES (2, 0)',
    );
    const run = await dump(scratch, path, { source: { busy_timeout: '1s' } });
    await holder.exec('COMMIT');
    await holder.close();
    assert.ok(run.result.ok, JSON.stringify(run.result));
    assert.equal(run.metadata['strategy'], 'backup-api');
    assert.match(String(run.metadata['fallbackReason']), /no write lock/);
    assert.match(run.warnings.join('\n'), /backup API/);
    assert.equal(
      readSnapshotState(run.copy).lastTxn,
      1,
      'the committed row, not the open transaction',
    );
    assert.equal(await cliIntegrity(run.copy), 'ok');
  });

  test('WAL with an application in exclusive locking mode gives sqlite-busy', async () => {
    const path = database('wal');
    const holder = await SqlSession.open(path);
    await holder.exec('PRAGMA locking_mode = EXCLUSIVE; INSERT INTO txlog VALUES (1, 0)');
    const error = failure(await dump(scratch, path, { source: { busy_timeout: '1s' } }));
    await holder.close();
    assert.equal(error.code, 'sqlite-busy');
  });
});

describe('cancellation', () => {
  test('an already aborted signal returns cancelled before touching anything', async () => {
    const path = database('wal');
    const controller = new AbortController();
    controller.abort();
    const run = await dump(scratch, path, { signal: controller.signal });
    assert.equal(failure(run).code, 'cancelled');
    assert.deepEqual(filesIn(run.outDir), []);
  });

  for (const [journalMode, method] of [
    ['wal', 'snapshot'],
    ['delete', 'snapshot'],
    ['wal', 'copy'],
  ] as const)
    test(`cancelled during the copy (${journalMode}, ${method}): nothing written, nothing locked`, async () => {
      const path = database(journalMode, 60_000);
      const controller = new AbortController();
      const run = await dump(scratch, path, {
        signal: controller.signal,
        source: { method },
        onProgress: ({ bytesDone, bytesTotal }) => {
          if (bytesDone < (bytesTotal ?? 0)) controller.abort();
        },
      });
      assert.equal(failure(run).code, 'cancelled');
      assert.deepEqual(filesIn(run.outDir), []);
      await assertUnlocked(path);
    });

  test('cancelled during the backup-API fallback: nothing written, nothing locked', async () => {
    const path = database('wal', 60_000);
    const holder = await SqlSession.open(path);
    await holder.exec('BEGIN IMMEDIATE; INSERT INTO txlog VALUES (1, 0)');
    const controller = new AbortController();
    const run = await dump(scratch, path, {
      signal: controller.signal,
      source: { busy_timeout: '1s' },
      onProgress: ({ bytesDone }) => {
        if (bytesDone > 0) controller.abort();
      },
    });
    await holder.exec('ROLLBACK');
    await holder.close();
    assert.equal(failure(run).code, 'cancelled');
    assert.deepEqual(filesIn(run.outDir), []);
    await assertUnlocked(path);
  });

  for (const method of ['snapshot', 'vacuum'] as const)
    test(`cancelled while a child process works (${method}): the child is stopped, nothing is left`, async () => {
      const path = database('delete', 150_000);
      const controller = new AbortController();
      const running = dump(scratch, path, {
        signal: controller.signal,
        source: { method },
        onProgress: ({ bytesDone, bytesTotal }) => {
          // snapshot: the copy is complete, the integrity check starts next.
          if (bytesDone === bytesTotal) setTimeout(() => controller.abort(), 20);
        },
      });
      // vacuum reports no progress until VACUUM INTO is done: stop it while it runs.
      if (method === 'vacuum') setTimeout(() => controller.abort(), 150);
      const run = await running;
      assert.equal(failure(run).code, 'cancelled');
      assert.deepEqual(filesIn(run.outDir), []);
      await assertUnlocked(path);
    });
});
