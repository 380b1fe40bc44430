/**
 * Errors that come from the outside world (a database, restic, the file system, the spec) are
 * values with a code, never exceptions: exceptions are for bugs. Codes are kebab-case and stable;
 * the CLI prints them and the extension matches on them.
 */
export interface RunnerError {
  code: string;
  /** One sentence for a human: what failed and, where known, why. No secrets. */
  message: string;
  /** The source or target the error is about, when there is one. */
  subject?: string;
  /** What to do about it, when the runner knows. */
  hint?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: RunnerError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(
  code: string,
  message: string,
  extra: Omit<RunnerError, 'code' | 'message'> = {},
): Result<T> {
  return { ok: false, error: { code, message, ...extra } };
}

/** The message of a caught error (an I/O failure surfaced by Node), for wrapping into a RunnerError. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
