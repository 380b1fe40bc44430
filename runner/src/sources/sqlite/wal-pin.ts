import type { FileHandle } from 'node:fs/promises';
import type Database from 'better-sqlite3';
import type { Result } from '../../result';
import { ok } from '../../result';
import type { BusyWait } from './retry-busy';
import { retryWhileBusy } from './retry-busy';
import type { WalIndexHeader } from './wal-index';
import { readWalIndexHeader } from './wal-index';

/** The reader holds a read transaction in both cases. */
export type PinOutcome =
  | { pinned: true; walIndex: WalIndexHeader; writeLockHeldMs: number }
  | { pinned: false; reason: string; writeLockHeldMs?: number };

/** Opens (or continues) a read transaction: a deferred BEGIN takes its snapshot at the first read. */
export function beginRead(connection: Database.Database): void {
  if (!connection.inTransaction) connection.exec('BEGIN');
  connection.prepare('SELECT count(*) FROM sqlite_schema').get();
}

/**
 * Pins a WAL snapshot whose end we know exactly. `lock` takes the write lock (BEGIN IMMEDIATE),
 * so nothing commits; `reader` then opens its read transaction, which therefore sees the latest
 * commit; the wal-index header read now describes precisely that snapshot (its last commit
 * frame mxFrame, its size, its salts and checksum) and how far checkpoints had backfilled; then
 * the write lock is released. Writers wait only for these few synchronous calls.
 *
 * When the write lock cannot be had (a writer holds it past busy_timeout, or the database is
 * read-only to us) the reader still opens its snapshot — in WAL mode a reader never waits for a
 * writer — and the caller copies it with the backup API instead.
 */
export async function pinWalSnapshot(
  lock: Database.Database,
  reader: Database.Database,
  shm: FileHandle | undefined,
  wait: BusyWait,
  busyTimeoutMs: number,
): Promise<Result<PinOutcome>> {
  const locked = await retryWhileBusy(
    () => lock.exec('BEGIN IMMEDIATE'),
    wait,
    'taking the write lock of',
  );
  if (!locked.ok) {
    if (locked.error.code === 'cancelled') return locked;
    return unpinned(reader, wait, busyTimeoutMs, `no write lock: ${locked.error.message}`);
  }
  const lockedAt = performance.now();
  let walIndex: WalIndexHeader | string;
  try {
    beginRead(reader);
    walIndex = shm ? readWalIndexHeader(shm) : 'the -shm file is missing';
  } catch (error) {
    walIndex = `the read transaction could not start under the write lock (${String(error)})`;
  } finally {
    lock.exec('ROLLBACK');
  }
  const writeLockHeldMs = performance.now() - lockedAt;
  if (typeof walIndex === 'string')
    return unpinned(reader, wait, busyTimeoutMs, walIndex, writeLockHeldMs);
  return ok({ pinned: true, walIndex, writeLockHeldMs });
}

async function unpinned(
  reader: Database.Database,
  wait: BusyWait,
  busyTimeoutMs: number,
  reason: string,
  writeLockHeldMs?: number,
): Promise<Result<PinOutcome>> {
  const began = await retryWhileBusy(
    () => beginRead(reader),
    { ...wait, deadline: performance.now() + busyTimeoutMs },
    'reading',
  );
  if (!began.ok) return began;
  return ok({
    pinned: false,
    reason,
    ...(writeLockHeldMs === undefined ? {} : { writeLockHeldMs }),
  });
}
