/**
 * A retention policy in words: which snapshots `restic forget` keeps, how many at most and how
 * far back they reach. Reads the mapping defensively; it may not be valid yet.
 */
import { plural } from 'backup-runner/spec';

const PERIODS = [
  ['keep_hourly', 'hour', 1 / 24],
  ['keep_daily', 'day', 1],
  ['keep_weekly', 'week', 7],
  ['keep_monthly', 'month', 30],
  ['keep_yearly', 'year', 365],
] as const;

const RESTIC_UNITS: Record<string, [string, number]> = {
  y: ['year', 365],
  m: ['month', 30],
  d: ['day', 1],
  h: ['hour', 1 / 24],
};

export interface RetentionWords {
  /** One line for the outline: `7 daily, 4 weekly, 6 monthly`. */
  short: string;
  /** Sentences for hover. */
  long: string;
}

export function describeRetention(value: unknown): RetentionWords {
  const policy =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const count = (key: string) => {
    const n = policy[key];
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 0;
  };
  const kept: string[] = [];
  const short: string[] = [];
  let total = count('keep_last');
  let reachDays = 0;
  if (total > 0) {
    kept.push(`the newest ${plural(total, 'snapshot')}`);
    short.push(`last ${total}`);
  }
  const periodic: string[] = [];
  for (const [key, unit, days] of PERIODS) {
    const n = count(key);
    if (n === 0) continue;
    periodic.push(plural(n, unit));
    short.push(`${n} ${key.slice('keep_'.length)}`);
    total += n;
    reachDays = Math.max(reachDays, n * days);
  }
  if (periodic.length > 0)
    kept.push(`the newest snapshot of each of the last ${list(periodic)} that have one`);
  const within = typeof policy['keep_within'] === 'string' ? policy['keep_within'] : undefined;
  const withinWords = within ? resticDurationWords(within) : undefined;
  if (within && withinWords) {
    kept.push(`every snapshot taken within ${withinWords} of the newest one`);
    short.push(`within ${within}`);
    reachDays = Math.max(reachDays, resticDurationDays(within));
  }
  const tags = Array.isArray(policy['keep_tag'])
    ? policy['keep_tag'].filter((tag): tag is string => typeof tag === 'string' && tag !== '')
    : [];
  if (tags.length > 0) {
    kept.push(
      `every snapshot tagged ${list(
        tags.map((tag) => `\`${tag}\``),
        'or',
      )}`,
    );
    short.push(`tagged ${tags.join(', ')}`);
  }
  if (kept.length === 0) {
    return {
      short: 'keeps nothing',
      long: 'Keeps **no** snapshot: `restic forget` would remove every snapshot of this backup. Set at least one `keep_*` value.',
    };
  }
  const sentences = [`Keeps ${list(kept)}.`];
  if (within === undefined && tags.length === 0 && total > 0) {
    const reach = reachDays > 0 ? `, reaching back about ${approximate(reachDays)}` : '';
    sentences.push(`That is at most ${plural(total, 'snapshot')}${reach}.`);
  }
  sentences.push(
    policy['prune'] === false
      ? 'Forgotten snapshots free no space (`prune: false`).'
      : 'The data only forgotten snapshots used is then deleted (`--prune`).',
  );
  return { short: short.join(', '), long: sentences.join(' ') };
}

/** `1y6m` → `1 year 6 months` (restic's `m` is months). */
function resticDurationWords(text: string): string | undefined {
  if (!/^([0-9]+[ymdh])+$/.test(text)) return undefined;
  return [...text.matchAll(/([0-9]+)([ymdh])/g)]
    .map(([, amount, unit]) => plural(Number(amount), RESTIC_UNITS[unit ?? 'd']?.[0] ?? 'day'))
    .join(' ');
}

function resticDurationDays(text: string): number {
  let days = 0;
  for (const [, amount, unit] of text.matchAll(/([0-9]+)([ymdh])/g))
    days += Number(amount) * (RESTIC_UNITS[unit ?? 'd']?.[1] ?? 0);
  return days;
}

function approximate(days: number): string {
  if (days >= 365) return plural(Math.round((days / 365) * 10) / 10, 'year');
  if (days >= 60) return plural(Math.round(days / 30), 'month');
  if (days >= 14) return plural(Math.round(days / 7), 'week');
  if (days >= 1) return plural(Math.round(days), 'day');
  return plural(Math.max(1, Math.round(days * 24)), 'hour');
}

function list(items: string[], joiner = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${joiner} ${items.at(-1)}`;
}
