import { open } from 'node:fs/promises';
import type { Result } from '../../result';
import { fail, ok } from '../../result';
import type { CopyFacts, CopyRequest } from './copy-request';
import { markRollbackJournal, readDatabaseHeader } from './database-header';
import { busyFailure, cancelledFailure } from './errors';
import { runSqliteChild } from './sqlite-child';

/**
 * method: vacuum — `VACUUM INTO` a new file: one statement in one read transaction, so it is as
 * consistent as a snapshot, and the copy comes out compacted (no free pages, b-trees rebuilt).
 * It takes longer than copying pages, so it runs in a child process that a cancel can kill. In
 * rollback-journal mode its read lock blocks writers for the whole statement.
 */
export async function vacuumInto(
  request: CopyRequest,
  journalMode: string,
): Promise<Result<CopyFacts>> {
  const { context } = request.wait;
  const started = performance.now();
  const reply = await runSqliteChild(
    {
      job: 'vacuum',
      file: request.databasePath,
      into: request.target,
      busyTimeoutMs: request.options.busyTimeoutMs,
    },
    request.signal,
  );
  if (reply === 'cancelled') return cancelledFailure(context);
  const elapsedMs = performance.now() - started;
  if (!reply.ok) {
    if (reply.code?.startsWith('SQLITE_BUSY')) return busyFailure(context, elapsedMs);
    const code = reply.code === 'SQLITE_NOTADB' ? 'sqlite-not-a-database' : 'sqlite-io';
    return fail(code, `VACUUM INTO from ${context.path} failed: ${reply.message} [${reply.code}]`, {
      subject: context.subject,
    });
  }
  const target = await open(request.target, 'r+');
  try {
    const header = await readDatabaseHeader(target);
    const { size } = await target.stat();
    await markRollbackJournal(target);
    const pageSize = header?.pageSize ?? 0;
    request.onBytes(size, size);
    return ok({
      strategy: 'vacuum-into',
      pageSize,
      pageCount: pageSize > 0 ? size / pageSize : 0,
      ...(journalMode === 'wal' ? {} : { writersBlockedMs: reply.ms }),
    });
  } finally {
    await target.close();
  }
}
