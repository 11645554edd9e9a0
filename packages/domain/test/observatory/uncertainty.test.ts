import { describe, expect, it } from 'vitest';
import {
  contingencyTableFromMatrix,
  mutualInformation,
  mutualInformationBootstrap,
  mutualInformationUnderIndependence,
  SegregationInputError,
} from '../../src/observatory/index.ts';
import { schoolsTable } from './fixtures.ts';

const schools00 = schoolsTable('schools00.csv');

describe('bootstrap of M and H', () => {
  it('gives the same result for the same seed and another one for another seed', () => {
    const a = mutualInformationBootstrap(schools00, { seed: 1, iterations: 20 });
    const b = mutualInformationBootstrap(schools00, { seed: 1, iterations: 20 });
    const c = mutualInformationBootstrap(schools00, { seed: 2, iterations: 20 });
    expect(b).toEqual(a);
    expect(c.M.est).not.toBe(a.M.est);
  });

  it('brackets the bias-corrected estimate on schools00, close to the R figures', () => {
    // R segregation, seed 1, 100 iterations (schools00.expected.txt, "bootstrap"): M est
    // 0.421867246137406, se 0.000775693914548688, bias 0.00367172973901353. The random streams
    // differ (R's sampler, not ours), so only the order of magnitude can agree.
    const { M, H } = mutualInformationBootstrap(schools00, { seed: 1, iterations: 100 });
    const original = mutualInformation(schools00);
    for (const [estimate, table] of [
      [M, original.M],
      [H, original.H],
    ] as const) {
      expect(estimate.ci[0]).toBeLessThanOrEqual(estimate.est);
      expect(estimate.est).toBeLessThanOrEqual(estimate.ci[1]);
      expect(estimate.est).toBeCloseTo(table - estimate.bias, 12);
      expect(estimate.bias).toBeGreaterThan(0.002);
      expect(estimate.bias).toBeLessThan(0.005);
      expect(estimate.se).toBeGreaterThan(0.0004);
      expect(estimate.se).toBeLessThan(0.0012);
    }
    expect(Math.abs(M.est - 0.421867246137406)).toBeLessThan(0.002);
  });

  it('gives finite intervals of H when a draw holds a single group (4 people, one of another group)', () => {
    // Unit A: 3 of group x; unit B: 1 of group y. A draw may miss y entirely: no entropy, H taken as 0.
    const table = contingencyTableFromMatrix(
      ['A', 'B'],
      ['x', 'y'],
      [
        [3, 0],
        [0, 1],
      ],
    );
    const { H, M } = mutualInformationBootstrap(table, { seed: 1, iterations: 100 });
    for (const v of [H.est, H.se, H.bias, ...H.ci, M.est, ...M.ci]) expect(Number.isFinite(v)).toBe(true);
  });

  it('refuses weights that do not add up to whole people', () => {
    const weighted = contingencyTableFromMatrix(
      ['1', '2'],
      ['a', 'b'],
      [
        [1.5, 2],
        [3, 1],
      ],
    );
    expect(() => mutualInformationBootstrap(weighted, { seed: 1 })).toThrow(SegregationInputError);
    expect(() => mutualInformationBootstrap(schools00, { seed: 1, iterations: 0 })).toThrow(/itérations/);
  });
});

describe('M expected with no segregation', () => {
  it('is near zero for schools00, whose schools are large (R ?mutual_expected)', () => {
    const expected = mutualInformationUnderIndependence(schools00, { seed: 3, iterations: 20 });
    expect(expected.M.mean).toBeGreaterThan(0);
    expect(expected.M.mean).toBeLessThan(0.01);
    expect(mutualInformationUnderIndependence(schools00, { seed: 3, iterations: 20 })).toEqual(expected);
  });

  it('shows the upward bias of small units: 10 people per unit, one group of 10 %', () => {
    // The example of R ?mutual_expected: 10 schools, 1 pupil of r1 and 9 of r2 in each: M = 0.
    const small = contingencyTableFromMatrix(
      Array.from({ length: 10 }, (_, i) => `s${i}`),
      ['r1', 'r2'],
      Array.from({ length: 10 }, () => [1, 9]),
    );
    expect(mutualInformation(small).M).toBeCloseTo(0, 14);
    const expected = mutualInformationUnderIndependence(small, { seed: 1, iterations: 200 });
    expect(expected.M.mean).toBeGreaterThan(0.05);
    const larger = contingencyTableFromMatrix(
      Array.from({ length: 10 }, (_, i) => `s${i}`),
      ['r1', 'r2'],
      Array.from({ length: 10 }, () => [10, 90]),
    );
    const expectedLarger = mutualInformationUnderIndependence(larger, { seed: 1, iterations: 200 });
    expect(expectedLarger.M.mean).toBeLessThan(expected.M.mean / 5);
  });
});
