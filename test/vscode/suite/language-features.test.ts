import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, waitForDiagnostics, workspaceFile } from './wait';

/** The workspace spec with one typo, "compresion" (see test/vscode/workspace). */
const SPEC = 'tracker.backup.yaml';

async function openSpec(): Promise<vscode.TextDocument> {
  const uri = workspaceFile(SPEC);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  // The language server has the document once its diagnostics arrived.
  await waitForDiagnostics(uri, (all) => all.some((d) => codeOf(d) === 'unknown-key'));
  return document;
}

/** The position just after `text` on its first line containing it. */
function after(document: vscode.TextDocument, text: string): vscode.Position {
  const offset = document.getText().indexOf(text);
  assert.ok(offset >= 0, `${SPEC} contains ${JSON.stringify(text)}`);
  return document.positionAt(offset + text.length);
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function markdownOf(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

describe('language features of backup.yaml in a real VS Code', () => {
  it('completion offers the keys a source lacks, with their docs, and no key it has', async () => {
    const document = await openSpec();
    // At the start of the source's last key: the keys it may still have.
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      after(document, '    ').with({ line: after(document, 'integrity_check').line }),
    );
    const ours = list.items.filter((item) => item.kind === vscode.CompletionItemKind.Property);
    const labels = ours.map(labelOf);
    assert.ok(labels.includes('method') && labels.includes('busy_timeout'), labels.join(', '));
    assert.ok(!labels.includes('path') && !labels.includes('type'), 'present keys are not offered');
    assert.equal(new Set(labels).size, labels.length, 'no duplicates');
    const method = ours.find((item) => labelOf(item) === 'method');
    const docs = method?.documentation;
    assert.match(typeof docs === 'object' ? docs.value : String(docs), /consistent copy/);
  });

  it('completion offers the allowed values of an enum and the sources a target can list', async () => {
    const document = await openSpec();
    const values = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      after(document, 'integrity_check: '),
    );
    const valueLabels = values.items.map(labelOf);
    for (const value of ['auto', 'full', 'quick', 'off']) assert.ok(valueLabels.includes(value));

    // On the list's second entry: every source but the one the list already has.
    const names = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      after(document, 'sources: [tracker-db, '),
    );
    const references = names.items.filter((i) => i.kind === vscode.CompletionItemKind.Reference);
    assert.deepEqual(references.map(labelOf), ['config']);
  });

  it('hover on schedule says the expression in words and lists the next runs', async () => {
    const document = await openSpec();
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      after(document, "schedule: '0 3"),
    );
    const text = markdownOf(hovers);
    assert.match(text, /At 03:00/);
    assert.equal(text.match(/^- \w{3} \d{4}-\d\d-\d\d 03:00$/gm)?.length, 3, text);
  });

  it('the outline lists each source with its type and each target', async () => {
    const document = await openSpec();
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      document.uri,
    );
    const sources = symbols.find((symbol) => symbol.name === 'sources');
    assert.deepEqual(
      sources?.children.map((child) => `${child.name} ${child.detail.split(' ')[0] ?? ''}`),
      ['tracker-db sqlite', 'config files'],
    );
    const targets = symbols.find((symbol) => symbol.name === 'targets');
    assert.deepEqual(
      targets?.children.map((child) => child.name),
      ['offsite'],
    );
  });

  it('go to definition leads from a target list to the source', async () => {
    const document = await openSpec();
    const locations = await vscode.commands.executeCommand<
      (vscode.Location | vscode.LocationLink)[]
    >('vscode.executeDefinitionProvider', document.uri, after(document, 'sources: [track'));
    const [first] = locations;
    const range = first && ('targetRange' in first ? first.targetRange : first.range);
    assert.ok(range, 'a definition');
    assert.equal(document.lineAt(range.start.line).text, '  tracker-db:');
  });

  it('the quick fix for the typo changes it, and its diagnostic goes away', async () => {
    const document = await openSpec();
    const uri = document.uri;
    const [typo] = vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === 'unknown-key');
    assert.ok(typo);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      typo.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((action) => action.title === 'Change "compresion" to "compression"');
    assert.ok(fix?.edit, `a did-you-mean fix among: ${actions.map((a) => a.title).join('; ')}`);
    assert.equal(fix.isPreferred, true);
    try {
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(document.lineAt(typo.range.start.line).text, /^ {4}compression: max$/);
      await waitForDiagnostics(uri, (all) => all.length === 0);
    } finally {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});
