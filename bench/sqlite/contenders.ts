import { mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { dumpSqlite } from '../../runner/src/sources/sqlite/index';

/** One way of copying the live database, as the benchmark times it. */
export interface Outcome {
  seconds: number;
  /** false when it was stopped at the cap without finishing. */
  finished: boolean;
  note?: string;
}

export type Contender = (database: string, outDir: string) => Promise<Outcome>;

const since = (started: number) => (performance.now() - started) / 1000;

/** Nothing for two seconds: the writer's own latency on this machine at this moment. */
export const idle: Contender = async () => {
  await new Promise((resolve) => setTimeout(resolve, 2000));
  return { seconds: 2, finished: true };
};

/** `cp` of the live file: the yardstick (and not a consistent copy). */
export const copyWithCp: Contender = async (database, outDir) => {
  const started = performance.now();
  await execa('cp', [database, join(outDir, 'cp.db')]);
  return { seconds: since(started), finished: true };
};

/** Our snapshot, as the engine runs it; the integrity check is timed separately. */
export function ourSnapshot(integrityCheck: 'off' | 'quick'): Contender {
  return async (database, outDir) => {
    const dir = join(outDir, 'ours');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { mode: 0o700 });
    const started = performance.now();
    const result = await dumpSqlite({
      name: 'bench',
      source: { type: 'sqlite', path: database, integrity_check: integrityCheck },
      outDir: dir,
      signal: new AbortController().signal,
      progress: () => undefined,
      // With the check off by choice, its warning is noise here.
      warn: (message) => {
        if (!message.includes('was not checked')) console.error(`  warning: ${message}`);
      },
    });
    const seconds = since(started);
    if (!result.ok) return { seconds, finished: false, note: result.error.message };
    const m = result.value.metadata;
    const integrity = m['integrityCheck'] as { mode: string; durationMs: number };
    const locking =
      m['writersBlockedMs'] === undefined
        ? `${String(m['walFramesApplied'] ?? 0)} WAL pages, write lock ${String(m['writeLockHeldMs'])} ms`
        : `writers blocked ${String(m['writersBlockedMs'])} ms`;
    const check =
      integrity.mode === 'off' ? '' : `, ${integrity.mode}_check ${integrity.durationMs} ms`;
    const note = `${String(m['strategy'])}, ${locking}${check}`;
    return { seconds, finished: true, note };
  };
}

/** better-sqlite3's backup() with its defaults: 100 pages a step, restarting on every commit. */
export function defaultBackupApi(capSeconds: number): Contender {
  return async (database, outDir) => {
    const db = new Database(database, { fileMustExist: true });
    const started = performance.now();
    let restarts = 0;
    let lastRemaining = Infinity;
    let finished = true;
    try {
      await db.backup(join(outDir, 'backup-default.db'), {
        progress: ({ remainingPages }) => {
          if (remainingPages > lastRemaining) restarts += 1;
          lastRemaining = remainingPages;
          if (since(started) > capSeconds) throw new Error('cap');
          return 100;
        },
      });
    } catch {
      finished = false;
    }
    db.close();
    return { seconds: since(started), finished, note: `${restarts} restarts` };
  };
}

/** The same API in one held read transaction (our fallback), 8 MiB a step. */
export const heldBackupApi: Contender = async (database, outDir) => {
  const db = new Database(database, { fileMustExist: true });
  const started = performance.now();
  db.exec('BEGIN');
  db.prepare('SELECT count(*) FROM sqlite_schema').get();
  await db.backup(join(outDir, 'backup-held.db'), { progress: () => 2048 });
  db.exec('COMMIT');
  db.close();
  return { seconds: since(started), finished: true };
};

/** `sqlite3 DB ".backup FILE"`, stopped at the cap. */
export function cliBackup(capSeconds: number): Contender {
  return async (database, outDir) => {
    const started = performance.now();
    const target = join(outDir, `cli-${basename(database)}`);
    const run = await execa('sqlite3', [database, `.backup '${target}'`], {
      reject: false,
      timeout: capSeconds * 1000,
    });
    const finished = run.exitCode === 0 && !run.timedOut;
    const note = run.timedOut ? `stopped at ${capSeconds} s` : run.stderr.trim().slice(0, 80);
    return { seconds: since(started), finished, note };
  };
}
