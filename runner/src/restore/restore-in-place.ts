import { constants } from 'node:fs';
import { chmod, chown, link, lstat, mkdir, open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RestoreRecord } from '../protocol';
import type { Result } from '../result';
import { errorMessage, fail, ok } from '../result';
import { moduleFor } from '../sources/registry';
import type { InPlaceRestore } from '../sources/source-module';
import { newRunId } from '../staging/run-id';
import { describeHolders, findFileHolders, refuseIfInUse } from './files-in-use';
import { checkRestoredFiles, describeProblems } from './manifest-check';
import { resolveSnapshotCacheFirst } from '../snapshots/resolve-snapshot';
import { fullCheckAtBackup } from './backup-check';
import { finishRestoreRecord, newRestoreRecord } from './restore-record';
import { restoreToPrivateDir } from './restore-staging';
import { snapshotLayout } from '../snapshots/snapshot-layout';
import { snapshotManifest, sourceFiles } from '../snapshots/snapshot-manifest';
import type { TargetSession } from '../snapshots/target-session';

/**
 * Puts a database back at its source's own path (SQLite: the spec's `path`; a type's module
 * says whether it can, `inPlace`), for when the application is stopped:
 * 1. restores the copy next to the database (same file system), checks it against the manifest
 *    and as its module says (SQLite: `PRAGMA integrity_check`, WAL mode set again) — a quick
 *    check only when those very bytes passed a full check at backup (backup-check.ts) and
 *    --integrity-check does not ask for the full one again;
 * 2. refuses while any process has the database, its `-wal`, `-shm` or `-journal` open or locked
 *    (by device and inode: a hard link or a bind mount is the same file), and when it cannot
 *    see the processes at all (its own PID namespace) unless told the application is stopped;
 * 3. keeps the current database as `<path>.before-restore-<time>` (a hard link), moves its
 *    `-wal`/`-shm`/`-journal` beside it under the same name, and only then renames the copy
 *    over the database: at no moment does a restored database sit next to an old WAL, which
 *    SQLite would replay onto it;
 * 4. gives the copy the owner and mode of the database it replaces.
 */
export interface InPlaceRequest {
  snapshot: string;
  source: string;
  /** The user says the application is stopped (--app-stopped): for when its processes are out of sight. */
  appStopped: boolean;
  /** Run the full integrity_check even when the backup's check stands (--integrity-check). */
  integrityCheck?: boolean;
}

export async function restoreInPlace(
  session: TargetSession,
  request: InPlaceRequest,
): Promise<RestoreRecord> {
  const started = Date.now();
  const spec = session.config.sources.find((s) => s.name === request.source);
  const module = spec ? moduleFor(spec.source) : undefined;
  const inPlace = module?.inPlace;
  const live = spec && inPlace ? inPlace.livePath(spec.source) : '';
  const record = newRestoreRecord(session, live, [request.source]);
  const outcome = inPlace
    ? await replace(
        session,
        request,
        { live, inPlace, companions: module?.placement?.companions ?? [] },
        record,
      )
    : fail('usage', `source "${request.source}" cannot be restored in place`);
  finishRestoreRecord(record, outcome, session.signal, started);
  return record;
}

interface LiveDatabase {
  live: string;
  inPlace: InPlaceRestore;
  /** Suffixes of the files next to the live database (SQLite: -wal, -shm, -journal). */
  companions: readonly string[];
}

