import { rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Result } from '../../result';
import { fail, ok } from '../../result';
import type { SqliteSource } from '../../spec/types';
import type {
  DeferredCheck,
  PendingCheck,
  SourceDumper,
  SourceDumpInput,
  SourceDumpOutput,
} from '../source-dumper';
import { COPY_LANES } from './chunked-copy';
import type { CopyFacts, CopyRequest, SnapshotSeams } from './copy-request';
import { readDatabaseHeader } from './database-header';
import type { ErrorContext } from './errors';
import { cancelledFailure, sqliteFailure } from './errors';
import { checkCopy } from './integrity-check';
import { locateDatabase } from './locate-database';
import { copyForMaintenance, snapshotRollback } from './locked-file-copy';
import type { IntegrityMode, SqliteDumpOptions } from './options';
import { integrityModeFor, resolveSqliteOptions } from './options';
import { retryWhileBusy } from './retry-busy';
import { SourceSession } from './source-session';
import { vacuumInto } from './vacuum-into';
import { snapshotWal } from './wal-snapshot';

/** Rollback-journal writers blocked longer than this (better-sqlite3's default busy timeout) get a warning. */
const WRITERS_BLOCKED_WARNING_MS = 5_000;

/**
 * The SQLite source: one consistent, self-contained copy of the database, named after the
 * database file, checked before it is accepted. See docs/sqlite.md.
 */
export const dumpSqlite: SourceDumper<SqliteSource> = (input) => dumpSqliteWithSeams(input);

/** dumpSqlite with test seams; the engine calls dumpSqlite. */
export async function dumpSqliteWithSeams(
  input: SourceDumpInput<SqliteSource>,
  seams?: SnapshotSeams,
): Promise<Result<SourceDumpOutput>> {
  const started = performance.now();
  const { name, source, outDir, signal } = input;
  const context: ErrorContext = { subject: name, path: source.path };
  const options = resolveSqliteOptions(source, name);
  if (!options.ok) return options;
  if (signal.aborted) return cancelledFailure(context);
  const located = await locateDatabase(source.path, context);
  if (!located.ok) return located;

  const fileName = basename(source.path);
  const finalPath = join(outDir, fileName);
  const partialPath = join(outDir, `${fileName}.partial`);
  const discard = () =>
    Promise.all([rm(partialPath, { force: true }), rm(`${partialPath}-journal`, { force: true })]);
  try {
    const copy = await copyDatabase(
      input,
      options.value,
      located.value,
      partialPath,
      context,
      seams,
    );
    if (!copy.ok) {
      await discard();
      return copy;
    }
    const { facts, journalMode, sqliteVersion, bytes } = copy.value;
    const mode = integrityModeFor(options.value.integrityCheck, bytes);
    const alongside = input.checkAlongside === true && mode !== 'off';
    const integrity = alongside
      ? ok({ mode, result: 'alongside-backup' as const })
      : await checkCopy(partialPath, mode, signal, context);
    if (!integrity.ok) {
      await discard();
      return integrity;
    }
    if (mode === 'off')
      input.warn(`the copy of ${source.path} was not checked (integrity_check: off)`);
    await rename(partialPath, finalPath);
    const checkMode = mode === 'off' ? undefined : mode;
    const deferredCheck: DeferredCheck | undefined =
      alongside && checkMode
        ? { start: (dir) => startCheck(join(dir, fileName), checkMode, signal, context) }
        : undefined;
    if (facts.writersBlockedMs !== undefined && facts.writersBlockedMs > WRITERS_BLOCKED_WARNING_MS)
      input.warn(
        `writers of ${source.path} (rollback-journal mode) could not commit for ${(facts.writersBlockedMs / 1000).toFixed(1)} s during the copy; ` +
          'an application with a shorter busy timeout got "database is locked". Consider WAL mode, or method copy in a maintenance window',
      );
    return ok({
      ...(copy.value.sourceBytes === 0 ? { empty: `${source.path} is 0 bytes long` } : {}),
      ...(deferredCheck ? { deferredCheck } : {}),
      metadata: {
        file: fileName,
        method: options.value.method,
        ...roundTimes(facts),
        journalMode,
        copyJournalMode: 'delete',
        bytes,
        integrityCheck: integrity.value,
        sqliteVersion,
        durationMs: Math.round(performance.now() - started),
      },
    });
  } catch (error) {
    await discard().catch(() => undefined);
    return sqliteFailure(context, error, `copying ${source.path}`);
  }
}

