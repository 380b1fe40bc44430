import { Cron } from 'croner';
import type { Result } from '../result';
import { fail, ok } from '../result';

/** When the daemon runs: a cron pattern, and whether it came from the spec or `--schedule`. */
export interface DaemonSchedule {
  pattern: string;
  from: 'spec' | 'option';
}

/**
 * Checks a schedule for the daemon. The spec's `schedule` has five fields (it also becomes a
 * crontab line or a systemd timer); `--schedule` may add a seconds field in front, since a
 * scheduler of our own has no minute granularity to respect.
 */
export function checkSchedule(schedule: DaemonSchedule): Result<DaemonSchedule> {
  const fields = schedule.pattern.trim().split(/\s+/).length;
  const allowed = schedule.from === 'option' ? [5, 6] : [5];
  if (!schedule.pattern.trim().startsWith('@') && !allowed.includes(fields))
    return fail(
      'daemon-schedule-invalid',
      `the schedule "${schedule.pattern}" has ${fields} fields; give ${allowed.join(' or ')} (seconds first when 6)`,
    );
  try {
    const cron = pausedCron(schedule.pattern);
    if (cron.nextRun() === null)
      return fail('daemon-schedule-invalid', `the schedule "${schedule.pattern}" never runs`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail('daemon-schedule-invalid', `the schedule "${schedule.pattern}": ${message}`);
  }
  return ok(schedule);
}

/** A Cron that computes times but fires nothing. */
export function pausedCron(pattern: string): Cron {
  return new Cron(pattern.trim(), { paused: true, mode: '5-or-6-parts', domAndDow: false });
}

/**
 * The scheduled time a daemon that was not running missed: the latest one at or before `now`
 * that is later than the last recorded run's start, or the latest one at all when no run was
 * ever recorded. undefined when nothing was missed.
 */
export function missedRun(
  pattern: string,
  lastStartedAt: Date | undefined,
  now: Date,
): Date | undefined {
  const [latest] = pausedCron(pattern).previousRuns(1, now);
  if (latest === undefined) return undefined;
  if (lastStartedAt !== undefined && latest.getTime() <= lastStartedAt.getTime()) return undefined;
  return latest;
}
