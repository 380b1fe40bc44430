// Latency of the language server on a generated 2,000-line spec while it is being edited:
//   node scripts/bench.mjs bench/lsp-latency.ts        (BENCH_SAMPLES=200 BENCH_ROUNDS=4)
// which bundles it with the settings of the shipped server (scripts/build.mjs); `npx tsx` works
// too but measures the unbundled sources, which are slower (see scripts/yaml-env-plugin.mjs).
//
// Every sample is taken on a new version of the document (one keystroke, in the header, in a
// source in the middle or near the end, in turn), so nothing is served from a cache it would
// not have in an editor. A round runs three phases over the same versions, in an order rotated
// by round: ours over LSP, ours in-process, and the anchors (what it cost before); the figures
// are each round's p95, and the table shows their median over rounds with the range.
import { loadavg } from 'node:os';
import { validateSpec } from '../runner/src/spec/index';
import { AnalysisCache, DocumentAnalysis } from '../server/src/analysis';
import { completeAt } from '../server/src/completion';
import { hoverAt } from '../server/src/hover';
import { brokenVersion, generatedSpec, typedVersions } from './lsp-spec';
import { LspSession } from './lsp/session';
import type { BenchRow } from './results';
import { reportRows } from './results';
import { medianFigure, percentile, statisticFigure } from './stats';

const LINES = 2_000;
const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 200);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 4);
const WARMUP = 20;

const base = generatedSpec(LINES);
const version = typedVersions(base);
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
const cursor = <T>(cursors: T[], i: number) => cursors[i % cursors.length]!;

/** Runs on version i; timed whole, or returns its own milliseconds when part is set-up. */
type Contender = (text: string, i: number) => unknown;

/** Milliseconds a request takes to be answered. */
async function answered(request: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await request();
  return performance.now() - start;
}

/**
 * The contenders, in phases that each run on every version of a round. A phase holds only ours
 * or only the anchors: the garbage a cold validation leaves would otherwise be collected inside
 * the next contender's measure, which in an editor only ever follows our own work.
 */
function phases(session: LspSession): Record<string, Record<string, Contender>> {
  const reusing = new AnalysisCache();
  const hovering = new AnalysisCache();
  return {
    lsp: {
      // Right after the change, as an editor sends a request after a keystroke.
      'LSP hover round trip, after a didChange': async (text, i) => {
        await session.change(text);
        return answered(() => session.hover(cursor(hoverCursors, i)));
      },
      'LSP completion round trip, after a didChange': (_text, i) =>
        answered(() => session.completion(cursor(completionCursors, i))),
      // The same keystroke typing a new key: the YAML is broken until its colon, one line
      // above the cursors (the change itself is not timed).
      'LSP hover round trip, YAML broken by the edit': async (text, i) => {
        await session.change(brokenVersion(text, i));
        const below = cursor(hoverCursors, i);
        return answered(() => session.hover({ ...below, line: below.line + 1 }));
      },
    },
    ours: {
      'validation, parse reused': (text, i) =>
        void reusing.get('file:///v', i, () => text).validation,
      'hover, parse reused': (text, i) =>
        void hoverAt(
          hovering.get('file:///h', i, () => text),
          cursor(hoverCursors, i),
        ),
      'completion (no parse)': (text, i) =>
        void completeAt(new DocumentAnalysis(text), cursor(completionCursors, i)),
    },
    before: {
      'validation, cold (validateSpec)': (text) => void validateSpec(text),
      'hover after a cold validation (before)': (text, i) => {
        const analysis = new DocumentAnalysis(text);
        void analysis.validation;
        hoverAt(analysis, cursor(hoverCursors, i));
      },
    },
  };
}

/** Per contender, each sample's wall time. */
type Samples = Map<string, number[]>;

/** One round: each phase over the round's versions, the phases in an order rotated by round. */
async function round(all: Record<string, Record<string, Contender>>, r: number): Promise<Samples> {
  const samples: Samples = new Map();
  const first = r * (SAMPLES + WARMUP);
  const order = Object.values(all).map((_, n, list) => list[(n + r) % list.length]!);
  for (const phase of order) {
    const names = Object.keys(phase);
    for (let i = first; i < first + WARMUP + SAMPLES; i++) {
      const text = version(i);
      for (const name of names) {
        const start = performance.now();
        const own = await phase[name]!(text, i);
        const wall = typeof own === 'number' ? own : performance.now() - start;
        if (i >= first + WARMUP) (samples.get(name) ?? samples.set(name, []).get(name)!).push(wall);
      }
    }
  }
  return samples;
}

async function main(): Promise<void> {
  console.log(`spec: ${lines.length} lines, ${base.length} characters`);
  console.log(
    `${SAMPLES} samples per round, ${ROUNDS} rounds; load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  console.log(`validation: ${validateSpec(base).diagnostics.length} diagnostics (expected 0)`);
  const session = await LspSession.open(base);
  const all = phases(session);
  const p95s = new Map<string, number[]>();
  for (let r = 0; r < ROUNDS; r++) {
    const samples = await round(all, r);
    console.log(`\nround ${r + 1}`);
    for (const [name, wall] of samples) {
      const p = (q: number) => percentile(wall, q).toFixed(2).padStart(7);
      console.log(`  ${name.padEnd(46)} p50 ${p(0.5)} ms   p95 ${p(0.95)} ms   max ${p(1)} ms`);
      (p95s.get(name) ?? p95s.set(name, []).get(name)!).push(percentile(wall, 0.95));
    }
  }
  await session.close();
  const opening = openingCost();
  console.log(
    `\nresident memory at the end: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  );
  console.log(
    `load average at the end: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  reportRows('lsp-latency', [...rows(p95s), opening]);
}

/**
 * What opening the document costs: its first version's analysis (every entry parsed on its own,
 * then validated) against one validateSpec, alternating, 20 times each.
 */
function openingCost(): BenchRow {
  const ours: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < 40; i++) {
    const start = performance.now();
    if (i % 2 === 0) void new AnalysisCache().get('file:///open', 0, () => base).validation;
    else void validateSpec(base);
    (i % 2 === 0 ? ours : cold).push(performance.now() - start);
  }
  return {
    measure: `a document just opened: its first analysis (${LINES.toLocaleString('en')} lines)`,
    ours: medianFigure(ours, 'ms'),
    anchor: { name: 'validateSpec, cold', ...medianFigure(cold, 'ms') },
  };
}

function rows(p95s: Map<string, number[]>): BenchRow[] {
  const p95 = (name: string) => statisticFigure(p95s.get(name) ?? [], 'ms', 'p95');
  const before = {
    name: 'hover after a cold validation (before)',
    ...p95('hover after a cold validation (before)'),
  };
  return [
    {
      measure: `hover right after an edit, LSP round trip (${LINES.toLocaleString('en')} lines)`,
      ours: p95('LSP hover round trip, after a didChange'),
      anchor: before,
      target: { below: 10 },
    },
    {
      measure: `full validation after an edit (${LINES.toLocaleString('en')} lines)`,
      ours: p95('validation, parse reused'),
      anchor: { name: 'validateSpec, cold', ...p95('validation, cold (validateSpec)') },
      target: { below: 20 },
    },
    {
      measure: `hover right after an edit that breaks the YAML, LSP round trip (${LINES.toLocaleString('en')} lines)`,
      ours: p95('LSP hover round trip, YAML broken by the edit'),
      anchor: before,
    },
    {
      measure: `completion right after an edit, LSP round trip (${LINES.toLocaleString('en')} lines)`,
      ours: p95('LSP completion round trip, after a didChange'),
    },
  ];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
