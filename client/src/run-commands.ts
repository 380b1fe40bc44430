import { formatBytes } from '../../runner/src/human-log';
import type { RunnerRecord } from '../../runner/src/protocol';
import type { Ctx } from './ctx';
import type { ClientError, Outcome } from './errors';
import { describeError } from './errors';
import type { Host } from './hosts';
import { errorRecordOf, recordOf } from './records';
import type { CommandOutcome } from './session';

/** What a command returns to its caller (tests, other extensions): the outcome, or an error. */
export type CommandResult =
  | {
      ok: true;
      host: string;
      summary: string;
      records: RunnerRecord[];
      exitCode: number;
      /** The documents a command opened (snapshot files, diffs). */
      uris?: string[];
    }
  | { ok: false; host?: string; error: ClientError };

/** Shows an error with "Show log" and returns it as the command's result. */
export function reportError(ctx: Ctx, host: Host | undefined, error: ClientError): CommandResult {
  // The result must not wait for someone to close the notification.
  void ctx
    .prompts()
    .error(`${host ? `${host.label}: ` : ''}${describeError(error)}`, ...(host ? ['Show log'] : []))
    .then((action) => {
      if (action === 'Show log' && host) ctx.output.show(host);
    });
  return { ok: false, ...(host ? { host: host.label } : {}), error };
}

/** The runner's own error of a command that failed, or one made from its exit status. */
export function commandError(
  host: Host,
  outcome: CommandOutcome,
  what: string,
): ClientError | undefined {
  const errorRecord = errorRecordOf(outcome.records);
  if (errorRecord) return { ...errorRecord.error, host: host.label };
  const finished = recordOf(outcome.records, 'run-finished');
  if (finished?.error) return { ...finished.error, host: host.label };
  if (outcome.exitCode === 0) return undefined;
  return {
    code: 'runner-failed',
    host: host.label,
    message: `${what} on ${host.label} ended with exit status ${outcome.exitCode}${outcome.stderr.length ? `: ${outcome.stderr.at(-1) ?? ''}` : ''}`,
  };
}

async function finish(
  ctx: Ctx,
  host: Host,
  outcome: Outcome<CommandOutcome>,
  what: string,
  summarize: (outcome: CommandOutcome) => string,
  actions: string[] = [],
): Promise<CommandResult> {
  if (!outcome.ok) return reportError(ctx, host, outcome.error);
  const error = commandError(host, outcome.value, what);
  if (error) return reportError(ctx, host, error);
  const summary = summarize(outcome.value);
  void ctx
    .prompts()
    .info(`${host.label}: ${summary}`, ...actions)
    .then((action) => {
      if (action === 'Show log') ctx.output.show(host);
    });
  return {
    ok: true,
    host: host.label,
    summary,
    records: outcome.value.records,
    exitCode: outcome.value.exitCode,
  };
}

/** A long command on a host: behind a cancellable progress notification, then the status. */
interface LongCommand {
  title: string;
  argv: string;
  what: string;
  /** The notification's message for records that are not run events. */
  describe?: (record: RunnerRecord) => string | undefined;
  summarize: (value: CommandOutcome) => string;
}

async function runLong(ctx: Ctx, host: Host, command: LongCommand): Promise<CommandResult> {
  const outcome = await ctx.runs.run({
    host,
    title: `${command.title} on ${host.label}`,
    argv: [command.argv, '-c', host.spec, '--json'],
    ...(command.describe ? { describe: command.describe } : {}),
  });
  void ctx.status.refresh(host);
  return finish(ctx, host, outcome, command.what, command.summarize, ['Show log']);
}

const RUN: LongCommand = {
  title: 'Backup',
  argv: 'run',
  what: 'the run',
  summarize: (value) => {
    const finished = recordOf(value.records, 'run-finished');
    const snapshots = finished?.snapshots.map((s) => `${s.target} ${s.snapshotId}`).join(', ');
    return `backup done in ${((finished?.durationMs ?? 0) / 1000).toFixed(1)} s: ${snapshots || 'no snapshot'}, +${formatBytes(finished?.bytesAdded ?? 0)} new`;
  },
};

const VERIFY: LongCommand = {
  title: 'Restore drill',
  argv: 'verify',
  what: 'the restore drill',
  describe: (record) =>
    record.type === 'verify-source' ? `${record.source}: ${record.status}` : undefined,
  summarize: (value) =>
    `restore drill: ${value.records.flatMap((r) => (r.type === 'verify' ? [`${r.target} ${r.snapshotId} ${r.status}`] : [])).join(', ')}`,
};

const CHECK: LongCommand = {
  title: 'Repository check',
  argv: 'check',
  what: 'the repository check',
  describe: (record) =>
    record.type === 'check' ? `${record.target}: ${record.status}` : undefined,
  summarize: (value) =>
    `check: ${value.records.flatMap((r) => (r.type === 'check' ? [`${r.target} ${r.status}`] : [])).join(', ')}`,
};

export const runNow = (ctx: Ctx, host: Host) => runLong(ctx, host, RUN);
export const verify = (ctx: Ctx, host: Host) => runLong(ctx, host, VERIFY);
export const checkRepository = (ctx: Ctx, host: Host) => runLong(ctx, host, CHECK);

export async function plan(ctx: Ctx, host: Host): Promise<CommandResult> {
  const log = ctx.output.logger(host, 'Plan');
  const outcome = await ctx.sessions.request(host, ['plan', '-c', host.spec, '--json'], {
    onText: log.text,
  });
  if (outcome.ok) {
    const record = recordOf(outcome.value.records, 'plan');
    record?.steps.forEach((step, index) => {
      log.text(
        `${String(index + 1).padStart(3)}. ${step.title}${step.skip ? ` [${step.skip}]` : ''}`,
      );
      for (const command of step.commands) log.text(`       $ ${command.join(' ')}`);
    });
    if (record) ctx.output.show(host);
  }
  return finish(ctx, host, outcome, 'plan', (value) => {
    const record = recordOf(value.records, 'plan');
    return `plan of ${record?.name ?? host.spec}: ${record?.steps.length ?? 0} steps (in the output "backup-yaml: ${host.label}")`;
  });
}

export async function validateOnHost(ctx: Ctx, host: Host): Promise<CommandResult> {
  const outcome = await ctx.sessions.request(host, ['validate', '--json', host.spec]);
  if (outcome.ok) {
    const record = recordOf(outcome.value.records, 'validation');
    const log = ctx.output.logger(host, 'Validate');
    for (const d of record?.diagnostics ?? [])
      log.text(
        `${host.spec}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`,
      );
    if (record?.readError)
      return reportError(ctx, host, {
        code: 'spec-unreadable',
        host: host.label,
        message: `cannot read ${host.spec} on ${host.label}: ${record.readError}`,
      });
    if (record && !record.ok) {
      const first = record.diagnostics.find((d) => d.severity === 'error');
      return reportError(ctx, host, {
        code: 'spec-invalid',
        host: host.label,
        message: `${host.spec} has ${record.errors} error(s)${first ? `, first at line ${first.range.start.line + 1}: ${first.message}` : ''}`,
      });
    }
  }
  return finish(ctx, host, outcome, 'validate', (value) => {
    const record = recordOf(value.records, 'validation');
    return `${host.spec} is valid (${record?.warnings ?? 0} warning(s))`;
  });
}
