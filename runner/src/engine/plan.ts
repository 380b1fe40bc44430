import { join } from 'node:path';
import { archiveFileName } from '../archive/create-archive';
import type { ResolvedHook, RunConfig } from '../config';
import type { PlanStep } from '../protocol';
import { backupArgs, forgetArgs } from '../restic/commands';
import type { ResticInvocation } from '../restic/invocation';
import { describeSource } from '../sources/describe';
import { MANIFEST_NAME, StagingLayout } from '../staging/layout';

/**
 * The paths a target's snapshot holds: its sources in `current/` and the run's manifest (what a
 * restore is verified against), plus the archives if pushed.
 */
export function targetPaths(config: RunConfig, sources: string[]): string[] {
  const layout = new StagingLayout(config.staging.dir);
  const paths = [
    ...sources.map((source) => layout.currentSource(source)),
    join(layout.current, MANIFEST_NAME),
  ];
  if (config.archive?.push) paths.push(config.archive.dir);
  return paths;
}

/**
 * Every step of a run with the commands it will run, secrets redacted: what `plan` prints and
 * what `run` announces before it starts. Needs no secret and touches nothing.
 */
export function buildPlan(
  config: RunConfig,
  runId: string,
  invocations: Map<string, ResticInvocation>,
): PlanStep[] {
  const layout = new StagingLayout(config.staging.dir);
  const steps: PlanStep[] = [{ id: 'lock', title: `lock ${layout.lockFile}`, commands: [] }];
  for (const target of config.targets) {
    steps.push({
      id: `preflight:${target.name}`,
      title: `check that the repository of target "${target.name}" exists and opens`,
      commands: [shownCommand(invocations.get(target.name), ['cat', 'config'])],
    });
  }
  steps.push(...config.hooks.before.map((hook) => hookStep(hook)));
  for (const { name, source } of config.sources) {
    const described = describeSource(name, source, join(layout.partial(runId), name));
    steps.push({ id: `dump:${name}`, title: described.title, commands: described.commands });
  }
  steps.push({
    id: 'manifest',
    title: `hash every staged file into ${join(layout.partial(runId), 'manifest.json')}`,
    commands: [],
  });
  steps.push({
    id: 'promote',
    title: `make the run ${layout.current} (the previous one is kept as ${layout.root}/<its run id> while keep_runs allows)`,
    commands: [],
  });
  if (config.archive) {
    const file = join(
      config.archive.dir,
      archiveFileName(config.name, runId, config.archive.format),
    );
    const compress =
      config.archive.format === 'tar.zst'
        ? [['zstd', `-${config.archive.level}`, '-T0', '-q', '-f', '-o', `${file}.partial`]]
        : [];
    steps.push({ id: 'archive', title: `archive the run to ${file}`, commands: compress });
  }
  for (const target of config.targets) {
    const invocation = invocations.get(target.name);
    steps.push({
      id: `backup:${target.name}`,
      title: `restic backup to target "${target.name}" (${target.sources.join(', ')})`,
      commands: [
        shownCommand(invocation, backupArgs(config, target, targetPaths(config, target.sources))),
      ],
    });
  }
  if (config.retention) {
    for (const target of config.targets) {
      steps.push({
        id: `retention:${target.name}`,
        title: `apply retention to target "${target.name}" (only after every step above succeeded)`,
        commands: [
          shownCommand(invocations.get(target.name), forgetArgs(config, target, config.retention)),
        ],
      });
    }
  }
  steps.push({
    id: 'prune-local',
    title: `prune local runs (keep ${config.staging.keepRuns} besides current)${config.archive ? ' and archives older than keep_within' : ''}`,
    commands: [],
  });
  steps.push(...config.hooks.after.map((hook) => hookStep(hook)));
  steps.push(
    ...config.hooks.onFailure.map((hook) => ({
      ...hookStep(hook),
      skip: 'runs only if the backup fails',
    })),
  );
  steps.push({ id: 'unlock', title: `remove ${layout.lockFile}`, commands: [] });
  return steps;
}

/** A restic command as the plan shows it: environment (secrets redacted), global flags, args. */
function shownCommand(invocation: ResticInvocation | undefined, args: string[]): string[] {
  return [...(invocation?.shownEnv ?? []), 'restic', ...(invocation?.globalArgs ?? []), ...args];
}

export function hookStepId(hook: ResolvedHook): string {
  return `hook:${hook.label.replace(/^hooks\./, '')}`;
}

function hookStep(hook: ResolvedHook): PlanStep {
  return {
    id: hookStepId(hook),
    title: `${hook.label}: ${hook.argv.join(' ')}`,
    commands: [[...hook.argv]],
  };
}
