import type { SnapshotSummary } from '../protocol';
import { backupArgs, forgetArgs } from '../restic/commands';
import { resticBackup, resticForget } from '../restic/operations';
import type { RunnerError } from '../result';
import { stepIds, targetPaths } from './plan';
import type { RunContext } from './run-context';
import { recordChild } from './run-context';

export interface TargetsOutcome {
  snapshots: SnapshotSummary[];
  /** The first failure; the other targets are still backed up, but no retention runs. */
  error?: RunnerError;
}

/** Backs the run up to every target, then (only if all succeeded) applies retention to each. */
export async function backupToTargets(context: RunContext): Promise<TargetsOutcome> {
  const { config, reporter, signal, invocations } = context;
  const snapshots: SnapshotSummary[] = [];
  let error: RunnerError | undefined;
  for (const target of config.targets) {
    const invocation = invocations.get(target.name);
    if (!invocation) continue;
    const paths = targetPaths(config, target.sources);
    const result = await reporter.step(
      stepIds.backup(target.name),
      (step) =>
        resticBackup(invocation, backupArgs(config, target, paths), {
          signal,
          onStart: recordChild(context),
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
  const retention = config.retention;
  // A failed run never deletes anything: the good old snapshots are all there is. The retention
  // steps it passes over are announced as skipped, with the failure as the reason.
  if (!retention || error) return { snapshots, ...(error ? { error } : {}) };
  for (const target of config.targets) {
    const invocation = invocations.get(target.name);
    if (!invocation) continue;
    const result = await reporter.step(
      stepIds.retention(target.name),
      () =>
        resticForget(invocation, forgetArgs(config, target, retention), {
          signal,
          onStart: recordChild(context),
        }),
      (value) => ({ ...value }),
    );
    if (!result.ok) error ??= result.error;
  }
  return { snapshots, ...(error ? { error } : {}) };
}
