import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type Database from 'better-sqlite3';
import type { Result } from '../../result';
import { errorMessage, ok } from '../../result';
import { copyWithBackupApi } from './backup-api';
import type { CopyFacts, CopyRequest } from './copy-request';
import { markRollbackJournal, readDatabaseHeader } from './database-header';
import { cancelledFailure } from './errors';
import { copyPages } from './page-copy';
import { retryWhileBusy } from './retry-busy';
import type { WalSnapshotFrames } from './wal-frames';
import { readSnapshotFrames, readWalHeader } from './wal-frames';
import type { WalIndexHeader } from './wal-index';
import { applyWalFrames } from './wal-overlay';
import { pinWalSnapshot } from './wal-pin';

/**
 * A WAL database, snapshotted while writers keep going (docs/sqlite.md has the full argument):
 * pin a read transaction whose last commit frame we know (wal-pin.ts); copy the database file
 * (page-copy.ts); write over it, per page, the newest WAL frame at or before that commit; cut
 * it to the commit's size. While our read transaction is open, checkpoints never backfill a
 * frame past its read mark and the WAL is never restarted, so both files hold still where we
 * read. Whatever does not check out falls back to the backup API inside the same transaction.
 */
export async function snapshotWal(request: CopyRequest): Promise<Result<CopyFacts>> {
  const { session, connection: reader, databasePath, wait } = request;
  // -wal and -shm exist once a connection has read in WAL mode. Open our descriptors now:
  // nothing asynchronous may run while we hold the write lock.
  const warm = await retryWhileBusy(
    () => reader.prepare('SELECT count(*) FROM sqlite_schema').get(),
    wait,
    'reading',
  );
  if (!warm.ok) return warm;
  const shm = await session.openFile(`${databasePath}-shm`);
  const wal = await session.openFile(`${databasePath}-wal`);
  const pin = await pinWalSnapshot(
    session.connect(),
    reader,
    shm,
    wait,
    request.options.busyTimeoutMs,
  );
  if (!pin.ok) return pin;
  const writeLockHeldMs = pin.value.writeLockHeldMs;
  await request.seams?.afterPin?.(reader);
  const pageSize = reader.pragma('page_size', { simple: true }) as number;
  const pageCount = reader.pragma('page_count', { simple: true }) as number;
  const base = {
    pageSize,
    pageCount,
    ...(writeLockHeldMs === undefined ? {} : { writeLockHeldMs }),
  };
  if (!pin.value.pinned)
    return viaBackupApi(request, reader, { ...base, fallbackReason: pin.value.reason });

  const walIndex = pin.value.walIndex;
  const plan = await planFrames(walIndex, wal, pageSize, pageCount, request.signal);
  if (plan === 'cancelled') return cancelledFailure(request.wait.context);
  if (typeof plan === 'string')
    return viaBackupApi(request, reader, { ...base, fallbackReason: plan });
  const copied = await copyPinned(request, wal, plan, { pageSize, pageCount });
  if (copied === 'cancelled') return cancelledFailure(request.wait.context);
  if (typeof copied === 'string')
    return viaBackupApi(request, reader, { ...base, fallbackReason: copied });
  return ok({
    ...base,
    strategy: plan ? 'wal-file-copy-with-frames' : 'wal-file-copy',
    walCommitFrame: walIndex.mxFrame,
    walFramesApplied: copied,
  });
}

interface FramePlan {
  frames: WalSnapshotFrames;
  salt: Buffer;
}

/**
 * Which WAL frames the copy needs. None when the WAL holds no frame (mxFrame 0) or when every
 * frame was already backfilled (nBackfill = mxFrame): then the database file alone is the
 * snapshot, and it holds still, because a reader that started on a fully backfilled WAL holds
 * read-lock 0, which every checkpoint must take exclusively before it writes to the database.
 * (nBackfill is read under the write lock, where it can only grow, so nBackfill < mxFrame there
 * proves our reader holds a read mark >= 1 — the lock that keeps the WAL from restarting.)
 */
