import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type Database from 'better-sqlite3';
import { execa } from 'execa';
import { cliDump, cliIntegrity, differingPages } from './support/compare';
import { createTestDatabase } from './support/database';
import { dump, filesIn, scratchDirectory } from './support/dump';
import { SqlSession } from './support/sql-session';

// These tests stop a WAL snapshot right after it is pinned (the afterPin test seam), take a
// reference copy of the very same snapshot with the backup API on the snapshot's own read
// transaction, then change the database from another process — commits, checkpoints that
// backfill into the database file, attempts to restart or truncate the WAL — before the fast
// copy reads a byte. The fast copy must still equal the reference.

const scratch = scratchDirectory('sqlite-pinned');
let databases = 0;
const sessions: SqlSession[] = [];
after(async () => {
  for (const session of sessions) await session.close();
});

async function open(path: string): Promise<SqlSession> {
  const session = await SqlSession.open(path);
  sessions.push(session);
  return session;
}

const churn = (round: number) => `
  UPDATE pad SET version = ${round}, body = randomblob(length(body)) WHERE id % 5 = ${round % 5};
  INSERT INTO items(txn, payload) SELECT ${round}, randomblob(300) FROM pad WHERE id % 50 = 0;`;

async function commitRounds(session: SqlSession, from: number, count: number): Promise<void> {
  for (let round = from; round < from + count; round++) await session.exec(churn(round));
}

interface Scenario {
  path: string;
  /** Connections of other processes, kept open so the WAL is not removed when ours closes. */
  writer: SqlSession;
}

async function walDatabase(pageSize = 4096): Promise<Scenario> {
  const path = join(scratch, `db-${++databases}.db`);
  createTestDatabase(path, { journalMode: 'wal', padRows: 3000, padBytes: 600, pageSize });
  const writer = await open(path);
  await writer.exec('PRAGMA wal_autocheckpoint = 0');
  return { path, writer };
}

/** Runs the dump; at the pin, takes the reference copy and then calls `meanwhile`. */
async function snapshotWithInterference(
  scenario: Scenario,
  meanwhile: () => Promise<void>,
): Promise<{ run: Awaited<ReturnType<typeof dump>>; reference: string; rawAtPin: string }> {
  const reference = join(scratch, `reference-${databases}.db`);
  const rawAtPin = join(scratch, `raw-${databases}.db`);
  const run = await dump(scratch, scenario.path, {
    seams: {
      afterPin: async (reader: Database.Database) => {
        await reader.backup(reference, { progress: () => 0x7fffffff });
        // cp in its own process: opening the database here would drop our locks.
        await execa('cp', [scenario.path, rawAtPin]);
        await meanwhile();
      },
    },
  });
  assert.ok(run.result.ok, JSON.stringify(run.result));
  return { run, reference, rawAtPin };
}

async function assertSameSnapshot(copy: string, reference: string, pageSize: number) {
  assert.deepEqual(differingPages(copy, reference, pageSize), [], 'page for page');
  assert.equal(await cliDump(copy), await cliDump(reference), 'sqlite3 .dump');
  assert.equal(await cliIntegrity(copy), 'ok');
}

async function checkpoint(session: SqlSession, mode: string) {
  const [row] = await session.query<{ busy: number }>(`PRAGMA wal_checkpoint(${mode})`);
  return row!.busy;
}

