import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, Position, Range } from 'vscode-languageserver-protocol';
import { CodeActionRequest } from 'vscode-languageserver-protocol';
import { applyEdits } from './support/edits';
import { assertGolden, fixturesOf } from './support/golden';
import { InProcessServer } from './support/in-process-server';
import { cursors, markedLine } from './support/markers';

function contains(range: Range, position: Position): boolean {
  const after = (a: Position, b: Position) =>
    a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(position, range.start) && after(range.end, position);
}

/** The lines an edit changed, as `-`/`+` lines between the unchanged ones. */
function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return [
    `    @@ line ${start + 1}`,
    ...a.slice(start, endA).map((line) => `    - ${line}`),
    ...b.slice(start, endB).map((line) => `    + ${line}`),
  ];
}

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code)).sort();
}

describe('quick fixes over LSP (golden fixtures in test/fixtures/lsp/code-actions)', () => {
  let server: InProcessServer;
  before(async () => {
    server = await InProcessServer.start();
  });
  after(() => server.stop());

  for (const fixture of fixturesOf('code-actions')) {
    test(`${fixture.name}: each fix, applied and re-validated, removes its diagnostic and adds none`, async () => {
      const { text, positions } = cursors(fixture.marked);
      const uri = `file:///code-actions/${fixture.name}`;
      const published = (await server.open(uri, text)).diagnostics;
      const sections: string[] = [];
      for (const [index, position] of positions.entries()) {
        const targeted = published.filter((d) => contains(d.range, position));
        assert.equal(targeted.length, 1, `cursor ${index + 1} is on exactly one diagnostic`);
        const [diagnostic] = targeted as [Diagnostic];
        const actions = (await server.client.sendRequest(CodeActionRequest.type, {
          textDocument: { uri },
          range: { start: position, end: position },
          context: { diagnostics: targeted },
        })) as CodeAction[];
        assert.ok(actions.length > 0, `cursor ${index + 1} (${String(diagnostic.code)}) has fixes`);
        // Preferred is the fix an editor may apply on its own: at most one, none without a close guess.
        assert.ok(actions.filter((a) => a.isPreferred).length <= 1, 'at most one fix is preferred');
        sections.push(
          `── cursor ${index + 1}, line ${position.line + 1}: ${JSON.stringify(markedLine(text, position))} [${String(diagnostic.code)}]`,
        );
        for (const action of actions) {
          assert.equal(action.kind, 'quickfix');
          assert.deepEqual(action.diagnostics, [diagnostic]);
          const edits = action.edit?.changes?.[uri];
          assert.ok(edits && edits.length > 0, `"${action.title}" edits the document`);
          const fixed = applyEdits(text, edits);
          sections.push(
            `${action.isPreferred ? '★ ' : '  '}${action.title}`,
            ...lineDiff(text, fixed),
          );

          const revalidated = (await server.change(uri, fixed)).diagnostics;
          assert.ok(
            !revalidated.some(
              (d) => d.code === diagnostic.code && contains(d.range, diagnostic.range.start),
            ),
            `"${action.title}" removes the ${String(diagnostic.code)} diagnostic`,
          );
          const allowed = codes(published);
          allowed.splice(allowed.indexOf(String(diagnostic.code)), 1);
          for (const code of codes(revalidated)) {
            const index = allowed.indexOf(code);
            assert.ok(index >= 0, `"${action.title}" introduces a ${code} diagnostic`);
            allowed.splice(index, 1);
          }
        }
        sections.push('');
        await server.change(uri, text);
      }
      assertGolden(fixture.path, sections.join('\n'));
    });
  }

  test('a diagnostic from another version of the document gets no fix (no edit on moved text)', async () => {
    const uri = 'file:///code-actions/stale.yaml';
    const text = 'version: 1\nsources:\n  db:\n    type: sqlite\n    pth: /srv/db.sqlite\n';
    const [stale] = (await server.open(uri, text)).diagnostics.filter(
      (d) => d.code === 'unknown-key',
    );
    assert.ok(stale);
    await server.change(uri, `# a new first line\n${text}`);
    const actions = await server.client.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: stale.range,
      context: { diagnostics: [stale] },
    });
    assert.deepEqual(actions, []);
  });

  test('a request for other kinds of action gets no quick fix', async () => {
    const uri = 'file:///code-actions/only.yaml';
    const text = 'version: 1\nsources:\n  db:\n    type: sqlite\n    pth: /srv/db.sqlite\n';
    const diagnostics = (await server.open(uri, text)).diagnostics;
    const request = (only?: string[]) =>
      server.client.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: { start: { line: 4, character: 4 }, end: { line: 4, character: 4 } },
        context: only ? { diagnostics, only } : { diagnostics },
      });
    assert.deepEqual(await request(['refactor']), []);
    assert.ok(((await request(['quickfix'])) ?? []).length > 0);
  });
});
