import type { ResolvedTarget, RunConfig } from '../config';
import type { Result } from '../result';
import { fail, ok } from '../result';
import type { OptionValues } from './command';

/** Every target, or the one `--target NAME` names; an unknown name is a usage error. */
export function selectTargets(config: RunConfig, values: OptionValues): Result<ResolvedTarget[]> {
  const wanted = typeof values['target'] === 'string' ? values['target'] : undefined;
  if (config.targets.length === 0) return fail('no-target', 'the spec has no target');
  if (!wanted) return ok(config.targets);
  const target = config.targets.find((t) => t.name === wanted);
  if (!target)
    return fail(
      'unknown-target',
      `no target "${wanted}" in the spec (targets: ${config.targets.map((t) => t.name).join(', ')})`,
    );
  return ok([target]);
}
