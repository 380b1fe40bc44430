import { createArchive } from '../archive/create-archive';
import { pruneArchives } from '../archive/prune-archives';
import type { SnapshotSummary } from '../protocol';
import { resticInvocation } from '../restic/invocation';
import { resticRepositoryExists } from '../restic/operations';
import type { Result, RunnerError } from '../result';
import { fail, ok } from '../result';
import type { Manifest } from '../staging/manifest';
import { discardPartialRun, pruneStagedRuns } from '../staging/promote';
import { stepIds } from './plan';
import type { RunContext } from './run-context';
import { recordChild } from './run-context';
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
export async function runLocked(context: RunContext): Promise<LockedOutcome> {
  const { config, layout, runId, reporter } = context;
  const preflight = await preflightTargets(context);
  if (!preflight.ok) return { snapshots: [], error: preflight.error };
  // A run killed earlier may have left a partial run behind; it only takes disk space.
  await pruneStagedRuns(layout, undefined, runId);
  const before = await runHookPhase(context, config.hooks.before, {});
  if (!before.ok) return { snapshots: [], error: before.error };

  const staged = await stageRun(context);
  if (!staged.ok) {
    await discardPartialRun(layout, runId);
    return { snapshots: [], error: staged.error };
  }
  const manifest = staged.value;
  if (config.archive) {
    const archive = config.archive;
    const archived = await reporter.step(
      stepIds.archive,
      () => createArchive(layout.current, archive, config.name, runId, context.signal),
      (value) => ({ ...value }),
    );
    if (!archived.ok) return { snapshots: [], manifest, error: archived.error };
  }
  const targets = await backupToTargets(context);
  const checkError = targets.error ? undefined : await runDueChecks(context);
  if (!targets.error) {
    await reporter.step(
      stepIds.pruneLocal,
      async () => {
        const runs = await pruneStagedRuns(layout, config.staging.keepRuns, runId);
        const archives = config.archive ? await pruneArchives(config.archive, config.name) : [];
        return ok({ runs, archives });
      },
      (value) => ({ ...value }),
    );
  }
  const error = targets.error ?? checkError;
  return { snapshots: targets.snapshots, manifest, ...(error ? { error } : {}) };
}

/**
 * Reads each target's secrets and checks that its repository exists and opens, before the
 * application is stopped or anything is dumped: a missing repository or a wrong password would
 * otherwise only show after all the work.
 */
async function preflightTargets(context: RunContext): Promise<Result<void>> {
  const { config, reporter, signal } = context;
  for (const target of config.targets) {
    const checked = await reporter.step(stepIds.preflight(target.name), async () => {
      const invocation = await resticInvocation(target, true);
      if (!invocation.ok)
        return { ok: false, error: { ...invocation.error, subject: target.name } };
      context.invocations.set(target.name, invocation.value);
      const exists = await resticRepositoryExists(invocation.value, {
        signal,
        onStart: recordChild(context),
      });
      if (!exists.ok) return exists;
      return exists.value
        ? ok(undefined)
        : fail('restic-no-repository', `there is no restic repository at target "${target.name}"`, {
            subject: target.name,
            hint: 'create it with `backup-runner init`',
          });
    });
    if (!checked.ok) return checked;
  }
  return ok(undefined);
}
