import { open, stat } from 'node:fs/promises';
import Database from 'better-sqlite3';
import type { Result } from '../../result';
import { fail, ok } from '../../result';
import type { CopyFacts, CopyRequest } from './copy-request';
import { markRollbackJournal } from './database-header';
import { cancelledFailure } from './errors';
import { copyPages } from './page-copy';
import { retryWhileBusy } from './retry-busy';
import { beginRead } from './wal-pin';

/**
 * A rollback-journal database, snapshotted under SQLite's SHARED lock: while any connection
 * holds it, no writer can get the EXCLUSIVE lock it needs to change the database file, so the
 * file itself is the committed state (a hot journal left by a crash is rolled back by SQLite
 * when we take the lock) and a copy of it is consistent. Writers wait for the whole
 * copy: that time is what the manifest reports as writersBlockedMs.
 */
export async function snapshotRollback(request: CopyRequest): Promise<Result<CopyFacts>> {
  const reader = request.connection;
  const began = await retryWhileBusy(() => beginRead(reader), request.wait, 'reading');
  if (!began.ok) return began;
  const lockedAt = performance.now();
  try {
    const copied = await copyLockedFile(request, reader);
    if (!copied.ok) return copied;
    const writersBlockedMs = performance.now() - lockedAt;
    return ok({ ...copied.value, strategy: 'file-copy-under-read-lock', writersBlockedMs });
  } finally {
    reader.exec('ROLLBACK');
  }
}

/**
 * method: copy — for a maintenance window, with the application stopped by hooks. The file is
 * copied as it is, but never a live file: we first checkpoint a WAL database into its main file
 * (TRUNCATE, so the -wal is empty) and then hold the write lock for the copy, so a writer that
 * was not stopped waits instead of corrupting the copy, and a WAL that is written again in
 * between is noticed.
 */
export async function copyForMaintenance(
  request: CopyRequest,
  journalMode: string,
): Promise<Result<CopyFacts>> {
  const connection = request.connection;
  if (journalMode === 'wal') {
    // A checkpoint that other connections keep from finishing reports busy = 1 instead of
    // failing; treated as SQLITE_BUSY, it is retried until busy_timeout like any lock wait.
    const checkpoint = await retryWhileBusy(
      () => {
        const [row] = connection.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        if (row?.busy !== 0) throw new Database.SqliteError('checkpoint incomplete', 'SQLITE_BUSY');
      },
      request.wait,
      'checkpointing',
    );
    if (!checkpoint.ok && checkpoint.error.code === 'sqlite-busy')
      return stillInUse(request, 'its WAL could not be checkpointed');
    if (!checkpoint.ok) return checkpoint;
  }
  const locked = await retryWhileBusy(
    () => {
      if (!connection.inTransaction) connection.exec('BEGIN IMMEDIATE');
      beginRead(connection);
    },
    request.wait,
    'locking',
  );
  if (!locked.ok) return locked;
  const lockedAt = performance.now();
  try {
    const walBytes = await stat(`${request.databasePath}-wal`).then(
      (s) => s.size,
      () => 0,
    );
    if (journalMode === 'wal' && walBytes > 0)
      return stillInUse(request, 'another connection wrote to it after the checkpoint');
    const copied = await copyLockedFile(request, connection);
    if (!copied.ok) return copied;
    return ok({
      ...copied.value,
      strategy: 'file-copy-under-write-lock',
      writersBlockedMs: performance.now() - lockedAt,
    });
  } finally {
    connection.exec('ROLLBACK');
  }
}

function stillInUse<T>(request: CopyRequest, why: string): Result<T> {
  const { subject, path } = request.wait.context;
  return fail('sqlite-busy', `method copy needs ${path} to be idle, but ${why}`, {
    subject,
    hint: 'stop the application in hooks.before (and start it in hooks.after), or use method snapshot',
  });
}

async function copyLockedFile(
  request: CopyRequest,
  connection: Database.Database,
): Promise<Result<Omit<CopyFacts, 'strategy'>>> {
  const pageSize = connection.pragma('page_size', { simple: true }) as number;
  const pageCount = connection.pragma('page_count', { simple: true }) as number;
  const target = await open(request.target, 'w+', 0o600);
  try {
    const copied = await copyPages(request, target, { pageCount, pageSize });
    if (copied === 'cancelled') return cancelledFailure(request.wait.context);
    if (typeof copied === 'object')
      return fail('sqlite-io', `copying ${request.wait.context.path} failed: ${copied.error}`, {
        subject: request.wait.context.subject,
      });
    await markRollbackJournal(target);
  } finally {
    await target.close();
  }
  return ok({ pageSize, pageCount });
}
