import type { Result } from '../../result';
import { fail, ok } from '../../result';
import { parseDuration } from '../../spec/duration';
import type { SqliteSource } from '../../spec/types';

export type SqliteMethod = NonNullable<SqliteSource['method']>;
export type IntegrityMode = 'full' | 'quick' | 'off';

/** The spec fields of a sqlite source with their defaults applied. */
export interface SqliteDumpOptions {
  method: SqliteMethod;
  /** `auto` is decided once the size of the copy is known (see integrityModeFor). */
  integrityCheck: NonNullable<SqliteSource['integrity_check']>;
  busyTimeoutMs: number;
}

const DEFAULT_BUSY_TIMEOUT = '30s';
/** `integrity_check: auto` runs the full check below this size and quick_check from it on. */
export const FULL_CHECK_LIMIT_BYTES = 1024 ** 3;

export function resolveSqliteOptions(
  source: SqliteSource,
  name: string,
): Result<SqliteDumpOptions> {
  const busyTimeout = source.busy_timeout ?? DEFAULT_BUSY_TIMEOUT;
  const busyTimeoutMs = parseDuration(busyTimeout);
  if (busyTimeoutMs === undefined)
    return fail('sqlite-invalid-option', `busy_timeout "${busyTimeout}" is not a duration`, {
      subject: name,
      hint: 'write it like 30s, 2m or 1h30m',
    });
  return ok({
    method: source.method ?? 'snapshot',
    integrityCheck: source.integrity_check ?? 'auto',
    busyTimeoutMs,
  });
}

export function integrityModeFor(
  setting: SqliteDumpOptions['integrityCheck'],
  bytes: number,
): IntegrityMode {
  if (setting !== 'auto') return setting;
  return bytes < FULL_CHECK_LIMIT_BYTES ? 'full' : 'quick';
}
