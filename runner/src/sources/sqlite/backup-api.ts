import { rm } from 'node:fs/promises';
import type Database from 'better-sqlite3';

/** About 8 MiB per step: fast, yet the event loop runs every few milliseconds. */
const STEP_BYTES = 8 * 1024 * 1024;

class BackupCancelled extends Error {}

/**
 * SQLite's online backup API, run on a connection that already holds a read transaction. The
 * default of 100 pages per step restarts whenever another connection commits, and under a steady
 * writer never finishes; inside one held read transaction every step reads the same snapshot,
 * so it cannot restart, and it finishes in the time one step of all pages would take. Slower
 * than copying the file (a system call per page) but needs nothing beyond SQLite's public API.
 */
export async function copyWithBackupApi(
  reader: Database.Database,
  target: string,
  options: { pageSize: number; signal: AbortSignal; onBytes: (bytesDone: number) => void },
): Promise<'done' | 'cancelled'> {
  if (!reader.inTransaction) throw new Error('copyWithBackupApi needs an open read transaction');
  const { pageSize, signal, onBytes } = options;
  const pagesPerStep = Math.max(1, Math.floor(STEP_BYTES / pageSize));
  // The backup opens the target as a database: leftovers of an abandoned fast copy must go.
  await rm(target, { force: true });
  try {
    await reader.backup(target, {
      progress({ totalPages, remainingPages }) {
        if (signal.aborted) throw new BackupCancelled();
        onBytes((totalPages - remainingPages) * pageSize);
        return pagesPerStep;
      },
    });
    return 'done';
  } catch (error) {
    if (error instanceof BackupCancelled) return 'cancelled';
    throw error;
  }
}
