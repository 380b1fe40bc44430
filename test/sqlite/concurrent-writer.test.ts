import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { cliIntegrity } from './support/compare';
import { assertCommittedPrefix, createTestDatabase, readSnapshotState } from './support/database';
import { dump, filesIn, scratchDirectory } from './support/dump';
import { WriterProcess } from './support/writer-process';

const scratch = scratchDirectory('sqlite-writer');

for (const journalMode of ['wal', 'delete'] as const) {
  describe(`a ${journalMode === 'wal' ? 'WAL' : 'rollback-journal'} database under a writer in another process`, () => {
    const path = join(scratch, `${journalMode}.db`);
    createTestDatabase(path, { journalMode, padRows: 40_000, padBytes: 800 });
    let writer: WriterProcess;
    after(() => writer?.stop());

    test('every snapshot is a committed prefix containing every transaction committed before it started', async () => {
      // Small autocheckpoints keep checkpoints running (and backfilling) during the copies.
      writer = await WriterProcess.start(path, ['--autocheckpoint', '50', '--pads', '6']);
      const strategies = new Set<unknown>();
      for (let round = 0; round < 6; round++) {
        await writer.commitsMore(20);
        const committedBefore = writer.committed;
        const run = await dump(scratch, path);
        assert.ok(run.result.ok, JSON.stringify(run.result));
        strategies.add(run.metadata['strategy']);
        const committedAfter = writer.committed;
        await writer.commitsMore(1);
        const state = readSnapshotState(run.copy);
        assertCommittedPrefix(state, writer.log, committedBefore);
        assert.ok(state.lastTxn <= committedAfter + 1, 'nothing from after the snapshot ended');
        assert.equal(await cliIntegrity(run.copy), 'ok');
        assert.deepEqual(filesIn(run.outDir), [`${journalMode}.db`], 'one file, no -wal/-shm');
        assert.equal(run.metadata['journalMode'], journalMode);
        assert.equal((run.metadata['integrityCheck'] as { result: string }).result, 'ok');
        if (journalMode === 'delete')
          assert.equal(typeof run.metadata['writersBlockedMs'], 'number');
        else assert.equal(typeof run.metadata['writeLockHeldMs'], 'number');
      }
      const expected =
        journalMode === 'wal'
          ? ['wal-file-copy', 'wal-file-copy-with-frames']
          : ['file-copy-under-read-lock'];
      for (const strategy of strategies)
        assert.ok(expected.includes(String(strategy)), String(strategy));
    });

    test('the copy opens standalone in rollback-journal mode', async () => {
      const run = await dump(scratch, path);
      assert.ok(run.result.ok);
      const copy = new Database(run.copy, { readonly: true, fileMustExist: true });
      assert.equal(copy.pragma('journal_mode', { simple: true }), 'delete');
      assert.ok((copy.prepare('SELECT count(*) FROM pad').pluck().get() as number) === 40_000);
      copy.close();
      assert.deepEqual(filesIn(run.outDir), [`${journalMode}.db`]);
    });
  });
}
