import { Cron } from 'croner';

export type CronCheck = { ok: true; cron: Cron } | { ok: false; message: string };

/**
 * The presets a schedule may use, each with the five fields it stands for (crontab(5)): the
 * one table that validation, the systemd timer and the editor's words all read.
 */
export const CRON_PRESETS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const PRESETS = Object.keys(CRON_PRESETS);

/** A schedule as five fields: a preset's own, else the expression itself (trimmed). */
export function cronFields(expression: string): string {
  const trimmed = expression.trim();
  return CRON_PRESETS[trimmed.toLowerCase()] ?? trimmed;
}

/**
 * Parses a crontab-style schedule: five fields or a preset. Seconds fields and `@reboot` are
 * refused because the schedule becomes a crontab line or a systemd timer, which have neither.
 */
export function parseCron(expression: string): CronCheck {
  const trimmed = expression.trim();
  if (trimmed.startsWith('@') && !PRESETS.includes(trimmed.toLowerCase())) {
    return {
      ok: false,
      message: `"${trimmed}" is not a supported preset; use one of ${PRESETS.join(', ')} or five cron fields`,
    };
  }
  const fields = trimmed.split(/\s+/).length;
  if (!trimmed.startsWith('@') && fields !== 5) {
    return {
      ok: false,
      message: `a cron schedule has five fields (minute hour day-of-month month day-of-week), this one has ${fields}`,
    };
  }
  try {
    const cron = new Cron(trimmed, { paused: true, mode: '5-part', domAndDow: false });
    if (cron.nextRuns(1, new Date('2000-01-01T00:00:00Z')).length === 0) {
      return { ok: false, message: `"${trimmed}" never runs (no such date)` };
    }
    return { ok: true, cron };
  } catch (error) {
    const message =
      error instanceof Error ? error.message.replace(/^CronPattern:\s*/, '') : String(error);
    return { ok: false, message };
  }
}
