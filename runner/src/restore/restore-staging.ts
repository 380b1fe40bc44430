import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { resticRestore } from '../restic/restore';
import type { ResticSnapshot } from '../restic/snapshots';
import type { Result } from '../result';
import { errorMessage, fail, ok } from '../result';
import { makeScratchDir } from './scratch-dirs';
import type { SnapshotLayout } from '../snapshots/snapshot-layout';
import type { TargetSession } from '../snapshots/target-session';

/** The private directories a restore works in (verify's are `.backup-yaml-verify-`). */
export const RESTORE_PREFIX = '.backup-yaml-restore-';

/** A snapshot's paths restored into a private directory, where they keep their full path. */
export interface RestoredTree {
  /** The private directory restic wrote into. */
  dir: string;
  /** The snapshot's run directory inside it: `<dir>/<staging.dir>/current`. */
  runDir: string;
  remove(): Promise<void>;
}

/**
 * Restores `userPaths` of a snapshot into a fresh 0700 directory inside `parent`. Inside the
 * destination's own directory, so that putting files in place is a rename on one file system:
 * a file is either fully there or not at all, and a failed restore leaves nothing behind.
 */
export async function restoreToPrivateDir(
  session: TargetSession,
  snapshot: ResticSnapshot,
  layout: SnapshotLayout,
  userPaths: string[],
  parent: string,
  prefix = RESTORE_PREFIX,
): Promise<Result<RestoredTree>> {
  let dir: string;
  try {
    await mkdir(parent, { recursive: true, mode: 0o700 });
    dir = await makeScratchDir(parent, prefix);
  } catch (error) {
    return fail('restore-io', `cannot create a directory in ${parent}: ${errorMessage(error)}`, {
      hint: 'the restore needs write access there, and room for what it restores',
    });
  }
  const remove = () => rm(dir, { recursive: true, force: true }).catch(() => undefined);
  const invocation = await session.invocation();
  if (!invocation.ok) {
    await remove();
    return invocation;
  }
  const restored = await resticRestore(
    invocation.value,
    snapshot.id,
    dir,
    userPaths.map((path) => layout.resticPath(path)),
    { signal: session.signal },
  );
  if (!restored.ok) {
    await remove();
    return restored;
  }
  return ok({ dir, runDir: join(dir, layout.root), remove });
}
