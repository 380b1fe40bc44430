import { execa } from 'execa';
import type { Result } from '../result';
import { ok } from '../result';
import { openSecretFifo } from '../secret-fifo';
import { classifyResticFailure } from './errors';
import type { ResticInvocation } from './invocation';

export interface ResticCallOptions {
  signal: AbortSignal;
  /** Each JSON line restic prints with --json (progress, summary). */
  onJson?: (message: Record<string, unknown>) => void;
  onStart?: (pid: number) => void;
  /** restic's raw stdout as it comes (`dump`'s bytes); then `stdout` of the result is empty. */
  onStdout?: (chunk: Buffer) => void;
}

export interface ResticOutput {
  stdout: string;
  stderr: string;
}

/**
 * Runs one restic command for a target. restic is interrupted with SIGINT on cancel, which makes
 * it remove its own repository lock; SIGKILL follows if it does not stop.
 */
export async function runRestic(
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
  const child = execa('restic', [...invocation.globalArgs, ...args], {
    env: { ...env, RESTIC_PROGRESS_FPS: '2' },
    stdin: 'ignore',
    cancelSignal: options.signal,
    killSignal: 'SIGINT',
    forceKillAfterDelay: 20_000,
    reject: false,
    buffer: { stdout: !options.onJson && !options.onStdout, stderr: true },
    lines: false,
  });
  if (child.pid !== undefined) options.onStart?.(child.pid);
  if (options.onStdout) child.stdout?.on('data', options.onStdout);
  let stdout = '';
  if (options.onJson && child.stdout) {
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        stdout += `${line}\n`;
        if (!line.startsWith('{')) continue;
        try {
          options.onJson?.(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // A partial or non-JSON line (restic prints some warnings on stdout).
        }
      }
    });
  }
  const result = await child;
  const stderr = String(result.stderr ?? '');
  if (!options.onJson && !options.onStdout) stdout = String(result.stdout ?? '');
  if (result.isCanceled)
    return {
      ok: false,
      error: {
        code: 'cancelled',
        message: `restic was cancelled (target "${invocation.target}")`,
        subject: invocation.target,
      },
    };
  if (result.exitCode !== 0)
    return { ok: false, error: classifyResticFailure(result.exitCode, stderr, invocation.target) };
  return ok({ stdout, stderr });
}
