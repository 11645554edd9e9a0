import { describe, expect, it } from 'vitest';
import type { Demand } from '../../src/demand/types.ts';
import { DEMO_ASSUMPTIONS } from '../../src/demo/assumptions.ts';
import { dayOf, isoOf } from '../../src/demo/dates.ts';
import { firstQuartileThresholdOn } from '../../src/demo/first-quartile.ts';
import { apportion } from '../../src/demo/plan.ts';
import { pooledDeciles, quantileFromDeciles, weightedQuantiles } from '../../src/demo/quantile.ts';
import { workingDay } from '../../src/demo/stock.ts';

// Filosofi 2018, IRIS 381850604 (Arlequin, Grenoble), D1…D9 in € per consumption unit.
const ARLEQUIN = [7190, 9050, 10330, 11590, 12630, 13780, 15170, 17530, 21350];
const tails = DEMO_ASSUMPTIONS.incomeTails;

describe('income quantile function', () => {
  it('passes through the published deciles and is increasing, with a floor and a Pareto upper tail', () => {
    const q = quantileFromDeciles(ARLEQUIN, tails);
    for (const [k, d] of ARLEQUIN.entries()) expect(q((k + 1) / 10)).toBeCloseTo(d, 6);
    let previous = -Infinity;
    for (let p = 0.0005; p < 1; p += 0.001) {
      expect(q(p)).toBeGreaterThanOrEqual(previous);
      previous = q(p);
    }
    expect(q(0.0001)).toBeGreaterThanOrEqual(tails.floorShareOfD1 * ARLEQUIN[0]!);
    expect(q(0.99)).toBeGreaterThan(ARLEQUIN[8]! * 1.5);
  });

  it('pools distributions: the pool of one distribution has its deciles', () => {
    const pooled = pooledDeciles([ARLEQUIN], tails);
    for (const [k, d] of pooled.entries()) expect(Math.abs(d - ARLEQUIN[k]!)).toBeLessThanOrEqual(15);
  });

  it('computes persons-weighted quantiles as the smallest value reaching the share of persons', () => {
    // Households of 1, 3 and 1 persons with incomes 10, 20, 30: 5 persons, the median person has 20.
    expect(weightedQuantiles([30, 10, 20], [1, 1, 3], [0.1, 0.5, 0.9])).toEqual([10, 20, 30]);
  });
});

describe('planning helpers', () => {
  it('apportions an integer total by largest remainders', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(7, [0.5, 0.25, 0.25])).toEqual([3, 2, 2]);
    expect(apportion(0, [1, 2])).toEqual([0, 0]);
  });

  it('converts ISO dates and day numbers both ways, and signs leases on working days', () => {
    expect(dayOf('1970-01-01')).toBe(0);
    expect(isoOf(dayOf('2024-02-29'))).toBe('2024-02-29');
    expect(isoOf(dayOf('2025-12-31') + 1)).toBe('2026-01-01');
    // 2023-01-01 was a Sunday: moved to Monday 2 January.
    expect(isoOf(workingDay(dayOf('2023-01-01'), dayOf('2025-12-31')))).toBe('2023-01-02');
    // 2022-12-31 was a Saturday at the end of the range: back to Friday 30 December.
    expect(isoOf(workingDay(dayOf('2022-12-31'), dayOf('2022-12-31')))).toBe('2022-12-30');
  });
});

describe('first-quartile threshold', () => {
  const demand = (monthly: number, registeredOn: string, closedOn: string | null, adults = 1, children = 0) =>
    ({
      epci: '200040715',
      monthlyResourcesEur: monthly,
      persons14OrMore: adults,
      personsUnder14: children,
      registeredOn,
      closedOn,
    }) as Demand;

  it('is the smallest income per UC reached by at least 25 % of the demands active at that date', () => {
    const demands = [
      demand(500, '2022-01-01', null), // 6,000 €/UC
      demand(700, '2022-01-01', null), // 8,400
      demand(1_000, '2022-01-01', null), // 12,000
      demand(1_300, '2022-06-01', null, 2, 1), // 15,600 / 1.8 = 8,667
      demand(100, '2023-02-01', null), // registered later: not counted
      demand(100, '2021-01-01', '2022-12-31'), // closed that day: not counted
    ];
    expect(firstQuartileThresholdOn(demands, '2022-12-31')).toEqual({ eur: 6_000, demands: 4 });
    expect(firstQuartileThresholdOn(demands, '2020-12-31')).toBeNull();
  });
});
