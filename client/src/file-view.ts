import { formatBytes } from '../../runner/src/human-log';
import type { SqliteSummaryRecord } from '../../runner/src/protocol';

/**
 * A file is shown as text unless it looks binary: a NUL byte in its first 8 KiB (what git and
 * grep go by), or bytes that are not UTF-8.
 */
export function isBinary(bytes: Buffer): boolean {
  if (bytes.subarray(0, 8192).includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

/** What an editor shows instead of a binary file's garbage. */
export function binaryNotice(path: string, size: number, snapshot: string): string {
  return [
    `${path} is a binary file (${formatBytes(size)}, ${size} bytes) in ${snapshot}.`,
    '',
    'It is not shown as text. To look at it, restore it to a directory on the host:',
    'right-click it in the Backups view → Restore…, or run "backup.yaml: Restore from snapshot…".',
    '',
  ].join('\n');
}

/** What an editor shows for a file that could not be opened (too large, gone, unreachable). */
export function errorNotice(path: string, message: string, hint: string | undefined): string {
  return [`${path} cannot be shown: ${message}`, ...(hint ? ['', hint] : []), ''].join('\n');
}

/** A SQLite database of a snapshot, as a person reads it: integrity first, then the tables. */
export function sqliteSummaryText(summary: SqliteSummaryRecord, snapshot: string): string {
  const sound = summary.integrity.length === 1 && summary.integrity[0] === 'ok';
  const width = Math.max(5, ...summary.tables.map((t) => t.name.length));
  return [
    `SQLite database ${summary.path}`,
    `snapshot ${snapshot} · target ${summary.target}`,
    `${formatBytes(summary.size)} (${summary.size} bytes) · page size ${summary.pageSize} · user_version ${summary.userVersion}`,
    '',
    `PRAGMA integrity_check: ${sound ? 'ok' : 'PROBLEMS'}`,
    ...(sound ? [] : summary.integrity.map((line) => `  ${line}`)),
    '',
    `${'table'.padEnd(width)}  rows`,
    `${'-'.repeat(width)}  ----`,
    ...summary.tables.map((t) => `${t.name.padEnd(width)}  ${t.rows}`),
    '',
    `${summary.tables.length} table(s), ${summary.tables.reduce((n, t) => n + t.rows, 0)} row(s) in all`,
    '',
  ].join('\n');
}