/**
 * The integrity check of the accepted copy, started now and awaited by the engine before
 * retention (docs/guarantees.md): it reads the file restic is reading, from the page cache, on
 * the other core. Its own signal, so the engine can stop it without cancelling the run.
 */
function startCheck(
  file: string,
  mode: Exclude<IntegrityMode, 'off'>,
  runSignal: AbortSignal,
  context: ErrorContext,
): PendingCheck {
  const controller = new AbortController();
  const stop = () => controller.abort();
  runSignal.addEventListener('abort', stop, { once: true });
  const result = checkCopy(file, mode, controller.signal, context).then((checked) => {
    runSignal.removeEventListener('abort', stop);
    return checked.ok ? ok({ integrityCheck: checked.value }) : checked;
  });
  return { result, stop };
}

interface CopyResult {
  /** The size of the database file when the copy began. */
  sourceBytes: number;
  facts: CopyFacts;
  journalMode: string;
  sqliteVersion: string;
  bytes: number;
}

async function copyDatabase(
  input: SourceDumpInput<SqliteSource>,
  options: SqliteDumpOptions,
  databasePath: string,
  target: string,
  context: ErrorContext,
  seams: SnapshotSeams | undefined,
): Promise<Result<CopyResult>> {
  const { signal } = input;
  const session = new SourceSession(databasePath);
  try {
    const databaseFiles = await openCopyLanes(session, databasePath);
    const databaseFile = databaseFiles[0];
    if (!databaseFile)
      return fail('sqlite-missing', `${context.path} disappeared`, { subject: context.subject });
    const { size } = await databaseFile.stat();
    if (size > 0 && !(await readDatabaseHeader(databaseFile)))
      return fail(
        'sqlite-not-a-database',
        `${context.path} is not a SQLite database (it does not start with "SQLite format 3")`,
        {
          subject: context.subject,
          hint: 'check that path names the database file itself, not a dump, an archive or an encrypted file',
        },
      );
    if (size === 0 && input.source.allow_empty)
      input.warn(`${context.path} is empty (a database with no tables yet)`);
    const connection = session.connect();
    const wait = { deadline: performance.now() + options.busyTimeoutMs, signal, context };
    const probe = await retryWhileBusy(
      () => ({
        journalMode: String(connection.pragma('journal_mode', { simple: true })),
        sqliteVersion: String(connection.prepare('SELECT sqlite_version()').pluck().get()),
      }),
      wait,
      'opening',
    );
    if (!probe.ok) return probe;
    const { journalMode, sqliteVersion } = probe.value;
    const request: CopyRequest = {
      session,
      databaseFiles,
      databasePath,
      connection,
      target,
      options,
      wait,
      signal,
      onBytes: (bytesDone, bytesTotal) => input.progress({ bytesDone, bytesTotal }),
      warn: input.warn,
      seams,
    };
    const copied =
      options.method === 'vacuum'
        ? await vacuumInto(request, journalMode)
        : options.method === 'copy'
          ? await copyForMaintenance(request, journalMode)
          : journalMode === 'wal'
            ? await snapshotWal(request)
            : await snapshotRollback(request);
    if (!copied.ok) return copied;
    const bytes = copied.value.pageCount * copied.value.pageSize;
    return ok({ sourceBytes: size, facts: copied.value, journalMode, sqliteVersion, bytes });
  } finally {
    await session.close();
  }
}

/** One descriptor per copy lane; none when the file is gone. */
async function openCopyLanes(session: SourceSession, path: string): Promise<FileHandle[]> {
  const files: FileHandle[] = [];
  for (let lane = 0; lane < COPY_LANES; lane++) {
    const file = await session.openFile(path);
    if (!file) return [];
    files.push(file);
  }
  return files;
}

const tenths = (ms: number) => Math.round(ms * 10) / 10;

function roundTimes(facts: CopyFacts): CopyFacts {
  const { writeLockHeldMs, writersBlockedMs } = facts;
  return {
    ...facts,
    ...(writeLockHeldMs === undefined ? {} : { writeLockHeldMs: tenths(writeLockHeldMs) }),
    ...(writersBlockedMs === undefined ? {} : { writersBlockedMs: tenths(writersBlockedMs) }),
  };
}
