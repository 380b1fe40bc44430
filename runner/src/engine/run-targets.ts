import type { SnapshotSummary } from '../protocol';
import { backupArgs, forgetArgs } from '../restic/commands';
import { resticBackup, resticForget } from '../restic/operations';
import type { RunnerError } from '../result';
import { stepIds, targetPaths } from './plan';
import type { RunContext } from './run-context';
import type { ShrunkSource } from './source-guards';
import { SHRUNK_TAG } from './source-guards';

export interface TargetsOutcome {
  snapshots: SnapshotSummary[];
  /** The first failure; the other targets are still backed up, but no retention runs. */
  error?: RunnerError;
}

/** Backs the run up to every target; retention is applyRetention's, once everything passed. */
export async function backupToTargets(
  context: RunContext,
  shrunk: ShrunkSource[],
): Promise<TargetsOutcome> {
  const { config, reporter, signal, invocations } = context;
  const snapshots: SnapshotSummary[] = [];
  let error: RunnerError | undefined;
  for (const target of config.targets) {
    const invocation = invocations.get(target.name);
    if (!invocation) continue;
    const paths = targetPaths(config, target.sources);
    // A run whose sources shrank is kept, marked for whoever looks at the snapshots later.
    const args = backupArgs(config, target, paths);
    if (shrunk.length > 0) args.splice(args.indexOf('--host'), 0, '--tag', SHRUNK_TAG);
    const result = await reporter.step(
      stepIds.backup(target.name),
      (step) =>
        resticBackup(invocation, args, {
          signal,
          onLockWait: step.log,
          onProgress: ({ bytesDone, bytesTotal }) => step.progress(bytesDone, bytesTotal),
        }),
      (summary) => ({ ...summary }),
    );
    if (result.ok) snapshots.push(result.value);
    else {
      error ??= result.error;
      if (result.error.code === 'cancelled') return { snapshots, error };
    }
  }
  return { snapshots, ...(error ? { error } : {}) };
}

/**
 * Retention on every target, only when every step before it succeeded (the backups and the
 * checks of the staged copies): a failed run never deletes anything, the good old snapshots are
 * all there is. The retention steps it passes over are announced as skipped, with the failure
 * as the reason.
 */
export async function applyRetention(
  context: RunContext,
  shrunk: ShrunkSource[],
): Promise<RunnerError | undefined> {
  const { config, reporter, signal, invocations } = context;
  const retention = config.retention;
  if (!retention) return undefined;
  let error: RunnerError | undefined;
  for (const target of config.targets) {
    const id = stepIds.retention(target.name);
    const invocation = invocations.get(target.name);
    // The plan skips a damaged target; a run whose sources shrank forgets nothing anywhere.
    const skip =
      reporter.planned(id).skip ??
      (shrunk.length > 0
        ? `not applied: source ${shrunk.map((s) => `"${s.source}"`).join(', ')} shrank far below its last size; nothing is forgotten until a run is accepted`
        : undefined);
    if (skip !== undefined || !invocation) {
      reporter.skip(id, skip ?? 'no restic invocation');
      continue;
    }
    const result = await reporter.step(
      id,
      (step) =>
        resticForget(invocation, forgetArgs(config, target, retention), {
          signal,
          onLockWait: step.log,
        }),
      (value) => ({ ...value }),
    );
    if (!result.ok) error ??= result.error;
  }
  return error;
}
