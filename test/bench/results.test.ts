import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { BenchRow } from '../../bench/results';
import { formatTable, ratioOf, reportRows, targetMet } from '../../bench/results';
import { median, medianFigure, percentile } from '../../bench/stats';

const row = (ours: number, anchor: number, target?: BenchRow['target']): BenchRow => ({
  measure: 'restore | to DIR',
  ours: { value: ours, unit: 's' },
  anchor: { name: 'restic restore', value: anchor, unit: 's' },
  ...(target ? { target } : {}),
});

describe("the benchmarks' one result format (bench/results.ts)", () => {
  test('a target is met by the ratio to the anchor, or by the figure itself', () => {
    assert.equal(targetMet(row(1.2, 1, { ratio: 1.3 })), true);
    assert.equal(targetMet(row(1.4, 1, { ratio: 1.3 })), false);
    assert.equal(targetMet(row(9, 50, { below: 10 })), true);
    assert.equal(targetMet(row(10, 50, { below: 10 })), false);
    assert.equal(targetMet(row(1, 1)), undefined);
    // A ratio measured round by round wins over the ratio of the medians.
    const paired = { ...row(2, 1, { ratio: 1.3 }), ratio: { value: 1.1, unit: '×' as const } };
    assert.equal(ratioOf(paired), 1.1);
    assert.equal(targetMet(paired), true);
  });

  test('the table: one Markdown row per measure, pipes escaped, met or NOT met', () => {
    const table = formatTable([row(1.5, 1, { ratio: 1.3 }), row(0.5, 1)]).split('\n');
    assert.equal(table[0], '| Measure | Ours | Anchor | Ratio | Target |');
    assert.equal(
      table[2],
      '| restore \\| to DIR | 1.50 s | restic restore: 1.00 s | 1.50× | ≤ 1.3× NOT met |',
    );
    assert.match(table[3] ?? '', /\| 0\.50× \| — \|$/);
  });

  test('rows reach the combined table through the file BENCH_RESULTS names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backup-yaml-bench-rows-'));
    const file = join(dir, 'rows.jsonl');
    const previous = process.env['BENCH_RESULTS'];
    process.env['BENCH_RESULTS'] = file;
    try {
      reportRows('restore', [row(1, 1)]);
      reportRows('lsp', [row(2, 1)]);
      const rows = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as BenchRow);
      assert.deepEqual(
        rows.map((r) => [r.bench, r.ours.value]),
        [
          ['restore', 1],
          ['lsp', 2],
        ],
      );
    } finally {
      if (previous === undefined) delete process.env['BENCH_RESULTS'];
      else process.env['BENCH_RESULTS'] = previous;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('medians, percentiles and figures with their range', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95), 10);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5), 5);
    assert.deepEqual(medianFigure([2, NaN, 1, 3], 's'), { value: 2, unit: 's', min: 1, max: 3 });
    assert.deepEqual(medianFigure([2], 's'), { value: 2, unit: 's' });
  });
});
