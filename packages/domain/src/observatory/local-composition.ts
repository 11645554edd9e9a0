import type { ContingencyTable } from './contingency-table.ts';

/**
 * Local composition measures of each finest unit, as PySAL `segregation` computes them
 * (`local/*.py`): p_ik = t_ik / t_i, P_k = t_k / T, K groups. Natural logarithms.
 */

/**
 * Location quotients (PySAL `MultiLocationQuotient`; Isard 1960): LQ_ik = (t_ik / t_i) / (t_k / T),
 * > 1 when group k is over-represented in unit i. Row-major units × groups (`[i · K + k]`), zero
 * for absent groups.
 */
export function locationQuotients(table: ContingencyTable): Float64Array {
  const groups = table.groups.length;
  const quotients = new Float64Array(table.unitTotals.length * groups);
  for (let u = 0; u < table.unitTotals.length; u++) {
    const tu = table.unitTotals[u]!;
    for (let c = table.cellStart[u]!; c < table.cellStart[u + 1]!; c++) {
      const g = table.cellGroup[c]!;
      quotients[u * groups + g] = table.cellCount[c]! / tu / (table.groupTotals[g]! / table.total);
    }
  }
  return quotients;
}

/** Σ_k f(p_ik) per unit over present groups (f(0) = 0 for every measure here). */
function unitSums(table: ContingencyTable, f: (p: number) => number): Float64Array {
  const out = new Float64Array(table.unitTotals.length);
  for (let u = 0; u < out.length; u++) {
    const tu = table.unitTotals[u]!;
    let sum = 0;
    for (let c = table.cellStart[u]!; c < table.cellStart[u + 1]!; c++) sum += f(table.cellCount[c]! / tu);
    out[u] = sum;
  }
  return out;
}

/** Local diversity (PySAL `MultiLocalDiversity`): E_i = −Σ_k p_ik ln p_ik. */
export function localDiversity(table: ContingencyTable): Float64Array {
  return unitSums(table, (p) => -p * Math.log(p));
}

/** Local entropy (PySAL `MultiLocalEntropy`): E_i / ln K, between 0 and 1. */
export function localEntropy(table: ContingencyTable): Float64Array {
  const scale = Math.log(table.groups.length);
  return localDiversity(table).map((e) => e / scale);
}

/** Local Simpson concentration (PySAL `MultiLocalSimpsonConcentration`): Σ_k p_ik². */
export function localSimpsonConcentration(table: ContingencyTable): Float64Array {
  return unitSums(table, (p) => p * p);
}

/** Local Simpson interaction (PySAL `MultiLocalSimpsonInteraction`): Σ_k p_ik (1 − p_ik). */
export function localSimpsonInteraction(table: ContingencyTable): Float64Array {
  return unitSums(table, (p) => p * (1 - p));
}
