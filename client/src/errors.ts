import type { RunnerError, RunnerErrorCode } from 'backup-runner/protocol';

/**
 * What can go wrong between the editor and a host's runner, as values with codes (the closed
 * catalogue below, documented in docs/extension.md). Each message says what to do.
 */
export type ClientErrorCode =
  | 'ssh-missing'
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'auth-refused'
  | 'password-prompt'
  | 'unreachable'
  | 'unknown-host-name'
  | 'connection-lost'
  | 'ssh-failed'
  | 'sudo-password'
  | 'other-arch'
  | 'no-runner'
  | 'protocol-mismatch'
  | 'restic-missing'
  | 'upload-failed'
  | 'runner-failed'
  | 'no-host'
  | 'no-spec'
  | 'spec-missing'
  | 'cancelled';

/**
 * A runner error (its code from the runner's catalogue, runner/src/error-codes.ts), or one of
 * the codes above; with the host it is about.
 */
export interface ClientError extends Omit<RunnerError, 'code'> {
  code: ClientErrorCode | RunnerErrorCode;
  /** The host's label, when the error is about one. */
  host?: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ClientError };

export function succeed<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function failWith<T = never>(
  code: ClientError['code'],
  message: string,
  extra: Omit<ClientError, 'code' | 'message'> = {},
): Outcome<T> {
  return { ok: false, error: { code, message, ...extra } };
}

/** The one line a notification shows. */
export function describeError(error: ClientError): string {
  return `${error.message}${error.hint ? ` — ${error.hint}` : ''} [${error.code}]`;
}
