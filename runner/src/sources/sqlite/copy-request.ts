import type { FileHandle } from 'node:fs/promises';
import type Database from 'better-sqlite3';
import type { SqliteDumpOptions } from './options';
import type { BusyWait } from './retry-busy';
import type { SourceSession } from './source-session';

/** What every copy strategy gets: an open session on the source and where to write. */
export interface CopyRequest {
  session: SourceSession;
  /** Raw descriptors of the database file, one per copy lane, open for the whole session. */
  databaseFiles: readonly FileHandle[];
  /** The database path with symlinks resolved (SQLite finds -wal and -shm next to it). */
  databasePath: string;
  /** A connection already opened on the source (the one that detected the journal mode). */
  connection: Database.Database;
  /** The file to write; renamed into place by the caller once checked. */
  target: string;
  options: SqliteDumpOptions;
  wait: BusyWait;
  signal: AbortSignal;
  onBytes: (bytesDone: number, bytesTotal: number) => void;
  warn: (message: string) => void;
  seams?: SnapshotSeams | undefined;
}

/** Test seams: let a test act on the database at exact points of a snapshot. */
export interface SnapshotSeams {
  /** After the WAL snapshot is pinned and the write lock released, before any byte is copied. */
  afterPin?: (reader: Database.Database) => Promise<void> | void;
}

/** How the copy was made, for manifest.json. */
export interface CopyFacts {
  strategy:
    | 'wal-file-copy'
    | 'wal-file-copy-with-frames'
    | 'backup-api'
    | 'file-copy-under-read-lock'
    | 'file-copy-under-write-lock'
    | 'vacuum-into';
  pageSize: number;
  pageCount: number;
  /** WAL: the commit frame the snapshot ends at (0: nothing in the WAL). */
  walCommitFrame?: number;
  /** WAL: pages taken from WAL frames instead of the database file. */
  walFramesApplied?: number;
  /** Why the fast WAL copy was not used, when it was not. */
  fallbackReason?: string;
  /** WAL: how long we held the write lock to pin the snapshot. */
  writeLockHeldMs?: number;
  /** Rollback journal: how long writers could not commit because of our lock. */
  writersBlockedMs?: number;
}
