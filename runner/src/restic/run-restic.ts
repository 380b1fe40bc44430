import { execa } from 'execa';
import type { Result } from '../result';
import { ok } from '../result';
import { classifyResticFailure } from './errors';
import type { ResticInvocation } from './invocation';

export interface ResticCallOptions {
  signal: AbortSignal;
  /** Each JSON line restic prints with --json (progress, summary). */
  onJson?: (message: Record<string, unknown>) => void;
  onStart?: (pid: number) => void;
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
  const stdio = ['ignore', 'pipe', 'pipe', invocation.passwordPipe ?? 'ignore'] as const;
  const child = execa('restic', [...invocation.globalArgs, ...args], {
    env: { ...invocation.env, RESTIC_PROGRESS_FPS: '2' },
    stdio,
    cancelSignal: options.signal,
    killSignal: 'SIGINT',
    forceKillAfterDelay: 20_000,
    reject: false,
    buffer: { stdout: !options.onJson, stderr: true },
    lines: false,
  });
  if (child.pid !== undefined) options.onStart?.(child.pid);
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
  if (!options.onJson) stdout = String(result.stdout ?? '');
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
