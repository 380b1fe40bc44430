import { ping } from '../monitoring/healthchecks';
import type { LogTail } from '../monitoring/log-tail';
import { recordRun } from '../monitoring/report-run';
import type { RunRecord } from '../monitoring/state';
import type { RunStatus, SnapshotSummary } from '../protocol';
import type { RunnerError } from '../result';
import type { Manifest } from '../staging/manifest';
import type { RunContext } from './run-context';

/** Exit statuses of `backup-runner run`. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  /** Backed up, but a source shrank far below its last size: kept, tagged, no retention. */
  shrunk: 3,
  /** A target's repository is damaged (a check failed, now or before): no retention there. */
  damaged: 4,
  locked: 75,
  cancelled: 130,
} as const;

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
  const exitCode = exitCodeOf(status, error);
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

function exitCodeOf(status: RunStatus, error: RunnerError | undefined): number {
  if (status === 'ok') return EXIT.ok;
  if (status === 'cancelled') return EXIT.cancelled;
  switch (error?.code) {
    case 'locked':
      return EXIT.locked;
    case 'source-shrunk':
      return EXIT.shrunk;
    case 'target-damaged':
    case 'restic-check-failed':
      return EXIT.damaged;
    default:
      return EXIT.failed;
  }
}
