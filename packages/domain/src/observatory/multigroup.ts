import type { ContingencyTable } from './contingency-table.ts';
import { marginEntropy } from './mutual-information.ts';
import { weightedAbsoluteDifferenceSum } from './single-group.ts';

/**
 * Multigroup indices, as PySAL `segregation` computes them (`multigroup/*.py`; Reardon & Firebaugh
 * 2002, "Measures of Multigroup Segregation", Sociological Methodology 32). Notation: per finest
 * unit i, t_i its total and p_ik = t_ik / t_i; P_k = t_k / T; K groups; the interaction
 * I = Σ_k P_k (1 − P_k). A group absent from a unit has p_ik = 0: loops run over stored cells
 * and add the absent groups' terms as Σ_k f(0, P_k) minus the present ones.
 */

/** I = Σ_k P_k (1 − P_k) (Simpson's interaction). */
function interaction(table: ContingencyTable): number {
  let sum = 0;
  for (let g = 0; g < table.groups.length; g++) {
    const P = table.groupTotals[g]! / table.total;
    sum += P * (1 - P);
  }
  return sum;
}

/**
 * Σ_i t_i Σ_k f(p_ik, P_k, k) over all units and all groups, visiting only stored cells:
 * Σ_k f(p_ik) = Σ_k f(0) + Σ_{k present} (f(p_ik) − f(0)).
 */
function unitGroupSum(table: ContingencyTable, f: (p: number, P: number, k: number) => number): number {
  const groups = table.groups.length;
  const shares = new Float64Array(groups);
  const atZero = new Float64Array(groups);
  let sumAtZero = 0;
  for (let k = 0; k < groups; k++) {
    shares[k] = table.groupTotals[k]! / table.total;
    atZero[k] = f(0, shares[k]!, k);
    sumAtZero += atZero[k]!;
  }
  let sum = 0;
  for (let u = 0; u < table.unitTotals.length; u++) {
    const tu = table.unitTotals[u]!;
    let unitSum = sumAtZero;
    for (let c = table.cellStart[u]!; c < table.cellStart[u + 1]!; c++) {
      const k = table.cellGroup[c]!;
      unitSum += f(table.cellCount[c]! / tu, shares[k]!, k) - atZero[k]!;
    }
    sum += tu * unitSum;
  }
  return sum;
}

/** Multigroup dissimilarity (PySAL `MultiDissim`): D = Σ_i Σ_k t_i |p_ik − P_k| / (2 T I). */
export function multigroupDissimilarity(table: ContingencyTable): number {
  return unitGroupSum(table, (p, P) => Math.abs(p - P)) / (2 * table.total * interaction(table));
}

/**
 * Multigroup Gini (PySAL `MultiGini`): G = Σ_k Σ_i Σ_j t_i t_j |p_ik − p_jk| / (2 T² I), each
 * double sum computed in O(n log n) by sorting the units on p_ik.
 */
export function multigroupGini(table: ContingencyTable): number {
  const units = table.unitTotals.length;
  const shares = new Float64Array(units);
  let sum = 0;
  for (let k = 0; k < table.groups.length; k++) {
    shares.fill(0);
    for (let u = 0; u < units; u++) {
      for (let c = table.cellStart[u]!; c < table.cellStart[u + 1]!; c++) {
        if (table.cellGroup[c] === k) shares[u] = table.cellCount[c]! / table.unitTotals[u]!;
      }
    }
    sum += weightedAbsoluteDifferenceSum(shares, table.unitTotals);
  }
  return sum / (2 * table.total * table.total * interaction(table));
}

/**
 * Normalised exposure (PySAL `MultiNormExposure`; James 1986):
 * P* = Σ_k Σ_i t_i (p_ik − P_k)² / (T (1 − P_k)).
 */
export function multigroupNormalizedExposure(table: ContingencyTable): number {
  return unitGroupSum(table, (p, P) => (p - P) ** 2 / (1 - P)) / table.total;
}

/**
 * Relative diversity (PySAL `MultiRelativeDiversity`; Carlson 1992):
 * R = Σ_k Σ_i t_i (p_ik − P_k)² / (T I).
 */
export function multigroupRelativeDiversity(table: ContingencyTable): number {
  return unitGroupSum(table, (p, P) => (p - P) ** 2) / (table.total * interaction(table));
}

/**
 * Squared coefficient of variation (PySAL `MultiSquaredCoefVar`; Reardon & Firebaugh 2002):
 * C = Σ_k Σ_i t_i (p_ik − P_k)² / (T (K − 1) P_k).
 */
export function multigroupSquaredCoefficientOfVariation(table: ContingencyTable): number {
  const K = table.groups.length;
  return unitGroupSum(table, (p, P) => (p - P) ** 2 / P) / (table.total * (K - 1));
}

/**
 * Diversity of the whole population (PySAL `MultiDiversity`; Theil 1972): E = −Σ_k P_k ln P_k,
 * natural log; `normalized` divides by ln K (1 when all groups are equal).
 */
export function multigroupDiversity(
  table: ContingencyTable,
  options: { readonly normalized?: boolean } = {},
): number {
  const e = marginEntropy(table.groupTotals, table.total);
  return options.normalized ? e / Math.log(table.groups.length) : e;
}

/**
 * Simpson's concentration (PySAL `SimpsonsConcentration`): λ = Σ_k P_k², the probability that two
 * people drawn at random belong to the same group.
 */
export function simpsonConcentration(table: ContingencyTable): number {
  let sum = 0;
  for (let g = 0; g < table.groups.length; g++) sum += (table.groupTotals[g]! / table.total) ** 2;
  return sum;
}

/**
 * Simpson's interaction (PySAL `SimpsonsInteraction`): I = Σ_k P_k (1 − P_k), the probability that
 * two people drawn at random belong to different groups.
 */
export function simpsonInteraction(table: ContingencyTable): number {
  return interaction(table);
}
