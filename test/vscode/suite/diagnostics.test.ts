import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { validateSpec } from '../../../runner/src/spec/index';
import { codeOf, waitForDiagnostics, workspaceFile } from './wait';

describe('backup.yaml in a real VS Code', () => {
  it('is recognised as backup-yaml and gets the language server diagnostics at the right line', async () => {
    const uri = workspaceFile('backup.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'backup-yaml');

    const typoLine = document
      .getText()
      .split('\n')
      .findIndex((line) => line.trim().startsWith('pth:'));
    assert.ok(typoLine > 0, 'the workspace backup.yaml has a "pth:" typo');
    const diagnostics = await waitForDiagnostics(uri, (all) =>
      all.some((d) => codeOf(d) === 'unknown-key'),
    );
    const unknown = diagnostics.find((d) => codeOf(d) === 'unknown-key');
    assert.ok(unknown);
    assert.equal(unknown.source, 'backup-yaml');
    assert.equal(unknown.range.start.line, typoLine);
    assert.equal(unknown.severity, vscode.DiagnosticSeverity.Error);
    assert.match(unknown.message, /did you mean "path"\?/);
  });

  it('shows exactly what backup-runner validate reports: same codes, same ranges', async () => {
    const uri = workspaceFile('backup.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    const expected = validateSpec(document.getText()).diagnostics.map(
      (d) =>
        `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code}`,
    );
    assert.ok(expected.length >= 2, 'the fixture has several problems');
    const shown = await waitForDiagnostics(uri, (all) => all.length === expected.length);
    const actual = shown.map(
      (d) =>
        `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${codeOf(d)}`,
    );
    assert.deepEqual([...actual].sort(), [...expected].sort());
  });

  it('re-validates on change: fixing the typo removes its diagnostic', async () => {
    const uri = workspaceFile('backup.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    await waitForDiagnostics(uri, (all) => all.some((d) => codeOf(d) === 'unknown-key'));
    const offset = document.getText().indexOf('pth:');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      uri,
      new vscode.Range(document.positionAt(offset), document.positionAt(offset + 3)),
      'path',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    const after = await waitForDiagnostics(
      uri,
      (all) => !all.some((d) => codeOf(d) === 'unknown-key'),
    );
    assert.ok(
      after.every((d) => codeOf(d) !== 'missing-key'),
      'the key is now present',
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('recognises *.backup.yml files and leaves other YAML alone', async () => {
    const backup = await vscode.workspace.openTextDocument(workspaceFile('nas.backup.yml'));
    assert.equal(backup.languageId, 'backup-yaml');
    const other = await vscode.workspace.openTextDocument(workspaceFile('compose.yaml'));
    assert.notEqual(other.languageId, 'backup-yaml');
  });
});
