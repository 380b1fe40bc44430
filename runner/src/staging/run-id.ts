/**
 * A run id is the UTC start time, sortable as text and safe as a directory name and a tag:
 * `20261123T030000.123Z`.
 */
export function newRunId(now: Date = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '');
}

const RUN_ID = /^\d{8}T\d{6}\.\d{3}Z$/;

export function isRunId(text: string): boolean {
  return RUN_ID.test(text);
}

export function runIdTime(runId: string): Date | undefined {
  if (!isRunId(runId)) return undefined;
  const iso = `${runId.slice(0, 4)}-${runId.slice(4, 6)}-${runId.slice(6, 8)}T${runId.slice(9, 11)}:${runId.slice(11, 13)}:${runId.slice(13)}`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
