import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { restoreFromSnapshot, restoreInPlace } from './restore-commands';
import type { CommandResult } from './run-commands';
import {
  compareSnapshots,
  compareWithCurrent,
  initRepository,
  openSnapshotFile,
  verifySnapshot,
} from './snapshot-commands';

type TreeCommand = (ctx: Ctx, ...args: unknown[]) => Promise<CommandResult>;

/**
 * The Backups view's actions, each a command of its own (in the palette too): with a tree node
 * they act on it; from the palette on the node selected in the view, else on what the user picks.
 */
const TREE_COMMANDS: Record<string, TreeCommand> = {
  'backupYaml.openSnapshotFile': openSnapshotFile,
  'backupYaml.compareWithCurrent': compareWithCurrent,
  'backupYaml.compareSnapshots': compareSnapshots,
  'backupYaml.restoreFromSnapshot': restoreFromSnapshot,
  'backupYaml.restoreInPlace': restoreInPlace,
  'backupYaml.verifySnapshot': verifySnapshot,
  'backupYaml.initRepository': initRepository,
};

export function registerBackupsCommands(ctx: Ctx): vscode.Disposable[] {
  return [
    ...Object.entries(TREE_COMMANDS).map(([id, command]) =>
      vscode.commands.registerCommand(id, (...args: unknown[]) => command(ctx, ...args)),
    ),
    vscode.commands.registerCommand('backupYaml.refreshBackups', (given?: unknown) => {
      const id =
        typeof given === 'string'
          ? given
          : typeof given === 'object' && given !== null && 'host' in given
            ? (given as { host: { id: string } }).host.id
            : undefined;
      ctx.backups.view.refresh(id === undefined ? undefined : ctx.picker.find(id));
    }),
  ];
}
