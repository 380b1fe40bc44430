import type { DiagnosticReporter } from '../reporter';
import { asRecord, asStrings, namedEntries } from './read';

const COUNT_KEYS = [
  'keep_last',
  'keep_hourly',
  'keep_daily',
  'keep_weekly',
  'keep_monthly',
  'keep_yearly',
];

/** Retention and checks only make sense with a target; a run needs somewhere to keep its data. */
export function checkRetention(root: Record<string, unknown>, reporter: DiagnosticReporter): void {
  const hasTargets = namedEntries(root, 'targets').length > 0;
  const retention = asRecord(root['retention']);
  if (retention) {
    const keepsByCount = COUNT_KEYS.some(
      (key) => typeof retention[key] === 'number' && (retention[key] as number) > 0,
    );
    const keepsByTime =
      typeof retention['keep_within'] === 'string' && /[1-9]/.test(retention['keep_within']);
    const keepsByTag = asStrings(retention['keep_tag']).length > 0;
    if (!keepsByCount && !keepsByTime && !keepsByTag) {
      reporter.atKey(
        ['retention'],
        'retention-keeps-nothing',
        'this retention policy keeps no snapshot: set at least one of keep_last, keep_daily, keep_weekly, keep_monthly, keep_yearly, keep_within or keep_tag (e.g. keep_daily: 7)',
      );
    }
  }
  if (!hasTargets) {
    for (const key of ['retention', 'check'] as const) {
      if (root[key] !== undefined) {
        reporter.atKey(
          [key],
          'retention-without-target',
          `"${key}" applies to restic targets, but no target is defined; add one under "targets"`,
        );
      }
    }
    if (root['archive'] === undefined && root['sources'] !== undefined) {
      reporter.atKey(
        ['sources'],
        'no-destination',
        'nothing would be kept: define at least one restic repository under "targets" (or a local "archive")',
      );
    }
  }
}
