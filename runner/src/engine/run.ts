import { mkdir } from 'node:fs/promises';
import type { RunConfig } from '../config';
import { pruneArchives } from '../archive/prune-archives';
import { createArchive } from '../archive/create-archive';
import type { HeldLock } from '../lock';
import { acquireLock } from '../lock';
import type { RunStatus, SnapshotSummary } from '../protocol';
import { PROTOCOL_VERSION } from '../protocol';
import type { ResticInvocation } from '../restic/invocation';
import { resticInvocation } from '../restic/invocation';
import { resticRepositoryExists } from '../restic/operations';
import { detectRestic } from '../restic/version';
import type { RunnerError } from '../result';
import { errorMessage, fail, ok } from '../result';
import { withdrawSecretsFromEnvironment } from '../secrets';
import { StagingLayout } from '../staging/layout';
import { discardPartialRun, pruneStagedRuns } from '../staging/promote';
import { newRunId } from '../staging/run-id';
import { buildPlan } from './plan';
import type { RunReporter, RunSink } from './reporter';
import { RunReporter as Reporter } from './reporter';
import { runHookPhase } from './run-hooks';
import { stageRun } from './run-sources';
import { backupToTargets } from './run-targets';

export interface RunOptions {
  runnerVersion: string;
  sinks: RunSink[];
  /** Aborted on SIGINT/SIGTERM: children are stopped, the partial run dropped, the lock released. */
  signal: AbortSignal;
}

export interface RunOutcome {
  runId: string;
  status: RunStatus;
  exitCode: number;
  snapshots: SnapshotSummary[];
  error?: RunnerError;
}

/** Exit statuses of `backup-runner run`. */
export const EXIT = { ok: 0, failed: 1, usage: 2, locked: 75, cancelled: 130 } as const;

/**
 * One backup run: lock → hooks.before → dump every source into a partial run → manifest →
 * promote to current/ → archive → restic backup per target → retention (only if everything
 * succeeded) → local pruning → hooks.after or hooks.on_failure → unlock.
 */
export async function runBackup(config: RunConfig, options: RunOptions): Promise<RunOutcome> {
  const runId = newRunId();
  const started = Date.now();
  const reporter = new Reporter(runId, options.sinks);
  withdrawSecretsFromEnvironment(config.secretEnv);
  const layout = new StagingLayout(config.staging.dir);
  const invocations = new Map<string, ResticInvocation>();
  const finish = (
    status: RunStatus,
    snapshots: SnapshotSummary[],
    error?: RunnerError,
  ): RunOutcome => {
    const exitCode =
      status === 'ok'
        ? EXIT.ok
        : status === 'cancelled'
          ? EXIT.cancelled
          : error?.code === 'locked'
            ? EXIT.locked
            : EXIT.failed;
    const bytesAdded = snapshots.reduce((sum, s) => sum + s.dataAdded, 0);
    reporter.emit({
      type: 'run-finished',
      runId,
      status,
      exitCode,
      durationMs: Date.now() - started,
      snapshots,
      bytesAdded,
      ...(error ? { error } : {}),
      at: new Date().toISOString(),
    });
    return { runId, status, exitCode, snapshots, ...(error ? { error } : {}) };
  };

  for (const target of config.targets) {
    const invocation = await resticInvocation(target, false);
    if (invocation.ok) invocations.set(target.name, invocation.value);
  }
  reporter.emit({
    type: 'run-started',
    protocol: PROTOCOL_VERSION,
    runId,
    name: config.name,
    spec: config.specPath,
    host: config.host,
    dryRun: false,
    steps: buildPlan(config, runId, invocations),
    at: new Date(started).toISOString(),
  });

  if (config.targets.length > 0) {
    const restic = await detectRestic();
    if (!restic.ok) return finish('failed', [], restic.error);
  }
  try {
    await mkdir(layout.root, { recursive: true, mode: 0o700 });
  } catch (error) {
    return finish('failed', [], {
      code: 'staging-io',
      message: `cannot create ${layout.root}: ${errorMessage(error)}`,
    });
  }
  const locked = await reporter.step({ id: 'lock', title: `lock ${layout.lockFile}` }, () =>
    acquireLock(layout.lockFile, runId),
  );
  if (!locked.ok) return finish('failed', [], locked.error);
  const lock: HeldLock = locked.value;
  if (lock.tookOver) {
    const { owner, stoppedChildren } = lock.tookOver;
    const stopped =
      stoppedChildren.length > 0
        ? `; stopped its leftover processes ${stoppedChildren.join(', ')}`
        : '';
    reporter.log(
      'warn',
      `run ${owner.runId} (PID ${owner.pid}) died without releasing the lock; took it over${stopped}`,
      'lock',
    );
  }

  const hookEnv = {
    BACKUP_NAME: config.name,
    BACKUP_RUN_ID: runId,
    BACKUP_STAGING_DIR: layout.root,
    BACKUP_SPEC: config.specPath,
  };
  const outcome = await runLocked(
    config,
    layout,
    runId,
    options,
    reporter,
    invocations,
    hookEnv,
    (pid) => void lock.recordChild(pid),
  );
  const status: RunStatus = !outcome.error
    ? 'ok'
    : outcome.error.code === 'cancelled' || options.signal.aborted
      ? 'cancelled'
      : 'failed';
  if (status === 'ok') {
    const after = await runHookPhase(
      config.hooks.after,
      { ...hookEnv, BACKUP_STATUS: 'ok' },
      options.signal,
      reporter,
    );
    if (!after.ok) outcome.error = after.error;
  }
  if (outcome.error) {
    // The application may have been stopped by a before hook: on_failure hooks run even after a
    // cancel, under their own signal (a second Ctrl-C still stops them).
    const failureEnv = {
      ...hookEnv,
      BACKUP_STATUS: status === 'cancelled' ? 'cancelled' : 'failed',
      BACKUP_ERROR: outcome.error.code,
    };
    await runHookPhase(config.hooks.onFailure, failureEnv, secondSignal(options.signal), reporter);
  }
  await reporter.step({ id: 'unlock', title: `remove ${layout.lockFile}` }, async () => {
    await lock.release();
    return { ok: true, value: undefined };
  });
  const finalStatus: RunStatus = !outcome.error
    ? 'ok'
    : status === 'cancelled'
      ? 'cancelled'
      : 'failed';
  return finish(finalStatus, outcome.snapshots, outcome.error);
}

async function runLocked(
  config: RunConfig,
  layout: StagingLayout,
  runId: string,
  options: RunOptions,
  reporter: RunReporter,
  invocations: Map<string, ResticInvocation>,
  hookEnv: Record<string, string>,
  onChild: (pid: number) => void,
): Promise<{ snapshots: SnapshotSummary[]; error?: RunnerError }> {
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
    if (!archived.ok) return { snapshots: [], error: archived.error };
  }
  const targets = await backupToTargets(config, invocations, signal, reporter, onChild);
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
  return { snapshots: targets.snapshots, ...(targets.error ? { error: targets.error } : {}) };
}

/** A signal for cleanup work after a cancel: it aborts only on the next SIGINT/SIGTERM. */
function secondSignal(first: AbortSignal): AbortSignal {
  if (!first.aborted) return first;
  const controller = new AbortController();
  const abort = () => controller.abort();
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(name, abort);
  return controller.signal;
}
