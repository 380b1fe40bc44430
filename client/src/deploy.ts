import * as vscode from 'vscode';
import { validateSpec } from 'backup-runner/spec';
import type { Ctx } from './ctx';
import type { Host } from './hosts';
import { recordOf } from './records';
import type { CommandResult } from './run-commands';
import { commandError, reportError } from './run-commands';

export const HOST_SPEC_SCHEME = 'backup-yaml-host';

/** The host's copies shown on the left of Deploy's diff (read-only virtual documents). */
export class HostSpecDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  uriFor(host: Host, text: string): vscode.Uri {
    const uri = vscode.Uri.from({
      scheme: HOST_SPEC_SCHEME,
      authority: host.label,
      path: host.spec,
      query: String(Date.now()),
    });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

/**
 * Deploy spec…: validates the open backup.yaml, shows its diff against the host's copy, and on
 * confirmation writes it there atomically (mode 0600, owner kept) through the host's runner,
 * which validates it again before the rename; then offers Install schedule.
 */
export async function deploySpec(
  ctx: Ctx,
  documents: HostSpecDocuments,
  host: Host,
  document: vscode.TextDocument,
): Promise<CommandResult> {
  const text = document.getText();
  const errors = validateSpec(text).diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    return reportError(ctx, undefined, {
      code: 'spec-invalid',
      message: `${vscode.workspace.asRelativePath(document.uri)} has ${errors.length} error(s); fix them before deploying (see Problems)`,
    });
  const current = await ctx.sessions.request(host, ['read-spec', '-c', host.spec, '--json']);
  if (!current.ok) return reportError(ctx, host, current.error);
  const file = recordOf(current.value.records, 'spec-file');
  if (!file)
    return reportError(
      ctx,
      host,
      commandError(host, current.value, 'read-spec') ?? {
        code: 'runner-failed',
        message: 'read-spec printed no record',
      },
    );
  if (file.exists && file.text === text) {
    void ctx.prompts().info(`${host.label}: ${host.spec} is already this spec`);
    return { ok: true, host: host.label, summary: 'unchanged', records: [file], exitCode: 0 };
  }
  const left = documents.uriFor(host, file.text ?? '');
  await vscode.commands.executeCommand(
    'vscode.diff',
    left,
    document.uri,
    `${host.label}:${host.spec} ↔ ${vscode.workspace.asRelativePath(document.uri)}`,
    { preview: true },
  );
  const confirmed = await ctx
    .prompts()
    .confirm(
      `Deploy this spec to ${host.label}?`,
      `${file.exists ? 'Replaces' : 'Creates'} ${host.spec} (mode 0600${file.exists ? ', owner kept' : ''}) after the runner there validated it.`,
      'Deploy',
    );
  if (!confirmed)
    return { ok: false, host: host.label, error: { code: 'cancelled', message: 'not deployed' } };
  const written = await ctx.sessions.request(host, ['write-spec', '-c', host.spec, '--json'], {
    input: text,
  });
  if (!written.ok) return reportError(ctx, host, written.error);
  const record = recordOf(written.value.records, 'spec-written');
  if (!record)
    return reportError(
      ctx,
      host,
      commandError(host, written.value, 'write-spec') ?? {
        code: 'runner-failed',
        message: 'write-spec printed no record',
      },
    );
  ctx.output
    .logger(host, 'Deploy')
    .text(
      `wrote ${record.path}: ${record.bytes} bytes, mode ${record.mode.toString(8)}, uid ${record.uid}, gid ${record.gid}; ${record.validation.warnings} warning(s)`,
    );
  void ctx
    .prompts()
    .info(
      `${host.label}: deployed ${host.spec} (validated there, ${record.validation.warnings} warning(s))`,
      'Install schedule',
    )
    .then((action) => {
      if (action === 'Install schedule')
        void vscode.commands.executeCommand('backupYaml.installSchedule', host.id);
    });
  return {
    ok: true,
    host: host.label,
    summary: `deployed ${record.path}`,
    records: [file, record],
    exitCode: 0,
  };
}

/** Install schedule…: `backup-runner schedule --install` on the host (sudo where configured). */
export async function installSchedule(ctx: Ctx, host: Host): Promise<CommandResult> {
  const confirmed = await ctx
    .prompts()
    .confirm(
      `Install the schedule of ${host.spec} on ${host.label}?`,
      `Runs backup-runner schedule --install there: a systemd timer (or cron file) that runs the backup on the spec's schedule.${host.entry?.sudo ? ' With sudo.' : ' Installing into /etc needs root: set "sudo": true for this host if you do not log in as root.'}`,
      'Install',
    );
  if (!confirmed)
    return { ok: false, host: host.label, error: { code: 'cancelled', message: 'not installed' } };
  const outcome = await ctx.sessions.request(host, [
    'schedule',
    '-c',
    host.spec,
    '--install',
    '--json',
  ]);
  if (!outcome.ok) return reportError(ctx, host, outcome.error);
  const record = recordOf(outcome.value.records, 'schedule');
  const error = commandError(host, outcome.value, 'schedule --install');
  if (error || !record)
    return reportError(
      ctx,
      host,
      error ?? { code: 'runner-failed', message: 'schedule printed no record' },
    );
  const log = ctx.output.logger(host, 'Install schedule');
  for (const file of record.files) log.text(`# ${file.path}\n${file.content}`);
  for (const line of record.instructions) log.text(line);
  void ctx
    .prompts()
    .info(`${host.label}: schedule installed (${record.kind}): ${record.instructions.join('; ')}`);
  return {
    ok: true,
    host: host.label,
    summary: `installed ${record.files.map((f) => f.path).join(', ')}`,
    records: [record],
    exitCode: 0,
  };
}
