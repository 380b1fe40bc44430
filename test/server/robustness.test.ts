import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Position } from 'vscode-languageserver-protocol';
import { DocumentAnalysis } from '../../server/src/analysis';
import { codeActionsFor } from '../../server/src/code-actions';
import { completeAt } from '../../server/src/completion';
import { definitionAt, referencesAt } from '../../server/src/definition';
import { toLspDiagnostic } from '../../server/src/diagnostics';
import { documentSymbols } from '../../server/src/document-symbols';
import { foldingRanges } from '../../server/src/folding';
import { hoverAt } from '../../server/src/hover';
import { prepareRenameAt, renameAt } from '../../server/src/rename';
import { repoRoot } from '../support/paths';
import { lspFixtures } from './support/golden';

/** Every YAML file the project has: spec fixtures (broken on purpose), LSP fixtures, examples. */
function corpus(): { name: string; text: string }[] {
  const dirs = [
    join(repoRoot, 'test', 'fixtures', 'spec'),
    join(repoRoot, 'examples'),
    ...readdirSync(lspFixtures).map((dir) => join(lspFixtures, dir)),
  ];
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') })),
  );
}

/** Runs every feature at a position; any throw fails the test with the input that caused it. */
function everyFeature(analysis: DocumentAnalysis, position: Position): void {
  completeAt(analysis, position, { snippets: true });
  completeAt(analysis, position, { snippets: false });
  hoverAt(analysis, position);
  definitionAt(analysis, position);
  referencesAt(analysis, position, true);
  prepareRenameAt(analysis, position);
  renameAt(analysis, position, 'renamed');
}

function wholeDocument(analysis: DocumentAnalysis): void {
  documentSymbols(analysis);
  foldingRanges(analysis);
  codeActionsFor(analysis, analysis.validation.diagnostics.map(toLspDiagnostic));
}

/** Deterministic, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const PIECES = [
  '\n',
  ' ',
  '  ',
  '-',
  ':',
  '- ',
  ': ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '"',
  "'",
  '#',
  '&a',
  '*a',
  '\t',
  '|',
  '>',
  'x',
  '\u00e9',
  '\ud83d',
];

function mutate(text: string, next: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(next() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (out.length + 1));
    const cut = Math.floor(next() * 6);
    const piece = PIECES[Math.floor(next() * PIECES.length)] ?? '';
    out = out.slice(0, at) + (next() < 0.6 ? piece : '') + out.slice(at + cut);
  }
  return out;
}

describe('language features never throw, whatever the input and the cursor', () => {
  test('every position of every fixture and example (and positions past the ends)', () => {
    let calls = 0;
    for (const { name, text } of corpus()) {
      const analysis = new DocumentAnalysis(text);
      const lines = text.split(/\r\n|\r|\n/);
      try {
        wholeDocument(analysis);
        for (let line = -1; line <= lines.length; line++) {
          const length = lines[line]?.length ?? 0;
          for (let character = 0; character <= length + 2; character++) {
            everyFeature(analysis, { line, character });
            calls++;
          }
        }
      } catch (error) {
        assert.fail(`${name}: ${error instanceof Error ? error.stack : String(error)}`);
      }
    }
    assert.ok(calls > 5_000, `${calls} positions tried`);
  });

  test('3,000 random mutations of the examples and LSP fixtures, at random cursors', () => {
    const next = random(20_261_123);
    const sources = corpus().filter((f) => f.text.length > 100);
    for (let round = 0; round < 3_000; round++) {
      const source = sources[round % sources.length];
      if (!source) continue;
      const text = mutate(source.text, next);
      const analysis = new DocumentAnalysis(text);
      const lines = text.split('\n');
      try {
        wholeDocument(analysis);
        for (let i = 0; i < 5; i++) {
          const line = Math.floor(next() * lines.length);
          const character = Math.floor(next() * ((lines[line]?.length ?? 0) + 1));
          everyFeature(analysis, { line, character });
        }
      } catch (error) {
        assert.fail(
          `round ${round} (${source.name}): ${error instanceof Error ? error.stack : String(error)}\n--- input ---\n${text}`,
        );
      }
    }
  });

  test('degenerate documents: empty, one character, deep nesting, long lines, CRLF, no YAML at all', () => {
    const deepBlock = Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    const deepFlow = '['.repeat(2_000) + ']'.repeat(2_000);
    const deepItems = Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- `).join('\n');
    const inputs = [
      '',
      ' ',
      '\n',
      ':',
      '-',
      '|',
      deepBlock,
      `a: ${deepFlow}`,
      deepItems,
      `x: ${'y'.repeat(200_000)}`,
      'version: 1\r\nsources:\r\n  db:\r\n    type: sqlite\r\n    \r\n',
      '\u0000\u0001\ufffd\ud800',
      '%YAML 1.2\n---\na: 1\n...\n---\nb: 2\n',
    ];
    for (const text of inputs) {
      const analysis = new DocumentAnalysis(text);
      const lines = text.split(/\r\n|\r|\n/);
      wholeDocument(analysis);
      for (let line = 0; line < Math.min(lines.length, 400); line++) {
        const length = lines[line]?.length ?? 0;
        for (const character of [0, 1, Math.floor(length / 2), length, length + 1])
          everyFeature(analysis, { line, character });
      }
    }
  });
});
