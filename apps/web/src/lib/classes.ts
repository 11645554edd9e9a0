/**
 * Class breaks for choropleth maps: quantiles of the values (each class holds about as many units),
 * rounded to a readable step. Pure functions, tested in apps/web/test.
 */
export interface Classes {
  /** Upper bounds of classes 1…k−1 (class k is everything above the last break). */
  breaks: number[];
  colors: string[];
}

/** k quantile breaks of the finite values, rounded to `step`, strictly increasing. */
export function quantileBreaks(values: readonly number[], k: number, step: number): number[] {
  const sorted = values.filter(Number.isFinite).toSorted((a, b) => a - b);
  if (sorted.length === 0 || k < 2) return [];
  const breaks: number[] = [];
  for (let i = 1; i < k; i++) {
    const position = (i / k) * (sorted.length - 1);
    const low = sorted[Math.floor(position)]!;
    const high = sorted[Math.ceil(position)]!;
    const value = Math.round((low + (high - low) * (position - Math.floor(position))) / step) * step;
    if (breaks.length === 0 || value > breaks[breaks.length - 1]!) breaks.push(value);
  }
  return breaks;
}

/** Index of the class of `value` given the breaks (0-based). */
export function classOf(value: number, breaks: readonly number[]): number {
  let i = 0;
  while (i < breaks.length && value > breaks[i]!) i++;
  return i;
}

/** Legend labels in French for the classes of `breaks`, with `format` for the numbers. */
export function classLabels(breaks: readonly number[], format: (n: number) => string): string[] {
  if (breaks.length === 0) return [];
  const labels = [`${format(breaks[0]!)} ou moins`];
  for (let i = 1; i < breaks.length; i++) labels.push(`de ${format(breaks[i - 1]!)} à ${format(breaks[i]!)}`);
  labels.push(`plus de ${format(breaks[breaks.length - 1]!)}`);
  return labels;
}

/** ColorBrewer sequential schemes (Cynthia Brewer, Apache-2.0), 5 classes, light to dark. */
export const SCHEMES = {
  orangeRed: ['#fef0d9', '#fdcc8a', '#fc8d59', '#e34a33', '#b30000'],
  purpleBlue: ['#f1eef6', '#bdc9e1', '#74a9cf', '#2b8cbe', '#045a8d'],
} as const;
