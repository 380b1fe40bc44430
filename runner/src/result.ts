import type { RunnerErrorCode } from './error-codes';

export type { RunnerErrorCode } from './error-codes';

/**
 * Errors that come from the outside world (a database, restic, the file system, the spec) are
 * values with a code, never exceptions: exceptions are for bugs. The codes are a closed
 * catalogue (error-codes.ts); the CLI prints them and the extension matches on them.
 */
export interface RunnerError {
  code: RunnerErrorCode;
  /** One sentence for a human: what failed and, where known, why. No secrets. */
  message: string;
  /** The source or target the error is about, when there is one. */
  subject?: string;
  /** What to do about it, when the runner knows. */
  hint?: string;
  /** What the tool said (an excerpt of its stderr), when a tool failed. No secrets. */
  detail?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: RunnerError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(
  code: RunnerErrorCode,
  message: string,
  extra: Omit<RunnerError, 'code' | 'message'> = {},
): Result<T> {
  return { ok: false, error: { code, message, ...extra } };
}

/** The message of a caught error (an I/O failure surfaced by Node), for wrapping into a RunnerError. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What a failed tool said, for RunnerError.detail: the last lines of its stderr (at most 1,000
 * characters), or nothing when it said nothing. Spread it into the error: `...toolSaid(stderr)`.
 */
export function toolSaid(stderr: string, lines = 8): { detail?: string } {
  const kept = stderr
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-lines)
    .join('\n');
  if (kept === '') return {};
  return { detail: kept.length > 1000 ? `…${kept.slice(-1000)}` : kept };
}
