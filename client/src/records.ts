import type { ErrorRecord, RunEvent, RunnerRecord } from '../../runner/src/protocol';

const RUN_EVENT_TYPES = new Set<string>([
  'run-started',
  'step-started',
  'step-progress',
  'step-finished',
  'log',
  'run-finished',
]);

export function isRunEvent(record: RunnerRecord): record is RunEvent {
  return RUN_EVENT_TYPES.has(record.type);
}

/** The first record of a type among a command's records. */
export function recordOf<K extends RunnerRecord['type']>(
  records: readonly RunnerRecord[],
  type: K,
): Extract<RunnerRecord, { type: K }> | undefined {
  return records.find((r): r is Extract<RunnerRecord, { type: K }> => r.type === type);
}

export function errorRecordOf(records: readonly RunnerRecord[]): ErrorRecord | undefined {
  return recordOf(records, 'error');
}
