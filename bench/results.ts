/**
 * The one result format of every benchmark: rows of the table `npm run bench` prints (measure,
 * ours, anchor, ratio, target), each measured side by side with its anchor in one run.
 *
 * A benchmark calls reportRows() at its end. Run alone it prints its rows as that table; run by
 * scripts/bench.mjs (BENCH_RESULTS names a file) it also appends them there, one JSON line each,
 * for the combined table.
 */
import { appendFileSync } from 'node:fs';

export type Unit = 's' | 'ms' | 'MiB' | '×' | '';

/** A measured figure: a median (or a percentile) with the spread of the runs it came from. */
export interface Figure {
  value: number;
  unit: Unit;
  /** The range over rounds, when there were several. */
  min?: number;
  max?: number;
  /** What the value is when that is not a median: `p95`, `max`... */
  statistic?: string;
}

/** Met when ours / anchor is at most `ratio`, or when ours itself is below `below`. */
export interface Target {
  ratio?: number;
  below?: number;
}

export interface BenchRow {
  /** What is measured, with its size: `hover right after an edit (2,000 lines)`. */
  measure: string;
  ours: Figure;
  /** The yardstick measured in the same run, when there is one. */
  anchor?: Figure & { name: string };
  /**
   * The ratio measured round by round (ours / anchor of the same round), when the benchmark
   * pairs them: steadier on a noisy machine than the ratio of the two medians, used otherwise.
   */
  ratio?: Figure;
  target?: Target;
  /** Set by reportRows: the benchmark the row comes from. */
  bench?: string;
}

export function ratioOf(row: BenchRow): number | undefined {
  if (row.ratio) return row.ratio.value;
  if (!row.anchor || row.anchor.value === 0) return undefined;
  return row.ours.value / row.anchor.value;
}

/** true or false when the row has a target, undefined when it is informative only. */
export function targetMet(row: BenchRow): boolean | undefined {
  const { target } = row;
  if (!target) return undefined;
  const ratio = ratioOf(row);
  const checks: boolean[] = [];
  if (target.ratio !== undefined) checks.push(ratio !== undefined && ratio <= target.ratio);
  if (target.below !== undefined) checks.push(row.ours.value < target.below);
  return checks.every(Boolean);
}

export function formatFigure(figure: Figure): string {
  const digits = Math.abs(figure.value) >= 100 ? 0 : Math.abs(figure.value) >= 10 ? 1 : 2;
  const number = (n: number) => n.toFixed(digits);
  const unit = figure.unit === '' || figure.unit === '×' ? figure.unit : ` ${figure.unit}`;
  const statistic = figure.statistic ? `${figure.statistic} ` : '';
  const spread =
    figure.min !== undefined && figure.max !== undefined
      ? ` (${number(figure.min)}–${number(figure.max)})`
      : '';
  return `${statistic}${number(figure.value)}${unit}${spread}`;
}

export function formatTarget(row: BenchRow): string {
  const parts: string[] = [];
  if (row.target?.ratio !== undefined) parts.push(`≤ ${row.target.ratio}×`);
  if (row.target?.below !== undefined)
    parts.push(`< ${row.target.below}${row.ours.unit === '' ? '' : ` ${row.ours.unit}`}`);
  const met = targetMet(row);
  if (met === undefined) return '—';
  return `${parts.join(', ')} ${met ? 'met' : 'NOT met'}`;
}

/** The table as Markdown, the form the README shows. */
export function formatTable(rows: BenchRow[]): string {
  const lines = [
    '| Measure | Ours | Anchor | Ratio | Target |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((row) => {
      const ratio = ratioOf(row);
      const anchor = row.anchor ? `${row.anchor.name}: ${formatFigure(row.anchor)}` : '—';
      const cells = [
        row.measure,
        formatFigure(row.ours),
        anchor,
        row.ratio
          ? formatFigure({ ...row.ratio, unit: '×' })
          : ratio === undefined
            ? '—'
            : `${ratio.toFixed(2)}×`,
        formatTarget(row),
      ];
      return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
    }),
  ];
  return lines.join('\n');
}

/** The end of every benchmark: its rows, printed, and handed to the combined table if any. */
export function reportRows(bench: string, rows: BenchRow[]): void {
  const tagged = rows.map((row) => ({ ...row, bench }));
  console.log(`\n${formatTable(tagged)}`);
  const file = process.env['BENCH_RESULTS'];
  if (file) appendFileSync(file, tagged.map((row) => `${JSON.stringify(row)}\n`).join(''));
}
