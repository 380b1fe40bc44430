import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { runChild } from '../../process/start-child';

/**
 * Long single SQLite statements (VACUUM INTO, integrity_check) run in a child `node` process:
 * they would block the event loop for minutes on a big database, and a thread cannot be
 * stopped while it is inside SQLite, but a process can be killed at once, and the kernel then
 * drops its locks. The script is a constant; the database path and mode travel as argv.
 */
const CHILD_SCRIPT = `
'use strict';
const [modulePath, job, file, argument, busyTimeout] = process.argv.slice(1);
const Database = require(modulePath);
const started = Date.now();
const reply = (value) => process.stdout.write(JSON.stringify({ ...value, ms: Date.now() - started }));
try {
  if (job === 'integrity') {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    // Read the pages through a memory map instead of one read() per page: integrity_check of a
    // 0.9 GB database took 17.9 s instead of 33.8 s here. Only this child, reading a copy nobody
    // writes, sees the map; an I/O error ends the child, which the caller reports.
    db.pragma('mmap_size = ' + 64 * 1024 * 1024 * 1024);
    const pragma = argument === 'quick' ? 'quick_check' : 'integrity_check';
    const problems = db.prepare('PRAGMA ' + pragma + '(20)').pluck().all();
    db.close();
    reply({ ok: true, lines: problems });
  } else if (job === 'vacuum') {
    const db = new Database(file, { fileMustExist: true, timeout: Number(busyTimeout) });
    db.prepare('VACUUM INTO ?').run(argument);
    db.close();
    reply({ ok: true, lines: [] });
  } else {
    reply({ ok: false, code: 'USAGE', message: 'unknown job ' + job });
  }
} catch (error) {
  reply({ ok: false, code: error.code || 'ERROR', message: String(error.message) });
}
`;

export interface ChildReply {
  ok: boolean;
  /** integrity: the rows of the pragma ("ok" alone when the database is sound). */
  lines: string[];
  /** On failure: SQLite's error code (SQLITE_BUSY, SQLITE_NOTADB...) and message. */
  code?: string;
  message?: string;
  ms: number;
}

export type ChildJob =
  | { job: 'integrity'; file: string; mode: 'full' | 'quick' }
  | { job: 'vacuum'; file: string; into: string; busyTimeoutMs: number };

/** 'cancelled' when the signal killed the child; a reply with ok=false for SQLite errors. */
export async function runSqliteChild(
  request: ChildJob,
  signal: AbortSignal,
): Promise<ChildReply | 'cancelled'> {
  const args =
    request.job === 'integrity'
      ? [request.job, request.file, request.mode, '0']
      : [request.job, request.file, request.into, String(request.busyTimeoutMs)];
  const child = await runChild(
    process.execPath,
    ['-e', CHILD_SCRIPT, betterSqlite3Entry(), ...args],
    { signal, stopSignal: 'SIGKILL' },
  );
  if (signal.aborted) return 'cancelled';
  try {
    return JSON.parse(child.stdout) as ChildReply;
  } catch {
    const why = child.signal ?? `exit status ${child.exitCode}`;
    return {
      ok: false,
      code: 'CHILD_FAILED',
      message: `the SQLite child process failed (${why}): ${child.stderr.slice(0, 500)}`,
      lines: [],
      ms: 0,
    };
  }
}

/**
 * The file the child must require to get the very better-sqlite3 this process loaded. The
 * runner is one esbuild bundle with better-sqlite3 kept external, and the child is an inline
 * script, so neither can resolve the package from a path of its own; Node's module cache,
 * shared by ESM and CommonJS, knows where the loaded copy came from.
 */
function betterSqlite3Entry(): string {
  const cache = createRequire(process.execPath).cache;
  const loaded = Object.values(cache).find((module) => module?.exports === Database);
  return loaded?.filename ?? 'better-sqlite3';
}
