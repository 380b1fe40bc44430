import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import {
  DIAGNOSTIC_CODES,
  MAX_DIAGNOSTICS,
  parseSpec,
  ReusingParser,
  validateParsed,
  validateSpec,
} from '../../runner/src/spec/index';
import { prng } from './support/prng';

const root = resolve(import.meta.dirname, '..', '..');

/** One parser for every input, as the language server keeps one per document it edits. */
const reusing = new ReusingParser();

/**
 * Validates and checks the invariants that must hold for any input whatsoever, also through the
 * parse reuse of the language server, which must give the same diagnostics.
 */
function checkInvariants(text: string, label: string): ReturnType<typeof validateSpec> {
  const result = validateSpec(text);
  const reused = validateParsed(parseSpec(text, (t) => reusing.parse(t))).diagnostics;
  // Where yaml runs out of stack depends on how deep the caller already was: compare codes only.
  const codes = (ds: typeof reused) => ds.map((d) => d.code);
  if (result.diagnostics.some((d) => d.code === 'too-deep'))
    assert.deepEqual(new Set(codes(reused)), new Set(codes(result.diagnostics)), label);
  else assert.deepEqual(reused, result.diagnostics, `${label}: through the parse reuse`);
  const lines = text.split(/\r\n|\r|\n/);
  for (const d of result.diagnostics) {
    assert.ok(d.code in DIAGNOSTIC_CODES, `${label}: unknown code ${d.code}`);
    assert.notEqual(d.code, 'internal-error', `${label}: ${d.message}`);
    assert.ok(d.message.length > 0, `${label}: empty message`);
    for (const p of [d.range.start, d.range.end]) {
      assert.ok(p.line >= 0 && p.line < lines.length, `${label}: line ${p.line} outside the text`);
      assert.ok(
        p.character >= 0 && p.character <= (lines[p.line] ?? '').length,
        `${label}: column outside line`,
      );
    }
  }
  assert.ok(result.diagnostics.length <= MAX_DIAGNOSTICS + 1, `${label}: diagnostics are capped`);
  return result;
}

const PIECES = [
  '\n',
  ' ',
  '  ',
  ':',
  '- ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a ',
  '*a',
  '<<: ',
  '"',
  "'",
  '#',
  '\t',
  '---\n',
  '? ',
  '|',
  '>',
  '!tag ',
  '%YAML 1.2\n',
  '\u0000',
  '\uFEFF',
  '\r',
  'type',
  'sqlite',
  'sources',
  'staging',
  '/srv',
  '1',
  'null',
];

describe('the spec module never throws and never hangs', () => {
  test('empty, whitespace, comments, a lone scalar, null bytes', () => {
    for (const text of [
      '',
      ' ',
      '\n\n',
      '# only a comment',
      'just a string',
      '42',
      '~',
      'null',
      '\u0000\u0000',
      '\uFEFF',
      '---',
      '...',
      '--- |\n  text',
    ]) {
      checkInvariants(text, JSON.stringify(text));
    }
    assert.deepEqual(
      validateSpec('').diagnostics.map((d) => d.code),
      ['empty-spec'],
    );
  });

  test('binary input', () => {
    const random = prng(7);
    const bytes = Buffer.from(Array.from({ length: 200_000 }, () => Math.floor(random() * 256)));
    checkInvariants(bytes.toString('utf8'), 'binary utf8');
    checkInvariants(bytes.toString('latin1'), 'binary latin1');
  });

  test('10 MB of input gets one too-large error without being parsed', () => {
    const text = 'k: v\n'.repeat(2_100_000);
    assert.deepEqual(
      checkInvariants(text, '10 MB').diagnostics.map((d) => d.code),
      ['too-large'],
    );
  });

  test('a mapping with 60,000 keys just under the size limit is refused as too large', () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `  k${i}: v`).join('\n');
    const result = checkInvariants(`version: 1\nsources:\n${keys}\n`, 'wide mapping');
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      ['too-large'],
    );
  });

  test('9,000 bad sources: each reported, the list capped with a too-many-problems note', () => {
    const keys = Array.from({ length: 9_000 }, (_, i) => `  k${i}: v`).join('\n');
    const result = checkInvariants(
      `version: 1\nsources:\n${keys}\nstaging: {dir: /s}\narchive: {dir: /a}\n`,
      'many sources',
    );
    assert.equal(result.diagnostics.filter((d) => d.code === 'wrong-type').length, 500);
    assert.equal(result.diagnostics.at(-1)?.code, 'too-many-problems');
    assert.match(result.diagnostics.at(-1)?.message ?? '', /^8500 more problems/);
  });

  test('deep nesting: flow, block mappings, block sequences', () => {
    const depth = 20_000;
    checkInvariants('['.repeat(depth) + ']'.repeat(depth), 'deep flow');
    checkInvariants('{a: '.repeat(depth) + '1' + '}'.repeat(depth), 'deep flow maps');
    checkInvariants(
      Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
      'deep block maps',
    );
    checkInvariants(
      Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i * 2)}-`).join('\n'),
      'deep block seqs',
    );
    const deep = checkInvariants('['.repeat(depth) + ']'.repeat(depth), 'deep flow');
    assert.ok(deep.diagnostics.some((d) => d.code === 'too-deep'));
  });

  test('anchor bombs and self-referencing aliases', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `l${i}: &l${i} [${Array(10)
          .fill(i === 1 ? '*a' : `*l${i - 1}`)
          .join(', ')}]`,
      );
    const bomb = checkInvariants(levels.join('\n'), 'billion laughs');
    assert.ok(bomb.diagnostics.some((d) => d.code === 'alias-limit'));
    const loop = checkInvariants('a: &a\n  b: *a\n', 'recursive');
    assert.deepEqual(
      loop.diagnostics.map((d) => d.code),
      ['recursive-alias'],
    );
  });

  test('3,000 random mutations of the fixtures keep every invariant', () => {
    const dir = join(root, 'test', 'fixtures', 'spec');
    const corpus = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8'));
    const random = prng(2026);
    for (let n = 0; n < 3_000; n++) {
      let text = corpus[Math.floor(random() * corpus.length)] ?? '';
      const edits = 1 + Math.floor(random() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * (text.length + 1));
        const choice = random();
        if (choice < 0.4)
          text =
            text.slice(0, at) +
            (PIECES[Math.floor(random() * PIECES.length)] ?? '') +
            text.slice(at);
        else if (choice < 0.8)
          text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 12));
        else
          text =
            text.slice(0, at) +
            text.slice(Math.floor(random() * text.length)).slice(0, 40) +
            text.slice(at);
      }
      checkInvariants(text, `mutation case ${n}`);
    }
  });
});
