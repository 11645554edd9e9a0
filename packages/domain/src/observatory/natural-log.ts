/**
 * Natural logarithms of the counts in the hot loops. Counts are mostly small integers (people in
 * a building, an IRIS, a school), so ln n is read from a table for n < 65,536 — the same double
 * Math.log returns, about twice as fast as calling it — and computed otherwise. The hottest loop
 * (`cellTermSum`) inlines the lookup by hand.
 */
const SMALL = 1 << 16;
let smallLogs: Float64Array | null = null;

/** ln n for n = 0 … 65,535 (ln 0 stored as 0, never read for positive counts). */
export function smallIntegerLogs(): Float64Array {
  if (smallLogs === null) {
    smallLogs = new Float64Array(SMALL);
    for (let n = 1; n < SMALL; n++) smallLogs[n] = Math.log(n);
  }
  return smallLogs;
}

/** ln n, from the table when n is a small integer. */
export function naturalLog(n: number, logs: Float64Array): number {
  return n < SMALL && (n | 0) === n ? logs[n]! : Math.log(n);
}
