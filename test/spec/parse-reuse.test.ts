import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseSpec, ReusingParser, validateParsed } from '../../runner/src/spec/index';
import { isMap, isNode } from 'yaml';
import type { ParsedYaml } from '../../runner/src/spec/index';
import type { ParsedStructure } from '../../runner/src/spec/parse-reuse/index';
import { parseYaml } from '../../runner/src/spec/yaml-parse';
import { generatedSpec } from '../../bench/lsp-spec';
import { repoRoot } from '../support/paths';
import { prng } from './support/prng';
import { RandomEditor } from './support/random-edits';
import { yamlTree } from './support/yaml-tree';

const read = (...path: string[]) => readFileSync(join(repoRoot, ...path), 'utf8');

/** Texts the edits start from: big and generated, real, and written to be awkward to split. */
const BASES: Record<string, string> = {
  'generated 150 lines': generatedSpec(150),
  'examples/torrust-sqlite': read('examples', 'torrust-sqlite.backup.yaml'),
  'examples/torrust-mysql-docker': read('examples', 'torrust-mysql-docker.backup.yaml'),
  layouts: read('test', 'fixtures', 'parse-reuse', 'layouts.yaml'),
  'layouts, CRLF': read('test', 'fixtures', 'parse-reuse', 'layouts.yaml').replace(/\n/g, '\r\n'),
};

/**
 * The reused parse is the whole parse: the same tree, data and problems, and the same validation
 * as validateSpec's. Returns whether the text is readable YAML.
 */
function assertSame(reused: ParsedYaml, text: string, label: string): boolean {
  const whole = parseYaml(text);
  assert.deepStrictEqual(yamlTree(reused.doc), yamlTree(whole.doc), `${label}: document`);
  assert.deepStrictEqual(reused.value, whole.value, `${label}: data`);
  assert.deepStrictEqual(reused.diagnostics, whole.diagnostics, `${label}: YAML problems`);
  const validation = validateParsed(reused);
  // validateSpec(text) is validateParsed(parseYaml(text)); this saves a third parse.
  const cold = validateParsed(whole);
  assert.deepStrictEqual(validation.diagnostics, cold.diagnostics, `${label}: diagnostics`);
  assert.deepStrictEqual(validation.spec, cold.spec, `${label}: spec`);
  return whole.diagnostics.every((d) => d.severity !== 'error');
}

/**
 * structure(): exactly the whole parse when it says so; otherwise a document of the same text
 * whose nodes all lie in it, entries in order, and never taken for a clean one.
 */
