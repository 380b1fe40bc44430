import type { Figure, Unit } from './results';

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The value below which a share `p` (0..1) of the samples lie (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
}

/** The median of the finite values with their range, as a table figure. */
export function medianFigure(values: number[], unit: Unit): Figure {
  const finite = values.filter(Number.isFinite);
  const figure: Figure = { value: median(finite), unit };
  if (finite.length > 1) {
    figure.min = Math.min(...finite);
    figure.max = Math.max(...finite);
  }
  return figure;
}

/** The median over runs of one statistic (a percentile) of each run, with its range. */
export function statisticFigure(perRun: number[], unit: Unit, statistic: string): Figure {
  return { ...medianFigure(perRun, unit), statistic };
}
