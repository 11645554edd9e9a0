/**
 * Disparity of an outcome (being shortlisted, proposed, housed…) between a group and the others,
 * other things equal: the Mantel–Haenszel common odds ratio over strata (e.g. score decile ×
 * typology), with the Robins–Breslow–Greenland variance of its logarithm (Robins, Breslow &
 * Greenland 1986, Biometrics 42:311–323) — what R's `mantelhaen.test` reports.
 */

/** One stratum's 2×2 table: group (exposed) vs others, outcome yes vs no. */
export interface Stratum {
  /** In the group, outcome. */
  a: number;
  /** In the group, no outcome. */
  b: number;
  /** Others, outcome. */
  c: number;
  /** Others, no outcome. */
  d: number;
}

export interface OddsRatio {
  /** Mantel–Haenszel common odds ratio; null when undefined (no informative stratum). */
  oddsRatio: number | null;
  /** Confidence interval at the requested level; null bounds when undefined. */
  lower: number | null;
  upper: number | null;
  /** Strata used (those with at least two persons). */
  strata: number;
  /** Persons in the group and in total over the strata used. */
  group: number;
  total: number;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`probabilité hors de ]0, 1[ : ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** The common odds ratio of the group's outcome against the others', with a `level` interval (default 95 %). */
export function mantelHaenszel(strata: readonly Stratum[], level = 0.95): OddsRatio {
  let R = 0;
  let S = 0;
  let PR = 0;
  let PSQR = 0;
  let QS = 0;
  let used = 0;
  let group = 0;
  let total = 0;
  for (const { a, b, c, d } of strata) {
    const n = a + b + c + d;
    if (n < 2) continue;
    used++;
    group += a + b;
    total += n;
    const r = (a * d) / n;
    const s = (b * c) / n;
    const p = (a + d) / n;
    const q = (b + c) / n;
    R += r;
    S += s;
    PR += p * r;
    PSQR += p * s + q * r;
    QS += q * s;
  }
  if (R === 0 || S === 0) return { oddsRatio: null, lower: null, upper: null, strata: used, group, total };
  const oddsRatio = R / S;
  const variance = PR / (2 * R * R) + PSQR / (2 * R * S) + QS / (2 * S * S);
  const z = normalQuantile(1 - (1 - level) / 2);
  const half = z * Math.sqrt(variance);
  return {
    oddsRatio,
    lower: Math.exp(Math.log(oddsRatio) - half),
    upper: Math.exp(Math.log(oddsRatio) + half),
    strata: used,
    group,
    total,
  };
}

export interface GroupDisparity extends OddsRatio {
  group: number;
  name: string;
  /** The confidence interval lies below 1 at the corrected level, and the estimate is below `threshold`. */
  flagged: boolean;
}

/**
 * The audit over several lawful groups at once: each group's odds ratio with a Bonferroni-corrected
 * interval (level 1 − α/m for m groups tested), flagged when the whole interval lies below 1 and the
 * estimate below `threshold` (default 0.9): a disadvantage that is both significant and material.
 */
export function disparityAudit(
  groups: readonly { name: string; strata: readonly Stratum[] }[],
  options: { alpha?: number; threshold?: number } = {},
): (Omit<GroupDisparity, 'group'> & { persons: number })[] {
  const alpha = options.alpha ?? 0.05;
  const threshold = options.threshold ?? 0.9;
  const level = 1 - alpha / Math.max(1, groups.length);
  return groups.map((g) => {
    const { group: persons, ...or } = mantelHaenszel(g.strata, level);
    const flagged = or.oddsRatio !== null && or.upper !== null && or.upper < 1 && or.oddsRatio < threshold;
    return { name: g.name, ...or, persons, flagged };
  });
}
