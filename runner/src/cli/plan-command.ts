import type { RunConfig } from '../config';
import { buildPlan } from '../engine/plan';
import { readState } from '../monitoring/state';
import { encodeRecord } from '../protocol';
import type { ResticInvocation } from '../restic/invocation';
import { resticInvocation } from '../restic/invocation';
import { StagingLayout } from '../staging/layout';
import { newRunId } from '../staging/run-id';
import type { Command } from './command';
import { CONFIG_OPTION, JSON_OPTION, configPath } from './command';
import type { CommandIO } from './io';
import { loadConfig } from './load-config';

export const planCommand: Command = {
  name: 'plan',
  summary: 'show the steps and exact commands of a run, secrets redacted',
  usage: `Usage: backup-runner plan [-c FILE] [--json]

Prints every step a run would take and the exact commands it would start, with each secret
replaced by where it comes from. Reads no secret and changes nothing (same as run --dry-run).`,
  options: { ...CONFIG_OPTION, ...JSON_OPTION },
  positionals: false,
  async run(values, _positionals, io) {
    const json = values['json'] === true;
    const loaded = await loadConfig(configPath(values), json, io);
    if (!loaded.ok) return loaded.exitCode;
    return printPlan(loaded.config, json, io);
  },
};

export async function printPlan(config: RunConfig, json: boolean, io: CommandIO): Promise<number> {
  const runId = newRunId();
  const invocations = new Map<string, ResticInvocation>();
  for (const target of config.targets) {
    const invocation = await resticInvocation(target, false);
    if (invocation.ok) invocations.set(target.name, invocation.value);
  }
  // The same inputs a run starts from: which checks are due comes from the state file.
  const state = await readState(new StagingLayout(config.staging.dir).stateFile);
  const steps = buildPlan(config, { runId, invocations, state, now: new Date() });
  if (json) {
    io.out(encodeRecord({ type: 'plan', runId, name: config.name, spec: config.specPath, steps }));
    return 0;
  }
  io.out(`plan for ${config.name} (${config.specPath}), run id ${runId}:`);
  steps.forEach((step, index) => {
    io.out(`${String(index + 1).padStart(3)}. ${step.title}${step.skip ? ` [${step.skip}]` : ''}`);
    for (const command of step.commands) io.out(`       $ ${command.map(quote).join(' ')}`);
  });
  return 0;
}

/** Shell-style quoting for display only; nothing is ever run through a shell. */
function quote(word: string): string {
  return /^[\w@%+=:,./<>-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
