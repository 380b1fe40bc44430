import * as vscode from 'vscode';
import { LANGUAGE_ID } from './language-client';

/** Shows, in the status bar's language area, that a file is a backup.yaml and how it validates. */
export function registerLanguageStatus(context: vscode.ExtensionContext): void {
  const item = vscode.languages.createLanguageStatusItem('backupYaml.status', {
    language: LANGUAGE_ID,
  });
  item.name = 'backup.yaml';
  item.command = { title: 'Show problems', command: 'workbench.actions.view.problems' };
  const update = () => {
    const document = vscode.window.activeTextEditor?.document;
    const diagnostics = document
      ? vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'backup-yaml')
      : [];
    const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    item.text =
      errors > 0
        ? `$(error) backup.yaml: ${errors} error${errors === 1 ? '' : 's'}`
        : '$(check) backup.yaml v1';
    item.detail = 'validated by backup-yaml';
    item.severity =
      errors > 0 ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
  };
  update();
  context.subscriptions.push(
    item,
    vscode.languages.onDidChangeDiagnostics(update),
    vscode.window.onDidChangeActiveTextEditor(update),
  );
}
