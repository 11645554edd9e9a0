import { describe, expect, it } from 'vitest';
import { disparityAudit, mantelHaenszel, normalQuantile, type Stratum } from '../../src/review/disparity.ts';

/**
 * UC Berkeley admissions 1973 by department (R's `UCBAdmissions`): a = admitted men, b = rejected
 * men, c = admitted women, d = rejected women. R 4.x, `mantelhaen.test(UCBAdmissions)`: common odds
 * ratio 0.9046968, 95 % interval 0.7719074 – 1.0603298 (Robins–Breslow–Greenland).
 */
const UCB: Stratum[] = [
  { a: 512, b: 313, c: 89, d: 19 },
  { a: 353, b: 207, c: 17, d: 8 },
  { a: 120, b: 205, c: 202, d: 391 },
  { a: 138, b: 279, c: 131, d: 244 },
  { a: 53, b: 138, c: 94, d: 299 },
  { a: 22, b: 351, c: 24, d: 317 },
];

describe('mantelHaenszel', () => {
  it('reproduces R’s mantelhaen.test on UCBAdmissions', () => {
    const r = mantelHaenszel(UCB);
    expect(r.oddsRatio).toBeCloseTo(0.9046968, 6);
    expect(r.lower).toBeCloseTo(0.7719074, 6);
    expect(r.upper).toBeCloseTo(1.0603298, 6);
    expect(r.strata).toBe(6);
  });

  it('gives the plain odds ratio for a single stratum', () => {
    expect(mantelHaenszel([{ a: 10, b: 20, c: 30, d: 40 }]).oddsRatio).toBeCloseTo((10 * 40) / (20 * 30), 12);
  });

  it('is undefined when no stratum is informative', () => {
    expect(mantelHaenszel([{ a: 0, b: 5, c: 0, d: 7 }]).oddsRatio).toBeNull();
  });
});

describe('normalQuantile', () => {
  it('matches the standard normal quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326347874, 8);
  });
});

describe('disparityAudit', () => {
  it('flags a group whose corrected interval lies below 1 with an estimate under 0.9, and only it', () => {
    const strata = (a: number, b: number, c: number, d: number) =>
      Array.from({ length: 10 }, () => ({ a, b, c, d }));
    const result = disparityAudit([
      { name: 'familles monoparentales', strata: strata(30, 170, 60, 140) }, // OR ≈ 0.41
      { name: 'moins de 30 ans', strata: strata(50, 150, 52, 148) }, // OR ≈ 0.95
    ]);
    expect(result.map((r) => [r.name, r.flagged])).toEqual([
      ['familles monoparentales', true],
      ['moins de 30 ans', false],
    ]);
    // Bonferroni for 2 groups: the interval is at 97.5 %, wider than at 95 %.
    const single = mantelHaenszel(strata(30, 170, 60, 140));
    expect(result[0]!.upper!).toBeGreaterThan(single.upper!);
  });
});
