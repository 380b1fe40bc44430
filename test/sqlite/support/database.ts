import * as assert from 'node:assert/strict';
import Database from 'better-sqlite3';

export interface TestDatabaseOptions {
  journalMode: 'wal' | 'delete';
  /** Rows of `pad`, each with a blob of padBytes: spreads the writer's updates over the file. */
  padRows: number;
  padBytes: number;
  pageSize?: number;
}

/**
 * The schema the writer (writer.mjs) commits into. Transaction i inserts txlog row i and
 * txlog.rows items with txn = i, sets pad.version = i on a few pads, and adds to summary.items.
 */
export function createTestDatabase(path: string, options: TestDatabaseOptions): void {
  const db = new Database(path);
  if (options.pageSize) db.pragma(`page_size = ${options.pageSize}`);
  db.pragma('journal_mode = DELETE');
  db.exec(`
    CREATE TABLE txlog(id INTEGER PRIMARY KEY, rows INTEGER NOT NULL);
    CREATE TABLE items(id INTEGER PRIMARY KEY, txn INTEGER NOT NULL, payload BLOB);
    CREATE INDEX items_txn ON items(txn);
    CREATE TABLE pad(id INTEGER PRIMARY KEY, version INTEGER NOT NULL, body BLOB);
    CREATE TABLE summary(k TEXT PRIMARY KEY, items INTEGER NOT NULL, last_txn INTEGER NOT NULL);
    INSERT INTO summary VALUES ('all', 0, 0);
  `);
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO pad SELECT i, 0, randomblob(?) FROM n`,
  ).run(options.padRows, options.padBytes);
  db.pragma(`journal_mode = ${options.journalMode}`);
  db.close();
}

/** What the writer reported: for each committed transaction, the pads it set. */
export type CommitLog = Map<number, number[]>;

export interface SnapshotState {
  lastTxn: number;
  txlogIds: number[];
  items: number;
  itemsPerTxnMismatch: number;
  summary: { items: number; last_txn: number };
  padVersions: Map<number, number>;
}

export function readSnapshotState(path: string): SnapshotState {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const txlogIds = db.prepare('SELECT id FROM txlog ORDER BY id').pluck().all() as number[];
    const itemsPerTxnMismatch = db
      .prepare(
        `SELECT count(*) FROM txlog t
         WHERE t.rows <> (SELECT count(*) FROM items i WHERE i.txn = t.id)`,
      )
      .pluck()
      .get() as number;
    const items = db.prepare('SELECT count(*) FROM items').pluck().get() as number;
    const summary = db.prepare("SELECT items, last_txn FROM summary WHERE k = 'all'").get() as {
      items: number;
      last_txn: number;
    };
    const padVersions = new Map(
      (db.prepare('SELECT id, version FROM pad').raw().all() as [number, number][]).map(
        ([id, version]) => [id, version],
      ),
    );
    return {
      lastTxn: txlogIds.at(-1) ?? 0,
      txlogIds,
      items,
      itemsPerTxnMismatch,
      summary,
      padVersions,
    };
  } finally {
    db.close();
  }
}

/**
 * The copy is one committed state of the writer's history: transactions 1..K all present and
 * complete, nothing after K, every pad at the version of the last transaction <= K that set
 * it — and K is at least every transaction reported committed before the snapshot started.
 */
export function assertCommittedPrefix(
  state: SnapshotState,
  log: CommitLog,
  committedBeforeSnapshot: number,
): void {
  const k = state.lastTxn;
  assert.deepEqual(
    state.txlogIds,
    Array.from({ length: k }, (_, i) => i + 1),
    'transactions 1..K, no gaps',
  );
  assert.ok(
    k >= committedBeforeSnapshot,
    `the copy ends at transaction ${k}, but ${committedBeforeSnapshot} was committed before the snapshot started`,
  );
  assert.equal(state.itemsPerTxnMismatch, 0, 'every transaction has all its items');
  assert.equal(state.summary.items, state.items, 'the summary row matches the items');
  assert.equal(state.summary.last_txn, k, 'the summary row is from the same transaction');
  const expected = new Map<number, number>();
  for (let txn = 1; txn <= k; txn++) {
    const pads = log.get(txn);
    assert.ok(pads, `the writer reported transaction ${txn}`);
    for (const pad of pads) expected.set(pad, txn);
  }
  let wrong = 0;
  for (const [pad, version] of state.padVersions)
    if (version !== (expected.get(pad) ?? 0)) wrong += 1;
  assert.equal(wrong, 0, `pads at the version of transaction ${k}`);
}
