import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import Database from 'better-sqlite3';

/**
 * Each SQLite call may wait this long in SQLite's own busy handler, which sleeps on the event
 * loop's thread; longer waits are built from many short attempts (see retryWhileBusy).
 */
export const NATIVE_BUSY_TIMEOUT_MS = 20;

/**
 * The connections and raw file descriptors one dump opens on a live database, closed in the one
 * safe order. SQLite's locks are POSIX advisory locks, and POSIX drops *every* lock a process
 * holds on a file when *any* descriptor of that file is closed. Closing our own descriptor of
 * the database or of its -shm while a connection still holds its read lock would silently
 * release that lock — letting a checkpoint overwrite pages our snapshot needs, or a writer
 * restart the WAL under us. So raw descriptors stay open until every connection is closed.
 */
export class SourceSession {
  private readonly connections: Database.Database[] = [];
  private readonly files: FileHandle[] = [];

  constructor(readonly path: string) {}

  /** A read-write connection (a WAL snapshot needs the write lock for a moment). */
  connect(): Database.Database {
    const connection = new Database(this.path, {
      fileMustExist: true,
      timeout: NATIVE_BUSY_TIMEOUT_MS,
    });
    this.connections.push(connection);
    return connection;
  }

  /** A read-only descriptor kept open until close(); undefined when the file does not exist. */
  async openFile(path: string): Promise<FileHandle | undefined> {
    try {
      const file = await open(path, 'r');
      this.files.push(file);
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Ends open transactions, closes connections, and only then the raw descriptors. */
  async close(): Promise<void> {
    for (const connection of this.connections.splice(0)) {
      try {
        if (connection.inTransaction) connection.exec('ROLLBACK');
      } catch {
        // The connection is closed next anyway, which ends the transaction too.
      }
      connection.close();
    }
    for (const file of this.files.splice(0)) await file.close();
  }
}
