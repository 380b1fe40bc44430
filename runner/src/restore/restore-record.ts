import type { RestoreRecord } from '../protocol';
import type { Result } from '../result';
import type { TargetSession } from '../snapshots/target-session';

/**
 * The record of a restore (into a directory or in place) as it begins: failed, with nothing
 * restored, so a restore that stops at any step reports what it had done by then.
 */
export function newRestoreRecord(
  session: TargetSession,
  to: string,
  sources: string[],
  path?: string,
): RestoreRecord {
  return {
    type: 'restore',
    target: session.target.name,
    snapshotId: '',
    status: 'failed',
    to,
    sources,
    ...(path !== undefined ? { path } : {}),
    files: 0,
    bytes: 0,
    verifiedFiles: 0,
    removed: [],
    keptAside: [],
    warnings: [],
    durationMs: 0,
  };
}

/**
 * Completes the record with the restore's outcome. A restore that fails once the signal is
 * aborted (SIGINT, SIGTERM, SIGHUP) was cancelled: its error is what the cancellation caused.
 */
export function finishRestoreRecord(
  record: RestoreRecord,
  outcome: Result<void>,
  signal: AbortSignal,
  started: number,
): void {
  if (!outcome.ok) record.error = outcome.error;
  record.status = outcome.ok ? 'ok' : signal.aborted ? 'cancelled' : 'failed';
  record.durationMs = Date.now() - started;
}
