import { lstat, readdir, rename, rm } from 'node:fs/promises';
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

/**
 * Removes the files a replaced database kept next to it (its module's `companions`, SQLite's
 * `-wal`, `-shm` and `-journal`): next to the restored file they would be taken for its own.
 */
export async function removeStaleCompanions(
  database: string,
  suffixes: readonly string[],
): Promise<string[]> {
  const removed: string[] = [];
  for (const suffix of suffixes) {
    const path = `${database}${suffix}`;
    if (await lstat(path).catch(() => undefined)) {
      await rm(path, { force: true });
      removed.push(path);
    }
  }
  return removed;
}
