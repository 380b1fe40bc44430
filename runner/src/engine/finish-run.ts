import { ping } from '../monitoring/healthchecks';
import type { LogTail } from '../monitoring/log-tail';
import { recordRun } from '../monitoring/report-run';
import type { RunRecord } from '../monitoring/state';
import type { RunStatus, SnapshotSummary } from '../protocol';
import { runExitStatus } from '../exit-status';
import type { RunnerError } from '../result';
import type { Manifest } from '../staging/manifest';
import type { RunContext } from './run-context';

export interface RunOutcome {
  runId: string;
  status: RunStatus;
  exitCode: number;
  snapshots: SnapshotSummary[];
  error?: RunnerError;
}

/** How a run ended, before it is recorded. */
export interface RunEnding {
  status: RunStatus;
  snapshots: SnapshotSummary[];
  error?: RunnerError;
  /** The staged run's manifest, once staging succeeded (sizes per source for the state). */
  manifest?: Manifest;
}

/**
 * Finishes a run, whatever happened before: the steps not taken are announced as skipped, the
 * run is recorded (state file, status file, metrics), the healthchecks ping sent, and
 * `run-finished` emitted last.
 */
export async function finishRun(
  context: RunContext,
  ending: RunEnding,
  logTail: LogTail,
): Promise<RunOutcome> {
  const { config, reporter, runId } = context;
  const { status, snapshots, error } = ending;
  if (error) reporter.noteFailure(error);
  reporter.skipRemaining();
  const warn = (problem: string | undefined) => problem && reporter.log('warn', problem);
  const exitCode = runExitStatus(status, error);
  const finishedAt = new Date();
  const bytesAdded = snapshots.reduce((sum, s) => sum + s.dataAdded, 0);
  const record: RunRecord = {
    runId,
    status,
    startedAt: new Date(context.startedAt).toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - context.startedAt,
    snapshots,
    bytesAdded,
    sources: {},
    ...(error ? { error } : {}),
  };
  // A run refused by the lock belongs to the run that holds it: it records nothing.
  if (error?.code !== 'locked')
    for (const warning of await recordRun(config, record, ending.manifest)) warn(warning);
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
}
