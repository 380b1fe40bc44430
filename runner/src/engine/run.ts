import { mkdir } from 'node:fs/promises';
import type { RunConfig } from '../config';
import { acquireLock } from '../lock';
import { ping } from '../monitoring/healthchecks';
import { LogTail } from '../monitoring/log-tail';
import { readState } from '../monitoring/state';
import type { RunStatus } from '../protocol';
import { PROTOCOL_VERSION } from '../protocol';
import type { ResticInvocation } from '../restic/invocation';
import { resticInvocation } from '../restic/invocation';
import { observeChildren } from '../process/start-child';
import { detectRestic } from '../restic/version';
import { errorMessage, ok } from '../result';
import type { RunnerError } from '../result';
import { withdrawSecretsFromEnvironment } from '../secrets';
import { StagingLayout } from '../staging/layout';
import { newRunId } from '../staging/run-id';
import type { RunOutcome } from './finish-run';
import { finishRun } from './finish-run';
import { buildPlan, stepIds } from './plan';
import type { RunSink } from './reporter';
import { RunReporter } from './reporter';
import type { RunContext } from './run-context';
import { runHookPhase } from './run-hooks';
import { runLocked } from './run-locked';

export type { RunOutcome } from './finish-run';

export interface RunOptions {
  runnerVersion: string;
  sinks: RunSink[];
  /** Aborted on SIGINT/SIGTERM: children are stopped, the partial run dropped, the lock released. */
  signal: AbortSignal;
  /** Accept this run's source sizes however far they fell (`run --accept-shrink`). */
  acceptShrink?: boolean;
}

/**
 * One backup run, the steps of its plan (plan.ts) in order: lock → preflight → hooks.before →
 * dump every source into a partial run → manifest → promote to current/ → archive → restic
 * backup per target → retention (only if everything succeeded) → due checks → local pruning →
 * hooks.after or hooks.on_failure → unlock; then finishRun records it.
 */
export async function runBackup(config: RunConfig, options: RunOptions): Promise<RunOutcome> {
  const context = await startRun(config, options);
  const logTail = new LogTail();
  context.reporter.addSink(logTail.sink);
  const { reporter, layout } = context;
  const warn = (problem: string | undefined) => problem && reporter.log('warn', problem);
  reporter.emit({
    type: 'run-started',
    protocol: PROTOCOL_VERSION,
    runId: context.runId,
    name: config.name,
    spec: config.specPath,
    host: config.host,
    dryRun: false,
    steps: [...reporter.plan],
    at: new Date(context.startedAt).toISOString(),
  });
  warn(await ping(config.notify, 'start'));

  if (config.targets.length > 0) {
    const restic = await detectRestic();
    if (!restic.ok)
      return finishRun(context, { status: 'failed', snapshots: [], error: restic.error }, logTail);
  }
  try {
    await mkdir(layout.root, { recursive: true, mode: 0o700 });
  } catch (error) {
    const failure: RunnerError = {
      code: 'staging-io',
      message: `cannot create ${layout.root}: ${errorMessage(error)}`,
    };
    return finishRun(context, { status: 'failed', snapshots: [], error: failure }, logTail);
  }
  const locked = await reporter.step(stepIds.lock, () =>
    acquireLock(layout.lockFile, context.runId),
  );
  if (!locked.ok)
    return finishRun(context, { status: 'failed', snapshots: [], error: locked.error }, logTail);
  context.lock = locked.value;
  reportTakeover(context);
  // Every child from here on is recorded in the lock: if this run is killed with -9, the next
  // one stops what it left running (a restic holding the repository lock, a dump).
  const lock = locked.value;
  observeChildren((pid) => void lock.recordChild(pid));

  const outcome = await runLocked(context);
  const cancelled = outcome.error?.code === 'cancelled' || options.signal.aborted;
  if (!outcome.error) {
    const after = await runHookPhase(context, config.hooks.after, { BACKUP_STATUS: 'ok' });
    if (!after.ok) outcome.error = after.error;
  }
  if (outcome.error) {
    // The application may have been stopped by a before hook: on_failure hooks run even after a
    // cancel, under their own signal (a second Ctrl-C still stops them).
    const failureEnv = {
      BACKUP_STATUS: cancelled ? 'cancelled' : 'failed',
      BACKUP_ERROR: outcome.error.code,
    };
    await runHookPhase(
      { ...context, signal: secondSignal(options.signal) },
      config.hooks.onFailure,
      failureEnv,
    );
  }
  await reporter.step(stepIds.unlock, async () => {
    observeChildren(undefined);
    return ok(await lock.release());
  });
  const status: RunStatus = !outcome.error ? 'ok' : cancelled ? 'cancelled' : 'failed';
  return finishRun(context, { status, ...outcome }, logTail);
}

/** The context of a new run: its id, plan (from the spec and the state file) and reporter. */
async function startRun(config: RunConfig, options: RunOptions): Promise<RunContext> {
  const runId = newRunId();
  const startedAt = Date.now();
  withdrawSecretsFromEnvironment(config.secretEnv);
  const layout = new StagingLayout(config.staging.dir);
  const invocations = new Map<string, ResticInvocation>();
  for (const target of config.targets) {
    const invocation = await resticInvocation(target, false);
    if (invocation.ok) invocations.set(target.name, invocation.value);
  }
  const state = await readState(layout.stateFile);
  const plan = buildPlan(config, { runId, invocations, state, now: new Date(startedAt) });
  return {
    config,
    layout,
    runId,
    runnerVersion: options.runnerVersion,
    signal: options.signal,
    reporter: new RunReporter(runId, plan, options.sinks),
    invocations,
    hookEnv: {
      BACKUP_NAME: config.name,
      BACKUP_RUN_ID: runId,
      BACKUP_STAGING_DIR: layout.root,
      BACKUP_SPEC: config.specPath,
    },
    startedAt,
    state,
    sourcePasswords: new Map(),
    acceptShrink: options.acceptShrink === true,
  };
}

function reportTakeover(context: RunContext): void {
  const tookOver = context.lock?.tookOver;
  if (!tookOver) return;
  const { owner, stoppedChildren } = tookOver;
  const stopped =
    stoppedChildren.length > 0
      ? `; stopped its leftover processes ${stoppedChildren.join(', ')}`
      : '';
  context.reporter.log(
    'warn',
    `run ${owner.runId} (PID ${owner.pid}) died without releasing the lock; took it over${stopped}`,
    stepIds.lock,
  );
}

/** A signal for cleanup work after a cancel: it aborts only on the next SIGINT/SIGTERM. */
function secondSignal(first: AbortSignal): AbortSignal {
  if (!first.aborted) return first;
  const controller = new AbortController();
  const abort = () => controller.abort();
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(name, abort);
  return controller.signal;
}
