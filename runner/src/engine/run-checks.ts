import type { ResolvedTarget, RunConfig } from '../config';
import type { CheckRecord } from '../monitoring/state';
import { updateState } from '../monitoring/state';
import { checkArgs } from '../restic/commands';
import type { ResticInvocation } from '../restic/invocation';
import { resticPlain } from '../restic/operations';
import type { Result, RunnerError } from '../result';
import { ok } from '../result';
import { StagingLayout } from '../staging/layout';
import { damagedTargets } from '../monitoring/target-damage';
import { stepIds } from './plan';
import type { RunContext } from './run-context';

export interface CheckOptions {
  signal: AbortSignal;
  /** Read every pack (`--read-data`) instead of the spec's read_data_subset. */
  readAllData?: boolean;
  onChild?: (pid: number) => void;
  onLockWait?: (message: string) => void;
}

/** `restic check` of one target, recorded in the state file whatever its outcome. */
export async function checkTarget(
  config: RunConfig,
  target: ResolvedTarget,
  invocation: ResticInvocation,
  options: CheckOptions,
): Promise<Result<CheckRecord>> {
  const subset = options.readAllData ? undefined : config.check?.readDataSubset;
  const result = await resticPlain(invocation, checkArgs(options.readAllData ? 'all' : subset), {
    signal: options.signal,
    ...(options.onChild ? { onStart: options.onChild } : {}),
    ...(options.onLockWait ? { onLockWait: options.onLockWait } : {}),
  });
  const record: CheckRecord = {
    at: new Date().toISOString(),
    status: result.ok ? 'ok' : 'failed',
    ...(subset ? { readDataSubset: subset } : {}),
    ...(options.readAllData ? { readAllData: true } : {}),
  };
  if (!result.ok) {
    // Only restic's verdict (it ran and found errors) says the repository is damaged; a check
    // that was killed, timed out, or could not take its lock says nothing about it.
    if (result.error.code !== 'restic-failed') return result;
    record.error = {
      ...result.error,
      code: 'restic-check-failed',
      message: `restic check of target "${target.name}" found problems: ${result.error.message}`,
    };
  }
  const layout = new StagingLayout(config.staging.dir);
  // The check's outcome stands even when it cannot be recorded (status then shows an older one).
  await updateState(layout.stateFile, { name: config.name, spec: config.specPath }, (state) => {
    state.lastCheck = { ...state.lastCheck, [target.name]: record };
  }).catch(() => undefined);
  return record.error ? { ok: false, error: record.error } : ok(record);
}

/**
 * The checks a run owes, as its plan decided (check-schedule.ts): each target whose last check
 * is older than check.every, and each damaged one. A failed check fails the run (the snapshot
 * exists, but the repository needs attention). Returns the targets whose check passed.
 */
export async function runDueChecks(
  context: RunContext,
): Promise<{ error?: RunnerError; passed: Set<string> }> {
  const { config, reporter, signal, invocations } = context;
  let error: RunnerError | undefined;
  const passed = new Set<string>();
  const damaged = damagedTargets(config, context.state);
  for (const target of config.targets) {
    const id = stepIds.check(target.name);
    if (!reporter.plan.some((step) => step.id === id)) continue;
    const planned = reporter.planned(id);
    const invocation = invocations.get(target.name);
    if (planned.skip !== undefined || !invocation) {
      reporter.skip(id, planned.skip ?? 'no restic invocation');
      continue;
    }
    const result = await reporter.step(
      id,
      (step) =>
        checkTarget(config, target, invocation, {
          signal,
          readAllData: damaged.get(target.name)?.readData === true,
          onLockWait: step.log,
        }),
      (record) => ({ ...record }),
    );
    if (result.ok) passed.add(target.name);
    else error ??= result.error;
  }
  return { ...(error ? { error } : {}), passed };
}
