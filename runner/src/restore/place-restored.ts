import { lstat, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Moves a restored file or tree to its place. Directories merge into existing ones; anything
 * else at the destination is replaced (the caller has checked --force before).
 */
export async function moveInto(from: string, to: string): Promise<void> {
  const [source, existing] = await Promise.all([lstat(from), lstat(to).catch(() => undefined)]);
  if (source.isDirectory() && existing?.isDirectory()) {
    for (const name of await readdir(from)) await moveInto(join(from, name), join(to, name));
    return;
  }
  if (existing) await rm(to, { recursive: true, force: true });
  await rename(from, to);
}

/** The files SQLite keeps next to a database while it is open or was not closed cleanly. */
export const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'] as const;

/**
 * Removes a replaced database's `-wal`, `-shm` and `-journal`: next to the restored file they
 * would be taken for its own, and SQLite would replay the old pages onto it.
 */
export async function removeStaleCompanions(database: string): Promise<string[]> {
  const removed: string[] = [];
  for (const suffix of SQLITE_COMPANIONS) {
    const path = `${database}${suffix}`;
    if (await lstat(path).catch(() => undefined)) {
      await rm(path, { force: true });
      removed.push(path);
    }
  }
  return removed;
}

/** True when the file starts with the SQLite header. */
export async function isSqliteFile(path: string): Promise<boolean> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return false;
  try {
    const header = Buffer.alloc(16);
    const { bytesRead } = await file.read(header, 0, 16, 0);
    return bytesRead === 16 && header.toString('latin1') === 'SQLite format 3\0';
  } finally {
    await file.close();
  }
}
