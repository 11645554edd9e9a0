import { type ContingencyTable, groupIndex } from './contingency-table.ts';

/**
 * Exposure and isolation indices (Bell 1954; Lieberson 1981), as R `segregation::isolation` and
 * `segregation::exposure` compute them: the composition of the unit of the average member of a
 * group.
 */

/**
 * Isolation of each group (R `isolation`): xPx_g = Σ_u (t_ug / t_g)(t_ug / t_u), the share of
 * group g in the unit of the average member of g. Indexed by group.
 */
export function isolationByGroup(table: ContingencyTable): Float64Array {
  const isolation = new Float64Array(table.groups.length);
  for (let u = 0; u < table.unitTotals.length; u++) {
    const tu = table.unitTotals[u]!;
    for (let c = table.cellStart[u]!; c < table.cellStart[u + 1]!; c++) {
      const n = table.cellCount[c]!;
      isolation[table.cellGroup[c]!]! += (n * n) / tu;
    }
  }
  for (let g = 0; g < isolation.length; g++) isolation[g] = isolation[g]! / table.groupTotals[g]!;
  return isolation;
}

/**
 * Exposure of each group to each group (R `exposure`): xPy_{g→h} = Σ_u (t_ug / t_g)(t_uh / t_u),
 * the share of group h in the unit of the average member of g. Row-major groups × groups
 * (`[g · G + h]`); the diagonal is the isolation, each row sums to 1.
 */
export function exposureMatrix(table: ContingencyTable): Float64Array {
  const groups = table.groups.length;
  const exposure = new Float64Array(groups * groups);
  for (let u = 0; u < table.unitTotals.length; u++) {
    const tu = table.unitTotals[u]!;
    const end = table.cellStart[u + 1]!;
    for (let c = table.cellStart[u]!; c < end; c++) {
      const row = table.cellGroup[c]! * groups;
      const n = table.cellCount[c]! / tu;
      for (let d = table.cellStart[u]!; d < end; d++) {
        exposure[row + table.cellGroup[d]!]! += n * table.cellCount[d]!;
      }
    }
  }
  for (let g = 0; g < groups; g++) {
    const tg = table.groupTotals[g]!;
    for (let h = 0; h < groups; h++) exposure[g * groups + h] = exposure[g * groups + h]! / tg;
  }
  return exposure;
}

/** Exposure of group `of` to group `to` (see `exposureMatrix`). */
export function exposureOf(table: ContingencyTable, of: string, to: string): number {
  const g = groupIndex(table, of);
  const h = groupIndex(table, to);
  let sum = 0;
  for (let u = 0; u < table.unitTotals.length; u++) {
    let ng = 0;
    let nh = 0;
    for (let c = table.cellStart[u]!; c < table.cellStart[u + 1]!; c++) {
      if (table.cellGroup[c] === g) ng = table.cellCount[c]!;
      if (table.cellGroup[c] === h) nh = table.cellCount[c]!;
    }
    sum += (ng * nh) / table.unitTotals[u]!;
  }
  return sum / table.groupTotals[g]!;
}
