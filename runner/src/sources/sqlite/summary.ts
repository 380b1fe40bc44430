import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import type { SqliteSummaryRecord } from '../../protocol';
import type { Result } from '../../result';
import { errorMessage, fail, ok } from '../../result';
import { runSqliteChild } from './sqlite-child';
import type { SnapshotFile } from '../../snapshots/snapshot-file';
import { dumpSnapshotFile } from '../../snapshots/snapshot-file';
import type { TargetSession } from '../../snapshots/target-session';

/**
 * A SQLite database of a snapshot as a person wants to see it: its tables with row counts and
 * the result of `PRAGMA integrity_check`, rather than its pages. The database is dumped into a
 * private directory under staging.dir (sized for this spec's databases, unlike /tmp), checked
 * there by the runner's SQLite child process, counted read-only, and removed.
 */
export async function summarizeSqliteFile(
  session: TargetSession,
  file: SnapshotFile,
): Promise<Result<SqliteSummaryRecord>> {
  if (file.entry.sourceType !== 'sqlite')
    return fail(
      'not-sqlite',
      `${file.entry.path} belongs to ${file.entry.sourceType ?? 'an unknown'} source "${file.entry.source}", not a SQLite source`,
      { hint: 'open it as a file: backup-runner cat SNAPSHOT PATH' },
    );
  let dir: string;
  try {
    await mkdir(session.config.staging.dir, { recursive: true, mode: 0o700 });
    dir = await mkdtemp(join(session.config.staging.dir, 'inspect-'));
  } catch (error) {
    return fail('staging-unwritable', `cannot make a scratch directory: ${errorMessage(error)}`);
  }
  try {
    const copy = join(dir, 'database.sqlite');
    const written = await dumpToFile(session, file, copy);
    if (!written.ok) return written;
    const integrity = await runSqliteChild(
      { job: 'integrity', file: copy, mode: 'full' },
      session.signal,
    );
    if (integrity === 'cancelled') return fail('cancelled', 'cancelled');
    const facts = readFacts(copy);
    if (!facts.ok) return facts;
    return ok({
      type: 'sqlite-summary',
      target: session.target.name,
      snapshotId: file.snapshotId,
      path: file.entry.path,
      size: file.entry.size,
      integrity: integrity.ok
        ? integrity.lines
        : [`${integrity.code ?? 'error'}: ${integrity.message ?? ''}`],
      ...facts.value,
    });
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function dumpToFile(
  session: TargetSession,
  file: SnapshotFile,
  path: string,
): Promise<Result<number>> {
  const out = createWriteStream(path, { mode: 0o600 });
  const dumped = await dumpSnapshotFile(session, file, (chunk) => out.write(chunk));
  out.end();
  await once(out, 'close').catch(() => undefined);
  return dumped;
}

function readFacts(
  path: string,
): Result<Pick<SqliteSummaryRecord, 'tables' | 'pageSize' | 'userVersion'>> {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const names = db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .pluck()
        .all() as string[];
      const tables = names.map((name) => ({
        name,
        rows: Number(
          db
            .prepare(`SELECT count(*) FROM "${name.replace(/"/g, '""')}"`)
            .pluck()
            .get(),
        ),
      }));
      return ok({
        tables,
        pageSize: Number(db.pragma('page_size', { simple: true })),
        userVersion: Number(db.pragma('user_version', { simple: true })),
      });
    } finally {
      db.close();
    }
  } catch (error) {
    return fail(
      'sqlite-unreadable',
      `the database in the snapshot cannot be read: ${errorMessage(error)}`,
    );
  }
}
