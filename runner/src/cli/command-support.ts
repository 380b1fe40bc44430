import type { CommandIO } from './io';
import type { OptionValues } from './command';
import { configPath } from './command';
import { withCancellation } from './cancellation';
import { loadConfig } from './load-config';
import { targetOption } from './select-targets';
import { encodeRecord } from '../protocol';
import type { RunnerError } from '../result';
import type { TargetSession } from '../snapshots/target-session';
import { openTarget, pickTarget } from '../snapshots/target-session';

/** Exit statuses of snapshots, ls, restore and verify. */
export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

/** Errors that mean the command line asked for something that cannot be: exit 2. */
const USAGE_CODES = new Set([
  'unknown-target',
  'no-target',
  'bad-snapshot-id',
  'bad-path',
  'unknown-source',
  'source-needed',
  'usage',
]);

export function exitCodeFor(error: RunnerError | undefined): number {
  if (!error) return EXIT.ok;
  if (error.code === 'cancelled') return EXIT.cancelled;
  return USAGE_CODES.has(error.code) ? EXIT.usage : EXIT.failed;
}

/** Prints an error as an `error` record (--json) or one line on stderr, and returns the exit status. */
export function reportError(
  io: CommandIO,
  json: boolean,
  command: string,
  error: RunnerError,
): number {
  if (json) io.out(encodeRecord({ type: 'error', error }));
  else io.err(`backup-runner ${command}: ${error.message}${error.hint ? ` (${error.hint})` : ''}`);
  return exitCodeFor(error);
}

/**
 * The spec (-c), the target (--target, else the first), and a signal that SIGINT, SIGTERM and
 * SIGHUP abort (restic then gets SIGINT and removes its lock; scratch files are removed).
 */
export async function withTargetSession(
  command: string,
  values: OptionValues,
  io: CommandIO,
  action: (session: TargetSession, json: boolean) => Promise<number>,
): Promise<number> {
  const json = values['json'] === true;
  const loaded = await loadConfig(configPath(values), json, io);
  if (!loaded.ok) return loaded.exitCode;
  const target = pickTarget(loaded.config, targetOption(values));
  if (!target.ok) return reportError(io, json, command, target.error);
  const run = (signal: AbortSignal) =>
    action(openTarget(loaded.config, target.value, signal), json);
  return io.signal ? run(io.signal) : withCancellation(run);
}

export function usageError(message: string, hint?: string): RunnerError {
  return { code: 'usage', message, ...(hint ? { hint } : {}) };
}
