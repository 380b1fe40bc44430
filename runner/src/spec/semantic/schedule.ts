import { parseCron } from '../cron';
import type { Reporter } from '../reporter';

export function checkSchedule(root: Record<string, unknown>, reporter: Reporter): void {
  const schedule = root['schedule'];
  if (typeof schedule !== 'string' || schedule.trim() === '') return;
  const parsed = parseCron(schedule);
  if (!parsed.ok)
    reporter.atValue(['schedule'], 'invalid-cron', `invalid schedule: ${parsed.message}`);
}
