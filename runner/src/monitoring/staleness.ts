import type { RunConfig } from '../config';
import { damagedTargets } from './target-damage';
import type { StatusProblem, StatusRecord } from '../protocol';
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

/** Problems that stand until something clears them: a passing check, an accepted run. */
function standingProblems(config: RunConfig, state: BackupState | undefined): StatusProblem[] {
  const problems: StatusProblem[] = [];
  for (const [target, damage] of damagedTargets(config, state))
    problems.push({
      code: 'target-damaged',
      message: `target "${target}" is damaged: ${damage.why}; runs apply no retention there until a check${damage.readData ? ' reading all data' : ''} passes`,
      subject: target,
    });
  const last = state?.lastRun;
  if (last?.error?.code === 'source-shrunk')
    problems.push({
      code: 'source-shrunk',
      message: last.error.message,
      ...(last.error.subject ? { subject: last.error.subject } : {}),
    });
  return problems;
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
  const problems = standingProblems(config, state);
  const health =
    problems.length > 0
      ? 'unhealthy'
      : ageMs === undefined
        ? 'never'
        : ageMs > threshold
          ? 'stale'
          : 'ok';
  return {
    type: 'status',
    name: config.name,
    health,
    staleAfterMs: threshold,
    ...(problems.length > 0 ? { problems } : {}),
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
