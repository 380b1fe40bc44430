import type { RunnerErrorCode } from './error-codes';
import type { RunStatus } from './protocol';
import type { RunnerError } from './result';

/**
 * The runner's exit statuses: one table for every command (docs/cli.md says which statuses each
 * command gives; docs/errors.md gives each error code's).
 */
export const EXIT = {
  ok: 0,
  /** The command failed; its `error` record, or its last line on stderr, says why. */
  failed: 1,
  /** The command line is wrong, or the spec is invalid or unreadable. */
  usage: 2,
  /** `run`: backed up, but a source shrank far below its last size: kept, tagged, no retention. */
  shrunk: 3,
  /** `run`: a target's repository is damaged (a check failed, now or before): no retention there. */
  damaged: 4,
  /** A bug: an exception escaped (EX_SOFTWARE of sysexits.h). */
  internal: 70,
  /** `run`: another run holds the lock (EX_TEMPFAIL of sysexits.h). */
  locked: 75,
  /** Cancelled by SIGINT, SIGTERM, SIGHUP or the editor. */
  cancelled: 130,
} as const;

export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

/** One line per exit status, for docs/errors.md (scripts/error-reference.mts). */
export const EXIT_MEANINGS: Record<keyof typeof EXIT, string> = {
  ok: 'Success.',
  failed:
    'The command failed; its `error` record (`--json`), or its last line on stderr, says why.',
  usage: 'The command line is wrong, or the spec is invalid or unreadable.',
  shrunk: '`run`: backed up, but a source shrank far below its last size (`source-shrunk`).',
  damaged: '`run`: a target’s repository is damaged (`target-damaged`, `restic-check-failed`).',
  internal: 'A bug: an exception escaped. Please report it with the output.',
  locked: '`run`: another run holds the lock (`locked`); this one did nothing.',
  cancelled: 'Cancelled by SIGINT, SIGTERM, SIGHUP or the editor.',
};

/** Errors that mean the command line asked for something that cannot be: exit 2. */
const USAGE_CODES: ReadonlySet<RunnerErrorCode> = new Set<RunnerErrorCode>([
  'unknown-target',
  'no-target',
  'bad-snapshot-id',
  'bad-path',
  'unknown-source',
  'source-needed',
  'usage',
]);

/** The exit status of snapshots, ls, cat, restore and verify after an error, or none. */
export function commandExitStatus(error: RunnerError | undefined): ExitStatus {
  if (!error) return EXIT.ok;
  if (error.code === 'cancelled') return EXIT.cancelled;
  return USAGE_CODES.has(error.code) ? EXIT.usage : EXIT.failed;
}

/** The exit status of `run` (and of each run of the daemon). */
export function runExitStatus(status: RunStatus, error: RunnerError | undefined): ExitStatus {
  if (status === 'ok') return EXIT.ok;
  if (status === 'cancelled') return EXIT.cancelled;
  switch (error?.code) {
    case 'locked':
      return EXIT.locked;
    case 'source-shrunk':
      return EXIT.shrunk;
    case 'target-damaged':
    case 'restic-check-failed':
      return EXIT.damaged;
    default:
      return EXIT.failed;
  }
}
