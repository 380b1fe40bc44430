import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { secretEnvironmentNames } from './secrets';
import { parseDuration, parseResticDuration } from './spec/duration';
import type { Archive, Hook, HookObject, Retention, Source, Spec, Target } from './spec/types';

/** A valid spec with every default applied: what the engine runs. */
export interface RunConfig {
  specPath: string;
  specDir: string;
  name: string;
  host: string;
  sources: NamedSource[];
  staging: { dir: string; keepRuns: number };
  archive: ResolvedArchive | undefined;
  targets: ResolvedTarget[];
  retention: Retention | undefined;
  check: { readDataSubset: string | undefined; everyMs: number } | undefined;
  schedule: string | undefined;
  hooks: { before: ResolvedHook[]; after: ResolvedHook[]; onFailure: ResolvedHook[] };
  notify: Spec['notify'];
  /** The restore drill: where it restores to, and the MySQL server it loads dumps into. */
  verify: Spec['verify'];
  /** Environment variables the spec reads secrets from (`{ env: NAME }`). */
  secretEnv: string[];
}

export interface NamedSource {
  name: string;
  source: Source;
}

export interface ResolvedArchive {
  format: NonNullable<Archive['format']>;
  dir: string;
  keepWithinMs: number;
  level: number;
  push: boolean;
}

export interface ResolvedTarget {
  name: string;
  target: Target;
  /** The sources this target receives, in spec order. */
  sources: string[];
  /** How long a live repository lock is waited for (lock_wait). */
  lockWaitMs: number;
  /** Bounds on each restic call: quick calls that open the repository, and those moving data. */
  timeouts: { connectMs: number; operationMs: number };
}

export interface ResolvedHook {
  argv: [string, ...string[]];
  timeoutMs: number;
  cwd: string | undefined;
  env: Record<string, string>;
  /** `hooks.before[0]` — how logs and events name it. */
  label: string;
}

const DEFAULT_HOOK_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_LOCK_WAIT_MS = 5 * 60_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 60_000;
const DEFAULT_OPERATION_TIMEOUT_MS = 12 * 3_600_000;
const DEFAULT_CHECK_EVERY_MS = 7 * 86_400_000;

export function resolveConfig(spec: Spec, specPath: string): RunConfig {
  const sources = Object.entries(spec.sources).map(([name, source]) => ({ name, source }));
  const allNames = sources.map((s) => s.name);
  const targets = Object.entries(spec.targets ?? {}).map(([name, target]) => ({
    name,
    target,
    sources: target.sources ? allNames.filter((n) => target.sources?.includes(n)) : allNames,
    lockWaitMs: durationMs(target.lock_wait ?? spec.lock_wait, DEFAULT_LOCK_WAIT_MS),
    timeouts: {
      connectMs: durationMs(target.timeouts?.connect, DEFAULT_CONNECT_TIMEOUT_MS),
      operationMs: durationMs(target.timeouts?.operation, DEFAULT_OPERATION_TIMEOUT_MS),
    },
  }));
  const archive = spec.archive && {
    format: spec.archive.format ?? 'tar.zst',
    dir: spec.archive.dir,
    keepWithinMs: parseResticDuration(spec.archive.keep_within ?? '7d') ?? 7 * 86_400_000,
    level: spec.archive.level ?? 3,
    push: spec.archive.push ?? false,
  };
  return {
    specPath: resolve(specPath),
    specDir: dirname(resolve(specPath)),
    name: spec.name ?? 'backup',
    host: spec.host ?? hostname(),
    sources,
    staging: { dir: spec.staging.dir, keepRuns: spec.staging.keep_runs ?? 0 },
    archive,
    targets,
    retention: spec.retention,
    check: spec.check && {
      readDataSubset: spec.check.read_data_subset,
      everyMs: parseDuration(spec.check.every ?? '7d') ?? DEFAULT_CHECK_EVERY_MS,
    },
    schedule: spec.schedule,
    hooks: {
      before: (spec.hooks?.before ?? []).map((hook, i) => resolveHook(hook, `hooks.before[${i}]`)),
      after: (spec.hooks?.after ?? []).map((hook, i) => resolveHook(hook, `hooks.after[${i}]`)),
      onFailure: (spec.hooks?.on_failure ?? []).map((hook, i) =>
        resolveHook(hook, `hooks.on_failure[${i}]`),
      ),
    },
    notify: spec.notify,
    verify: spec.verify,
    secretEnv: secretEnvironmentNames(spec),
  };
}

/** A spec duration in ms; "0s" is a real zero (no waiting), a missing one the default. */
function durationMs(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return parseDuration(value) ?? fallback;
}

function resolveHook(hook: Hook, label: string): ResolvedHook {
  const object: HookObject = Array.isArray(hook) ? { command: hook } : hook;
  return {
    argv: object.command,
    timeoutMs: (object.timeout && parseDuration(object.timeout)) || DEFAULT_HOOK_TIMEOUT_MS,
    cwd: object.cwd,
    env: object.env ?? {},
    label,
  };
}
