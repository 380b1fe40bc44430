import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import type { VerifyCheck } from '../../protocol';
import type { Result } from '../../result';
import { fail, ok } from '../../result';
import type { SqliteSource } from '../../spec/types';
import type { DrillInput, PrepareCopyOptions, PreparedCopy, SourceModule } from '../source-module';
import { dumpSqlite } from './index';
import { isSqliteFile, SQLITE_COMPANIONS } from './restored-files';
import { runSqliteChild } from './sqlite-child';

/** SQLite: a consistent copy in one read transaction, checked with PRAGMA integrity_check. */
export const sqliteModule: SourceModule<SqliteSource> = {
  dump: dumpSqlite,
  describe: (name, source, outDir) => {
    const method = source.method ?? 'snapshot';
    const check = source.integrity_check ?? 'auto';
    return {
      title: `dump sqlite source "${name}": ${method} of ${source.path} to ${join(outDir, basename(source.path))} in one read transaction${check === 'off' ? ', unchecked (integrity_check: off)' : `; its integrity check (${check}) starts once the copy is made and runs alongside the backup`}`,
      commands: [],
    };
  },
  sizeNow: (source) =>
    stat(source.path).then(
      (s) => s.size,
      () => 0,
    ),
  placement: { isDatabase: isSqliteFile, companions: SQLITE_COMPANIONS },
  inPlace: {
    livePath: (source) => source.path,
    prepareCopy: prepareInPlaceCopy,
  },
  prepareDrill: async () => ok(checkSqlite),
  checkedAlongside: (source) => source.integrity_check !== 'off',
};

/** `PRAGMA integrity_check` of each restored SQLite database. */
async function checkSqlite({ runDir, entries, signal }: DrillInput): Promise<VerifyCheck[]> {
  const checks: VerifyCheck[] = [];
  for (const entry of entries) {
    const path = join(runDir, entry.path);
    if (entry.type !== 'file' || !(await isSqliteFile(path))) continue;
    const reply = await runSqliteChild({ job: 'integrity', file: path, mode: 'full' }, signal);
    if (reply === 'cancelled')
      return [...checks, { name: 'integrity_check', status: 'failed', detail: 'cancelled' }];
    const passed = reply.ok && reply.lines.length === 1 && reply.lines[0] === 'ok';
    checks.push({
      name: 'integrity_check',
      status: passed ? 'ok' : 'failed',
      detail: passed
        ? `integrity_check ok (${entry.path})`
        : `${entry.path}: ${reply.ok ? reply.lines.slice(0, 3).join('; ') : `${reply.code ?? ''} ${reply.message ?? ''}`.trim()}`,
    });
  }
  if (checks.length === 0)
    checks.push({
      name: 'integrity_check',
      status: 'failed',
      detail: 'no SQLite database was restored',
    });
  return checks;
}

/**
 * The copy must pass `PRAGMA integrity_check`. It is staged in rollback-journal mode so that it
 * opens on its own; an application that ran the database in WAL mode would otherwise go on
 * without WAL (writers blocking readers), so WAL mode is set again.
 */
async function prepareInPlaceCopy(
  copy: string,
  { metadata, signal, check }: PrepareCopyOptions,
): Promise<Result<PreparedCopy>> {
  const pragma = check === 'quick' ? 'quick_check' : 'integrity_check';
  const integrity = await runSqliteChild({ job: 'integrity', file: copy, mode: check }, signal);
  if (integrity === 'cancelled') return fail('cancelled', 'the restore was cancelled');
  if (!integrity.ok || integrity.lines.join() !== 'ok')
    return fail(
      'sqlite-integrity-failed',
      `the restored copy fails PRAGMA ${pragma}: ${integrity.ok ? integrity.lines.slice(0, 3).join('; ') : (integrity.message ?? '')}; the live database was not touched`,
    );
  if (metadata['journalMode'] !== 'wal') return ok({ warnings: [], check: pragma });
  restoreWalMode(copy);
  return ok({
    warnings: ['the database is back in WAL mode, as it was when it was backed up'],
    check: pragma,
  });
}

/** Sets WAL mode on a copy nobody else has open; closing it leaves no -wal or -shm behind. */
function restoreWalMode(copy: string): void {
  const db = new Database(copy);
  try {
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
}
