import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { archiveFileName } from '../archive/create-archive';
import type { SnapshotSummary } from '../protocol';
import { resticForget } from '../restic/operations';
import type { Result, RunnerError } from '../result';
import { errorMessage, fail, ok } from '../result';
import { withdrawPromotedRun } from '../staging/promote';
import { checkedAlongside, stepIds } from './plan';
import type { RunContext } from './run-context';
import type { StagedRun } from './run-sources';
import { stopChecks } from './run-sources';

/**
 * Waits for the checks of the staged copies that ran alongside the archive and the backups
 * (SQLite's integrity_check: on the second core, reading the file restic reads, from the page
 * cache), one `integrity:<source>` step each, before any retention. A copy that fails its check
 * fails the run, and the run is withdrawn (docs/guarantees.md): its snapshots are forgotten on
 * every target, its archive removed, and the previous run made current/ again. Retention, the
 * repository checks and local pruning then do not run: the run has failed.
 */
export async function awaitCopyChecks(
  context: RunContext,
  staged: StagedRun,
  snapshots: SnapshotSummary[],
): Promise<RunnerError | undefined> {
  const { reporter, signal } = context;
  const { pendingChecks } = staged;
  if (signal.aborted) {
    await stopChecks(pendingChecks);
    return undefined;
  }
  let failure: RunnerError | undefined;
  for (const name of checkedAlongside(context.config)) {
    const check = pendingChecks.get(name);
    if (!check) continue;
    const result = await reporter.step(
      stepIds.integrity(name),
      async (step) => {
        const checked = await check.result;
        if (checked.ok || failure || checked.error.code === 'cancelled') return checked;
        const withdrawn = await withdrawRun(context, staged, snapshots);
        step.warn(withdrawn.ok ? withdrawn.value : withdrawn.error.message);
        return checked;
      },
      (facts) => ({ ...facts }),
    );
    if (!result.ok) {
      failure ??= { ...result.error, subject: result.error.subject ?? name };
      pendingChecks.delete(name);
      if (result.error.code === 'cancelled') break;
    }
  }
  // After a cancel or a failure, the other checks' answers change nothing.
  await stopChecks(pendingChecks);
  return failure;
}

/**
 * Takes back what a run whose copy is bad made: its snapshots (forgotten, not pruned: their
 * data goes with the next prune), its archive, its place as current/. Says what it did.
 */
async function withdrawRun(
  context: RunContext,
  staged: StagedRun,
  snapshots: SnapshotSummary[],
): Promise<Result<string>> {
  const { config, layout, invocations, runId } = context;
  const done: string[] = [];
  const problems: string[] = [];
  for (const snapshot of snapshots) {
    const invocation = invocations.get(snapshot.target);
    if (!invocation) continue;
    // Its own signal: a withdrawal is not stopped half way by the failure it answers.
    const forgotten = await resticForget(invocation, ['forget', '--json', snapshot.snapshotId], {
      signal: new AbortController().signal,
    });
    if (forgotten.ok)
      done.push(
        `forgot snapshot ${snapshot.snapshotId.slice(0, 8)} on target "${snapshot.target}"`,
      );
    else
      problems.push(
        `cannot forget snapshot ${snapshot.snapshotId} on target "${snapshot.target}": ${forgotten.error.message}`,
      );
  }
  if (config.archive) {
    const archive = join(
      config.archive.dir,
      archiveFileName(config.name, runId, config.archive.format),
    );
    try {
      await rm(archive, { force: true });
      done.push(`removed ${archive}`);
    } catch (error) {
      problems.push(`cannot remove ${archive}: ${errorMessage(error)}`);
    }
  }
  const withdrawn = await withdrawPromotedRun(layout, staged.previousRun);
  if (withdrawn.ok)
    done.push(
      staged.previousRun
        ? `made run ${staged.previousRun} current/ again`
        : `removed ${layout.current}`,
    );
  else problems.push(withdrawn.error.message);
  if (problems.length > 0)
    return fail(
      'withdraw-failed',
      `the run with a bad copy was only partly withdrawn: ${problems.join('; ')}`,
    );
  return ok(`the run with a bad copy is withdrawn: ${done.join(', ')}`);
}
