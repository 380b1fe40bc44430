import type { Result } from '../../result';
import { fail, ok } from '../../result';
import { readEnds } from '../file-ends';

export { readEnds } from '../file-ends';

/**
 * The last line of a complete dump. mysqldump and mariadb-dump write it after everything else
 * (with the date unless --skip-dump-date); a dump cut short for any reason lacks it.
 */
const trailerPattern = /^-- Dump completed(?: on \d{4}-\d{2}-\d{2} +\d{1,2}:\d{2}:\d{2})?$/;

/** The trailer line when `tail` (the end of a dump file) ends with it and a newline. */
export function findTrailer(tail: string): string | undefined {
  if (!tail.endsWith('\n')) return undefined;
  const lines = tail.trimEnd().split('\n');
  const last = lines[lines.length - 1]?.replace(/\r$/, '') ?? '';
  return trailerPattern.test(last) ? last : undefined;
}

export interface DumpHeader {
  /** e.g. "MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)" */
  producer?: string;
  /** e.g. "10.11.19-MariaDB-0+deb12u1" */
  serverVersion?: string;
}

/** Facts from the comment header at the top of a dump. */
export function parseHeader(head: string): DumpHeader {
  const producer = /^-- ((?:MariaDB|MySQL) dump .*)$/m.exec(head)?.[1]?.trim();
  const serverVersion = /^-- Server version\s+(.+)$/m.exec(head)?.[1]?.trim();
  return {
    ...(producer === undefined ? {} : { producer }),
    ...(serverVersion === undefined ? {} : { serverVersion }),
  };
}

export interface CompleteDump extends DumpHeader {
  trailer: string;
  bytes: number;
}

/**
 * Accepts a dump file only when it ends with the trailer (after a clean exit, the last check):
 * `mysql-dump-incomplete` otherwise.
 */
export async function verifyDumpFile(path: string, subject: string): Promise<Result<CompleteDump>> {
  const ends = await readEnds(path);
  const trailer = findTrailer(ends.tail);
  if (trailer === undefined)
    return fail(
      'mysql-dump-incomplete',
      `mysql source "${subject}": the dump does not end with "-- Dump completed"`,
      { subject, hint: 'the dump was cut short; nothing was kept' },
    );
  return ok({ ...parseHeader(ends.head), trailer, bytes: ends.size });
}
