import type { Result } from '../result';
import { fail, ok } from '../result';

const PRESETS: Record<string, string> = {
  '@yearly': '*-01-01 00:00:00',
  '@annually': '*-01-01 00:00:00',
  '@monthly': '*-*-01 00:00:00',
  '@weekly': 'Sun *-*-* 00:00:00',
  '@daily': '*-*-* 00:00:00',
  '@midnight': '*-*-* 00:00:00',
  '@hourly': '*-*-* *:00:00',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

interface Field {
  min: number;
  max: number;
  names?: string[];
  namesStart?: number;
}
const FIELDS: Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS, namesStart: 1 },
  { min: 0, max: 7, names: DAYS.map((d) => d.toLowerCase()), namesStart: 0 },
];

/**
 * A five-field cron expression (or preset) as a systemd OnCalendar= value. Cron ORs a
 * restricted day-of-month with a restricted day-of-week where systemd ANDs them; such an
 * expression is refused rather than silently changed.
 */
export function cronToOnCalendar(expression: string): Result<string> {
  const trimmed = expression.trim();
  const preset = PRESETS[trimmed.toLowerCase()];
  if (preset) return ok(preset);
  const parts = trimmed.split(/\s+/);
  if (parts.length !== 5)
    return fail('schedule-unsupported', `"${trimmed}" does not have five fields`);
  const converted: string[] = [];
  for (const [index, part] of parts.entries()) {
    const field = FIELDS[index] as Field;
    const values = convertField(part.toLowerCase(), field, index === 4);
    if (!values.ok)
      return fail(
        'schedule-unsupported',
        `cannot express "${part}" of "${trimmed}" for systemd: ${values.error.message}`,
      );
    converted.push(values.value);
  }
  const [minute, hour, dom, month, dow] = converted as [string, string, string, string, string];
  if (dom !== '*' && dow !== '*') {
    return fail(
      'schedule-unsupported',
      `"${trimmed}" restricts both the day of the month and the day of the week: cron runs when either matches, systemd only when both do`,
      {
        hint: 'use --cron, or split it into two schedules',
      },
    );
  }
  return ok(`${dow === '*' ? '' : `${dow} `}*-${month}-${dom} ${hour}:${minute}:00`);
}

function convertField(text: string, field: Field, isWeekday: boolean): Result<string> {
  if (text === '*' || text === '?') return ok('*');
  const out: string[] = [];
  for (const item of text.split(',')) {
    const match = /^(\*|[a-z0-9]+)(?:-([a-z0-9]+))?(?:\/(\d+))?$/.exec(item);
    if (!match) return fail('schedule-unsupported', `"${item}" is not a cron field item`);
    const [, startText, endText, stepText] = match;
    const step = stepText ? Number(stepText) : undefined;
    if (startText === '*') {
      // `*/n`: systemd's start/step repetition.
      if (step === undefined) return ok('*');
      if (isWeekday) out.push(...expand(field.min, 6, step).map((d) => DAYS[d] as string));
      else out.push(`${field.min}/${step}`);
      continue;
    }
    const start = valueOf(startText ?? '', field);
    const end = endText === undefined ? undefined : valueOf(endText, field);
    if (start === undefined || (endText !== undefined && end === undefined))
      return fail('schedule-unsupported', `"${item}" is out of range`);
    if (step !== undefined || (isWeekday && end !== undefined && (end as number) < start)) {
      // Ranges with a step become an explicit list: not every systemd version takes "a..b/n".
      const values = expand(start, end ?? field.max, step ?? 1);
      out.push(...values.map((v) => (isWeekday ? (DAYS[v % 7] as string) : String(v))));
    } else if (end !== undefined) {
      out.push(isWeekday ? `${DAYS[start % 7]}..${DAYS[end % 7]}` : `${start}..${end}`);
    } else {
      out.push(isWeekday ? (DAYS[start % 7] as string) : String(start));
    }
  }
  return ok(out.join(','));
}

function valueOf(text: string, field: Field): number | undefined {
  const named = field.names?.indexOf(text.slice(0, 3)) ?? -1;
  const value =
    named >= 0 ? named + (field.namesStart ?? 0) : /^\d+$/.test(text) ? Number(text) : undefined;
  return value !== undefined && value >= field.min && value <= field.max ? value : undefined;
}

function expand(start: number, end: number, step: number): number[] {
  const values: number[] = [];
  for (let v = start; v <= end; v += Math.max(1, step)) values.push(v);
  return values;
}
