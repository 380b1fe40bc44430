import type { ErrorRecord, RunnerRecord } from 'backup-runner/protocol';

export { isRunEvent } from 'backup-runner/protocol';

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
