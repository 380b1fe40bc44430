// Latency and memory of the language server on a generated 2,000-line spec, in one run:
//   node scripts/bench.mjs bench/lsp-latency.ts
// which bundles it with the settings of the shipped server (scripts/build.mjs); `npx tsx` works
// too but measures the unbundled sources, which are slower (see scripts/yaml-env-plugin.mjs).
// Each sample is taken on a new version of the document (one character changed), as while
// typing, so nothing is served from a cache it would not have in an editor.
import {
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  InitializeRequest,
} from 'vscode-languageserver-protocol/node';
import { parseAllDocuments } from 'yaml';
import { validateSpec } from '../runner/src/spec/index';
import { DocumentAnalysis } from '../server/src/analysis';
import { completeAt } from '../server/src/completion';
import { hoverAt } from '../server/src/hover';
import { connectInMemory } from '../test/server/support/in-memory-connection';
import { generatedSpec } from './lsp-spec';

const LINES = 2_000;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const WARMUP = 20;

const base = generatedSpec(LINES);
const lines = base.split('\n');
const lineOf = (needle: string, from = 0) =>
  lines.findIndex((l, i) => i >= from && l.includes(needle));

// Cursors where completion and hover do real work, deep in the file.
const lastSource = lines.findLastIndex((l) => /^ {2}db-\d+:$/.test(l));
const completionCursors = [
  { line: lineOf('    integrity_check', lastSource), character: 4 }, // keys of a sqlite source
  { line: lineOf('    integrity_check', lastSource), character: 21 }, // enum values
  { line: lineOf('sources: [db-0'), character: 29 }, // source names
];
const hoverCursors = [
  { line: lineOf('    integrity_check', lastSource), character: 22 },
  { line: lineOf('schedule:'), character: 2 },
  { line: lineOf('  keep_daily'), character: 4 },
];

/** The document as it is after the i-th keystroke: the header comment grows by one letter. */
const version = (i: number) => base.replace('benchmark.', `benchmark${'x'.repeat(i % 50)}.`);

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return `p50 ${at(0.5).toFixed(2).padStart(6)} ms   p95 ${at(0.95).toFixed(2).padStart(6)} ms   max ${at(1).toFixed(2).padStart(6)} ms`;
}

function measure(name: string, run: (i: number) => void): void {
  for (let i = 0; i < WARMUP; i++) run(i);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    run(i + WARMUP);
    samples.push(performance.now() - start);
  }
  console.log(`${name.padEnd(44)} ${percentiles(samples)}`);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  console.log(`spec: ${lines.length} lines, ${base.length} characters; ${SAMPLES} samples each`);
  console.log(`validation: ${validateSpec(base).diagnostics.length} diagnostics (expected 0)\n`);

  measure('validate (what diagnostics cost per version)', (i) => validateSpec(version(i)));
  // The share of the yaml library's parser in it (the same call validateSpec makes).
  measure('  of which: YAML parse alone', (i) =>
    parseAllDocuments(version(i), { merge: true, uniqueKeys: false, prettyErrors: false }),
  );
  measure('completion (new version, no validation)', (i) => {
    const analysis = new DocumentAnalysis(version(i));
    completeAt(analysis, completionCursors[i % completionCursors.length]!);
  });
  const validated = new DocumentAnalysis(base);
  void validated.validation;
  measure('hover (version already validated)', (i) =>
    hoverAt(validated, hoverCursors[i % hoverCursors.length]!),
  );
  measure('hover (new version: validates first)', (i) =>
    hoverAt(new DocumentAnalysis(version(i)), hoverCursors[i % hoverCursors.length]!),
  );

  // The same requests through the LSP transport, as an editor sends them while typing:
  // a didChange, then the request on that new version.
  const { client, close } = connectInMemory({ debounceMs: 200 });
  client.listen();
  await client.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: null,
    capabilities: {},
  });
  const uri = 'file:///bench/backup.yaml';
  await client.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'backup-yaml', version: 0, text: base },
  });
  let documentVersion = 0;
  const change = (i: number) =>
    client.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: ++documentVersion },
      contentChanges: [{ text: version(i) }],
    });
  const overLsp = async (name: string, request: (i: number) => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      await change(i);
      const start = performance.now();
      await request(i);
      if (i >= WARMUP) samples.push(performance.now() - start);
    }
    console.log(`${name.padEnd(44)} ${percentiles(samples)}`);
  };
  console.log('');
  await overLsp('LSP completion round trip, after a didChange', (i) =>
    client.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: completionCursors[i % completionCursors.length]!,
    }),
  );
  await overLsp('LSP hover round trip, after a didChange', (i) =>
    client.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: hoverCursors[i % hoverCursors.length]!,
    }),
  );
  await close();

  gc?.();
  const before = process.memoryUsage().heapUsed;
  const kept = Array.from({ length: 10 }, (_, i) => {
    const analysis = new DocumentAnalysis(version(i));
    void analysis.validation;
    void analysis.lines.line(analysis.lines.count - 1);
    return analysis;
  });
  gc?.();
  const after = process.memoryUsage().heapUsed;
  console.log(
    `\nmemory: heap used ${mb(after)}; one validated analysis of this spec retains about ${mb((after - before) / kept.length)}${gc ? '' : ' (run with --expose-gc for a stable figure)'}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
