import * as assert from 'node:assert/strict';
import {
  closeSync,
  mkdirSync,
  openSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { createTestDatabase, readSnapshotState } from './support/database';
import type { DumpRun } from './support/dump';
import { dump, filesIn, scratchDirectory } from './support/dump';
import { SqlSession } from './support/sql-session';

const scratch = scratchDirectory('sqlite-errors');

function errorOf(run: DumpRun) {
  if (run.result.ok) assert.fail(`the dump should fail: ${JSON.stringify(run.metadata)}`);
  assert.deepEqual(filesIn(run.outDir), [], 'a failed dump leaves nothing behind');
  return run.result.error;
}

function integrityOf(run: DumpRun) {
  assert.ok(run.result.ok, JSON.stringify(run.result));
  const { mode, result } = run.metadata['integrityCheck'] as { mode: string; result: string };
  return { mode, result };
}

/** An index whose declared column no longer matches its entries: only the full check sees it. */
async function databaseWithStaleIndex(path: string): Promise<void> {
  const db = new Database(path);
  db.exec(`CREATE TABLE t(a INTEGER, b INTEGER); CREATE INDEX ti ON t(a);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
    INSERT INTO t SELECT i, 1000 - i FROM n;`);
  db.close();
  await execa('sqlite3', [
    path,
    "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = 'CREATE INDEX ti ON t(b)' WHERE name = 'ti';",
  ]);
}

/** A table page overwritten with garbage: both checks see it. */
function databaseWithBrokenPage(path: string): void {
  createTestDatabase(path, { journalMode: 'delete', padRows: 2000, padBytes: 300 });
  const db = new Database(path, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  db.close();
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, Math.floor(pageCount / 2) * pageSize);
  closeSync(fd);
}

describe('integrity_check of the copy', () => {
  const sound = join(scratch, 'sound.db');
  createTestDatabase(sound, { journalMode: 'wal', padRows: 1000, padBytes: 300 });

  test('auto runs the full check below 1 GiB; full, quick and off do what they say', async () => {
    assert.deepEqual(integrityOf(await dump(scratch, sound)), { mode: 'full', result: 'ok' });
    for (const mode of ['full', 'quick'] as const)
      assert.deepEqual(
        integrityOf(await dump(scratch, sound, { source: { integrity_check: mode } })),
        {
          mode,
          result: 'ok',
        },
      );
    const off = await dump(scratch, sound, { source: { integrity_check: 'off' } });
    assert.deepEqual(integrityOf(off), { mode: 'off', result: 'skipped' });
    assert.match(off.warnings.join('\n'), /not checked/);
  });

  test('an index that disagrees with its table fails the full check (auto) but not quick_check', async () => {
    const path = join(scratch, 'stale-index.db');
    await databaseWithStaleIndex(path);
    const error = errorOf(await dump(scratch, path));
    assert.equal(error.code, 'sqlite-integrity-failed');
    assert.match(error.message, /PRAGMA integrity_check found problems .*missing from index ti/);
    assert.equal(error.subject, 'tracker-db');
    assert.ok(error.hint);
    const quick = await dump(scratch, path, { source: { integrity_check: 'quick' } });
    assert.deepEqual(integrityOf(quick), { mode: 'quick', result: 'ok' });
  });

  test('a damaged page fails both checks; with the check off the copy is kept, with a warning', async () => {
    const path = join(scratch, 'broken-page.db');
    databaseWithBrokenPage(path);
    for (const mode of ['full', 'quick'] as const) {
      const error = errorOf(await dump(scratch, path, { source: { integrity_check: mode } }));
      assert.equal(error.code, 'sqlite-integrity-failed');
    }
    const off = await dump(scratch, path, { source: { integrity_check: 'off' } });
    assert.ok(off.result.ok);
    assert.equal(statSync(off.copy).size, statSync(path).size);
  });
});

describe('sources that are not a database', () => {
  test('a missing file is sqlite-missing', async () => {
    const error = errorOf(await dump(scratch, join(scratch, 'nowhere.db')));
    assert.equal(error.code, 'sqlite-missing');
    assert.match(error.message, /nowhere\.db does not exist/);
  });

  test('a text file and a directory are sqlite-not-a-database', async () => {
    const text = join(scratch, 'notes.db');
    writeFileSync(text, 'these are not the pages you are looking for\n'.repeat(100));
    const error = errorOf(await dump(scratch, text));
    assert.equal(error.code, 'sqlite-not-a-database');
    assert.match(error.message, /notes\.db is not a SQLite database/);
    const dir = join(scratch, 'a-directory.db');
    mkdirSync(dir);
    assert.equal(errorOf(await dump(scratch, dir)).code, 'sqlite-not-a-database');
  });

  test('an empty file is an empty database: copied as such, and reported empty (the engine fails on it unless allow_empty)', async () => {
    const empty = join(scratch, 'empty.db');
    writeFileSync(empty, '');
    const run = await dump(scratch, empty);
    assert.ok(run.result.ok, JSON.stringify(run.result));
    assert.equal(statSync(run.copy).size, 0);
    assert.match(run.result.value.empty ?? '', /empty\.db is 0 bytes long/);
    const allowed = await dump(scratch, empty, { source: { allow_empty: true } });
    assert.ok(allowed.result.ok);
    assert.match(allowed.warnings.join('\n'), /empty/);
  });

  test('a busy_timeout that is not a duration is sqlite-invalid-option', async () => {
    const path = join(scratch, 'sound-too.db');
    createTestDatabase(path, { journalMode: 'delete', padRows: 10, padBytes: 10 });
    const error = errorOf(await dump(scratch, path, { source: { busy_timeout: 'soon' } }));
    assert.equal(error.code, 'sqlite-invalid-option');
  });
});

test('a symlinked path: the copy is named after the link, and the WAL next to the real file is used', async () => {
  const realDir = join(scratch, 'real');
  const linkDir = join(scratch, 'link');
  mkdirSync(realDir);
  mkdirSync(linkDir);
  const real = join(realDir, 'sqlite3.db');
  createTestDatabase(real, { journalMode: 'wal', padRows: 500, padBytes: 100 });
  const link = join(linkDir, 'tracker.db');
  symlinkSync(real, link);
  const app = await SqlSession.open(real);
  await app.exec('PRAGMA wal_autocheckpoint = 0');
  await app.exec('INSERT INTO txlog VALUES (1, 0)');
  const run = await dump(scratch, link);
  await app.close();
  assert.ok(run.result.ok, JSON.stringify(run.result));
  assert.deepEqual(filesIn(run.outDir), ['tracker.db']);
  assert.equal(readSnapshotState(run.copy).lastTxn, 1, 'the commit that is only in the WAL');
});