describe('a pinned WAL snapshot stays put while others write and checkpoint', () => {
  for (const pageSize of [512, 4096, 65536]) {
    test(`frames not yet backfilled are laid over the file (page size ${pageSize})`, async () => {
      const scenario = await walDatabase(pageSize);
      const { writer } = scenario;
      await commitRounds(writer, 1, 6);
      // A reader at an older mark makes the next checkpoint stop half way: 0 < nBackfill < mxFrame.
      const oldReader = await open(scenario.path);
      await oldReader.exec('BEGIN');
      await oldReader.query('SELECT count(*) FROM pad');
      await commitRounds(writer, 7, 6);
      assert.equal(await checkpoint(writer, 'PASSIVE'), 0);
      await oldReader.exec('COMMIT');
      let truncateWhilePinned = -1;
      const { run, reference, rawAtPin } = await snapshotWithInterference(scenario, async () => {
        await commitRounds(writer, 13, 6);
        await checkpoint(writer, 'PASSIVE'); // backfills into the database file up to our mark
        truncateWhilePinned = await checkpoint(writer, 'TRUNCATE');
        await commitRounds(writer, 19, 3);
      });
      assert.equal(truncateWhilePinned, 1, 'our read mark kept TRUNCATE from resetting the WAL');
      assert.equal(run.metadata['strategy'], 'wal-file-copy-with-frames');
      assert.ok((run.metadata['walFramesApplied'] as number) > 0);
      assert.notDeepEqual(
        differingPages(rawAtPin, reference, pageSize),
        [],
        'the file alone was stale',
      );
      await assertSameSnapshot(run.copy, reference, pageSize);
    });
  }

  test('a WAL frame that fails its checksum: the backup API copies the same snapshot instead', async () => {
    const scenario = await walDatabase();
    const { writer, path } = scenario;
    await commitRounds(writer, 1, 6);
    const { run, reference } = await snapshotWithInterference(scenario, async () => {
      // Readers never check frame checksums (only recovery does), so the live database reads
      // on unharmed; our reading of the WAL must notice and step aside.
      const checksumOfFirstFrame = 32 + 16;
      await execa(
        'dd',
        [`of=${path}-wal`, 'bs=1', `seek=${checksumOfFirstFrame}`, 'conv=notrunc'],
        {
          input: Buffer.from([0x5a]),
        },
      );
      await commitRounds(writer, 7, 3);
    });
    assert.equal(run.metadata['strategy'], 'backup-api');
    assert.match(String(run.metadata['fallbackReason']), /checksum of frame 1/);
    await assertSameSnapshot(run.copy, reference, 4096);
  });

  test('a fully backfilled WAL (read mark 0): the database file alone is the snapshot', async () => {
    const scenario = await walDatabase();
    const { writer } = scenario;
    await commitRounds(writer, 1, 8);
    assert.equal(await checkpoint(writer, 'PASSIVE'), 0); // nBackfill = mxFrame > 0
    let truncateWhilePinned = -1;
    const { run, reference } = await snapshotWithInterference(scenario, async () => {
      // With only a read-mark-0 reader, this write restarts the WAL over the old frames ...
      await commitRounds(writer, 9, 4);
      // ... but no checkpoint may write into the database file while that reader lasts.
      truncateWhilePinned = await checkpoint(writer, 'TRUNCATE');
      await commitRounds(writer, 13, 2);
    });
    assert.equal(truncateWhilePinned, 1);
    assert.equal(run.metadata['strategy'], 'wal-file-copy');
    assert.ok((run.metadata['walCommitFrame'] as number) > 0);
    assert.equal(run.metadata['walFramesApplied'], 0);
    await assertSameSnapshot(run.copy, reference, 4096);
  });

  test('an empty WAL (checkpointed with TRUNCATE): the database file alone is the snapshot', async () => {
    const scenario = await walDatabase();
    const { writer } = scenario;
    await commitRounds(writer, 1, 5);
    assert.equal(await checkpoint(writer, 'TRUNCATE'), 0);
    const { run, reference } = await snapshotWithInterference(scenario, async () => {
      await commitRounds(writer, 6, 5);
      await checkpoint(writer, 'PASSIVE');
    });
    assert.equal(run.metadata['strategy'], 'wal-file-copy');
    assert.equal(run.metadata['walCommitFrame'], 0);
    await assertSameSnapshot(run.copy, reference, 4096);
  });

  test('a WAL database nobody has open: copied, and its -wal/-shm are gone again afterwards', async () => {
    const path = join(scratch, 'closed.db');
    createTestDatabase(path, { journalMode: 'wal', padRows: 2000, padBytes: 300 });
    assert.equal(existsSync(`${path}-wal`), false);
    const run = await dump(scratch, path);
    assert.ok(run.result.ok, JSON.stringify(run.result));
    assert.equal(run.metadata['journalMode'], 'wal');
    assert.equal(run.metadata['walCommitFrame'], 0);
    assert.equal(await cliIntegrity(run.copy), 'ok');
    assert.deepEqual(
      filesIn(scratch).filter((name) => name.startsWith('closed.db')),
      ['closed.db'],
    );
  });
});
