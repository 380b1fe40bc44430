import type { ResolvedTarget, RunConfig } from '../config';
import type { CheckRecord } from '../monitoring/state';
import { updateState } from '../monitoring/state';
import { checkArgs } from '../restic/commands';
import type { ResticInvocation } from '../restic/invocation';
import { resticPlain } from '../restic/operations';
import type { Result, RunnerError } from '../result';
import { ok } from '../result';
import { StagingLayout } from '../staging/layout';
import { stepIds } from './plan';
import type { RunContext } from './run-context';
import { recordChild } from './run-context';

/** `restic check` of one target, recorded in the state file whatever its outcome. */
export async function checkTarget(
  config: RunConfig,
  target: ResolvedTarget,
  invocation: ResticInvocation,
  signal: AbortSignal,
  onChild?: (pid: number) => void,
): Promise<Result<CheckRecord>> {
  const subset = config.check?.readDataSubset;
  const result = await resticPlain(invocation, checkArgs(subset), {
    signal,
    ...(onChild ? { onStart: onChild } : {}),
  });
  const record: CheckRecord = {
    at: new Date().toISOString(),
    status: result.ok ? 'ok' : 'failed',
    ...(subset ? { readDataSubset: subset } : {}),
  };
  if (!result.ok) {
    if (result.error.code === 'cancelled') return result;
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
 * is older than check.every. A failed check fails the run (the snapshot exists, but the
 * repository needs attention).
 */
export async function runDueChecks(context: RunContext): Promise<RunnerError | undefined> {
  const { config, reporter, signal, invocations } = context;
  if (!config.check) return undefined;
  let error: RunnerError | undefined;
  for (const target of config.targets) {
    const id = stepIds.check(target.name);
    const planned = reporter.planned(id);
    const invocation = invocations.get(target.name);
    if (planned.skip !== undefined || !invocation) {
      reporter.skip(id, planned.skip ?? 'no restic invocation');
      continue;
    }
    const result = await reporter.step(
      id,
      () => checkTarget(config, target, invocation, signal, recordChild(context)),
      (record) => ({ ...record }),
    );
    if (!result.ok) error ??= result.error;
  }
  return error;
}
