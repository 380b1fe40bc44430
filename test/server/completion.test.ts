import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CompletionItem, Position } from 'vscode-languageserver-protocol';
import { CompletionItemKind, CompletionRequest } from 'vscode-languageserver-protocol';
import { validateSpec } from '../../runner/src/spec/index';
import { acceptSnippet, applyEdits } from './support/edits';
import { assertGolden, fixturesOf } from './support/golden';
import { InProcessServer } from './support/in-process-server';
import { cursors, markedLine } from './support/markers';

const KIND_NAMES = Object.fromEntries(
  Object.entries(CompletionItemKind).map(([name, value]) => [value, name]),
);

/** Codes that a completion must never introduce on the line it edits. */
const INTRODUCED_NEVER = [
  'yaml-syntax',
  'duplicate-key',
  'unknown-key',
  'invalid-value',
  'invalid-cron',
  'unknown-reference',
];

function render(item: CompletionItem): string {
  const edit = item.textEdit && 'range' in item.textEdit ? item.textEdit.newText : item.insertText;
  const docs = typeof item.documentation === 'object' ? item.documentation.value : '';
  const firstDocLine = docs.split('\n')[0] ?? '';
  const doc = firstDocLine.length > 70 ? `${firstDocLine.slice(0, 70)}…` : firstDocLine;
  return [
    `${item.label}  [${KIND_NAMES[item.kind ?? 0] ?? '?'}]${item.detail ? `  ${item.detail}` : ''}`,
    `    insert ${JSON.stringify(edit)}`,
    ...(doc ? [`    doc    ${doc}`] : []),
  ].join('\n');
}

function applied(text: string, item: CompletionItem): string {
  assert.ok(item.textEdit && 'range' in item.textEdit, `${item.label} has a text edit`);
  return applyEdits(text, [
    { range: item.textEdit.range, newText: acceptSnippet(item.textEdit.newText) },
  ]);
}

function codesOnLine(text: string, line: number): string[] {
  return validateSpec(text)
    .diagnostics.filter((d) => d.range.start.line === line && INTRODUCED_NEVER.includes(d.code))
    .map((d) => d.code)
    .sort();
}

