import type { ResolvedTarget, RunConfig } from '../config';
import type { ResticInvocation } from '../restic/invocation';
import { resticInvocation } from '../restic/invocation';
import { detectRestic } from '../restic/version';
import type { Result } from '../result';
import { fail, ok } from '../result';
import { withdrawSecretsFromEnvironment } from '../secrets';
import { SnapshotCache } from './snapshot-cache';

/** Everything an operation on one target's snapshots needs. */
export interface TargetSession {
  config: RunConfig;
  target: ResolvedTarget;
  /** Created on first use: opening it reads the repository password. */
  invocation(): Promise<Result<ResticInvocation>>;
  cache: SnapshotCache;
  signal: AbortSignal;
}

/** The target named by --target, or the spec's first target. */
export function pickTarget(config: RunConfig, name: string | undefined): Result<ResolvedTarget> {
  const first = config.targets[0];
  if (!first)
    return fail('no-target', 'the spec has no targets: there are no snapshots to read', {
      hint: 'add a restic target under targets:',
    });
  return name === undefined ? ok(first) : findTarget(config, name);
}

/** The spec's target of this name; an unknown name is an error that lists the names there are. */
export function findTarget(config: RunConfig, name: string): Result<ResolvedTarget> {
  const target = config.targets.find((t) => t.name === name);
  if (target) return ok(target);
  const names = config.targets.map((t) => t.name);
  return fail('unknown-target', `no target "${name}" in the spec (targets: ${names.join(', ')})`, {
    hint: 'give one of them with --target',
  });
}

export function openTarget(
  config: RunConfig,
  target: ResolvedTarget,
  signal: AbortSignal,
): TargetSession {
  let opened: Promise<Result<ResticInvocation>> | undefined;
  return {
    config,
    target,
    cache: SnapshotCache.forTarget(config.staging.dir, target.name),
    signal,
    invocation() {
      opened ??= (async () => {
        const restic = await detectRestic();
        if (!restic.ok) return restic;
        withdrawSecretsFromEnvironment(config.secretEnv);
        return resticInvocation(target, true);
      })();
      return opened;
    },
  };
}
