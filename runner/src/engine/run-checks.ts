import type { ResolvedTarget, RunConfig } from '../config';
import type { CheckRecord } from '../monitoring/state';
import { readState, updateState } from '../monitoring/state';
import { checkArgs } from '../restic/commands';
import type { ResticInvocation } from '../restic/invocation';
import { resticPlain } from '../restic/operations';
import type { Result, RunnerError } from '../result';
import { ok } from '../result';
import { StagingLayout } from '../staging/layout';
import type { RunReporter } from './reporter';

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

/** When a target's repository is next due for a check, or undefined when checks are off. */
export async function checkDue(
  config: RunConfig,
  now: Date,
): Promise<Map<string, { due: boolean; lastAt?: string }>> {
  const due = new Map<string, { due: boolean; lastAt?: string }>();
  if (!config.check) return due;
  const state = await readState(new StagingLayout(config.staging.dir).stateFile);
  for (const target of config.targets) {
    const last = state?.lastCheck?.[target.name];
    const age = last ? now.getTime() - Date.parse(last.at) : Infinity;
    due.set(target.name, {
      due: !(age < config.check.everyMs),
      ...(last ? { lastAt: last.at } : {}),
    });
  }
  return due;
}

/**
 * The checks a run owes: each target whose last check is older than check.every. A failed
 * check fails the run (the snapshot exists, but the repository needs attention).
 */
export async function runDueChecks(
  config: RunConfig,
  invocations: Map<string, ResticInvocation>,
  signal: AbortSignal,
  reporter: RunReporter,
  onChild: (pid: number) => void,
): Promise<RunnerError | undefined> {
  if (!config.check) return undefined;
  const schedule = await checkDue(config, new Date());
  let error: RunnerError | undefined;
  for (const target of config.targets) {
    const step = {
      id: `check:${target.name}`,
      title: `restic check of target "${target.name}"${config.check.readDataSubset ? ` reading ${config.check.readDataSubset} of the data` : ''}`,
    };
    const entry = schedule.get(target.name);
    const invocation = invocations.get(target.name);
    if (!entry?.due || !invocation) {
      reporter.skip(step, `not due: last checked ${entry?.lastAt ?? 'never'}`);
      continue;
    }
    const result = await reporter.step(
      step,
      () => checkTarget(config, target, invocation, signal, onChild),
      (record) => ({ ...record }),
    );
    if (!result.ok) error ??= result.error;
  }
  return error;
}