async function replace(
  session: TargetSession,
  request: InPlaceRequest,
  database: LiveDatabase,
  record: RestoreRecord,
): Promise<Result<void>> {
  const { source } = request;
  const { live, inPlace, companions: suffixes } = database;
  const snapshot = await resolveSnapshotCacheFirst(session, request.snapshot);
  if (!snapshot.ok) return snapshot;
  record.snapshotId = snapshot.value.id;
  const layout = snapshotLayout(session, snapshot.value);
  if (!layout.sources.includes(source))
    return fail(
      'not-in-snapshot',
      `snapshot ${snapshot.value.shortId} holds no source "${source}"`,
    );
  const manifest = await snapshotManifest(session, snapshot.value, layout);
  if (!manifest.ok) return manifest;
  const entries = sourceFiles(manifest.value, source);
  const file = manifest.value.sources[source]?.metadata['file'];
  const entry =
    entries.find((e) => e.path === `${source}/${String(file)}`) ??
    (entries.length === 1 ? entries[0] : undefined);
  if (!entry)
    return fail(
      'not-in-snapshot',
      `snapshot ${snapshot.value.shortId} holds no database for "${source}"`,
    );
  record.path = entry.path;

  const liveDir = dirname(live);
  const preexisting = await lstat(liveDir).catch(() => undefined);
  if (!preexisting) {
    await mkdir(liveDir, { recursive: true, mode: 0o700 });
    record.warnings.push(`created ${liveDir} (mode 0700): give it the owner the application needs`);
  }
  const tree = await restoreToPrivateDir(session, snapshot.value, layout, [entry.path], liveDir);
  if (!tree.ok) return tree;
  try {
    const check = await checkRestoredFiles(tree.value.runDir, [entry], entry.path, session.signal);
    if (check.problems.length > 0)
      return fail(
        'restore-mismatch',
        `the restored database differs from what the run staged: ${describeProblems(check.problems)}; the live database was not touched`,
      );
    Object.assign(record, {
      files: check.files,
      bytes: check.bytes,
      verifiedFiles: check.verified,
    });
    const copy = join(tree.value.runDir, entry.path);
    // The same bytes (sha256 above) passed a full check at backup: a quick check (page
    // structure, minutes less on a big database) is what is left to run, unless asked.
    const atBackup = request.integrityCheck
      ? undefined
      : await fullCheckAtBackup(session, manifest.value, source);
    if (atBackup) record.fullCheckAtBackup = atBackup;
    const prepared = await inPlace.prepareCopy(copy, {
      metadata: manifest.value.sources[source]?.metadata ?? {},
      signal: session.signal,
      check: atBackup ? 'quick' : 'full',
    });
    if (!prepared.ok) return prepared;
    record.checks = ['sha256', prepared.value.check];
    record.warnings.push(...prepared.value.warnings);

    const companions = suffixes.map((suffix) => `${live}${suffix}`);
    const checked = await refuseIfInUse([live, ...companions], request.appStopped, source);
    if (!checked.ok) return checked;
    const inUse = checked.value;
    if (inUse.hiddenProcesses > 0 && process.getuid?.() !== 0)
      record.warnings.push(
        `the open files of ${inUse.hiddenProcesses} processes of other users could not be seen (run as root to see them); their locks were checked`,
      );
    const swapped = await swapIn(copy, live, suffixes, record);
    if (!swapped.ok) return swapped;
    const after = await findFileHolders([live, ...companions]);
    const appeared = (
      await Promise.all(companions.map((p) => lstat(p).catch(() => undefined)))
    ).some(Boolean);
    if (after.holders.length > 0 || appeared)
      return fail(
        'database-in-use',
        `${live} was opened while it was being replaced${after.holders.length ? `: ${describeHolders(after)}` : ''}`,
        {
          subject: source,
          hint: `stop the application, then restore again; the previous database is ${record.keptAside[0] ?? 'gone'}`,
        },
      );
    return ok(undefined);
  } catch (error) {
    return fail('restore-io', `cannot put the database back at ${live}: ${errorMessage(error)}`);
  } finally {
    await tree.value.remove();
  }
}

async function swapIn(
  copy: string,
  live: string,
  suffixes: readonly string[],
  record: RestoreRecord,
): Promise<Result<void>> {
  const current = await lstat(live).catch(() => undefined);
  const aside = `${live}.before-restore-${newRunId()}`;
  if (current) {
    await chmod(copy, current.mode & 0o7777);
    await chown(copy, current.uid, current.gid).catch(() =>
      record.warnings.push(
        `could not give ${basename(live)} its previous owner ${current.uid}:${current.gid} (not root)`,
      ),
    );
    await link(live, aside);
    record.keptAside.push(aside);
  } else {
    const staged = await lstat(copy);
    record.warnings.push(
      `there was no database at ${live}: the restored one has owner ${staged.uid}:${staged.gid} and mode ${(staged.mode & 0o777).toString(8)}; give it the owner the application needs`,
    );
  }
  for (const suffix of suffixes) {
    if (!(await lstat(`${live}${suffix}`).catch(() => undefined))) continue;
    await rename(`${live}${suffix}`, `${aside}${suffix}`);
    record.keptAside.push(`${aside}${suffix}`);
  }
  await syncFile(copy, constants.O_RDONLY);
  await rename(copy, live);
  await syncFile(dirname(live), constants.O_RDONLY | constants.O_DIRECTORY);
  return ok(undefined);
}

async function syncFile(path: string, flags: number): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
