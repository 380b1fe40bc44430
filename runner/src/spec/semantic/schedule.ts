import { parseCron } from '../cron';
import type { DiagnosticReporter } from '../reporter';

export function checkSchedule(root: Record<string, unknown>, reporter: DiagnosticReporter): void {
  const schedule = root['schedule'];
  if (typeof schedule !== 'string' || schedule.trim() === '') return;
  const parsed = parseCron(schedule);
  if (!parsed.ok)
    reporter.atValue(['schedule'], 'invalid-cron', `invalid schedule: ${parsed.message}`);
}
