import { lstat, readdir, rmdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RestoreRecord } from '../protocol';
import type { Result } from '../result';
import { errorMessage, fail, ok } from '../result';
import type { Manifest } from '../staging/manifest';
import { refuseIfInUse } from './files-in-use';
import { describeProblems, checkRestoredFiles } from './manifest-check';
import { moveInto, removeStaleCompanions } from './place-restored';
import { moduleForType } from '../sources/registry';
import { resolveSnapshotCacheFirst } from '../snapshots/resolve-snapshot';
import { finishRestoreRecord, newRestoreRecord } from './restore-record';
import { RESTORE_PREFIX, restoreToPrivateDir } from './restore-staging';
import { removeLeftovers } from './scratch-dirs';
import type { Selection } from './restore-selection';
import { inManifest, placedPath, selectedEntries, selectPaths } from './restore-selection';
import { snapshotLayout } from '../snapshots/snapshot-layout';
import { snapshotManifest } from '../snapshots/snapshot-manifest';
import type { TargetSession } from '../snapshots/target-session';
import { sourceType } from '../snapshots/list-directory';

export interface RestoreRequest {
  snapshot: string;
  source?: string;
  path?: string;
  to: string;
  force: boolean;
  /** The user says the application is stopped (--app-stopped). */
  appStopped: boolean;
}

/**
 * Restores a whole snapshot, a source, or one file or directory into a directory:
 * 1. refuses a non-empty directory without --force;
 * 2. restores into a private directory inside it, and checks every file against the snapshot's
 *    manifest (size and sha256) before anything is put in place;
 * 3. refuses to overwrite a SQLite database that a process has open;
 * 4. moves the files in place, and removes the stale `-wal`/`-shm`/`-journal` of every database
 *    it replaced.
 */
export async function restoreToDirectory(
  session: TargetSession,
  request: RestoreRequest,
): Promise<RestoreRecord> {
  const started = Date.now();
  const to = resolve(request.to);
  const record = newRestoreRecord(session, to, [], request.path);
  const existed = (await lstat(to).catch(() => undefined)) !== undefined;
  // What a restore killed with -9 left there does not make the directory "not empty".
  await removeLeftovers(to, RESTORE_PREFIX);
  const outcome = await restore(session, request, to, record);
  // A failed restore leaves no trace: not even the directory it created (rmdir: only if empty).
  if (!outcome.ok && !existed) await rmdir(to).catch(() => undefined);
  finishRestoreRecord(record, outcome, session.signal, started);
  return record;
}

async function restore(
  session: TargetSession,
  request: RestoreRequest,
  to: string,
  record: RestoreRecord,
): Promise<Result<void>> {
  const empty = await checkDestination(to, request.force);
  if (!empty.ok) return empty;
  const snapshot = await resolveSnapshotCacheFirst(session, request.snapshot);
  if (!snapshot.ok) return snapshot;
  record.snapshotId = snapshot.value.id;
  const layout = snapshotLayout(session, snapshot.value);
  const manifest = await snapshotManifest(session, snapshot.value, layout);
  if (!manifest.ok) {
    if (manifest.error.code !== 'not-in-snapshot') return manifest;
    record.warnings.push('the snapshot has no manifest.json: the restored files are not checked');
  }
  const known = manifest.ok ? manifest.value : undefined;
  const typeOf = (source: string) => known?.sources[source]?.type ?? sourceType(session, source);
  const selection = selectPaths(request, layout, known, typeOf);
  if (!selection.ok) return selection;
  record.sources = selection.value.sources;
  if (known && selection.value.path !== '' && !inManifest(known, selection.value.path))
    return fail(
      'not-in-snapshot',
      `${selection.value.path} is not in snapshot ${snapshot.value.shortId}`,
      { hint: `backup-runner ls ${snapshot.value.shortId} shows what it holds` },
    );
  const paths =
    selection.value.path === '' ? [...layout.sources, 'manifest.json'] : [selection.value.path];
  const tree = await restoreToPrivateDir(session, snapshot.value, layout, paths, to);
  if (!tree.ok) return tree;
  try {
    const chosen = join(tree.value.runDir, selection.value.path);
    if (!(await lstat(chosen).catch(() => undefined)))
      return fail(
        'not-in-snapshot',
        `${selection.value.path} is not in snapshot ${snapshot.value.shortId}`,
        {
          hint: `backup-runner ls ${snapshot.value.shortId} shows what it holds`,
        },
      );
    if (!known) record.files = (await countFiles(chosen)).files;
    else {
      const checked = await checkSelection(
        tree.value.runDir,
        known,
        selection.value,
        session.signal,
      );
      if (!checked.ok) return checked;
      Object.assign(record, checked.value);
    }
    const databases = await restoredDatabases(tree.value.runDir, selection.value, typeOf);
    const finals = databases.map(({ path, companions }) => ({
      path: join(to, placedPath(selection.value, path)),
      companions,
    }));
    const replaced: string[] = [];
    for (const path of finals.flatMap((f) => [f.path, ...f.companions.map((s) => f.path + s)]))
      if (await lstat(path).catch(() => undefined)) replaced.push(path);
    // Only a database that is there to be overwritten can be in use.
    if (replaced.length > 0) {
      const inUse = await refuseIfInUse(replaced, request.appStopped);
      if (!inUse.ok) return inUse;
    }
    for (const name of await placedNames(tree.value.runDir, selection.value))
      await moveInto(join(tree.value.runDir, name.from), join(to, name.to));
    for (const { path, companions } of finals)
      record.removed.push(...(await removeStaleCompanions(path, companions)));
    return ok(undefined);
  } catch (error) {
    return fail('restore-io', `cannot put the restored files in ${to}: ${errorMessage(error)}`);
  } finally {
    await tree.value.remove();
  }
}

