import { createArchive } from '../archive/create-archive';
import { pruneArchives } from '../archive/prune-archives';
import type { SnapshotSummary } from '../protocol';
import type { RunnerError } from '../result';
import { ok } from '../result';
import type { Manifest } from '../staging/manifest';
import { discardPartialRun, pruneStagedRuns } from '../staging/promote';
import { stepIds } from './plan';
import { preflight } from './preflight';
import type { RunContext } from './run-context';
import { runDueChecks } from './run-checks';
import { runHookPhase } from './run-hooks';
import { stageRun, stopChecks } from './run-sources';
import { awaitCopyChecks } from './copy-checks';
import { applyRetention, backupToTargets } from './run-targets';
import { findShrunkSources, SHRUNK_TAG, shrunkError } from './source-guards';
import { damagedTargets } from '../monitoring/target-damage';

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
  const checked = await preflight(context);
  if (!checked.ok) return { snapshots: [], error: checked.error };
  // A run killed earlier may have left a partial run behind; it only takes disk space.
  await pruneStagedRuns(layout, undefined, runId);
  const before = await runHookPhase(context, config.hooks.before, {});
  if (!before.ok) return { snapshots: [], error: before.error };

  const staged = await stageRun(context);
  if (!staged.ok) {
    await discardPartialRun(layout, runId);
    return { snapshots: [], error: staged.error };
  }
  const { manifest, pendingChecks } = staged.value;
  const failed = async (error: RunnerError): Promise<LockedOutcome> => {
    await stopChecks(pendingChecks);
    return { snapshots: [], manifest, error };
  };
  if (config.archive) {
    const archive = config.archive;
    const archived = await reporter.step(
      stepIds.archive,
      () => createArchive(layout.current, archive, config.name, runId, context.signal),
      (value) => ({ ...value }),
    );
    if (!archived.ok) return failed(archived.error);
  }
  const shrunk = context.acceptShrink ? [] : findShrunkSources(config, manifest, context.state);
  for (const source of shrunk)
    reporter.log(
      'warn',
      `source "${source.source}" staged ${source.bytes} bytes, far below the ${source.previousBytes} of the last success: the snapshot is kept and tagged ${SHRUNK_TAG}, retention is skipped`,
    );
  const backups = await backupToTargets(context, shrunk);
  const badCopy = await awaitCopyChecks(context, staged.value, backups.snapshots);
  const backupError = backups.error ?? badCopy;
  const retained = backupError ? undefined : await applyRetention(context, shrunk);
  const targets = {
    // A withdrawn run's snapshots were forgotten: the run reports none.
    snapshots: badCopy ? [] : backups.snapshots,
    error: backupError ?? retained,
  };
  const checks = targets.error ? undefined : await runDueChecks(context);
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
  const error =
    targets.error ??
    checks?.error ??
    (shrunk.length > 0 ? shrunkError(shrunk) : undefined) ??
    (checks ? stillDamaged(context, checks.passed) : undefined);
  return { snapshots: targets.snapshots, manifest, ...(error ? { error } : {}) };
}

/** A target that was damaged when the run started and that no check of this run cleared. */
function stillDamaged(context: RunContext, passed: Set<string>): RunnerError | undefined {
  for (const [target, damage] of damagedTargets(context.config, context.state)) {
    if (passed.has(target)) continue;
    const check = `backup-runner check${damage.readData ? ' --read-data' : ''}`;
    return {
      code: 'target-damaged',
      message: `target "${target}" is damaged: ${damage.why}. This run's snapshot was made, but no retention runs there until a check passes`,
      subject: target,
      hint: `repair the repository (restic check, restic repair), then \`${check}\`; a check that passes clears it`,
    };
  }
  return undefined;
}
