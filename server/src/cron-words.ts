import { toString as describeCron } from 'cronstrue';
import { cronFields, parseCron } from 'backup-runner/spec';

export type CronReading =
  { ok: true; words: string; nextRuns: Date[] } | { ok: false; message: string };

/**
 * A schedule in words ("At 03:00") and its next runs after `now`, in the language server's time
 * zone: the runner's host when the editor works over SSH. Checked by the same parseCron as
 * `backup-runner validate`, so hover never explains what validation rejects.
 */
export function readCron(expression: string, now: Date, runs = 3): CronReading {
  const parsed = parseCron(expression);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  // Presets read as the five fields they stand for.
  const fields = cronFields(expression);
  let words: string;
  try {
    words = describeCron(fields, { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    words = expression.trim();
  }
  return { ok: true, words, nextRuns: parsed.cron.nextRuns(runs, now) };
}

/** `Tue 2026-11-24 03:00` in local time. */
export function formatRun(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][date.getDay()] ?? '';
  return `${day} ${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
}
