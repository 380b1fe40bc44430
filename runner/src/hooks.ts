import { execa } from 'execa';
import type { ResolvedHook } from './config';
import type { Result } from './result';
import { fail, ok } from './result';

export interface HookRunOptions {
  /** BACKUP_* variables describing the run. */
  env: Record<string, string>;
  signal: AbortSignal;
  onOutput: (line: string) => void;
}

/**
 * Runs one hook: argv without a shell, a timeout after which it is killed, its output streamed
 * to the log. A hook fails on a non-zero exit, a signal, a timeout or a missing program.
 */
export async function runHook(
  hook: ResolvedHook,
  options: HookRunOptions,
): Promise<Result<{ durationMs: number }>> {
  const started = Date.now();
  const [program, ...args] = hook.argv;
  const child = execa(program, args, {
    cwd: hook.cwd,
    env: { ...hook.env, ...options.env },
    timeout: hook.timeoutMs,
    cancelSignal: options.signal,
    forceKillAfterDelay: 5_000,
    reject: false,
    stdin: 'ignore',
    all: true,
    buffer: false,
  });
  child.all?.setEncoding('utf8');
  let pending = '';
  child.all?.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) options.onOutput(line);
  });
  const result = await child;
  if (pending) options.onOutput(pending);
  const durationMs = Date.now() - started;
  if (result.isCanceled) return fail('cancelled', `${hook.label} was cancelled`);
  if (result.timedOut) {
    return fail(
      'hook-timeout',
      `${hook.label} (${program}) did not finish within ${Math.round(hook.timeoutMs / 1000)} s and was killed`,
      {
        hint: 'raise its timeout, or find out why it hangs',
      },
    );
  }
  if ((result as { code?: string }).code === 'ENOENT') {
    return fail('hook-failed', `${hook.label}: program ${program} not found`);
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
