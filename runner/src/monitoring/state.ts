import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunStatus, SnapshotSummary } from '../protocol';
import type { RunnerError } from '../result';

/**
 * What outlives a run, in `<staging.dir>/backup-yaml.state.json` (and copied to
 * notify.status_file): the last run, the last success, the last check and verify per target.
 * `status`, the metrics and the check schedule read it.
 */
export interface BackupState {
  stateVersion: 1;
  name: string;
  spec: string;
  lastRun?: RunRecord;
  lastSuccess?: RunRecord;
  lastCheck?: Record<string, CheckRecord>;
  lastVerify?: VerifyRecord;
}

export interface RunRecord {
  runId: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  snapshots: SnapshotSummary[];
  bytesAdded: number;
  /** Staged bytes per source. */
  sources: Record<string, { bytes: number }>;
  error?: RunnerError;
}

export interface CheckRecord {
  at: string;
  status: 'ok' | 'failed';
  readDataSubset?: string;
  /** The check read every pack (`--read-data`): what clears a failed restore drill. */
  readAllData?: boolean;
  error?: RunnerError;
}

export interface VerifyRecord {
  at: string;
  status: 'ok' | 'failed';
  target: string;
  snapshotId: string;
  sources: Record<string, { status: 'ok' | 'failed'; detail: string }>;
  error?: RunnerError;
}

export async function readState(path: string): Promise<BackupState | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as BackupState;
    return value.stateVersion === 1 ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Read-modify-write of the state file, replaced atomically (write + rename) so a reader or a
 * crash never sees half a file. Callers hold the run lock, or write fields no run writes.
 */
export async function updateState(
  path: string,
  base: Pick<BackupState, 'name' | 'spec'>,
  change: (state: BackupState) => void,
): Promise<BackupState> {
  const state: BackupState = (await readState(path)) ?? { stateVersion: 1, ...base };
  Object.assign(state, base);
  change(state);
  await writeJsonAtomically(path, state);
  return state;
}

export async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o640 });
    await rename(temporary, path);
  } catch (error) {
    // A full disk leaves a 0-byte temporary file behind; the old state stays as it was.
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
