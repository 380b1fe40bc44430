import Database from 'better-sqlite3';
import type { Result } from '../../result';
import { errorMessage, fail } from '../../result';

/** Where a failure happened, for the message and the RunnerError's subject. */
export interface ErrorContext {
  /** The source's name in the spec. */
  subject: string;
  /** The database file, as the message names it. */
  path: string;
}

export function isBusyError(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    (error.code.startsWith('SQLITE_BUSY') || error.code.startsWith('SQLITE_LOCKED'))
  );
}

export function busyFailure<T>(context: ErrorContext, waitedMs?: number): Result<T> {
  const waited = waitedMs === undefined ? '' : ` for ${(waitedMs / 1000).toFixed(1)} s`;
  return fail('sqlite-busy', `${context.path} stayed locked by another connection${waited}`, {
    subject: context.subject,
    hint: 'a writer held the database longer than busy_timeout; raise busy_timeout or run the backup when the application is quieter',
  });
}

export function cancelledFailure<T>(context: ErrorContext): Result<T> {
  return fail('cancelled', `the snapshot of ${context.path} was cancelled`, {
    subject: context.subject,
  });
}

/** Turns what SQLite or the file system threw into a RunnerError with a stable code. */
export function sqliteFailure<T>(context: ErrorContext, error: unknown, doing: string): Result<T> {
  const { subject, path } = context;
  const detail = errorMessage(error);
  if (error instanceof Database.SqliteError) {
    const code = error.code;
    if (code === 'SQLITE_NOTADB')
      return fail('sqlite-not-a-database', `${path} is not a SQLite database (${detail})`, {
        subject,
        hint: 'check that path names the database file itself, not a copy or an encrypted file',
      });
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
      return busyFailure(context);
    if (code.startsWith('SQLITE_CORRUPT'))
      return fail('sqlite-corrupt', `${path} is corrupt: ${doing} failed (${detail})`, {
        subject,
        detail: `${code}: ${detail}`,
        hint: 'the live database itself is damaged; run PRAGMA integrity_check on it and restore from an earlier backup',
      });
    return fail('sqlite-io', `${doing} ${path} failed: ${detail} [${code}]`, {
      subject,
      hint: permissionHint(code),
      detail: `${code}: ${detail}`,
    });
  }
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (errno === 'ENOSPC')
    return fail('sqlite-io', `${doing} failed: no space left on the staging disk`, {
      subject,
      hint: 'free space under staging.dir; a snapshot needs as much room as the database',
    });
  return fail('sqlite-io', `${doing} failed: ${detail}`, { subject });
}

function permissionHint(code: string): string | undefined {
  if (
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_READONLY') ||
    code === 'SQLITE_PERM'
  )
    return 'the backup user needs read and write access to the database file and its directory (SQLite keeps its lock files -wal/-shm there)';
  return undefined;
}
