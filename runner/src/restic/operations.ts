import type { SnapshotSummary } from '../protocol';
import type { Result } from '../result';
import { ok } from '../result';
import type { ResticInvocation } from './invocation';
import type { ResticCallOptions, ResticOutput } from './run-restic';
import { runRestic } from './run-restic';

export interface BackupProgress {
  bytesDone: number;
  bytesTotal: number;
}

/** Runs `restic backup --json` and returns the snapshot it made. */
export async function resticBackup(
  invocation: ResticInvocation,
  args: string[],
  options: ResticCallOptions & { onProgress?: (progress: BackupProgress) => void },
): Promise<Result<SnapshotSummary>> {
  let summary: Record<string, unknown> | undefined;
  const result = await runRestic(invocation, args, {
    ...options,
    onJson: (message) => {
      if (message['message_type'] === 'status') {
        options.onProgress?.({
          bytesDone: Number(message['bytes_done'] ?? 0),
          bytesTotal: Number(message['total_bytes'] ?? 0),
        });
      } else if (message['message_type'] === 'summary') {
        summary = message;
      }
    },
  });
  if (!result.ok) return result;
  if (!summary || typeof summary['snapshot_id'] !== 'string') {
    return {
      ok: false,
      error: {
        code: 'restic-failed',
        message: `restic reported no snapshot for target "${invocation.target}"`,
        subject: invocation.target,
      },
    };
  }
  return ok({
    target: invocation.target,
    snapshotId: summary['snapshot_id'],
    dataAdded: Number(summary['data_added'] ?? 0),
    filesNew: Number(summary['files_new'] ?? 0),
    filesChanged: Number(summary['files_changed'] ?? 0),
    totalBytesProcessed: Number(summary['total_bytes_processed'] ?? 0),
  });
}

export interface ForgetOutcome {
  kept: number;
  removed: number;
}

export async function resticForget(
  invocation: ResticInvocation,
  args: string[],
  options: ResticCallOptions,
): Promise<Result<ForgetOutcome>> {
  const result = await runRestic(invocation, args, options);
  if (!result.ok) return result;
  // With --prune, restic prints its prune report after the JSON array on stdout.
  const json = result.value.stdout.split('\n').find((line) => line.startsWith('['));
  let kept = 0;
  let removed = 0;
  try {
    for (const group of JSON.parse(json ?? '[]') as {
      keep?: unknown[] | null;
      remove?: unknown[] | null;
    }[]) {
      kept += group.keep?.length ?? 0;
      removed += group.remove?.length ?? 0;
    }
  } catch {
    // The counts are informative only; restic itself succeeded.
  }
  return ok({ kept, removed });
}

/** true when the repository exists and opens; false when there is none; an error otherwise. */
export async function resticRepositoryExists(
  invocation: ResticInvocation,
  options: ResticCallOptions,
): Promise<Result<boolean>> {
  const result = await runRestic(invocation, ['cat', 'config'], options);
  if (result.ok) return ok(true);
  if (result.error.code === 'restic-no-repository') return ok(false);
  return result;
}

/** A restic command whose output the caller reads (check, init): the same lock recovery. */
export function resticPlain(
  invocation: ResticInvocation,
  args: string[],
  options: ResticCallOptions,
): Promise<Result<ResticOutput>> {
  return runRestic(invocation, args, options);
}
