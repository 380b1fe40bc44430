import type { RunConfig } from '../config';
import type { BackupState } from '../monitoring/state';

export interface CheckDue {
  due: boolean;
  lastAt?: string;
}

/**
 * Per target, whether a run owes it a `restic check`: its last check is older than check.every
 * (or there was none). Empty when the spec turns checks off.
 */
export function checkSchedule(
  config: RunConfig,
  state: BackupState | undefined,
  now: Date,
): Map<string, CheckDue> {
  const due = new Map<string, CheckDue>();
  if (!config.check) return due;
  for (const target of config.targets) {
    const last = state?.lastCheck?.[target.name];
    const age = last ? now.getTime() - Date.parse(last.at) : Infinity;
    due.set(target.name, {
      due: !(age < config.check.everyMs),
      ...(last ? { lastAt: last.at } : {}),
    });
  }
  return due;
}
