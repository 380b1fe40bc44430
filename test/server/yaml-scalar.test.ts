import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDocument } from 'yaml';
import { quotedContent, yamlScalar } from '../../server/src/yaml-scalar';

/** What a YAML reader makes of the text, or an error marker when it cannot read it. */
function readBack(text: string): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return Symbol.for('error');
  try {
    return doc.toJS();
  } catch {
    return Symbol.for('error');
  }
}

const ALPHABET = [
  'a',
  'Z',
  '0',
  '9',
  '-',
  '_',
  '.',
  '/',
  ' ',
  ':',
  '#',
  '@',
  '*',
  '&',
  '!',
  '%',
  "'",
  '"',
  '\\',
  '[',
  ']',
  '{',
  '}',
  ',',
  '?',
  '|',
  '>',
  '~',
  'é',
];

describe('values inserted by completions and quick fixes read back as themselves', () => {
  test('the words YAML would turn into something else are quoted', () => {
    for (const word of [
      'true',
      'False',
      'NULL',
      '~',
      '123',
      '0x1F',
      '1e5',
      '.inf',
      '@daily',
      '*.log',
      '*/15 * * * *',
      'a: b',
      'x # y',
      '',
      ' lead',
      '- item',
      '[a]',
    ])
      assert.equal(readBack(yamlScalar(word)), word, JSON.stringify(word));
  });

  test('10,000 random strings round-trip, plain or quoted', () => {
    let state = 42;
    const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let i = 0; i < 10_000; i++) {
      const length = Math.floor(next() * 12);
      const word = Array.from(
        { length },
        () => ALPHABET[Math.floor(next() * ALPHABET.length)],
      ).join('');
      const scalar = yamlScalar(word);
      assert.equal(readBack(scalar), word, `${JSON.stringify(word)} written as ${scalar}`);
      for (const quote of ['"', "'"] as const)
        assert.equal(
          readBack(`${quote}${quotedContent(word, quote)}${quote}`),
          word,
          `${JSON.stringify(word)} inside ${quote}`,
        );
    }
  });

  test('numbers and booleans are written as themselves', () => {
    for (const value of [0, 1, 3306, 65535, true, false])
      assert.equal(readBack(yamlScalar(value)), value);
  });
});