async function planFrames(
  walIndex: WalIndexHeader,
  wal: FileHandle | undefined,
  pageSize: number,
  pageCount: number,
  signal: AbortSignal,
): Promise<FramePlan | undefined | string | 'cancelled'> {
  // (A WAL that never held a frame has no page size in its index yet.)
  if (walIndex.mxFrame === 0) return undefined;
  if (walIndex.pageSize !== pageSize)
    return `the wal-index says page size ${walIndex.pageSize}, the database ${pageSize}`;
  if (walIndex.nBackfill >= walIndex.mxFrame) return undefined;
  if (walIndex.nPage !== pageCount)
    return `the wal-index says ${walIndex.nPage} pages, the snapshot ${pageCount}`;
  if (!wal) return 'the -wal file is missing';
  const header = await readWalHeader(wal);
  if (typeof header === 'string') return header;
  if (!header.salt.equals(walIndex.salt)) return 'the WAL header salts differ from the wal-index';
  if (header.pageSize !== pageSize) return `the WAL says page size ${header.pageSize}`;
  const frames = await readSnapshotFrames(wal, {
    header,
    lastFrame: walIndex.mxFrame,
    expectedChecksum: walIndex.frameChecksum,
    signal,
  });
  if (typeof frames === 'string') return frames;
  if (frames.commitPageCount !== pageCount)
    return `the commit frame says ${frames.commitPageCount} pages, the snapshot ${pageCount}`;
  return { frames, salt: header.salt };
}

/** Copies the file, applies the frames; returns how many, 'cancelled', or a reason to fall back. */
async function copyPinned(
  request: CopyRequest,
  wal: FileHandle | undefined,
  plan: FramePlan | undefined,
  size: { pageSize: number; pageCount: number },
): Promise<number | 'cancelled' | string> {
  const target = await open(request.target, 'w+', 0o600);
  try {
    const copied = await copyPages(request, target, size);
    if (copied === 'cancelled') return 'cancelled';
    if (typeof copied === 'object') return `copying the database file failed: ${copied.error}`;
    let applied = 0;
    if (plan && wal) {
      const result = await applyWalFrames(
        wal,
        target,
        plan.frames,
        size.pageCount,
        request.signal,
      ).catch((error: unknown) => `applying WAL frames failed: ${errorMessage(error)}`);
      if (typeof result === 'string') return result;
      applied = result;
      // Belt and braces: the argument above says the WAL cannot restart while we read it.
      const after = await readWalHeader(wal);
      if (typeof after === 'string' || !after.salt.equals(plan.salt))
        return 'the WAL was restarted while it was read';
    }
    const header = await readDatabaseHeader(target);
    if (size.pageCount > 0) {
      if (!header || header.pageSize !== size.pageSize)
        return 'the copied header does not match the snapshot';
      if (header.inHeaderPageCount !== 0 && header.inHeaderPageCount !== size.pageCount)
        return `the copied header says ${header.inHeaderPageCount} pages, the snapshot ${size.pageCount}`;
      await markRollbackJournal(target);
    }
    return applied;
  } finally {
    await target.close();
  }
}

async function viaBackupApi(
  request: CopyRequest,
  reader: Database.Database,
  facts: Omit<CopyFacts, 'strategy'>,
): Promise<Result<CopyFacts>> {
  if (facts.fallbackReason)
    request.warn(`copying with the SQLite backup API instead of the file: ${facts.fallbackReason}`);
  const bytesTotal = facts.pageCount * facts.pageSize;
  const done = await copyWithBackupApi(reader, request.target, {
    pageSize: facts.pageSize,
    signal: request.signal,
    onBytes: (bytesDone) => request.onBytes(bytesDone, bytesTotal),
  });
  if (done === 'cancelled') return cancelledFailure(request.wait.context);
  const target = await open(request.target, 'r+');
  try {
    await markRollbackJournal(target);
  } finally {
    await target.close();
  }
  return ok({ ...facts, strategy: 'backup-api' });
}
