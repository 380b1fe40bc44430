import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '../../result';
import { errorMessage, fail, ok } from '../../result';

/**
 * One line of a libpq password file matching every host, port, database and user: the password
 * with `\` and `:` escaped. Without a password there is nothing to match, and libpq then finds
 * no line (a role with trust or peer authentication needs none).
 */
export function renderPgpass(password: string | undefined): string {
  if (password === undefined) return '';
  // libpq reads a line up to the newline; a password cannot hold one there.
  const value = password.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  return `*:*:*:*:${value}\n`;
}

export interface PgpassFile {
  path: string;
  remove(): Promise<void>;
}

/**
 * Writes the password file libpq reads through PGPASSFILE: a plain file (libpq ignores a FIFO)
 * of mode 0600 (it ignores a group- or world-readable one) in a fresh 0700 directory, in
 * /dev/shm when there is one so the secret does not reach a disk. Removed after the tool ran.
 */
export async function writePgpassFile(password: string | undefined): Promise<Result<PgpassFile>> {
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(await privateRoot(), 'backup-runner-pgpass-'));
    await chmod(dir, 0o700);
    const path = join(dir, 'pgpass');
    await writeFile(path, renderPgpass(password), { mode: 0o600, flag: 'wx' });
    const made = dir;
    return ok({ path, remove: () => rm(made, { recursive: true, force: true }) });
  } catch (error) {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    return fail(
      'postgres-pgpass-failed',
      `cannot write a private pgpass file: ${errorMessage(error)}`,
    );
  }
}

async function privateRoot(): Promise<string> {
  const shm = await stat('/dev/shm').catch(() => undefined);
  return shm?.isDirectory() ? '/dev/shm' : tmpdir();
}

/**
 * The environment a PostgreSQL tool gets on the host: the private pgpass file, and an empty PGPASSWORD so
 * that one in the runner's own environment is not used instead (libpq prefers it to the file).
 */
export function pgpassEnvironment(path: string): Record<string, string> {
  return { PGPASSFILE: path, PGPASSWORD: '' };
}
