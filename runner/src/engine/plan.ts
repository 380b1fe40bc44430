import { join } from 'node:path';
import { archiveFileName } from '../archive/create-archive';
import type { ResolvedHook, RunConfig } from '../config';
import type { BackupState } from '../monitoring/state';
import type { PlanStep } from '../protocol';
import { backupArgs, checkArgs, forgetArgs } from '../restic/commands';
import type { ResticInvocation } from '../restic/invocation';
import { describeSource, moduleFor, passwordSourcesOf } from '../sources/registry';
import { MANIFEST_NAME, StagingLayout } from '../staging/layout';
import { checkSchedule } from './check-schedule';
import { damagedTargets } from '../monitoring/target-damage';

/**
 * The kinds of step of a run, in the order a run takes them (docs/cli.md lists them in this
 * order, and test/docs checks that it does).
 */
export const STEP_KINDS = [
  'lock',
  'preflight',
  'hooks.before',
  'dump',
  'manifest',
  'promote',
  'archive',
  'backup',
  'integrity',
  'retention',
  'check',
  'prune-local',
  'hooks.after',
  'hooks.on_failure',
  'unlock',
] as const;

/** Step ids, stable within a run: how the run, its events and the plan name each step. */
export const stepIds = {
  lock: 'lock',
  preflight: (target: string) => `preflight:${target}`,
  /** The sources' secrets and the room in staging: after the targets, before hooks.before. */
  preflightLocal: 'preflight',
  hook: (hook: ResolvedHook) => `hook:${hook.label.replace(/^hooks\./, '')}`,
  dump: (source: string) => `dump:${source}`,
  manifest: 'manifest',
  promote: 'promote',
  archive: 'archive',
  backup: (target: string) => `backup:${target}`,
  integrity: (source: string) => `integrity:${source}`,
  retention: (target: string) => `retention:${target}`,
  check: (target: string) => `check:${target}`,
  pruneLocal: 'prune-local',
  unlock: 'unlock',
} as const;

/** Whether a source reads a secret itself (a database password); sqlite and files do not. */
export function hasSourceSecrets(config: RunConfig): boolean {
  return config.sources.some(({ source }) => passwordSourcesOf(source) !== undefined);
}

/**
 * The sources whose check of the staged copy runs alongside the backup (SQLite's
 * integrity_check, unless off): the run waits for each in its `integrity:<source>` step, after
 * the backups and before retention (docs/guarantees.md).
 */
export function checkedAlongside(config: RunConfig): string[] {
  return config.sources
    .filter(({ source }) => moduleFor(source).checkedAlongside?.(source) === true)
    .map(({ name }) => name);
}

/** What the plan depends on besides the spec. */
export interface PlanInputs {
  runId: string;
  /** Per target, how restic is started (secrets redacted in what is shown). */
  invocations: Map<string, ResticInvocation>;
  /** The state file as the run starts: when each repository was last checked. */
  state: BackupState | undefined;
  now: Date;
}

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
 * Every step of a run, in order, with the commands it will run (secrets redacted) and, for a
 * step this run will not take, why: the one description of a run. `plan` prints it, `run`
 * announces it in `run-started` and then takes exactly these steps in this order (the reporter
 * refuses any other). Needs no secret and touches nothing.
 */
