import { openSecretFifo } from '../secret-fifo';
import { runChild } from '../process/start-child';
import type { Result } from '../result';
import { ok } from '../result';
import { classifyResticFailure, timeoutFailure } from './errors';
import type { ResticInvocation } from './invocation';
import { withLockRecovery } from './lock-recovery';

export interface ResticCallOptions {
  signal: AbortSignal;
  /** Each JSON line restic prints with --json (progress, summary). */
  onJson?: (message: Record<string, unknown>) => void;
  onStart?: (pid: number) => void;
  /** Told when a live lock holder is waited for (lock_wait), with who holds it. */
  onLockWait?: (message: string) => void;
  /** restic's raw stdout as it comes (`dump`'s bytes); then `stdout` of the result is empty. */
  onStdout?: (chunk: Buffer) => void;
}

export interface ResticOutput {
  stdout: string;
  stderr: string;
}

/**
 * Commands that only open the repository and read a little: bounded by the target's connect
 * timeout, so an unreachable repository fails fast. Everything else moves data and is bounded
 * by its operation timeout.
 */
const PROBES = new Set(['cat', 'snapshots', 'list', 'unlock', 'init', 'version', 'key']);

/**
 * Runs one restic command against a target's repository. A repository lock that stands in the
 * way is recovered from in one way for every command (lock-recovery.ts): stale locks removed,
 * live ones waited for within lock_wait.
 */
export function runRestic(
  invocation: ResticInvocation,
  args: string[],
  options: ResticCallOptions,
): Promise<Result<ResticOutput>> {
  return withLockRecovery(invocation, args, options, runResticOnce);
}

/**
 * One restic process, with no lock recovery. restic is interrupted with SIGINT on cancel or
 * timeout, which makes it remove its own repository lock; SIGKILL follows if it does not stop.
 */
export async function runResticOnce(
  invocation: ResticInvocation,
  args: string[],
  options: ResticCallOptions,
): Promise<Result<ResticOutput>> {
  if (invocation.password === undefined)
    return runWithEnv(invocation, args, options, invocation.env);
  const fifo = await openSecretFifo(`${invocation.password}\n`);
  if (!fifo.ok) return fifo;
  try {
    return await runWithEnv(invocation, args, options, {
      ...invocation.env,
      RESTIC_PASSWORD_FILE: fifo.value.path,
    });
  } finally {
    await fifo.value.close();
  }
}

async function runWithEnv(
  invocation: ResticInvocation,
  args: string[],
  options: ResticCallOptions,
  env: Record<string, string>,
): Promise<Result<ResticOutput>> {
  const probe = PROBES.has(args[0] ?? '');
  const bound = probe ? invocation.timeouts.connectMs : invocation.timeouts.operationMs;
  const lines = jsonLines(options.onJson);
  const raw = options.onStdout;
  const result = await runChild('restic', [...invocation.globalArgs, ...args], {
    env: { ...env, RESTIC_PROGRESS_FPS: '2' },
    signal: options.signal,
    stopSignal: 'SIGINT',
    forceKillAfterMs: 20_000,
    timeoutMs: bound,
    ...(options.onJson ? { onStdout: lines.add } : {}),
    ...(options.onStart ? { onStart: options.onStart } : {}),
    // restic dump's bytes, as they come, undecoded.
    ...(raw
      ? { stdout: 'stream' as const, onSpawn: (child) => child.stdout?.on('data', raw) }
      : {}),
  });
  if (result.cancelled)
    return {
      ok: false,
      error: {
        code: 'cancelled',
        message: `restic was cancelled (target "${invocation.target}")`,
        subject: invocation.target,
      },
    };
  if (result.timedOut)
    return { ok: false, error: timeoutFailure(invocation, args, probe, bound, result.stderr) };
  if (result.spawnError !== undefined)
    return {
      ok: false,
      error: {
        code: 'restic-missing',
        message: `restic could not be started (${result.spawnError})`,
        hint: 'install it (Debian: apt-get install restic; 0.14 or newer)',
      },
    };
  if (result.exitCode === undefined && result.signal !== undefined)
    return {
      ok: false,
      error: {
        code: 'restic-killed',
        message: `restic was killed by ${result.signal} (target "${invocation.target}")`,
        subject: invocation.target,
      },
    };
  if (result.exitCode !== 0)
    return {
      ok: false,
      error: classifyResticFailure(result.exitCode, result.stderr, invocation.target),
    };
  return ok({ stdout: result.stdout, stderr: result.stderr });
}

/** Hands each complete JSON line to `onJson`; partial and non-JSON lines are skipped. */
function jsonLines(onJson: ResticCallOptions['onJson']) {
  let pending = '';
  return {
    add: (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        try {
          onJson?.(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // A partial or non-JSON line (restic prints some warnings on stdout).
        }
      }
    },
  };
}
