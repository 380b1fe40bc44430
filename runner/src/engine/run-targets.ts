import type { RunConfig } from '../config';
import type { SnapshotSummary } from '../protocol';
import { backupArgs, forgetArgs } from '../restic/commands';
import type { ResticInvocation } from '../restic/invocation';
import { resticBackup, resticForget } from '../restic/operations';
import type { RunnerError } from '../result';
import { targetPaths } from './plan';
import type { RunReporter } from './reporter';

export interface TargetsOutcome {
  snapshots: SnapshotSummary[];
  /** The first failure; the other targets are still backed up, but no retention runs. */
  error?: RunnerError;
}

/** Backs the run up to every target, then (only if all succeeded) applies retention to each. */
export async function backupToTargets(
  config: RunConfig,
  invocations: Map<string, ResticInvocation>,
  signal: AbortSignal,
  reporter: RunReporter,
  onChild: (pid: number) => void,
): Promise<TargetsOutcome> {
  const snapshots: SnapshotSummary[] = [];
  let error: RunnerError | undefined;
  for (const target of config.targets) {
    const invocation = invocations.get(target.name);
    if (!invocation) continue;
    const result = await reporter.step(
      { id: `backup:${target.name}`, title: `restic backup to target "${target.name}"` },
      (context) =>
        resticBackup(invocation, backupArgs(config, target, targetPaths(config, target.sources)), {
          signal,
          onStart: onChild,
          onProgress: ({ bytesDone, bytesTotal }) => context.progress(bytesDone, bytesTotal),
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
  if (!retention) return { snapshots, ...(error ? { error } : {}) };
  for (const target of config.targets) {
    const step = {
      id: `retention:${target.name}`,
      title: `apply retention to target "${target.name}"`,
    };
    if (error) {
      // A failed run never deletes anything: the good old snapshots are all there is.
      reporter.skip(step, `not applied: the run failed (${error.code})`);
      continue;
    }
    const invocation = invocations.get(target.name);
    if (!invocation) continue;
    const result = await reporter.step(
      step,
      () =>
        resticForget(invocation, forgetArgs(config, target, retention), {
          signal,
          onStart: onChild,
        }),
      (value) => ({ ...value }),
    );
    if (!result.ok) error ??= result.error;
  }
  return { snapshots, ...(error ? { error } : {}) };
}
