import type { RunConfig } from '../config';
import type { StatusRecord } from '../protocol';
import { parseCron } from '../spec/cron';
import { parseDuration } from '../spec/duration';
import type { BackupState } from './state';

const HOUR = 3_600_000;

/**
 * How old the last success may be: --max-age, else notify.stale_after, else two schedule
 * intervals plus an hour (one missed run is noticed at the second), else 26 hours.
 */
export function staleAfterMs(config: RunConfig, now: Date, override?: number): number {
  if (override !== undefined) return override;
  const configured = config.notify?.stale_after && parseDuration(config.notify.stale_after);
  if (configured) return configured;
  if (config.schedule) {
    const cron = parseCron(config.schedule);
    if (cron.ok) {
      const [first, second] = cron.cron.nextRuns(2, now);
      if (first && second) return 2 * (second.getTime() - first.getTime()) + HOUR;
    }
  }
  return 26 * HOUR;
}

export function judgeStatus(
  config: RunConfig,
  state: BackupState | undefined,
  now: Date,
  override?: number,
): StatusRecord {
  const threshold = staleAfterMs(config, now, override);
  const success = state?.lastSuccess;
  const ageMs = success ? now.getTime() - Date.parse(success.finishedAt) : undefined;
  const health = ageMs === undefined ? 'never' : ageMs > threshold ? 'stale' : 'ok';
  return {
    type: 'status',
    name: config.name,
    health,
    staleAfterMs: threshold,
    ...(state?.lastRun
      ? {
          lastRun: {
            runId: state.lastRun.runId,
            status: state.lastRun.status,
            finishedAt: state.lastRun.finishedAt,
            ...(state.lastRun.error ? { error: state.lastRun.error } : {}),
          },
        }
      : {}),
    ...(success && ageMs !== undefined
      ? {
          lastSuccess: {
            runId: success.runId,
            finishedAt: success.finishedAt,
            ageMs,
            snapshots: success.snapshots,
          },
        }
      : {}),
    ...(state?.lastVerify
      ? {
          lastVerify: {
            at: state.lastVerify.at,
            status: state.lastVerify.status,
            target: state.lastVerify.target,
            snapshotId: state.lastVerify.snapshotId,
          },
        }
      : {}),
    ...(state?.lastCheck
      ? {
          lastCheck: Object.fromEntries(
            Object.entries(state.lastCheck).map(([t, c]) => [t, { at: c.at, status: c.status }]),
          ),
        }
      : {}),
  };
}
