import type { ResolvedHook } from '../config';
import { runHook } from '../hooks';
import type { Result } from '../result';
import { ok } from '../result';
import { hookStepId } from './plan';
import type { RunReporter } from './reporter';

/** Runs hooks in order; the first failure stops the phase and is returned. */
export async function runHookPhase(
  hooks: ResolvedHook[],
  env: Record<string, string>,
  signal: AbortSignal,
  reporter: RunReporter,
): Promise<Result<void>> {
  for (const hook of hooks) {
    const result = await reporter.step(
      { id: hookStepId(hook), title: `${hook.label}: ${hook.argv.join(' ')}` },
      (context) => runHook(hook, { env, signal, onOutput: (line) => context.log(line) }),
      (value) => ({ durationMs: value.durationMs }),
    );
    if (!result.ok) return result;
  }
  return ok(undefined);
}
