/**
 * Polishing an allocation without touching the targets: every home keeps the profile of its
 * household (qualifying or not for its EPCI row, for its reservation holder row), and the best
 * matching under that restriction is computed exactly (one more maximum-weight matching). Homes
 * already let stay let (a bonus larger than any weight difference keeps them); unlet homes may take
 * any applicant whose profile does not lower a row. Every row activity is unchanged or higher, so
 * the allocation stays feasible and its weight can only grow.
 */
import { MaxWeightMatcher } from './matching.ts';
import type { AllocationModel } from './model.ts';

export function polishWithinProfiles(model: AllocationModel, homeEdge: Int32Array): Int32Array {
  const m = model;
  let spread = 1;
  for (let e = 0; e < m.edgeCount; e++) spread += Math.abs(m.edgeWeight[e]!);
  const bonus = 2 * spread;
  const weights = new Float64Array(m.edgeCount);
  for (let h = 0; h < m.homeCount; h++) {
    const current = homeEdge[h]!;
    for (let e = m.homeStart[h]!; e < m.homeStart[h + 1]!; e++) {
      let allowed: boolean;
      if (current >= 0)
        allowed =
          m.edgeEpciCoefficient[e] === m.edgeEpciCoefficient[current] &&
          m.edgeHolderCoefficient[e] === m.edgeHolderCoefficient[current];
      else allowed = m.edgeEpciCoefficient[e]! >= 0 && m.edgeHolderCoefficient[e]! >= 0;
      weights[e] = allowed ? m.edgeWeight[e]! + (current >= 0 ? bonus : 0) : -bonus;
    }
  }
  const matcher = new MaxWeightMatcher(m);
  matcher.solve(weights);
  const polished = matcher.homeEdge.slice();
  // Guard: the restricted optimum never loses a let home nor weight; keep the input otherwise.
  let before = 0;
  let after = 0;
  for (let h = 0; h < m.homeCount; h++) {
    if (homeEdge[h]! >= 0) {
      before += m.edgeWeight[homeEdge[h]!]!;
      if (polished[h]! < 0) return homeEdge;
    }
    if (polished[h]! >= 0) {
      if (weights[polished[h]!]! < -spread) return homeEdge;
      after += m.edgeWeight[polished[h]!]!;
    }
  }
  return after >= before ? polished : homeEdge;
}