export function buildPlan(config: RunConfig, inputs: PlanInputs): PlanStep[] {
  const layout = new StagingLayout(config.staging.dir);
  const { runId } = inputs;
  const restic = (target: string, args: string[]) =>
    shownCommand(inputs.invocations.get(target), args);
  const steps: PlanStep[] = [step(stepIds.lock, `lock ${layout.lockFile}`)];
  for (const target of config.targets)
    steps.push(
      step(
        stepIds.preflight(target.name),
        `check that the repository of target "${target.name}" exists and opens`,
        [restic(target.name, ['cat', 'config'])],
      ),
    );
  steps.push(
    step(
      stepIds.preflightLocal,
      `${hasSourceSecrets(config) ? "read the sources' secrets and " : ''}check that ${layout.root} has room for this run next to current/`,
    ),
  );
  steps.push(...config.hooks.before.map((hook) => hookStep(hook)));
  for (const { name, source } of config.sources) {
    const described = describeSource(name, source, join(layout.partial(runId), name));
    steps.push(step(stepIds.dump(name), described.title, described.commands));
  }
  steps.push(
    step(
      stepIds.manifest,
      `hash every staged file into ${join(layout.partial(runId), MANIFEST_NAME)}`,
    ),
    step(
      stepIds.promote,
      `make the run ${layout.current} (the previous one is kept as ${layout.root}/<its run id> while keep_runs allows)`,
    ),
  );
  if (config.archive) steps.push(archiveStep(config, runId));
  for (const target of config.targets)
    steps.push(
      step(
        stepIds.backup(target.name),
        `restic backup to target "${target.name}" (${target.sources.join(', ')})`,
        [restic(target.name, backupArgs(config, target, targetPaths(config, target.sources)))],
      ),
    );
  for (const name of checkedAlongside(config))
    steps.push(
      step(
        stepIds.integrity(name),
        `wait for the integrity check of source "${name}"'s staged copy, run alongside the backup; if it fails, this run's snapshots are forgotten, the previous run is made current/ again and no retention runs`,
      ),
    );
  const damaged = damagedTargets(config, inputs.state);
  if (config.retention) {
    const retention = config.retention;
    for (const target of config.targets) {
      const damage = damaged.get(target.name);
      steps.push({
        ...step(
          stepIds.retention(target.name),
          `apply retention to target "${target.name}" (only after every step above succeeded)`,
          [restic(target.name, forgetArgs(config, target, retention))],
        ),
        ...(damage
          ? {
              skip: `not applied: target "${target.name}" is damaged, ${damage.why}; no retention until a check passes`,
            }
          : {}),
      });
    }
  }
  const schedule = checkSchedule(config, inputs.state, inputs.now);
  for (const target of config.targets) {
    const due = schedule.get(target.name);
    const damage = damaged.get(target.name);
    // A damaged target is checked on every run, checks configured or not, until one passes.
    if (!due && !damage) continue;
    const args = checkArgs(damage?.readData ? 'all' : config.check?.readDataSubset);
    steps.push({
      ...step(
        stepIds.check(target.name),
        `restic check of target "${target.name}"${checkExtent(args)}${damage ? ` (it is damaged: ${damage.why})` : ''}`,
        [restic(target.name, args)],
      ),
      ...(damage || due?.due ? {} : { skip: `not due: last checked ${due?.lastAt ?? 'never'}` }),
    });
  }
  steps.push(
    step(
      stepIds.pruneLocal,
      `prune local runs (keep ${config.staging.keepRuns} besides current)${config.archive ? ' and archives older than keep_within' : ''}`,
    ),
    ...config.hooks.after.map((hook) => hookStep(hook)),
    ...config.hooks.onFailure.map((hook) => ({
      ...hookStep(hook),
      skip: 'runs only if the backup fails',
    })),
    step(stepIds.unlock, `remove ${layout.lockFile}`),
  );
  return steps;
}

/** What a check reads besides the structure, as a plan title says it. */
function checkExtent(args: string[]): string {
  if (args.includes('--read-data')) return ' reading all of the data';
  const at = args.indexOf('--read-data-subset');
  return at >= 0 ? ` reading ${args[at + 1] ?? ''} of the data` : '';
}

function step(id: string, title: string, commands: string[][] = []): PlanStep {
  return { id, title, commands };
}

function archiveStep(config: RunConfig, runId: string): PlanStep {
  const archive = config.archive as NonNullable<RunConfig['archive']>;
  const file = join(archive.dir, archiveFileName(config.name, runId, archive.format));
  // zstd only filters: the runner writes its output to <file>.partial (0600), then renames it.
  const compress =
    archive.format === 'tar.zst' ? [['zstd', `-${archive.level}`, '-T0', '-q', '-c']] : [];
  return step(stepIds.archive, `archive the run to ${file}`, compress);
}

/** A restic command as the plan shows it: environment (secrets redacted), global flags, args. */
function shownCommand(invocation: ResticInvocation | undefined, args: string[]): string[] {
  return [...(invocation?.shownEnv ?? []), 'restic', ...(invocation?.globalArgs ?? []), ...args];
}

function hookStep(hook: ResolvedHook): PlanStep {
  return step(stepIds.hook(hook), `${hook.label}: ${hook.argv.join(' ')}`, [[...hook.argv]]);
}
