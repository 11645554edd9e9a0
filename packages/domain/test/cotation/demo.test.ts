import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COTATION_GRID } from '../../src/cotation/default-grid.ts';
import { scoreDemand, scoreDemands } from '../../src/cotation/score.ts';
import {
  allocationRecords,
  averageWaitingTime,
  positionAmongSimilar,
} from '../../src/cotation/transparency.ts';
import type { Demand } from '../../src/demand/types.ts';
import { generateDemoPopulation } from '../../src/demo/generate.ts';
import type { DemoPopulation } from '../../src/demo/types.ts';
import { eligibility } from '../../src/eligibility/eligibility.ts';
import { loadDemoTerritory } from '../demo/territory.ts';

const DATE = '2026-01-01';
let population: DemoPopulation;
let active: Demand[];

beforeAll(() => {
  population = generateDemoPopulation(loadDemoTerritory(), { seed: 1 });
  active = population.demands.filter((d) => d.status === 'active');
});

describe('the default grid on the demo population (seed 1)', () => {
  it('scores every active demand, priority publics higher on average', () => {
    const totals = scoreDemands(active, DEFAULT_COTATION_GRID, DATE);
    expect(totals).toHaveLength(active.length);
    let priority = 0;
    let priorityCount = 0;
    let other = 0;
    active.forEach((d, i) => {
      expect(Number.isFinite(totals[i]!)).toBe(true);
      if (d.dalo || d.priorityCriteria.length > 0) {
        priority += totals[i]!;
        priorityCount++;
      } else other += totals[i]!;
    });
    expect(priority / priorityCount).toBeGreaterThan(other / (active.length - priorityCount));
    for (const d of active.slice(0, 200))
      expect(scoreDemand(d, DEFAULT_COTATION_GRID, DATE).total).toBe(totals[active.indexOf(d)]);
  });

  it('tells an applicant their position and the average waiting time for similar demands', () => {
    const d = active.find((x) => x.desiredTypologies.includes(3))!;
    const positions = positionAmongSimilar(d, active, DEFAULT_COTATION_GRID, DATE);
    for (const p of positions) expect(p.position).toBeGreaterThanOrEqual(1);
    const t3 = positions.find((p) => p.typology === 3)!;
    expect(t3.of).toBe(active.filter((x) => x.epci === d.epci && x.desiredTypologies.includes(3)).length);
    const records = allocationRecords(
      population.leases,
      population.demands,
      population.homes,
      population.residences,
    );
    expect(records).toHaveLength(population.leases.length);
    const wait = averageWaitingTime(records, population.epci, 3, '2025-12-31');
    expect(wait.allocations).toBeGreaterThan(0);
    expect(wait.months).toBeGreaterThan(0);
  });

  it('checks eligibility of demo demands against demo homes with messages for every check', () => {
    const communeOf = new Map(population.residences.map((r) => [r.id, r.commune]));
    for (let k = 0; k < 500; k++) {
      const home = population.homes[(k * 7_919) % population.homes.length]!;
      const r = eligibility(active[k]!, { ...home, commune: communeOf.get(home.residence)! }, '2026-03-01');
      expect(r.checks).toHaveLength(3);
      for (const c of r.checks) expect(c.message.length).toBeGreaterThan(10);
    }
  });
});
