import { writeJsonAtomically } from '../monitoring/state';
import type { RunStatus } from '../protocol';

/** Why the daemon started a run. */
export type RunReason = 'schedule' | 'catch-up';

export interface DaemonRunRecord {
  runId: string;
  reason: RunReason;
  status: RunStatus;
  exitCode: number;
  startedAt: string;
  finishedAt: string;
  errorCode?: string;
}

/**
 * The daemon's own status file (default `<staging.dir>/backup-yaml.daemon.json`), rewritten
 * atomically at every change: what it is doing now, when it runs next, and its recent runs.
 * The state file (`backup-runner status`) keeps what outlives the daemon.
 */
export interface DaemonStatus {
  type: 'daemon-status';
  pid: number;
  spec: string;
  name: string;
  schedule: string;
  startedAt: string;
  state: 'idle' | 'running' | 'stopping' | 'stopped';
  nextRunAt?: string;
  currentRun?: { runId?: string; reason: RunReason; startedAt: string };
  /** Runs this daemon started, and scheduled times it skipped because a run was still going. */
  runs: number;
  skipped: number;
  recentRuns: DaemonRunRecord[];
}

/** How many finished runs the status file lists. */
export const RECENT_RUNS = 20;

/** Writes the status file; a failure is returned as a message, never thrown (the daemon goes on). */
export async function writeDaemonStatus(
  path: string,
  status: DaemonStatus,
): Promise<string | undefined> {
  try {
    await writeJsonAtomically(path, status);
    return undefined;
  } catch (error) {
    return `cannot write the daemon status file ${path}: ${String(error)}`;
  }
}
