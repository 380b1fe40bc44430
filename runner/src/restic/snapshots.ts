import type { Result } from '../result';
import { fail, ok } from '../result';
import type { ResticInvocation } from './invocation';
import type { ResticCallOptions } from './run-restic';
import { runRestic } from './run-restic';

/** A snapshot as `restic snapshots --json` describes it. */
export interface ResticSnapshot {
  id: string;
  shortId: string;
  time: string;
  host: string;
  tags: string[];
  paths: string[];
  /** restic 0.17+ records what the backup read; 0.14 does not. */
  totalBytesProcessed?: number;
}

export function snapshotsArgs(tag: string): string[] {
  return ['snapshots', '--json', '--tag', tag];
}

/** Every snapshot carrying `tag`, oldest first. */
export async function resticSnapshots(
  invocation: ResticInvocation,
  tag: string,
  options: ResticCallOptions,
): Promise<Result<ResticSnapshot[]>> {
  const result = await runRestic(invocation, snapshotsArgs(tag), options);
  if (!result.ok) return result;
  const parsed = parseSnapshots(result.value.stdout);
  if (!parsed)
    return fail(
      'restic-output',
      `restic snapshots printed no JSON list for target "${invocation.target}"`,
      { subject: invocation.target },
    );
  return ok(parsed.sort((a, b) => a.time.localeCompare(b.time)));
}

export function parseSnapshots(stdout: string): ResticSnapshot[] | undefined {
  const line = stdout.split('\n').find((text) => text.startsWith('['));
  try {
    const list: unknown = JSON.parse(line ?? '');
    if (!Array.isArray(list)) return undefined;
    return list.flatMap((item: unknown) => {
      const snapshot = toSnapshot(item);
      return snapshot ? [snapshot] : [];
    });
  } catch {
    return undefined;
  }
}

/** One snapshot object (also the first line of `restic ls --json`). */
export function toSnapshot(item: unknown): ResticSnapshot | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const value = item as Record<string, unknown>;
  if (typeof value['id'] !== 'string' || typeof value['time'] !== 'string') return undefined;
  const summary = value['summary'] as Record<string, unknown> | undefined;
  const total = summary?.['total_bytes_processed'];
  return {
    id: value['id'],
    shortId: typeof value['short_id'] === 'string' ? value['short_id'] : value['id'].slice(0, 8),
    time: value['time'],
    host: typeof value['hostname'] === 'string' ? value['hostname'] : '',
    tags: strings(value['tags']),
    paths: strings(value['paths']),
    ...(typeof total === 'number' ? { totalBytesProcessed: total } : {}),
  };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
