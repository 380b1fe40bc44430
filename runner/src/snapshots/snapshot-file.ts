import { posix } from 'node:path';
import type { ListingEntry } from '../protocol';
import type { ResticInvocation } from '../restic/invocation';
import { runRestic } from '../restic/run-restic';
import type { Result } from '../result';
import { fail, ok } from '../result';
import { listDirectory } from './list-directory';
import { resolveCachedSnapshot } from './resolve-snapshot';
import { normalizeUserPath, snapshotLayout } from './snapshot-layout';
import type { TargetSession } from './target-session';

/** One file of a snapshot, found through its directory's (cached) listing. */
export interface SnapshotFile {
  snapshotId: string;
  entry: ListingEntry & { size: number };
  /** Where restic has it: `<staging.dir>/current/<source>/...`. */
  resticPath: string;
}

/**
 * Finds `path` (`<source>/<path inside it>`, as `ls` names it) in a snapshot. Its directory's
 * listing says whether it is there, what it is and how big: that listing is cached, so a file
 * is looked up without restic once its folder has been shown.
 */
export async function findSnapshotFile(
  session: TargetSession,
  ref: string,
  path: string,
): Promise<Result<SnapshotFile>> {
  const userPath = normalizeUserPath(path);
  if (!userPath.ok) return userPath;
  if (!userPath.value.includes('/'))
    return fail(
      'not-a-file',
      `"${userPath.value || '/'}" is a source or the snapshot's root, not a file`,
      { hint: `list it: backup-runner ls ${ref} ${userPath.value}` },
    );
  const listing = await listDirectory(session, ref, posix.dirname(userPath.value));
  if (!listing.ok) return listing;
  const { snapshotId } = listing.value;
  const entry = listing.value.entries.find((e) => e.path === userPath.value);
  if (!entry)
    return fail(
      'not-in-snapshot',
      `${userPath.value} is not in snapshot ${snapshotId.slice(0, 8)}`,
      {
        subject: session.target.name,
        hint: `backup-runner ls ${snapshotId.slice(0, 8)} ${posix.dirname(userPath.value)}`,
      },
    );
  if (entry.type !== 'file')
    return fail(
      'not-a-file',
      `${userPath.value} is a ${entry.type === 'dir' ? 'directory' : entry.type} in snapshot ${snapshotId.slice(0, 8)}, not a file`,
      entry.type === 'dir'
        ? { hint: `backup-runner ls ${snapshotId.slice(0, 8)} ${userPath.value}` }
        : {},
    );
  // listDirectory has just cached the snapshot's metadata under its full id.
  const snapshot = await resolveCachedSnapshot(session, snapshotId);
  if (!snapshot) return fail('snapshot-not-found', `snapshot ${snapshotId.slice(0, 8)} vanished`);
  return ok({
    snapshotId,
    entry: { ...entry, size: entry.size ?? 0 },
    resticPath: snapshotLayout(session, snapshot).resticPath(userPath.value),
  });
}

/**
 * Streams a file's bytes from the repository (`restic dump`) to `onBytes`, in order; fails
 * unless exactly the listed size arrived.
 */
export async function dumpSnapshotFile(
  session: TargetSession,
  file: SnapshotFile,
  onBytes: (chunk: Buffer) => void,
): Promise<Result<number>> {
  const invocation = await session.invocation();
  if (!invocation.ok) return invocation;
  return dumpWith(invocation.value, session.signal, file, onBytes);
}

async function dumpWith(
  invocation: ResticInvocation,
  signal: AbortSignal,
  file: SnapshotFile,
  onBytes: (chunk: Buffer) => void,
): Promise<Result<number>> {
  let bytes = 0;
  const dumped = await runRestic(invocation, ['dump', file.snapshotId, file.resticPath], {
    signal,
    onStdout: (chunk) => {
      bytes += chunk.length;
      onBytes(chunk);
    },
  });
  if (!dumped.ok) return dumped;
  if (bytes !== file.entry.size)
    return fail(
      'restic-output',
      `restic dump gave ${bytes} bytes of ${file.entry.path}; the snapshot lists ${file.entry.size}`,
      { subject: invocation.target },
    );
  return ok(bytes);
}
