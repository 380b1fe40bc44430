import type { ResolvedTarget, RunConfig } from '../config';
import { findTarget } from '../snapshots/target-session';
import type { Result } from '../result';
import { fail, ok } from '../result';
import type { OptionValues } from './command';

/** The value of --target, when given. */
export function targetOption(values: OptionValues): string | undefined {
  return typeof values['target'] === 'string' ? values['target'] : undefined;
}

/** Every target, or the one `--target NAME` names; an unknown name is a usage error. */
export function selectTargets(config: RunConfig, values: OptionValues): Result<ResolvedTarget[]> {
  const wanted = targetOption(values);
  if (config.targets.length === 0) return fail('no-target', 'the spec has no target');
  if (!wanted) return ok(config.targets);
  const target = findTarget(config, wanted);
  return target.ok ? ok([target.value]) : target;
}
