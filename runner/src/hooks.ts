import type { ResolvedHook } from './config';
import { runChild } from './process/start-child';
import type { Result } from './result';
import { fail, ok } from './result';

export interface HookRunOptions {
  /** BACKUP_* variables describing the run. */
  env: Record<string, string>;
  signal: AbortSignal;
  onOutput: (line: string) => void;
}

/** What of a hook's output reaches the log: enough to see why it failed, never 50 MB of it. */
const MAX_LOGGED_CHARS = 256 * 1024;
const MAX_LINE_CHARS = 4 * 1024;

/**
 * Runs one hook: argv without a shell, in its own process group, its output streamed to the
 * log (bounded). A hook fails on a non-zero exit, a signal, a timeout or a program that cannot
 * be started. On timeout or cancel the whole group is stopped (SIGTERM, SIGKILL 5 s later), so
 * `sh -c "sleep 30; true"` ends with its sleep; a process the hook left running on purpose
 * (`app &`) is not waited for once the hook itself has exited.
 */
export async function runHook(
  hook: ResolvedHook,
  options: HookRunOptions,
): Promise<Result<{ durationMs: number }>> {
  const started = Date.now();
  const [program, ...args] = hook.argv;
  const output = boundedLines(options.onOutput);
  const result = await runChild(program, args, {
    ...(hook.cwd ? { cwd: hook.cwd } : {}),
    env: { ...hook.env, ...options.env },
    timeoutMs: hook.timeoutMs,
    signal: options.signal,
    interleave: true,
    onStdout: output.add,
  });
  output.end();
  const durationMs = Date.now() - started;
  if (result.cancelled) return fail('cancelled', `${hook.label} was cancelled`);
  if (result.timedOut) {
    return fail(
      'hook-timeout',
      `${hook.label} (${program}) did not finish within ${Math.round(hook.timeoutMs / 1000)} s and was killed with everything it started`,
      { hint: 'raise its timeout, or find out why it hangs' },
    );
  }
  if (result.spawnError !== undefined) {
    const why =
      result.spawnError === 'ENOENT' ? 'not found' : `cannot be run (${result.spawnError})`;
    return fail('hook-failed', `${hook.label}: program "${program}" ${why}`);
  }
  if (result.exitCode !== 0) {
    const how =
      result.exitCode === undefined
        ? `was killed by ${result.signal ?? 'a signal'}`
        : `exited with ${result.exitCode}`;
    return fail('hook-failed', `${hook.label} (${program}) ${how}`);
  }
  return ok({ durationMs });
}

/** Splits output into lines for the log, cutting long lines and everything past the bound. */
function boundedLines(onLine: (line: string) => void) {
  let pending = '';
  let logged = 0;
  let dropped = 0;
  const emit = (line: string) => {
    if (logged >= MAX_LOGGED_CHARS) {
      dropped += line.length + 1;
      return;
    }
    const shown = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)} […]` : line;
    logged += shown.length + 1;
    onLine(shown);
  };
  return {
    add: (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) emit(line);
      // A line without an end (binary output, a progress bar) is not kept growing.
      if (pending.length > MAX_LINE_CHARS) {
        emit(pending);
        pending = '';
      }
    },
    end: () => {
      if (pending) emit(pending);
      if (dropped > 0)
        onLine(`[… ${dropped} more characters of output not logged: the hook printed too much]`);
    },
  };
}
