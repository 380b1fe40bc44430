import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cliDump, cliIntegrity } from './support/compare';
import { assertCommittedPrefix, createTestDatabase, readSnapshotState } from './support/database';
import { dump, filesIn, scratchDirectory } from './support/dump';
import { SqlSession } from './support/sql-session';
import { WriterProcess } from './support/writer-process';

const scratch = scratchDirectory('sqlite-methods');

describe('method vacuum', () => {
  for (const journalMode of ['wal', 'delete'] as const)
    test(`VACUUM INTO under a writer gives a committed prefix, compacted (${journalMode})`, async () => {
      const path = join(scratch, `vacuum-${journalMode}.db`);
      createTestDatabase(path, { journalMode, padRows: 20_000, padBytes: 500 });
      const admin = await SqlSession.open(path, 5000);
      await admin.exec('DELETE FROM pad WHERE id > 15000'); // leaves free pages behind
      await admin.close();
      const writer = await WriterProcess.start(path);
      await writer.commitsMore(10);
      const committedBefore = writer.committed;
      const run = await dump(scratch, path, { source: { method: 'vacuum' } });
      await writer.commitsMore(1);
      await writer.stop();
      assert.ok(run.result.ok, JSON.stringify(run.result));
      assert.equal(run.metadata['strategy'], 'vacuum-into');
      assert.equal(run.metadata['method'], 'vacuum');
      assertCommittedPrefix(readSnapshotState(run.copy), writer.log, committedBefore);
      assert.equal(await cliIntegrity(run.copy), 'ok');
      assert.ok(statSync(run.copy).size < statSync(path).size, 'free pages are not copied');
      assert.deepEqual(filesIn(run.outDir), [`vacuum-${journalMode}.db`]);
      if (journalMode === 'delete') assert.equal(typeof run.metadata['writersBlockedMs'], 'number');
    });
});

describe('method copy', () => {
  test('an idle rollback-journal database is copied as it is', async () => {
    const path = join(scratch, 'copy-delete.db');
    createTestDatabase(path, { journalMode: 'delete', padRows: 3000, padBytes: 400 });
    const run = await dump(scratch, path, { source: { method: 'copy' } });
    assert.ok(run.result.ok, JSON.stringify(run.result));
    assert.equal(run.metadata['strategy'], 'file-copy-under-write-lock');
    assert.equal(await cliDump(run.copy), await cliDump(path));
  });

  test('a WAL database with uncheckpointed commits is checkpointed first, so the copy has them', async () => {
    const path = join(scratch, 'copy-wal.db');
    createTestDatabase(path, { journalMode: 'wal', padRows: 3000, padBytes: 400 });
    // The application wrote and was then killed: its last commits are only in the -wal.
    const app = await SqlSession.open(path);
    await app.exec('PRAGMA wal_autocheckpoint = 0');
    await app.exec(
      "INSERT INTO txlog VALUES (1, 0); UPDATE summary SET last_txn = 1 WHERE k = 'all'",
    );
    await app.kill();
    const before = await cliDump(path);
    assert.ok(statSync(`${path}-wal`).size > 0, 'the commits are in the WAL');
    const run = await dump(scratch, path, { source: { method: 'copy' } });
    assert.ok(run.result.ok, JSON.stringify(run.result));
    assert.equal(await cliDump(run.copy), before);
    assert.equal(readSnapshotState(run.copy).lastTxn, 1);
    assert.deepEqual(filesIn(run.outDir), ['copy-wal.db']);
  });

  test('a WAL database still in use (a reader keeps the checkpoint from finishing) is refused', async () => {
    const path = join(scratch, 'copy-busy.db');
    createTestDatabase(path, { journalMode: 'wal', padRows: 1000, padBytes: 400 });
    const app = await SqlSession.open(path);
    await app.exec('PRAGMA wal_autocheckpoint = 0');
    await app.exec('INSERT INTO txlog VALUES (1, 0)');
    const reader = await SqlSession.open(path);
    await reader.exec('BEGIN');
    await reader.query('SELECT count(*) FROM txlog');
    await app.exec('INSERT INTO txlog VALUES (2, 0)');
    const run = await dump(scratch, path, { source: { method: 'copy', busy_timeout: '1s' } });
    await reader.close();
    await app.close();
    assert.equal(run.result.ok, false);
    assert.equal(!run.result.ok && run.result.error.code, 'sqlite-busy');
    assert.match(!run.result.ok ? (run.result.error.hint ?? '') : '', /hooks\.before/);
    assert.deepEqual(filesIn(run.outDir), []);
  });
});
