import { type ContingencyTable, groupIndex } from './contingency-table.ts';
import { SegregationInputError } from './segregation-input-error.ts';

/**
 * Single-group indices: one group x against the rest of the population, as PySAL `segregation`
 * computes them (`singlegroup/*.py`; Massey & Denton 1988). Notation: per unit i, x_i people of the
 * group out of t_i, y_i = t_i − x_i, p_i = x_i / t_i; X = Σ x_i, T = Σ t_i, P = X / T.
 * Units with t_i = 0 weigh nothing.
 */
export interface SingleGroupCounts {
  /** x_i: members of the group in each unit. */
  readonly group: Float64Array;
  /** t_i: whole population of each unit (x_i ≤ t_i). */
  readonly total: Float64Array;
}

/** Group `group` against all other groups, per finest unit of `table`. */
export function singleGroupCounts(table: ContingencyTable, group: string): SingleGroupCounts {
  const g = groupIndex(table, group);
  const x = new Float64Array(table.unitTotals.length);
  for (let u = 0; u < x.length; u++) {
    for (let c = table.cellStart[u]!; c < table.cellStart[u + 1]!; c++) {
      if (table.cellGroup[c] === g) x[u] = table.cellCount[c]!;
    }
  }
  return { group: x, total: Float64Array.from(table.unitTotals) };
}

/**
 * Counts from two columns, e.g. a census file `HISP, TOT_POP` whose total includes people outside
 * the groups listed. Throws when a count is negative or non-finite, when x_i > t_i, or when the
 * group is absent or is the whole population.
 */
export function singleGroupCountsFromColumns(
  group: ArrayLike<number>,
  total: ArrayLike<number>,
): SingleGroupCounts {
  if (group.length !== total.length) {
    throw new SegregationInputError(
      'invalid-count',
      `colonnes de longueurs différentes : ${group.length} effectifs du groupe, ${total.length} totaux`,
    );
  }
  let sumX = 0;
  let sumT = 0;
  for (let i = 0; i < group.length; i++) {
    const x = group[i]!;
    const t = total[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(t) || x < 0 || t < x) {
      throw new SegregationInputError(
        'invalid-count',
        `unité ${i + 1} : effectif du groupe ${x} et total ${t} incohérents (attendu 0 ≤ groupe ≤ total)`,
      );
    }
    sumX += x;
    sumT += t;
  }
  if (!(sumT > 0)) throw new SegregationInputError('empty-table', 'table vide : aucun effectif positif');
  if (!(sumX > 0) || !(sumX < sumT)) {
    throw new SegregationInputError(
      'single-group',
      'il faut au moins deux groupes d’effectif positif : le groupe est absent ou forme toute la population',
    );
  }
  return { group: Float64Array.from(group), total: Float64Array.from(total) };
}

/** X, T and P = X / T. */
function groupShare(counts: SingleGroupCounts): { X: number; T: number; P: number } {
  let X = 0;
  let T = 0;
  for (let i = 0; i < counts.total.length; i++) {
    X += counts.group[i]!;
    T += counts.total[i]!;
  }
  return { X, T, P: X / T };
}

function unitShare(counts: SingleGroupCounts, i: number): number {
  const t = counts.total[i]!;
  return t > 0 ? counts.group[i]! / t : 0;
}

/**
 * Dissimilarity (PySAL `Dissim`; Duncan & Duncan 1955): D = Σ_i t_i |p_i − P| / (2 T P (1 − P)),
 * equal to ½ Σ_i |x_i / X − y_i / Y|.
 */
export function singleGroupDissimilarity(counts: SingleGroupCounts): number {
  const { T, P } = groupShare(counts);
  let sum = 0;
  for (let i = 0; i < counts.total.length; i++) sum += counts.total[i]! * Math.abs(unitShare(counts, i) - P);
  return sum / (2 * T * P * (1 - P));
}

/**
 * Gini index (PySAL `Gini`): G = Σ_i Σ_j t_i t_j |p_i − p_j| / (2 T² P (1 − P)). The double sum
 * is computed in O(n log n): with units sorted by p, Σ_i Σ_j = 2 Σ_j t_j (p_j W_j − S_j), where
 * W_j = Σ_{i<j} t_i and S_j = Σ_{i<j} t_i p_i.
 */
