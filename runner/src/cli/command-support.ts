import type { CommandIO } from './io';
import type { OptionValues } from './command';
import { configPath } from './command';
import { withCancellation } from './cancellation';
import { loadConfig } from './load-config';
import { targetOption } from './select-targets';
import { commandExitStatus } from '../exit-status';
import { encodeRecord } from '../protocol';
import type { RunnerError } from '../result';
import type { TargetSession } from '../snapshots/target-session';
import { openTarget, pickTarget } from '../snapshots/target-session';

/** Prints an error as an `error` record (--json) or one line on stderr, and returns the exit status. */
export function reportError(
  io: CommandIO,
  json: boolean,
  command: string,
  error: RunnerError,
): number {
  if (json) io.out(encodeRecord({ type: 'error', error }));
  else io.err(`backup-runner ${command}: ${error.message}${error.hint ? ` (${error.hint})` : ''}`);
  return commandExitStatus(error);
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
