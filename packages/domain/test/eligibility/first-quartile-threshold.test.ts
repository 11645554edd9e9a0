import { beforeAll, describe, expect, it } from 'vitest';
import {
  firstQuartileThreshold,
  incomePerConsumptionUnit,
} from '../../src/demand/first-quartile-threshold.ts';
import { generateDemoPopulation } from '../../src/demo/generate.ts';
import type { DemoPopulation } from '../../src/demo/types.ts';
import { aDemand } from '../cotation/factory.ts';
import { loadDemoTerritory } from '../demo/territory.ts';

// docs/RULES.md §1: income per UC = monthly resources × 12 ÷ UC (OECD-modified scale); the threshold is
// the smallest t such that at least 25 % of the demands active at 31 December have an income ≤ t.
describe('income per consumption unit', () => {
  it('is monthly resources × 12 ÷ UC, rounded to the euro', () => {
    // Couple with two children under 14: 2.1 UC (INSEE); 2,100 € a month → 12,000 € per UC.
    expect(
      incomePerConsumptionUnit({ monthlyResourcesEur: 2_100, persons14OrMore: 2, personsUnder14: 2 }),
    ).toBe(12_000);
    expect(
      incomePerConsumptionUnit({ monthlyResourcesEur: 1_000, persons14OrMore: 1, personsUnder14: 0 }),
    ).toBe(12_000);
  });
});

describe('firstQuartileThreshold', () => {
  const demand = (k: number, monthly: number, overrides = {}) =>
    aDemand({ sneNumber: String(k), monthlyResourcesEur: monthly, registeredOn: '2024-03-01', ...overrides });

  it('takes the smallest income reaching 25 % of the demands active at 31 December of the year before', () => {
    // Incomes per UC 6,000 · 12,000 · 18,000 · 24,000 · 30,000: 25 % of 5 = 1.25 → the 2nd value.
    const demands = [500, 1_000, 1_500, 2_000, 2_500].map((m, k) => demand(k, m));
    demands.push(demand(9, 100, { registeredOn: '2025-01-01' })); // registered after 31/12/2024
    demands.push(demand(10, 100, { closedOn: '2024-12-31', status: 'housed' })); // closed that day
    demands.push(demand(11, 100, { epci: '200000000' })); // another EPCI
    expect(firstQuartileThreshold(demands, '200040715', 2025)).toEqual({
      epci: '200040715',
      year: 2025,
      countedOn: '2024-12-31',
      computed: 12_000,
      official: null,
      used: 12_000,
      demands: 5,
    });
  });

  it('lets the official value of the ministerial order prevail', () => {
    const r = firstQuartileThreshold([demand(1, 1_000)], '200040715', 2025, 10_875);
    expect(r).toMatchObject({ computed: 12_000, official: 10_875, used: 10_875 });
  });

  it('has no computed value without active demands', () => {
    expect(firstQuartileThreshold([], '200040715', 2025)).toMatchObject({
      computed: null,
      used: null,
      demands: 0,
    });
  });

  describe('on the demo population (seed 1)', () => {
    let population: DemoPopulation;
    beforeAll(() => {
      population = generateDemoPopulation(loadDemoTerritory(), { seed: 1 });
    });

    it('gives the same thresholds as the demo generator, year by year', () => {
      expect(population.firstQuartileThresholds.length).toBeGreaterThan(0);
      for (const t of population.firstQuartileThresholds) {
        const r = firstQuartileThreshold(population.demands, t.epci, t.year);
        expect({ eur: r.computed, demands: r.demands }).toEqual({ eur: t.eur, demands: t.demands });
      }
    });

    it('gives the same income per UC as the leases record', () => {
      const demandOf = new Map(population.demands.map((d) => [d.sneNumber, d]));
      for (const l of population.leases.slice(0, 2_000))
        expect(incomePerConsumptionUnit(demandOf.get(l.sneNumber)!)).toBe(l.incomePerConsumptionUnitEur);
    });
  });
});
