import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HoverRequest } from 'vscode-languageserver-protocol';
import { ReusingParser, validateSpec } from '../../runner/src/spec/index';
import { AnalysisCache, DocumentAnalysis } from '../../server/src/analysis';
import { definitionAt, referencesAt } from '../../server/src/definition';
import { documentSymbols } from '../../server/src/document-symbols';
import { foldingRanges } from '../../server/src/folding';
import { hoverAt } from '../../server/src/hover';
import { prepareRenameAt } from '../../server/src/rename';
import { generatedSpec } from '../../bench/lsp-spec';
import { prng } from '../spec/support/prng';
import { RandomEditor } from '../spec/support/random-edits';
import { InProcessServer } from './support/in-process-server';

const text = generatedSpec(300);
const lines = text.split('\n');
const at = (needle: string, character: number) => ({
  line: lines.findIndex((line) => line.includes(needle)),
  character,
});

describe('typing: requests on a just-edited document do not wait for its validation', () => {
  test('hover, outline, folding, definition, references and rename run no schema or semantic check', () => {
    const analysis = new DocumentAnalysis(text);
    assert.ok(hoverAt(analysis, at('    integrity_check', 22)));
    assert.ok(hoverAt(analysis, at('schedule:', 2)));
    assert.ok(documentSymbols(analysis).length > 0);
    assert.ok(foldingRanges(analysis).length > 0);
    const reference = at('sources: [db-0', 15);
    assert.ok(definitionAt(analysis, reference).length > 0);
    assert.ok(referencesAt(analysis, reference, true).length > 1);
    assert.ok(prepareRenameAt(analysis, reference));
    assert.equal(analysis.validated, false);
    // The diagnostics, when they are asked for, are of that same parse.
    assert.deepEqual(analysis.validation.diagnostics, validateSpec(text).diagnostics);
    assert.equal(analysis.validation.parsed, analysis.parsed);
  });

  test('versions of one document share a parser: an edit re-reads only what it touched', () => {
    const parsers: ReusingParser[] = [];
    const cache = new AnalysisCache(() => {
      parsers.push(new ReusingParser());
      return parsers.at(-1)!;
    });
    void cache.get('file:///a.yaml', 1, () => text).parsed;
    const edited = text.replace('keep_daily: 7', 'keep_daily: 8');
    const second = cache.get('file:///a.yaml', 2, () => edited);
    assert.equal(
      cache.get('file:///a.yaml', 2, () => ''),
      second,
      'one analysis per version',
    );
    assert.deepEqual(second.validation.diagnostics, validateSpec(edited).diagnostics);
    assert.match(JSON.stringify(hoverAt(second, at('keep_daily', 4))), /keep_daily/);
    assert.equal(parsers.length, 1, 'one parser for the document');
    const { composed, windowsParsed } = parsers[0]!.stats;
    assert.equal(composed, 2);
    // The second version re-read one window (retention's keep_daily), not its ~55 entries.
    assert.ok(windowsParsed > 50, `${windowsParsed} windows`);
    void cache.get('file:///a.yaml', 3, () => edited.replace('keep_daily: 8', 'keep_daily: 9'))
      .parsed;
    assert.equal(parsers[0]!.stats.windowsParsed, windowsParsed + 1);
  });
});

describe('typing a new key: the YAML is broken until its colon', () => {
  test('hover elsewhere answers from the other entries, without a whole parse or the checks', () => {
    const cache = new AnalysisCache();
    void cache.get('file:///b.yaml', 1, () => text).structure;
    const broken = text.replace('host: bench-vm\n', 'host: bench-vm\nna\n');
    const analysis = cache.get('file:///b.yaml', 2, () => broken);
    const position = { ...at('keep_daily', 4), line: at('keep_daily', 4).line + 1 };
    const hover = hoverAt(analysis, position);
    assert.equal(analysis.parsedExactly, false, 'no whole parse');
    assert.equal(analysis.validated, false);
    assert.deepEqual(hover, hoverAt(new DocumentAnalysis(broken), position));
    assert.ok(documentSymbols(analysis).some((symbol) => symbol.name === 'retention'));
    // The diagnostics are still the whole parse's, with the YAML error.
    assert.deepEqual(analysis.validation.diagnostics, validateSpec(broken).diagnostics);
    assert.ok(analysis.validation.diagnostics.some((d) => d.code === 'yaml-syntax'));
  });
});

describe('typing over LSP: after every edit, the diagnostics of backup-runner validate', () => {
  let server: InProcessServer;
  before(async () => {
    server = await InProcessServer.start();
  });
  after(() => server.stop());

  test('60 seeded random edits of a 300-line spec, a hover after each', async () => {
    const uri = 'file:///typing/backup.yaml';
    await server.open(uri, text);
    const editor = new RandomEditor(prng(13));
    let current = text;
    for (let step = 1; step <= 60; step++) {
      const edit = editor.next(current);
      current = edit.text;
      const published = server.change(uri, current);
      // A request right after the change: answered from this version, whatever its state.
      await server.client.sendRequest(HoverRequest.type, {
        textDocument: { uri },
        position: { line: step % 40, character: 2 },
      });
      const params = await published;
      const expected = validateSpec(current).diagnostics.map((d) => [d.code, d.range, d.message]);
      const actual = params.diagnostics.map((d) => [d.code, d.range, d.message]);
      assert.deepEqual(actual, expected, `edit ${step} (${edit.what})`);
    }
  });
});