async function checkDestination(to: string, force: boolean): Promise<Result<void>> {
  const info = await lstat(to).catch(() => undefined);
  if (!info) return ok(undefined);
  if (!info.isDirectory())
    return fail('restore-target-not-a-directory', `${to} is not a directory`);
  const entries = await readdir(to).catch(() => []);
  if (entries.length > 0 && !force)
    return fail('restore-target-not-empty', `${to} is not empty; nothing was restored`, {
      hint: 'restore into an empty or new directory, or add --force to overwrite the files the restore brings (other files stay)',
    });
  return ok(undefined);
}

async function checkSelection(
  runDir: string,
  manifest: Manifest,
  selection: Selection,
  signal: AbortSignal,
): Promise<Result<Pick<RestoreRecord, 'files' | 'bytes' | 'verifiedFiles'>>> {
  const entries = selectedEntries(manifest, selection);
  const scopes = selection.path === '' ? selection.sources : [selection.path];
  let files = 0;
  let bytes = 0;
  let verifiedFiles = 0;
  const problems = [];
  for (const scope of scopes) {
    const scoped = entries.filter((e) => e.path === scope || e.path.startsWith(`${scope}/`));
    const check = await checkRestoredFiles(runDir, scoped, scope, signal);
    files += check.files;
    bytes += check.bytes;
    verifiedFiles += check.verified;
    problems.push(...check.problems);
  }
  if (signal.aborted) return fail('cancelled', 'the restore was cancelled');
  if (problems.length > 0)
    return fail(
      'restore-mismatch',
      `the restored files differ from what the run staged: ${describeProblems(problems)}; nothing was put in place`,
      { hint: 'run `restic check --read-data` on the repository, and restore an earlier snapshot' },
    );
  return ok({ files, bytes, verifiedFiles });
}

/**
 * Live databases among the restored files (run-relative), as their source type's module tells
 * them (by file header), with the suffixes of the files that sit next to them.
 */
async function restoredDatabases(
  runDir: string,
  selection: Selection,
  typeOf: (source: string) => string | undefined,
): Promise<{ path: string; companions: readonly string[] }[]> {
  const found: { path: string; companions: readonly string[] }[] = [];
  for (const source of selection.sources) {
    const placement = moduleForType(typeOf(source))?.placement;
    if (!placement) continue;
    const base = selection.path === '' ? source : selection.path;
    for (const path of (await countFiles(join(runDir, base))).paths)
      if (await placement.isDatabase(join(runDir, base, path)))
        found.push({
          path: path === '' ? base : `${base}/${path}`,
          companions: placement.companions,
        });
  }
  return found;
}

/** What to move where, relative to the run directory and to the destination. */
async function placedNames(
  runDir: string,
  selection: Selection,
): Promise<{ from: string; to: string }[]> {
  const chosen = selection.path;
  if (chosen === '' || selection.sources.includes(chosen)) {
    const names = await readdir(join(runDir, chosen));
    return names.map((name) => {
      const from = chosen === '' ? name : `${chosen}/${name}`;
      return { from, to: placedPath(selection, from) };
    });
  }
  return [{ from: chosen, to: placedPath(selection, chosen) }];
}

/** Files under a path (itself when it is a file), relative to it. */
async function countFiles(path: string): Promise<{ files: number; paths: string[] }> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) return { files: 0, paths: [] };
  if (!info.isDirectory()) return { files: 1, paths: [''] };
  const paths: string[] = [];
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const inner = await countFiles(join(path, entry.name));
    paths.push(...inner.paths.map((p) => (p === '' ? entry.name : `${entry.name}/${p}`)));
  }
  return { files: paths.length, paths };
}
