import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DocumentSymbol, FoldingRange, Range } from 'vscode-languageserver-protocol';
import {
  DocumentSymbolRequest,
  FoldingRangeRequest,
  SymbolKind,
} from 'vscode-languageserver-protocol';
import { repoRoot } from '../support/paths';
import { assertGolden, lspFixtures } from './support/golden';
import { InProcessServer } from './support/in-process-server';

const KIND_NAMES = Object.fromEntries(
  Object.entries(SymbolKind).map(([name, value]) => [value, name]),
);

const specs: { name: string; path: string; source?: string }[] = [
  ...readdirSync(join(lspFixtures, 'outline'))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => ({ name, path: join(lspFixtures, 'outline', name) })),
  ...readdirSync(join(repoRoot, 'examples'))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => ({
      name: `examples/${name}`,
      // The example's golden output lives with the other outline fixtures.
      path: join(lspFixtures, 'outline', `example-${basename(name, '.yaml')}.yaml`),
      source: join(repoRoot, 'examples', name),
    })),
];

const span = (r: Range) =>
  `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;

function inside(inner: Range, outer: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

function renderSymbols(symbols: DocumentSymbol[], depth = 0, parent?: Range): string[] {
  return symbols.flatMap((symbol) => {
    assert.ok(inside(symbol.selectionRange, symbol.range), `${symbol.name}: its name is inside it`);
    if (parent) assert.ok(inside(symbol.range, parent), `${symbol.name} is inside its parent`);
    const line = `${'  '.repeat(depth)}${symbol.name} [${KIND_NAMES[symbol.kind] ?? '?'}]${symbol.detail ? ` ${symbol.detail}` : ''}  ${span(symbol.range)}`;
    return [line, ...renderSymbols(symbol.children ?? [], depth + 1, symbol.range)];
  });
}

function renderFolding(ranges: FoldingRange[], text: string): string[] {
  const lines = text.split('\n');
  return ranges.map((range) => {
    assert.ok(range.startLine < range.endLine, 'a fold spans lines');
    assert.ok(range.endLine < lines.length, 'a fold ends inside the document');
    assert.notEqual((lines[range.endLine] ?? '').trim(), '', 'a fold does not end on a blank line');
    const first = (lines[range.startLine] ?? '').trim();
    return `${range.startLine + 1}-${range.endLine + 1}${range.kind ? ` ${range.kind}` : ''}  ${first}`;
  });
}

describe('outline and folding over LSP (test/fixtures/lsp/outline and examples/)', () => {
  let server: InProcessServer;
  before(async () => {
    server = await InProcessServer.start();
  });
  after(() => server.stop());

  for (const spec of specs) {
    test(spec.name, async () => {
      const text = readFileSync(spec.source ?? spec.path, 'utf8');
      const uri = `file:///outline/${spec.name}`;
      await server.open(uri, text);
      const symbols = (await server.client.sendRequest(DocumentSymbolRequest.type, {
        textDocument: { uri },
      })) as DocumentSymbol[];
      const folding = await server.client.sendRequest(FoldingRangeRequest.type, {
        textDocument: { uri },
      });
      const sources = symbols.find((s) => s.name === 'sources');
      assert.ok(sources?.children && sources.children.length > 0, 'sources list each source');
      const output = [
        '── symbols',
        ...renderSymbols(symbols),
        '',
        '── folding',
        ...renderFolding(folding ?? [], text),
        '',
      ];
      assertGolden(spec.path, output.join('\n'));
    });
  }

  test('a document that is not YAML at all has an empty outline, not an error', async () => {
    const uri = 'file:///outline/broken.yaml';
    await server.open(uri, '{{{ ][ \u0000 :\n\t- - :');
    const symbols = await server.client.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri },
    });
    const folding = await server.client.sendRequest(FoldingRangeRequest.type, {
      textDocument: { uri },
    });
    assert.ok(Array.isArray(symbols));
    assert.ok(Array.isArray(folding));
  });
});