function assertStructure(read: ParsedStructure, text: string, label: string): void {
  if (read.exact) {
    assertSame(read.parsed, text, `${label} (structure)`);
    return;
  }
  assert.equal(read.parsed.text, text, label);
  assert.ok(read.parsed.diagnostics.length > 0, `${label}: not exact, so not clean`);
  let last = -1;
  const within = (node: unknown) => {
    if (!isNode(node)) return;
    const [start, , end] = node.range ?? [0, 0, 0];
    assert.ok(
      start >= 0 && start <= end && end <= text.length,
      `${label}: a node outside the text`,
    );
  };
  const root = read.parsed.doc?.contents;
  assert.ok(isMap(root), label);
  for (const pair of root.items) {
    within(pair.key);
    within(pair.value);
    const start = isNode(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
    assert.ok(start > last, `${label}: entries out of order`);
    last = start;
  }
}

describe('parse reuse: every version is parsed exactly as a whole parse reads it', () => {
  test('each base text, parsed first, is the whole parse, and composed from its entries', () => {
    for (const [name, text] of Object.entries(BASES)) {
      const parser = new ReusingParser();
      assertSame(parser.parse(text), text, name);
      assert.equal(parser.stats.composed, 1, `${name}: composed from its entries`);
    }
  });

  test('every fixture and example, one parser for all of them in turn', () => {
    const parser = new ReusingParser();
    for (const dir of [join('test', 'fixtures', 'spec'), 'examples']) {
      for (const name of readdirSync(join(repoRoot, dir)).filter((f) => f.endsWith('.yaml')))
        assertSame(parser.parse(read(dir, name)), read(dir, name), `${dir}/${name}`);
    }
    assert.ok(parser.stats.composed >= 25, `${parser.stats.composed} composed`);
  });

  test('4,000 random edits (seeded), one parser per sequence: identical after every edit', () => {
    let edits = 0;
    let composed = 0;
    let approximate = 0;
    for (const [name, base] of Object.entries(BASES)) {
      for (let seed = 1; seed <= 8; seed++) {
        const random = prng(seed * 7919 + name.length);
        const editor = new RandomEditor(random);
        const parser = new ReusingParser();
        const typing = new ReusingParser();
        let text = base;
        let readable = base;
        for (let step = 1; step <= 100; step++) {
          const edit = editor.next(text);
          const label = `${name}, seed ${seed}, edit ${step} (${edit.what})`;
          const ok = assertSame(parser.parse(edit.text), edit.text, label);
          assertStructure(typing.structure(edit.text), edit.text, label);
          edits += 1;
          // As when typing, broken YAML is usually mended soon: go on from the last readable text.
          if (ok) readable = edit.text;
          text = ok || random() < 0.3 ? edit.text : readable;
        }
        composed += parser.stats.composed;
        approximate += typing.stats.approximate;
      }
    }
    assert.equal(edits, 4_000);
    // Broken entries were taken as they are for the typing-time features, many times.
    assert.ok(
      approximate > 200,
      `only ${approximate} versions were composed around a broken entry`,
    );
    // Most edits leave the YAML readable, and those versions must really be composed from reused
    // entries (or this test would only compare the whole parse with itself).
    assert.ok(composed > edits * 0.45, `only ${composed} of ${edits} versions were composed`);
  });

  test('an edit re-reads only the entries it touched', () => {
    const text = generatedSpec(2_000);
    const parser = new ReusingParser();
    parser.parse(text);
    const first = parser.stats.windowsParsed;
    assert.ok(first > 300, `${first} windows in a 2,000-line spec`);
    // One value in a source in the middle, then one letter in the header comment.
    assert.ok(text.includes('/srv/app150/data/app.sqlite'));
    const edited = text.replace('/srv/app150/data/app.sqlite', '/srv/app150/data/app2.sqlite');
    assertSame(parser.parse(edited), edited, 'a value in the middle');
    const header = edited.replace('benchmark.', 'benchmarks.');
    assertSame(parser.parse(header), header, 'the header comment');
    assert.equal(parser.stats.windowsParsed - first, 2);
    assert.equal(parser.stats.composed, 3);
  });

  test('a comment retyped before an entry that did not move lands on that entry', () => {
    const text = generatedSpec(600);
    const parser = new ReusingParser();
    parser.parse(text);
    // The comment sits at the end of the window before; db-30's own window is unchanged and at
    // the same offset, so its placed copies are reused, but with this comment on their key.
    const retyped = text.replace('# Application 30: its', '# Application 30: the');
    assertSame(parser.parse(retyped), retyped, 'retyped comment');
    const blank = retyped.replace('  # Application 30: the', '\n  # Application 30: the');
    assertSame(parser.parse(blank), blank, 'blank line before it');
    assert.equal(parser.stats.composed, 3);
  });

  test('keys JavaScript objects treat specially become the same data as a whole parse makes', () => {
    const text = [
      'version: 1',
      '__proto__: {polluted: true}',
      'toString: 1',
      '2: two',
      'null: empty',
      'sources:',
      '  constructor:',
      '    type: files',
      '  1:',
      '    type: sqlite',
      '    <<: {path: /srv/merged.db}',
      '  true: yes',
      '',
    ].join('\n');
    const parser = new ReusingParser();
    assertSame(parser.parse(text), text, 'special keys');
    assert.equal(parser.stats.composed, 1);
    assert.equal(Object.getPrototypeOf(parser.parse(text).value), Object.prototype);
    // A merge key among the entries merges into the whole mapping: that is parsed whole.
    const merged = text.replace('toString: 1', '<<: {name: merged}');
    assertSame(parser.parse(merged), merged, 'top-level merge');
    assert.equal(parser.stats.composed, 2);
  });

  test('what it cannot split exactly is parsed whole: anchors, errors, odd layouts', () => {
    for (const text of [
      'version: 1\nx: &a {type: files}\nsources:\n  a: *a\n',
      'version: 1\nsources:\n  a:\n    type: [\n  b: 1\n',
      '---\nversion: 1\n',
      'version: 1\n---\nname: two\n',
      '- a\n- b\n',
      '{version: 1}\n',
      'version: 1\nsources:\n  a: 1\n a: 2\n',
      'version: 1\nversion: 2\n',
      'sources:\n  a: 1\nsources:\n  a: 1\n',
      // The sentinel's own name in the text makes a duplicate in the window.
      'version: 1\nsources:\n  _: 1\n  a: 2\n',
      'version: 1\n_:\nname: x\n',
    ]) {
      const parser = new ReusingParser();
      assertSame(parser.parse(text), text, JSON.stringify(text));
      assert.equal(parser.stats.composed, 0, `${JSON.stringify(text)} is parsed whole`);
    }
  });

  test('parseSpec turns a parser that throws into an internal-error diagnostic', () => {
    const broken = parseSpec('version: 1\n', () => {
      throw new Error('boom');
    });
    assert.deepEqual(
      broken.diagnostics.map((d) => d.code),
      ['internal-error'],
    );
  });
});
