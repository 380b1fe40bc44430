import type { Result } from '../../result';
import { fail, ok } from '../../result';
import { readEnds } from '../file-ends';

/** The comment pg_dump writes after everything else in a plain-SQL dump. */
const TRAILER = '-- PostgreSQL database dump complete';
/** The exact bytes a complete plain dump ends with, before any `\unrestrict` line. */
const ENDING = `--\n${TRAILER}\n--\n\n`;

/**
 * pg_dump 15.14+, 16.10+ and 17.6+ open a plain dump with `\restrict <key>` and close it with
 * `\unrestrict <key>` (CVE-2025-8714). When the head has the first, the tail must end with the
 * second, with the same key.
 */
const restrictPattern = /^\\restrict (\S+)$/m;

export interface DumpEnds {
  /** The trailer comment, when the dump ends with it. */
  trailer?: string;
  /** Why the end is not that of a complete dump. */
  problem?: string;
}

/**
 * Checks the end of a plain dump (`head` and `tail` are its first and last few KiB) byte for
 * byte: even a dump one newline short is refused, since nothing else proves where it stopped.
 */
export function checkDumpEnds(head: string, tail: string): DumpEnds {
  const key = restrictPattern.exec(head)?.[1];
  let body = tail;
  if (key !== undefined) {
    const closing = `\n\\unrestrict ${key}\n\n`;
    if (!tail.endsWith(closing)) return { problem: 'it lacks the closing "\\unrestrict" line' };
    body = tail.slice(0, tail.length - closing.length + 1);
  }
  if (body.endsWith(`\n${ENDING}`)) return { trailer: TRAILER };
  return { problem: `it does not end with "${TRAILER}"` };
}

export interface DumpHeader {
  /** e.g. "15.18 (Debian 15.18-0+deb12u1)" */
  serverVersion?: string;
  /** e.g. "15.18 (Debian 15.18-0+deb12u1)" */
  pgDumpVersion?: string;
}

export function parseHeader(head: string): DumpHeader {
  const serverVersion = /^-- Dumped from database version (.+)$/m.exec(head)?.[1]?.trim();
  const pgDumpVersion = /^-- Dumped by pg_dump version (.+)$/m.exec(head)?.[1]?.trim();
  return {
    ...(serverVersion === undefined ? {} : { serverVersion }),
    ...(pgDumpVersion === undefined ? {} : { pgDumpVersion }),
  };
}

export interface CompleteDump extends DumpHeader {
  trailer: string;
  bytes: number;
}

/** Accepts a dump file only when its end is that of a complete dump: `postgres-dump-incomplete` otherwise. */
export async function verifyDumpFile(path: string, subject: string): Promise<Result<CompleteDump>> {
  const { head, tail, size } = await readEnds(path);
  const ends = checkDumpEnds(head, tail);
  if (ends.trailer === undefined)
    return fail(
      'postgres-dump-incomplete',
      `postgres source "${subject}": the dump is incomplete: ${ends.problem ?? 'no trailer'}`,
      { subject, hint: 'the dump was cut short; nothing was kept' },
    );
  return ok({ ...parseHeader(head), trailer: ends.trailer, bytes: size });
}
