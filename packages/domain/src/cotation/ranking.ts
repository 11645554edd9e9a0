/**
 * Order of demands by score: highest first; ties go to the older demand (earlier registration, the
 * seniority every known grid rewards), then to the smaller national number, so that the order is total
 * and reproducible.
 */
import type { DemandColumns } from './columns.ts';

/** Indices of the demands from best to worst. */
export function rankingOrder(cols: DemandColumns, totals: ArrayLike<number>): Uint32Array {
  const n = cols.count;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const registered = new Int32Array(n);
  for (let i = 0; i < n; i++) registered[i] = cols.registrationMonth[i]! * 32 + cols.registrationDay[i]!;
  const sne = cols.sneNumbers;
  order.sort(
    (a, b) =>
      totals[b]! - totals[a]! ||
      registered[a]! - registered[b]! ||
      (sne[a]! < sne[b]! ? -1 : sne[a]! > sne[b]! ? 1 : 0),
  );
  return order;
}

/** Rank of each demand (1 = best), in the batch's order, from a ranking order. */
export function ranksOf(order: Uint32Array): Int32Array {
  const ranks = new Int32Array(order.length);
  for (let r = 0; r < order.length; r++) ranks[order[r]!] = r + 1;
  return ranks;
}
