import { type ContingencyTable, groupIndex } from './contingency-table.ts';
import { SegregationInputError } from './segregation-input-error.ts';

/**
 * Index of dissimilarity of two groups (Duncan & Duncan 1955; R `segregation::dissimilarity`,
 * which takes a two-group table): D = ½ Σ_u | t_ua / t_a − t_ub / t_b |, the share of either group
 * that would have to move for both to be distributed alike. The other groups are ignored. For one
 * group against all others, see `singleGroupDissimilarity`.
 */
export function dissimilarity(table: ContingencyTable, groupA: string, groupB: string): number {
  const a = groupIndex(table, groupA);
  const b = groupIndex(table, groupB);
  if (a === b) {
    throw new SegregationInputError(
      'invalid-option',
      `il faut deux groupes différents (« ${groupA} » deux fois)`,
    );
  }
  const ta = table.groupTotals[a]!;
  const tb = table.groupTotals[b]!;
  let sum = 0;
  for (let u = 0; u < table.unitTotals.length; u++) {
    let na = 0;
    let nb = 0;
    for (let c = table.cellStart[u]!; c < table.cellStart[u + 1]!; c++) {
      const g = table.cellGroup[c]!;
      if (g === a) na = table.cellCount[c]!;
      else if (g === b) nb = table.cellCount[c]!;
    }
    sum += Math.abs(na / ta - nb / tb);
  }
  return sum / 2;
}
