import * as vscode from 'vscode';

/**
 * Every question and notification the commands put to the user, behind one interface: the
 * extension-host tests answer and record them through the extension's API instead of clicking.
 */
export interface Prompts {
  info(message: string, ...actions: string[]): Thenable<string | undefined>;
  warn(message: string, ...actions: string[]): Thenable<string | undefined>;
  error(message: string, ...actions: string[]): Thenable<string | undefined>;
  /** A modal yes/no; true when `confirm` was chosen. */
  confirm(message: string, detail: string, confirm: string): Thenable<boolean>;
  pick<T extends vscode.QuickPickItem>(items: T[], placeHolder: string): Thenable<T | undefined>;
  input(prompt: string, value?: string, placeHolder?: string): Thenable<string | undefined>;
}

export const windowPrompts: Prompts = {
  info: (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
  warn: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  error: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
  confirm: async (message, detail, confirm) =>
    (await vscode.window.showWarningMessage(message, { modal: true, detail }, confirm)) === confirm,
  pick: (items, placeHolder) =>
    vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true }),
  input: (prompt, value, placeHolder) =>
    vscode.window.showInputBox({ prompt, value, placeHolder, ignoreFocusOut: true }),
};