export function singleGroupGini(counts: SingleGroupCounts): number {
  const { T, P } = groupShare(counts);
  const shares = new Float64Array(counts.total.length);
  for (let i = 0; i < shares.length; i++) shares[i] = unitShare(counts, i);
  return weightedAbsoluteDifferenceSum(shares, counts.total) / (2 * T * T * P * (1 - P));
}

/**
 * Σ_i Σ_j w_i w_j |v_i − v_j| by sorting on v (used by the single-group and multigroup Gini).
 */
export function weightedAbsoluteDifferenceSum(values: Float64Array, weights: ArrayLike<number>): number {
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => values[a]! - values[b]!);
  let weightBefore = 0;
  let weightedBefore = 0;
  let sum = 0;
  for (const i of order) {
    const w = weights[i]!;
    const v = values[i]!;
    sum += w * (v * weightBefore - weightedBefore);
    weightBefore += w;
    weightedBefore += w * v;
  }
  return 2 * sum;
}

/**
 * Atkinson index (PySAL `Atkinson`; Atkinson 1970, applied to segregation by James & Taeuber 1985):
 * A = 1 − P / (1 − P) · | Σ_i (1 − p_i)^(1−b) p_i^b t_i / (P T) |^(1/(1−b)), with 0 < b < 1
 * (default ½, equal weight to under- and over-representation).
 */
export function singleGroupAtkinson(counts: SingleGroupCounts, b = 0.5): number {
  if (!(b > 0 && b < 1)) {
    throw new SegregationInputError(
      'invalid-option',
      `paramètre b d’Atkinson invalide : ${b} (attendu 0 < b < 1)`,
    );
  }
  const { T, P } = groupShare(counts);
  let sum = 0;
  for (let i = 0; i < counts.total.length; i++) {
    const p = unitShare(counts, i);
    sum += (1 - p) ** (1 - b) * p ** b * counts.total[i]!;
  }
  return 1 - (P / (1 - P)) * Math.abs(sum / (P * T)) ** (1 / (1 - b));
}

/**
 * Binary Theil entropy index (PySAL `Entropy`; Theil & Finizza 1971):
 * H = Σ_i t_i (E − E_i) / (E T), with E = P ln(1/P) + (1 − P) ln(1/(1 − P)) and E_i likewise with
 * p_i (0 · ln(1/0) = 0).
 */
export function singleGroupTheilEntropy(counts: SingleGroupCounts): number {
  const { T, P } = groupShare(counts);
  const E = binaryEntropy(P);
  let sum = 0;
  for (let i = 0; i < counts.total.length; i++) {
    sum += (counts.total[i]! * (E - binaryEntropy(unitShare(counts, i)))) / (E * T);
  }
  return sum;
}

function binaryEntropy(p: number): number {
  return (p > 0 ? -p * Math.log(p) : 0) + (p < 1 ? -(1 - p) * Math.log(1 - p) : 0);
}

/** Isolation (PySAL `Isolation`; Bell 1954): xPx = Σ_i (x_i / X)(x_i / t_i). */
export function singleGroupIsolation(counts: SingleGroupCounts): number {
  const { X } = groupShare(counts);
  let sum = 0;
  for (let i = 0; i < counts.total.length; i++) sum += (counts.group[i]! / X) * unitShare(counts, i);
  return sum;
}

/** Interaction (PySAL `Interaction`): xPy = Σ_i (x_i / X)(y_i / t_i). */
export function singleGroupInteraction(counts: SingleGroupCounts): number {
  const { X } = groupShare(counts);
  let sum = 0;
  for (let i = 0; i < counts.total.length; i++) {
    const t = counts.total[i]!;
    if (t > 0) sum += (counts.group[i]! / X) * ((t - counts.group[i]!) / t);
  }
  return sum;
}

/**
 * Correlation ratio η² (PySAL `CorrelationR`; White 1986): V = (xPx − P) / (1 − P), the isolation
 * corrected for the group's share.
 */
export function singleGroupCorrelationRatio(counts: SingleGroupCounts): number {
  const { P } = groupShare(counts);
  return (singleGroupIsolation(counts) - P) / (1 - P);
}
