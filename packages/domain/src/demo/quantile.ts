/**
 * Income quantile functions built from Filosofi's published deciles D1…D9 (income per consumption
 * unit, € per year, over persons). Between deciles: linear. Below D1: linear with a steeper slope,
 * bounded at a floor. Above D9: a Pareto tail through D8 and D9.
 */
import type { DemoAssumptions } from './assumptions.ts';

export type QuantileFunction = (p: number) => number;

/** Q(p) for p in (0, 1), from the nine deciles (increasing). */
export function quantileFromDeciles(
  deciles: readonly number[],
  tails: DemoAssumptions['incomeTails'],
): QuantileFunction {
  if (deciles.length !== 9) throw new Error(`9 déciles attendus, ${deciles.length} reçus`);
  const d = deciles.slice();
  const lowSlope = (tails.lowerSlopeFactor * Math.max(d[1]! - d[0]!, 0)) / 0.1;
  const floor = tails.floorShareOfD1 * d[0]!;
  const ratio = d[8]! / d[7]!;
  const alpha =
    ratio > 1
      ? Math.min(tails.paretoAlphaMax, Math.max(tails.paretoAlphaMin, Math.LN2 / Math.log(ratio)))
      : tails.paretoAlphaMax;
  const inverseAlpha = 1 / alpha;
  return (p: number): number => {
    if (p <= 0.1) return Math.max(floor, d[0]! - (0.1 - p) * lowSlope);
    if (p >= 0.9) return d[8]! * (0.1 / Math.max(1 - p, 1e-9)) ** inverseAlpha;
    const x = p * 10 - 1;
    const k = Math.min(7, Math.floor(x));
    return d[k]! + (x - k) * (d[k + 1]! - d[k]!);
  };
}

/**
 * Deciles of an equal-weight mixture of distributions (the fallback for IRIS without published
 * values): each component is sampled on a regular grid of probabilities, the values pooled and sorted.
 */
export function pooledDeciles(
  components: readonly (readonly number[])[],
  tails: DemoAssumptions['incomeTails'],
  gridSize = 1_000,
): number[] {
  if (components.length === 0) throw new Error('aucune distribution publiée à regrouper');
  const values = new Float64Array(components.length * gridSize);
  let n = 0;
  for (const deciles of components) {
    const q = quantileFromDeciles(deciles, tails);
    for (let k = 0; k < gridSize; k++) values[n++] = q((k + 0.5) / gridSize);
  }
  values.sort();
  const result: number[] = [];
  for (let k = 1; k <= 9; k++) {
    // The value below which k/10 of the pooled mass lies: midway between the two grid values around it.
    const position = Math.round((k / 10) * n);
    result.push(Math.round((values[position - 1]! + values[position]!) / 2));
  }
  return result;
}

/**
 * Persons-weighted quantiles, as Filosofi computes them: for each p, the smallest value v such that
 * the persons of households with value ≤ v make at least the share p of all persons.
 */
export function weightedQuantiles(
  values: ArrayLike<number>,
  weights: ArrayLike<number>,
  ps: readonly number[],
): number[] {
  const n = values.length;
  if (n === 0) return ps.map(() => Number.NaN);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a]! - values[b]!);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i]!;
  const result: number[] = [];
  let cumulated = 0;
  let i = 0;
  for (const p of ps) {
    while (i < n - 1 && cumulated + weights[order[i]!]! < p * total) cumulated += weights[order[i++]!]!;
    result.push(values[order[i]!]!);
  }
  return result;
}
