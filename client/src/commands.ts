import * as vscode from 'vscode';
import { addHost } from './add-host';
import type { HostEntry } from './config';
import type { Ctx } from './ctx';
import type { HostSpecDocuments } from './deploy';
import { deploySpec, installSchedule } from './deploy';
import type { Host } from './hosts';
import type { CommandResult } from './run-commands';
import { checkRepository, plan, reportError, runNow, validateOnHost, verify } from './run-commands';
import { cancelRun, openLog, showStatus } from './status-commands';

type HostCommand = (ctx: Ctx, host: Host) => CommandResult | Promise<CommandResult>;

/** The commands that act on one host, by id (contributed in package.json). */
const HOST_COMMANDS: Record<string, HostCommand> = {
  'backupYaml.validateOnHost': validateOnHost,
  'backupYaml.plan': plan,
  'backupYaml.runNow': runNow,
  'backupYaml.verify': verify,
  'backupYaml.checkRepository': checkRepository,
  'backupYaml.showStatus': showStatus,
  'backupYaml.installSchedule': installSchedule,
  'backupYaml.openLog': openLog,
  'backupYaml.cancel': cancelRun,
};

/**
 * Registers the commands. Each host command takes a host id or a hosts-view node (from menus and
 * tests), else asks which host (last used first) when there is more than one, and returns its
 * CommandResult.
 */
export function registerCommands(ctx: Ctx, documents: HostSpecDocuments): vscode.Disposable[] {
  const noHost = (): CommandResult =>
    reportError(ctx, undefined, {
      code: 'no-host',
      message:
        'no backup host: add one with "backup.yaml: Add host…", or open a backup.yaml of this machine',
    });
  const withHost = (command: HostCommand) => async (given?: unknown) => {
    const host = await ctx.picker.resolve(given);
    return host ? command(ctx, host) : noHost();
  };
  return [
    ...Object.entries(HOST_COMMANDS).map(([id, command]) =>
      vscode.commands.registerCommand(id, withHost(command)),
    ),
    vscode.commands.registerCommand('backupYaml.addHost', (given?: Partial<HostEntry>) =>
      addHost(ctx, given),
    ),
    vscode.commands.registerCommand(
      'backupYaml.deploySpec',
      async (given?: unknown, uri?: vscode.Uri) => {
        const document = uri
          ? await vscode.workspace.openTextDocument(uri)
          : vscode.window.activeTextEditor?.document.languageId === 'backup-yaml'
            ? vscode.window.activeTextEditor.document
            : undefined;
        if (!document)
          return reportError(ctx, undefined, {
            code: 'no-spec',
            message: 'open the backup.yaml to deploy first',
          });
        // Deploy from the editor's title or context menu gets the file's URI, not a host.
        const host = await ctx.picker.resolve(given instanceof vscode.Uri ? undefined : given);
        return host ? deploySpec(ctx, documents, host, document) : noHost();
      },
    ),
    vscode.commands.registerCommand('backupYaml.refreshHosts', async (given?: unknown) => {
      const host = typeof given === 'string' ? ctx.picker.find(given) : undefined;
      ctx.view.refresh();
      if (host) await ctx.status.refresh(host);
      else await ctx.status.refreshAll();
    }),
  ];
}
