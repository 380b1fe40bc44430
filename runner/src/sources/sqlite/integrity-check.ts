import type { Result } from '../../result';
import { fail, ok } from '../../result';
import type { ErrorContext } from './errors';
import { cancelledFailure } from './errors';
import type { IntegrityMode } from './options';
import { runSqliteChild } from './sqlite-child';

export interface IntegrityFacts {
  mode: IntegrityMode;
  result: 'ok' | 'skipped';
  durationMs: number;
}

/**
 * Checks the copy — never the live database — before it is accepted: `PRAGMA integrity_check`
 * reads every page and checks every index against its table; `quick_check` skips the index
 * contents and is much faster on big databases. Runs in a child process (minutes on a large
 * database, and killable on cancel).
 */
export async function checkCopy(
  file: string,
  mode: IntegrityMode,
  signal: AbortSignal,
  context: ErrorContext,
): Promise<Result<IntegrityFacts>> {
  if (mode === 'off') return ok({ mode, result: 'skipped', durationMs: 0 });
  const started = performance.now();
  const reply = await runSqliteChild({ job: 'integrity', file, mode }, signal);
  if (reply === 'cancelled') return cancelledFailure(context);
  const durationMs = Math.round(performance.now() - started);
  const pragma = mode === 'quick' ? 'quick_check' : 'integrity_check';
  if (!reply.ok)
    return fail(
      'sqlite-integrity-failed',
      `PRAGMA ${pragma} could not read the copy of ${context.path}: ${reply.message} [${reply.code}]`,
      { subject: context.subject, hint: corruptSourceHint },
    );
  if (reply.lines.length === 1 && reply.lines[0] === 'ok')
    return ok({ mode, result: 'ok', durationMs });
  const shown = reply.lines.slice(0, 5).join('; ');
  return fail(
    'sqlite-integrity-failed',
    `PRAGMA ${pragma} found problems in the copy of ${context.path}: ${shown}${reply.lines.length > 5 ? '; ...' : ''}`,
    { subject: context.subject, hint: corruptSourceHint },
  );
}

const corruptSourceHint =
  'the snapshot is a faithful copy, so the live database is probably damaged too: run PRAGMA integrity_check on it, and keep the earlier backups';
