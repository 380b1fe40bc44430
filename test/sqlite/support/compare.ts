import { readFileSync } from 'node:fs';
import { execa } from 'execa';

/**
 * Header bytes two faithful copies of one snapshot may differ in: the file format (18-19, WAL
 * or rollback), the change counter (24-27) and version-valid-for/SQLite version (92-99), which
 * the backup API's own commit rewrites, and the schema cookie (40-43), which it bumps.
 */
const VOLATILE_HEADER_BYTES = [
  [18, 20],
  [24, 28],
  [40, 44],
  [92, 100],
] as const;

/** Page numbers (1-based) whose bytes differ, or 'sizes differ'. */
export function differingPages(a: string, b: string, pageSize: number): number[] | 'sizes differ' {
  const left = readFileSync(a);
  const right = readFileSync(b);
  if (left.length !== right.length) return 'sizes differ';
  for (const [from, to] of VOLATILE_HEADER_BYTES) {
    left.fill(0, from, to);
    right.fill(0, from, to);
  }
  const pages: number[] = [];
  for (let offset = 0; offset < left.length; offset += pageSize)
    if (!left.subarray(offset, offset + pageSize).equals(right.subarray(offset, offset + pageSize)))
      pages.push(offset / pageSize + 1);
  return pages;
}

/** `sqlite3 FILE .dump` with the CLI (3.40): the logical content, independent of page layout. */
export async function cliDump(path: string): Promise<string> {
  const { stdout } = await execa('sqlite3', ['-readonly', path, '.dump']);
  return stdout;
}

/** integrity_check by the sqlite3 CLI (3.40), a different SQLite build from the one that copied. */
export async function cliIntegrity(path: string): Promise<string> {
  const { stdout } = await execa('sqlite3', ['-readonly', path, 'PRAGMA integrity_check']);
  return stdout.trim();
}
