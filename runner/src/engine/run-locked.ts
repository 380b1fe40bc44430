import { createArchive } from '../archive/create-archive';
import { pruneArchives } from '../archive/prune-archives';
import type { RunConfig } from '../config';
import type { SnapshotSummary } from '../protocol';
import type { ResticInvocation } from '../restic/invocation';
import { resticInvocation } from '../restic/invocation';
import { resticRepositoryExists } from '../restic/operations';
import type { RunnerError } from '../result';
import { fail, ok } from '../result';
import type { StagingLayout } from '../staging/layout';
import type { Manifest } from '../staging/manifest';
import { discardPartialRun, pruneStagedRuns } from '../staging/promote';
import type { RunOptions } from './run';
import type { RunReporter } from './reporter';
import { runDueChecks } from './run-checks';
import { runHookPhase } from './run-hooks';
import { stageRun } from './run-sources';
import { backupToTargets } from './run-targets';

export interface LockedOutcome {
  snapshots: SnapshotSummary[];
  /** The staged run's manifest, once staging succeeded. */
  manifest?: Manifest;
  error?: RunnerError;
}

/**
 * The part of a run that happens under the lock: preflight, hooks.before, staging, archive,
 * backups, retention, due checks, local pruning. Returns the first error; never throws.
 */
export async function runLocked(
  config: RunConfig,
  layout: StagingLayout,
  runId: string,
  options: RunOptions,
  reporter: RunReporter,
  invocations: Map<string, ResticInvocation>,
  hookEnv: Record<string, string>,
  onChild: (pid: number) => void,
): Promise<LockedOutcome> {
  const { signal } = options;
  // Secrets first: an unreadable password file should fail the run before anything is touched.
  for (const target of config.targets) {
    const invocation = await resticInvocation(target, true);
    if (!invocation.ok)
      return { snapshots: [], error: { ...invocation.error, subject: target.name } };
    invocations.set(target.name, invocation.value);
    // Before the application is stopped or anything is dumped: a missing repository or a wrong
    // password would otherwise only show after all the work.
    const checked = await reporter.step(
      { id: `preflight:${target.name}`, title: `check the repository of target "${target.name}"` },
      async () => {
        const exists = await resticRepositoryExists(invocation.value, { signal, onStart: onChild });
        if (!exists.ok) return exists;
        return exists.value
          ? ok(undefined)
          : fail(
              'restic-no-repository',
              `there is no restic repository at target "${target.name}"`,
              { subject: target.name, hint: 'create it with `backup-runner init`' },
            );
      },
    );
    if (!checked.ok) return { snapshots: [], error: checked.error };
  }
  // A run killed earlier may have left a partial run behind; it only takes disk space.
  await pruneStagedRuns(layout, undefined, runId);
  const before = await runHookPhase(config.hooks.before, hookEnv, signal, reporter);
  if (!before.ok) return { snapshots: [], error: before.error };

  const staged = await stageRun(config, layout, runId, options.runnerVersion, signal, reporter);
  if (!staged.ok) {
    await discardPartialRun(layout, runId);
    return { snapshots: [], error: staged.error };
  }
  if (config.archive) {
    const archive = config.archive;
    const archived = await reporter.step(
      { id: 'archive', title: `archive the run to ${archive.dir}` },
      () => createArchive(layout.current, archive, config.name, runId, signal),
      (value) => ({ ...value }),
    );
    if (!archived.ok) return { snapshots: [], manifest: staged.value, error: archived.error };
  }
  const manifest = staged.value;
  const targets = await backupToTargets(config, invocations, signal, reporter, onChild);
  const checkError = targets.error
    ? undefined
    : await runDueChecks(config, invocations, signal, reporter, onChild);
  if (!targets.error) {
    await reporter.step(
      { id: 'prune-local', title: 'prune local runs and archives' },
      async () => {
        const runs = await pruneStagedRuns(layout, config.staging.keepRuns, runId);
        const archives = config.archive ? await pruneArchives(config.archive, config.name) : [];
        return { ok: true, value: { runs, archives } };
      },
      (value) => ({ ...value }),
    );
  }
  const error = targets.error ?? checkError;
  return { snapshots: targets.snapshots, manifest, ...(error ? { error } : {}) };
}
