import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import type { Result } from '../result';
import { errorMessage, fail, ok } from '../result';
import type { StagingLayout } from './layout';
import { readManifest } from './manifest';
import { isRunId } from './run-id';

/** Creates the staging root and the run's partial directory, private to the backup user. */
export async function createPartialRun(
  layout: StagingLayout,
  runId: string,
  sources: string[],
): Promise<Result<string>> {
  const dir = layout.partial(runId);
  try {
    await mkdir(layout.root, { recursive: true, mode: 0o700 });
    await mkdir(dir, { mode: 0o700 });
    for (const source of sources) await mkdir(`${dir}/${source}`, { mode: 0o700 });
    return ok(dir);
  } catch (error) {
    return fail('staging-io', `cannot create the staging run ${dir}: ${errorMessage(error)}`, {
      hint: 'check that staging.dir is writable by the backup user and has room for a full copy',
    });
  }
}

/**
 * Makes a finished run the stable `current/` directory restic reads. The previous current run
 * moves aside to `<its run id>/` (pruned by keep_runs). Only a complete run is ever promoted.
 */
export async function promoteRun(
  layout: StagingLayout,
  runId: string,
): Promise<Result<{ previous?: string }>> {
  try {
    let previousId: string | undefined;
    if (await exists(layout.current)) {
      const previous = await readManifest(layout.current);
      previousId =
        previous.ok && isRunId(previous.value.runId)
          ? previous.value.runId
          : `unknown-${Date.now()}`;
      await rm(layout.kept(previousId), { recursive: true, force: true });
      await rename(layout.current, layout.kept(previousId));
    }
    await rename(layout.partial(runId), layout.current);
    return ok(previousId === undefined ? {} : { previous: previousId });
  } catch (error) {
    return fail(
      'staging-io',
      `cannot promote run ${runId} to ${layout.current}: ${errorMessage(error)}`,
    );
  }
}

/**
 * Undoes promoteRun after the promoted run was found bad (its copy failed the check that ran
 * alongside the backup): the run is removed and the previous one, if any, is current/ again.
 */
export async function withdrawPromotedRun(
  layout: StagingLayout,
  previous: string | undefined,
): Promise<Result<void>> {
  try {
    await rm(layout.current, { recursive: true, force: true });
    if (previous !== undefined && (await exists(layout.kept(previous))))
      await rename(layout.kept(previous), layout.current);
    return ok(undefined);
  } catch (error) {
    return fail(
      'staging-io',
      `cannot restore the previous run as ${layout.current}: ${errorMessage(error)}`,
    );
  }
}

export async function discardPartialRun(layout: StagingLayout, runId: string): Promise<void> {
  await rm(layout.partial(runId), { recursive: true, force: true });
}

/**
 * Keeps the newest `keepRuns` earlier runs (all of them when undefined), and removes partial
 * runs other than the active one (left by a run that was killed). Called with the lock held.
 */
export async function pruneStagedRuns(
  layout: StagingLayout,
  keepRuns: number | undefined,
  activeRunId: string,
): Promise<string[]> {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = await readdir(layout.root);
  } catch {
    return removed;
  }
  const kept = entries
    .filter((name) => isRunId(name) || name.startsWith('unknown-'))
    .sort()
    .reverse();
  const partials = entries.filter(
    (name) => name.endsWith('.partial') && name !== `${activeRunId}.partial`,
  );
  for (const name of [...(keepRuns === undefined ? [] : kept.slice(keepRuns)), ...partials]) {
    await rm(`${layout.root}/${name}`, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
