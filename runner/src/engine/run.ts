import { mkdir } from 'node:fs/promises';
import type { RunConfig } from '../config';
import type { HeldLock } from '../lock';
import { acquireLock } from '../lock';
import { ping } from '../monitoring/healthchecks';
import { LogTail } from '../monitoring/log-tail';
import { recordRun } from '../monitoring/report-run';
import type { RunRecord } from '../monitoring/state';
import type { RunStatus, SnapshotSummary } from '../protocol';
import { PROTOCOL_VERSION } from '../protocol';
import type { ResticInvocation } from '../restic/invocation';
import { resticInvocation } from '../restic/invocation';
import { detectRestic } from '../restic/version';
import type { RunnerError } from '../result';
import { errorMessage } from '../result';
import { withdrawSecretsFromEnvironment } from '../secrets';
import { StagingLayout } from '../staging/layout';
import type { Manifest } from '../staging/manifest';
import { newRunId } from '../staging/run-id';
import { buildPlan } from './plan';
import type { RunSink } from './reporter';
import { RunReporter as Reporter } from './reporter';
import { runHookPhase } from './run-hooks';
import { runLocked } from './run-locked';

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
 * One backup run: lock → preflight → hooks.before → dump every source into a partial run →
 * manifest → promote to current/ → archive → restic backup per target → retention (only if
 * everything succeeded) → due checks → local pruning → hooks.after or hooks.on_failure → unlock,
 * then the state file, status file, metrics and pings.
 */
export async function runBackup(config: RunConfig, options: RunOptions): Promise<RunOutcome> {
  const runId = newRunId();
  const started = Date.now();
  const reporter = new Reporter(runId, options.sinks);
  const logTail = new LogTail();
  reporter.addSink(logTail.sink);
  withdrawSecretsFromEnvironment(config.secretEnv);
  const layout = new StagingLayout(config.staging.dir);
  const invocations = new Map<string, ResticInvocation>();
  const warn = (problem: string | undefined) => problem && reporter.log('warn', problem);

  const finish = async (
    status: RunStatus,
    snapshots: SnapshotSummary[],
    error?: RunnerError,
    manifest?: Manifest,
  ): Promise<RunOutcome> => {
    const exitCode = exitCodeOf(status, error);
    const finishedAt = new Date();
    const bytesAdded = snapshots.reduce((sum, s) => sum + s.dataAdded, 0);
    const record: RunRecord = {
      runId,
      status,
      startedAt: new Date(started).toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - started,
      snapshots,
      bytesAdded,
      sources: {},
      ...(error ? { error } : {}),
    };
    // A run refused by the lock belongs to the run that holds it: it records nothing.
    if (error?.code !== 'locked')
      for (const warning of await recordRun(config, record, manifest)) warn(warning);
    warn(
      await ping(
        config.notify,
        status === 'ok' ? 'success' : 'fail',
        `${logTail.text()}\n${error ? `${error.code}: ${error.message}` : ''}`,
      ),
    );
    reporter.emit({
      type: 'run-finished',
      runId,
      status,
      exitCode,
      durationMs: record.durationMs,
      snapshots,
      bytesAdded,
      ...(error ? { error } : {}),
      at: record.finishedAt,
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
  warn(await ping(config.notify, 'start'));

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
  const cancelled = outcome.error?.code === 'cancelled' || options.signal.aborted;
  if (!outcome.error) {
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
      BACKUP_STATUS: cancelled ? 'cancelled' : 'failed',
      BACKUP_ERROR: outcome.error.code,
    };
    await runHookPhase(config.hooks.onFailure, failureEnv, secondSignal(options.signal), reporter);
  }
  await reporter.step({ id: 'unlock', title: `remove ${layout.lockFile}` }, async () => {
    await lock.release();
    return { ok: true, value: undefined };
  });
  const status: RunStatus = !outcome.error ? 'ok' : cancelled ? 'cancelled' : 'failed';
  return finish(status, outcome.snapshots, outcome.error, outcome.manifest);
}

function exitCodeOf(status: RunStatus, error: RunnerError | undefined): number {
  if (status === 'ok') return EXIT.ok;
  if (status === 'cancelled') return EXIT.cancelled;
  return error?.code === 'locked' ? EXIT.locked : EXIT.failed;
}

/** A signal for cleanup work after a cancel: it aborts only on the next SIGINT/SIGTERM. */
function secondSignal(first: AbortSignal): AbortSignal {
  if (!first.aborted) return first;
  const controller = new AbortController();
  const abort = () => controller.abort();
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(name, abort);
  return controller.signal;
}
