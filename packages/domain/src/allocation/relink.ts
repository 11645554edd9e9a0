/**
 * Path relinking between two allocations (Glover 1997), here between the incumbent and another
 * Lagrangian matching: their symmetric difference splits into vertex-disjoint alternating paths and
 * cycles ("components"); switching any set of components from the incumbent to the other matching
 * gives a valid matching. Near the best prices, the components of two matchings on either side of
 * a row's breakpoint each move a row by about one household, so choosing which to switch is a small
 * knapsack. Two choices are tried and the better kept: greedy on the true penalised objective, and
 * the best prefix of the components ordered by their value at the prices (weight + λ·Δrows).
 */
import { type AllocationModel, penalisedObjective } from './model.ts';

interface Component {
  homes: number[];
  deltaWeight: number;
  /** Row changes as [row, delta] pairs. */
  deltaRows: Array<[number, number]>;
  priced: number;
}

export function relink(
  model: AllocationModel,
  incumbent: Int32Array,
  other: Int32Array,
  lambda: Float64Array,
): Int32Array {
  const m = model;
  // Union–find of the homes whose edge differs, joined through shared applicants.
  const parent = new Int32Array(m.homeCount);
  for (let h = 0; h < m.homeCount; h++) parent[h] = h;
  const find = (h: number): number => {
    while (parent[h] !== h) {
      parent[h] = parent[parent[h]!]!;
      h = parent[h]!;
    }
    return h;
  };
  const homeOfX = new Map<number, number>();
  const homeOfY = new Map<number, number>();
  const differing: number[] = [];
  for (let h = 0; h < m.homeCount; h++) {
    if (incumbent[h] === other[h]) continue;
    differing.push(h);
    if (incumbent[h]! >= 0) homeOfX.set(m.edgeApplicant[incumbent[h]!]!, h);
    if (other[h]! >= 0) homeOfY.set(m.edgeApplicant[other[h]!]!, h);
  }
  if (differing.length === 0) return incumbent;
  for (const [a, hx] of homeOfX) {
    const hy = homeOfY.get(a);
    if (hy !== undefined) parent[find(hx)] = find(hy);
  }
  const groups = new Map<number, number[]>();
  for (const h of differing) {
    const root = find(h);
    const list = groups.get(root);
    if (list) list.push(h);
    else groups.set(root, [h]);
  }
  const components: Component[] = [];
  for (const homes of groups.values()) {
    let deltaWeight = 0;
    const rows = new Map<number, number>();
    const add = (row: number, d: number) => {
      if (d !== 0) rows.set(row, (rows.get(row) ?? 0) + d);
    };
    for (const h of homes) {
      const x = incumbent[h]!;
      const y = other[h]!;
      if (y >= 0) {
        deltaWeight += m.edgeWeight[y]!;
        add(m.homeEpciRow[h]!, m.edgeEpciCoefficient[y]!);
        add(m.homeHolderRow[h]!, m.edgeHolderCoefficient[y]!);
      }
      if (x >= 0) {
        deltaWeight -= m.edgeWeight[x]!;
        add(m.homeEpciRow[h]!, -m.edgeEpciCoefficient[x]!);
        add(m.homeHolderRow[h]!, -m.edgeHolderCoefficient[x]!);
      }
    }
    const deltaRows = [...rows].filter(([, d]) => Math.abs(d) > 1e-12);
    let priced = deltaWeight;
    for (const [r, d] of deltaRows) priced += lambda[r]! * d;
    components.push({ homes, deltaWeight, deltaRows, priced });
  }

  const activity = new Float64Array(m.rows.length);
  for (let h = 0; h < m.homeCount; h++) {
    const e = incumbent[h]!;
    if (e < 0) continue;
    activity[m.homeEpciRow[h]!]! += m.edgeEpciCoefficient[e]!;
    activity[m.homeHolderRow[h]!]! += m.edgeHolderCoefficient[e]!;
  }
  const penalty = m.settings.shortfallPenalty;
  const gain = (c: Component, act: Float64Array) => {
    let g = c.deltaWeight;
    for (const [r, d] of c.deltaRows) {
      const b = m.rhs[r]!;
      g -= penalty * (Math.max(0, b - act[r]! - d) - Math.max(0, b - act[r]!));
    }
    return g;
  };
  const apply = (target: Int32Array, c: Component, act: Float64Array) => {
    for (const h of c.homes) target[h] = other[h]!;
    for (const [r, d] of c.deltaRows) act[r]! += d;
  };

  // 1. Greedy on the true objective.
  const greedy = incumbent.slice();
  const greedyActivity = activity.slice();
  const open = components.slice();
  for (;;) {
    let best = -1;
    let bestGain = 1e-9;
    for (let i = 0; i < open.length; i++) {
      const g = gain(open[i]!, greedyActivity);
      if (g > bestGain) {
        bestGain = g;
        best = i;
      }
    }
    if (best < 0) break;
    apply(greedy, open[best]!, greedyActivity);
    open.splice(best, 1);
  }

  // 2. Best prefix by value at the prices.
  const ordered = components.slice().sort((p, q) => q.priced - p.priced || p.homes[0]! - q.homes[0]!);
  const prefixActivity = activity.slice();
  let value = penalisedObjective(m, incumbent);
  let bestValue = value;
  let bestLength = 0;
  for (let i = 0; i < ordered.length; i++) {
    value += gain(ordered[i]!, prefixActivity);
    for (const [r, d] of ordered[i]!.deltaRows) prefixActivity[r]! += d;
    if (value > bestValue + 1e-9) {
      bestValue = value;
      bestLength = i + 1;
    }
  }
  const prefix = incumbent.slice();
  for (let i = 0; i < bestLength; i++) for (const h of ordered[i]!.homes) prefix[h] = other[h]!;

  return penalisedObjective(m, prefix) > penalisedObjective(m, greedy) ? prefix : greedy;
}
