import type { ResolvedTarget, RunConfig } from '../config';
import type { Retention } from '../spec/types';

/** The tag every snapshot of a spec carries; snapshots, forget and verify select by it. */
export function specTag(config: Pick<RunConfig, 'name'>): string {
  return `backup-yaml:${config.name}`;
}

export function sourceTag(source: string): string {
  return `source:${source}`;
}

/**
 * `restic backup` of the stable staging paths. Tags stay the same from run to run (spec and
 * source names), the host is fixed by the spec, the paths never carry a run id: so restic finds
 * the previous snapshot as parent, deduplicates, and retention groups every run together.
 */
export function backupArgs(config: RunConfig, target: ResolvedTarget, paths: string[]): string[] {
  const tags = [specTag(config), ...target.sources.map(sourceTag)].flatMap((tag) => ['--tag', tag]);
  return ['backup', '--json', '--host', config.host, ...tags, ...paths];
}

const COUNT_FLAGS: [keyof Retention, string][] = [
  ['keep_last', '--keep-last'],
  ['keep_hourly', '--keep-hourly'],
  ['keep_daily', '--keep-daily'],
  ['keep_weekly', '--keep-weekly'],
  ['keep_monthly', '--keep-monthly'],
  ['keep_yearly', '--keep-yearly'],
];

/**
 * `restic forget` limited to this spec's snapshots on this host, grouped by host only: a group
 * per path set would let a renamed or added source keep every old snapshot forever.
 */
export function forgetArgs(
  config: RunConfig,
  target: ResolvedTarget,
  retention: Retention,
): string[] {
  const args = [
    'forget',
    '--json',
    '--host',
    config.host,
    '--tag',
    specTag(config),
    '--group-by',
    'host',
  ];
  for (const [key, flag] of COUNT_FLAGS) {
    const value = retention[key];
    if (typeof value === 'number' && value > 0) args.push(flag, String(value));
  }
  if (retention.keep_within) args.push('--keep-within', retention.keep_within);
  for (const tag of retention.keep_tag ?? []) args.push('--keep-tag', tag);
  if (retention.prune ?? true) args.push('--prune');
  return args;
}

export function initArgs(): string[] {
  return ['init'];
}

/** `restic check`, reading a subset of the data (`5%`, `1/7`, `500M`), or all of it ('all'). */
export function checkArgs(readData: string | undefined): string[] {
  if (readData === 'all') return ['check', '--read-data'];
  return ['check', ...(readData ? ['--read-data-subset', readData] : [])];
}
