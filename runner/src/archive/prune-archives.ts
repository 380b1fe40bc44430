import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedArchive } from '../config';
import { runIdTime } from '../staging/run-id';

/**
 * Deletes this spec's archives older than keep_within, by the run time in their name. The newest
 * archive is always kept, even when runs stopped for longer than keep_within: a stopped schedule
 * must not also erase the last local copy.
 */
export async function pruneArchives(
  archive: ResolvedArchive,
  name: string,
  now: Date = new Date(),
): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(archive.dir);
  } catch {
    return [];
  }
  const prefix = `${name}-`;
  const ours = entries
    .filter((file) => file.startsWith(prefix) && !file.endsWith('.partial'))
    .map((file) => ({
      file,
      time: runIdTime(file.slice(prefix.length).replace(/\.tar(\.zst|\.gz)?$/, '')),
    }))
    .filter((entry): entry is { file: string; time: Date } => entry.time !== undefined)
    .sort((a, b) => b.time.getTime() - a.time.getTime());
  const removed: string[] = [];
  // A .partial archive is a run that died while writing it (prune runs under the lock).
  for (const file of entries.filter((f) => f.startsWith(prefix) && f.endsWith('.partial'))) {
    await rm(join(archive.dir, file), { force: true });
    removed.push(file);
  }
  for (const entry of ours.slice(1)) {
    if (now.getTime() - entry.time.getTime() > archive.keepWithinMs) {
      await rm(join(archive.dir, entry.file), { force: true });
      removed.push(entry.file);
    }
  }
  return removed;
}
