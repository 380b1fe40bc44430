import type { ResolvedHook } from '../config';
import { runHook } from '../hooks';
import type { Result } from '../result';
import { ok } from '../result';
import { stepIds } from './plan';
import type { RunContext } from './run-context';

/**
 * Runs hooks in order, each with the run's BACKUP_* variables and `extraEnv`; the first failure
 * stops the phase and is returned.
 */
export async function runHookPhase(
  context: Pick<RunContext, 'reporter' | 'hookEnv' | 'signal'>,
  hooks: ResolvedHook[],
  extraEnv: Record<string, string>,
): Promise<Result<void>> {
  const env = { ...context.hookEnv, ...extraEnv };
  for (const hook of hooks) {
    const result = await context.reporter.step(
      stepIds.hook(hook),
      (step) => runHook(hook, { env, signal: context.signal, onOutput: (line) => step.log(line) }),
      (value) => ({ durationMs: value.durationMs }),
    );
    if (!result.ok) return result;
  }
  return ok(undefined);
}
