import { describe, expect, it } from 'vitest';
import { ipsSegregation, ipsSegregationByGroup, SegregationInputError } from '../../src/observatory/index.ts';

// Hand-computed cases of the law of total variance (no published reference for η² of IPS).
describe('between-school segregation of IPS (η²)', () => {
  it('splits the pupils’ variance into between and within schools', () => {
    // Pupil-weighted mean 100: 100·(90 − 100)² + 100·(110 − 100)² = 20,000 → 100 per pupil between;
    // within: (100·20² + 100·20²) / 200 = 400. η² = 100 / 500 = 0.2.
    const result = ipsSegregation([
      { pupils: 100, meanIps: 90, sdIps: 20 },
      { pupils: 100, meanIps: 110, sdIps: 20 },
    ]);
    expect(result).toEqual({
      schools: 2,
      pupils: 200,
      meanIps: 100,
      betweenVariance: 100,
      withinVariance: 400,
      eta2: 0.2,
    });
  });

  it('weights schools by their pupils', () => {
    const result = ipsSegregation([
      { pupils: 300, meanIps: 80, sdIps: 10 },
      { pupils: 100, meanIps: 120, sdIps: 30 },
    ]);
    // mean 90; between (300·100 + 100·900) / 400 = 300; within (300·100 + 100·900) / 400 = 300
    expect(result.meanIps).toBe(90);
    expect(result.betweenVariance).toBe(300);
    expect(result.withinVariance).toBe(300);
    expect(result.eta2).toBe(0.5);
  });

  it('gives only the between part, and a null η², when a school has no standard deviation', () => {
    const result = ipsSegregation([
      { pupils: 100, meanIps: 90, sdIps: 20 },
      { pupils: 100, meanIps: 110, sdIps: null },
    ]);
    expect(result.betweenVariance).toBe(100);
    expect(result.withinVariance).toBeNull();
    expect(result.eta2).toBeNull();
  });

  it('gives η² per commune and overall', () => {
    const schools = [
      { commune: 'A', pupils: 100, meanIps: 90, sdIps: 20 },
      { commune: 'A', pupils: 100, meanIps: 110, sdIps: 20 },
      { commune: 'B', pupils: 50, meanIps: 130, sdIps: 15 },
      { commune: 'B', pupils: 50, meanIps: 130, sdIps: 25 },
    ];
    const result = ipsSegregationByGroup(schools, (s) => s.commune);
    expect(result.groups.map((g) => [g.group, g.eta2])).toEqual([
      ['A', 0.2],
      ['B', 0],
    ]);
    expect(result.overall.pupils).toBe(300);
    expect(result.overall.eta2).toBeGreaterThan(0.2);
  });

  it('rejects negative pupils, a non-finite IPS and a set without pupils', () => {
    expect(() => ipsSegregation([{ pupils: -1, meanIps: 100, sdIps: 1 }])).toThrow(SegregationInputError);
    expect(() => ipsSegregation([{ pupils: 10, meanIps: Number.NaN, sdIps: 1 }])).toThrow(
      /établissement n° 1/,
    );
    expect(() => ipsSegregation([])).toThrow(/aucun élève/);
  });
});