describe('completion over LSP (golden fixtures in test/fixtures/lsp/completion)', () => {
  let server: InProcessServer;
  before(async () => {
    server = await InProcessServer.start();
  });
  after(() => server.stop());

  const complete = async (uri: string, position: Position) =>
    (await server.client.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position,
    })) as CompletionItem[];

  for (const fixture of fixturesOf('completion')) {
    test(fixture.name, async () => {
      const { text, positions } = cursors(fixture.marked);
      assert.ok(positions.length > 0, 'the fixture marks at least one cursor');
      const uri = `file:///completion/${fixture.name}`;
      await server.open(uri, text);
      const sections: string[] = [];
      for (const [index, position] of positions.entries()) {
        const items = await complete(uri, position);
        sections.push(
          `── cursor ${index + 1}, line ${position.line + 1}: ${JSON.stringify(markedLine(text, position))}`,
          ...(items.length === 0 ? ['(no completions)'] : items.map(render)),
          '',
        );

        const labels = items.map((item) => item.label);
        assert.equal(
          new Set(labels).size,
          labels.length,
          `duplicate labels at cursor ${index + 1}`,
        );
        for (const item of items) {
          const edit = item.textEdit && 'range' in item.textEdit ? item.textEdit : undefined;
          assert.ok(edit, `${item.label} replaces a range`);
          assert.equal(edit.range.start.line, position.line);
          assert.ok(
            edit.range.start.character <= position.character,
            `${item.label} starts before the cursor`,
          );
          assert.ok(
            edit.range.end.character >= position.character,
            `${item.label} ends after the cursor`,
          );
          const before = codesOnLine(text, position.line);
          const after = codesOnLine(applied(text, item), position.line);
          for (const code of new Set(after))
            assert.ok(
              after.filter((c) => c === code).length <= before.filter((c) => c === code).length,
              `accepting "${item.label}" at cursor ${index + 1} adds a ${code} diagnostic`,
            );
        }
      }
      assertGolden(fixture.path, sections.join('\n'));
    });
  }

  test('never offers a key the mapping already has, whatever the cursor line', async () => {
    const { text, positions } = cursors(
      fixturesOf('completion').find((f) => f.name === 'source-keys.yaml')?.marked ?? '',
    );
    await server.open('file:///completion/present.yaml', text);
    const [blank] = positions;
    assert.ok(blank);
    const labels = (await complete('file:///completion/present.yaml', blank)).map((i) => i.label);
    assert.ok(labels.includes('path'), 'path is still missing');
    assert.ok(
      !labels.includes('type') && !labels.includes('integrity_check'),
      'present keys are not offered',
    );
  });

  test('every schedule preset, once accepted, is the schedule the validator reads, and valid', async () => {
    for (const name of ['schedule.yaml', 'schedule-quoted.yaml']) {
      const { text, positions } = cursors(
        fixturesOf('completion').find((f) => f.name === name)?.marked ?? '',
      );
      const uri = `file:///completion/accept-${name}`;
      await server.open(uri, text);
      const items = await complete(uri, positions[0] ?? { line: 0, character: 0 });
      assert.ok(items.length >= 5, `${name} offers the presets`);
      for (const item of items) {
        const result = validateSpec(applied(text, item));
        const value = (result.parsed.value as Record<string, unknown> | undefined)?.['schedule'];
        assert.equal(value, item.label, `${name}: accepting ${item.label}`);
        assert.ok(
          !result.diagnostics.some((d) => d.code === 'invalid-cron'),
          `${item.label} is valid`,
        );
      }
    }
  });

  test('each source and target snippet, accepted as is, gives a spec without any problem', async () => {
    const base = [
      'version: 1',
      'sources:',
      '  first:',
      '    type: files',
      '    paths: [/etc/hostname]',
      '  |',
      'staging:',
      '  dir: /var/backups/staging',
      'targets:',
      '  first:',
      '    repository: /var/backups/restic',
      '    password_file: /etc/restic.pw',
      '  |',
      '',
    ].join('\n');
    const { text, positions } = cursors(base);
    await server.open('file:///completion/snippets-valid.yaml', text);
    let snippets = 0;
    for (const position of positions) {
      const items = await complete('file:///completion/snippets-valid.yaml', position);
      for (const item of items.filter((i) => i.kind === CompletionItemKind.Snippet)) {
        snippets++;
        const problems = validateSpec(applied(text, item)).diagnostics.map(
          (d) => `${d.range.start.line + 1}: ${d.code} ${d.message}`,
        );
        assert.deepEqual(problems, [], `snippet "${item.label}"`);
      }
    }
    assert.equal(snippets, 9, 'sqlite, mysql, postgres, files; local, sftp, s3, b2, rest');
  });

  test('a client without snippet support gets plain text', async () => {
    const plain = await InProcessServer.start({});
    try {
      const { text, positions } = cursors('version: 1\nsources:\n  |\nstaging:\n  dir: /x\n');
      await plain.open('file:///completion/plain.yaml', text);
      const items = (await plain.client.sendRequest(CompletionRequest.type, {
        textDocument: { uri: 'file:///completion/plain.yaml' },
        position: positions[0] ?? { line: 0, character: 0 },
      })) as CompletionItem[];
      assert.ok(items.length > 0);
      for (const item of items) {
        assert.notEqual(item.insertTextFormat, 2, `${item.label} is not a snippet`);
        const edit = item.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : '';
        assert.doesNotMatch(edit, /\$\{?\d/, `${item.label} has no placeholders`);
      }
    } finally {
      await plain.stop();
    }
  });
});
