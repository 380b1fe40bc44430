import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Location, Position, Range, WorkspaceEdit } from 'vscode-languageserver-protocol';
import {
  DefinitionRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
} from 'vscode-languageserver-protocol';
import { validateSpec } from '../../runner/src/spec/index';
import { applyEdits } from './support/edits';
import { assertGolden, fixturesOf } from './support/golden';
import { InProcessServer } from './support/in-process-server';
import { cursors, markedLine } from './support/markers';

const fixture = fixturesOf('navigation').find((f) => f.name === 'names.yaml');
if (!fixture) throw new Error('test/fixtures/lsp/navigation/names.yaml is missing');
const { text, positions } = cursors(fixture.marked);
const uri = 'file:///navigation/names.yaml';

function at(range: Range): string {
  const line = text.split('\n')[range.start.line] ?? '';
  return `${range.start.line + 1}:${range.start.character + 1} ${JSON.stringify(line.slice(range.start.character, range.end.character))}`;
}

function locations(result: Location | Location[] | null | unknown): string {
  const list = (Array.isArray(result) ? result : result ? [result] : []) as Location[];
  for (const location of list) assert.equal(location.uri, uri);
  return list.length === 0 ? 'none' : list.map((l) => at(l.range)).join(', ');
}

function cursor(n: number): Position {
  const position = positions[n - 1];
  if (!position) throw new Error(`names.yaml has no cursor ${n}`);
  return position;
}

describe('definition, references and rename over LSP (test/fixtures/lsp/navigation)', () => {
  let server: InProcessServer;
  before(async () => {
    server = await InProcessServer.start();
    await server.open(uri, text);
  });
  after(() => server.stop());

  const rename = (position: Position, newName: string) =>
    server.client.sendRequest(RenameRequest.type, { textDocument: { uri }, position, newName });

  test('names.yaml: definition, references and prepareRename at each cursor', async () => {
    const sections: string[] = [];
    for (const [index, position] of positions.entries()) {
      const params = { textDocument: { uri }, position };
      const definition = await server.client.sendRequest(DefinitionRequest.type, params);
      const references = await server.client.sendRequest(ReferencesRequest.type, {
        ...params,
        context: { includeDeclaration: false },
      });
      const withDeclaration = await server.client.sendRequest(ReferencesRequest.type, {
        ...params,
        context: { includeDeclaration: true },
      });
      const prepared = await server.client.sendRequest(PrepareRenameRequest.type, params);
      sections.push(
        `── cursor ${index + 1}, line ${position.line + 1}: ${JSON.stringify(markedLine(text, position))}`,
        `definition   ${locations(definition)}`,
        `references   ${locations(references)}`,
        `+declaration ${locations(withDeclaration)}`,
        `rename       ${prepared && 'range' in prepared ? `${at(prepared.range)} placeholder ${JSON.stringify(prepared.placeholder)}` : 'not renameable'}`,
        '',
      );
    }
    assertGolden(fixture.path, sections.join('\n'));
  });

  test('renaming a source from a reference renames its key and every list that names it', async () => {
    const edit = (await rename(cursor(3), 'tracker')) as WorkspaceEdit;
    const renamed = applyEdits(text, edit.changes?.[uri] ?? []);
    assertGolden(fixture.path.replace(/names\.yaml$/, 'names-renamed.yaml'), renamed);
    const before = validateSpec(text).diagnostics.map((d) => d.code);
    const after = validateSpec(renamed);
    assert.deepEqual(
      after.diagnostics.map((d) => d.code),
      before,
      'the rename breaks nothing',
    );
    const spec = after.parsed.value as {
      sources: object;
      targets: Record<string, { sources: string[] }>;
    };
    assert.deepEqual(Object.keys(spec.sources), ['tracker', 'config']);
    assert.deepEqual(spec.targets['local']?.sources, ['tracker', 'config']);
    assert.deepEqual(spec.targets['offsite']?.sources, ['config', 'tracker']);
  });

  test('renaming a target renames its key', async () => {
    const edit = (await rename(cursor(2), 'usb-disk')) as WorkspaceEdit;
    const renamed = validateSpec(applyEdits(text, edit.changes?.[uri] ?? []));
    assert.deepEqual(Object.keys((renamed.parsed.value as { targets: object }).targets), [
      'usb-disk',
      'offsite',
    ]);
  });

  test('a name that looks like a number is quoted, so it stays a name', async () => {
    const edit = (await rename(cursor(1), '2024')) as WorkspaceEdit;
    const renamed = validateSpec(applyEdits(text, edit.changes?.[uri] ?? []));
    assert.deepEqual(
      renamed.diagnostics.map((d) => d.code),
      [],
    );
    const spec = renamed.parsed.value as { targets: Record<string, { sources: unknown[] }> };
    assert.deepEqual(spec.targets['offsite']?.sources, ['2024', 'tracker-db']);
  });

  test('an invalid or taken name is refused with a message, and nothing is edited', async () => {
    await assert.rejects(rename(cursor(1), 'my config'), /not a valid source name/);
    await assert.rejects(rename(cursor(1), 'tracker-db'), /already a source named "tracker-db"/);
    await assert.rejects(rename(cursor(6), 'x'), /only the name of a source or target/);
  });
});
