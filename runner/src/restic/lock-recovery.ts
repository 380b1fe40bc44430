import type { Result } from '../result';
import { describeLocks, repositoryLocks } from './locks';
import type { ResticInvocation } from './invocation';
import type { ResticCallOptions, ResticOutput } from './run-restic';
import { atLeast, detectRestic } from './version';

type Call = (
  invocation: ResticInvocation,
  args: string[],
  options: ResticCallOptions,
) => Promise<Result<ResticOutput>>;

/** Commands that take no repository lock (or are the recovery themselves). */
const LOCK_FREE = new Set(['unlock', 'init', 'version']);
const POLL_MS = 2_000;

/**
 * The one recovery from a repository lock, for every command that touches a repository:
 * 1. `restic unlock`, which removes only stale locks (a dead PID on this host, or older than
 *    30 minutes): what a restic killed with -9 leaves behind. Then the command once more.
 * 2. A lock still there belongs to a live process: it is waited for, within the target's
 *    lock_wait (restic's own --retry-lock from 0.16 on; before that, retried here, removing
 *    locks that went stale meanwhile).
 * 3. Then the error says who holds it and since when.
 */
export async function withLockRecovery(
  invocation: ResticInvocation,
  args: string[],
  options: ResticCallOptions,
  call: Call,
): Promise<Result<ResticOutput>> {
  const first = await call(invocation, args, options);
  if (first.ok || first.error.code !== 'restic-locked' || LOCK_FREE.has(args[0] ?? ''))
    return first;
  const unlock = () => call(invocation, ['unlock'], { signal: options.signal });
  await unlock();
  let result = await call(invocation, args, options);
  const waitMs = invocation.lockWaitMs;
  if (!result.ok && result.error.code === 'restic-locked' && waitMs > 0) {
    options.onLockWait?.(
      `the repository of target "${invocation.target}" is locked ${describeLocks(await repositoryLocks(invocation, options))}; waiting up to ${Math.round(waitMs / 1000)} s (lock_wait)`,
    );
    const restic = await detectRestic();
    if (restic.ok && atLeast(restic.value, 0, 16)) {
      const retry = ['--retry-lock', `${Math.ceil(waitMs / 1000)}s`];
      result = await call(
        { ...invocation, globalArgs: [...invocation.globalArgs, ...retry] },
        args,
        options,
      );
    } else {
      const deadline = Date.now() + waitMs;
      while (!result.ok && result.error.code === 'restic-locked' && Date.now() < deadline) {
        if (!(await pause(Math.min(POLL_MS, deadline - Date.now()), options.signal))) break;
        await unlock();
        result = await call(invocation, args, options);
      }
    }
  }
  if (result.ok || result.error.code !== 'restic-locked') return result;
  if (options.signal.aborted)
    return {
      ok: false,
      error: {
        code: 'cancelled',
        message: `cancelled while waiting for the lock of target "${invocation.target}"`,
        subject: invocation.target,
      },
    };
  const holders = describeLocks(await repositoryLocks(invocation, options));
  return {
    ok: false,
    error: {
      code: 'restic-locked',
      message: `the repository of target "${invocation.target}" is locked ${holders}; waited ${Math.round(waitMs / 1000)} s (lock_wait) after removing stale locks`,
      subject: invocation.target,
      hint: 'let that restic finish (or stop it); a lock of a process that is gone is removed by the next command',
    },
  };
}

/** Waits, unless the signal aborts first; false when it did. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (waited: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(waited);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), Math.max(0, ms));
    signal.addEventListener('abort', onAbort);
  });
}
