import { realpath, stat } from 'node:fs/promises';
import type { Result } from '../../result';
import { fail, ok } from '../../result';
import type { ErrorContext } from './errors';
import { sqliteFailure } from './errors';

/**
 * The database file with symlinks resolved: SQLite follows them too and keeps -wal and -shm
 * next to the real file, where we must look for them.
 */
export async function locateDatabase(path: string, context: ErrorContext): Promise<Result<string>> {
  try {
    const real = await realpath(path);
    const info = await stat(real);
    if (!info.isFile())
      return fail('sqlite-not-a-database', `${path} is not a file`, {
        subject: context.subject,
        hint: 'path must name the database file itself',
      });
    return ok(real);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return fail('sqlite-missing', `${path} does not exist`, {
        subject: context.subject,
        hint: 'check the path; a database that was never created cannot be backed up',
      });
    return sqliteFailure(context, error, 'opening');
  }
}
