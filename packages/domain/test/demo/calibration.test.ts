import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ASSUMPTIONS } from '../../src/demo/assumptions.ts';
import { calibrationChecks } from '../../src/demo/checks.ts';
import { isActiveOn } from '../../src/demo/first-quartile.ts';
import { generateDemoPopulation } from '../../src/demo/generate.ts';
import { householdSizeOf } from '../../src/demo/plan.ts';
import type { DemoPopulation } from '../../src/demo/types.ts';
import type { TerritoryData } from '../../src/territory/types.ts';
import { loadDemoTerritory } from './territory.ts';

let territory: TerritoryData;
let population: DemoPopulation;

beforeAll(() => {
  territory = loadDemoTerritory();
  population = generateDemoPopulation(territory, { seed: 1 });
});

describe('demo population calibration (seed 1)', () => {
  it('reproduces, persons-weighted, the Filosofi 2018 median of every published IRIS within 3 % and D1, D9 within 6 %', () => {
    const checks = calibrationChecks(territory, population);
    // INSEE publishes 131 IRIS of the 201 (Filosofi 2018, BASE_TD_FILO_DISP_IRIS_2018).
    expect(checks).toHaveLength(131);
    const failures = checks.filter(
      (c) =>
        Math.abs(c.relativeError[1]) > 0.03 ||
        Math.abs(c.relativeError[0]) > 0.06 ||
        Math.abs(c.relativeError[2]) > 0.06,
    );
    expect(failures).toEqual([]);
    for (const c of checks) expect(c.households).toBeGreaterThan(0);
  });

  it('gives every commune the configured number of households (population ÷ household size) and social homes', () => {
    const households = new Map<string, number>();
    for (const h of population.households) households.set(h.commune, (households.get(h.commune) ?? 0) + 1);
    const homes = new Map<string, number>();
    const communeOfResidence = new Map(population.residences.map((r) => [r.id, r.commune]));
    for (const h of population.homes) {
      const c = communeOfResidence.get(h.residence)!;
      homes.set(c, (homes.get(c) ?? 0) + 1);
    }
    expect(population.plan.communes).toHaveLength(49);
    for (const c of territory.communes) {
      const plan = population.plan.communes.find((p) => p.commune === c.code)!;
      expect(plan.households).toBe(
        Math.round(c.population / householdSizeOf(c.code, c.population, DEMO_ASSUMPTIONS)),
      );
      expect(households.get(c.code)).toBe(plan.households);
      expect(homes.get(c.code) ?? 0).toBe(plan.socialHomes);
    }
    expect(population.homes).toHaveLength(DEMO_ASSUMPTIONS.stock.total);
    const total = population.households.length;
    expect(total).toBeGreaterThan(200_000);
    expect(total).toBeLessThan(225_000);
  });

  it('gives every IRIS its planned households and social homes, and places residences in their IRIS', () => {
    const perIris = new Map<string, number>();
    for (const h of population.households) perIris.set(h.iris, (perIris.get(h.iris) ?? 0) + 1);
    const homesPerIris = new Map<string, number>();
    const irisOfResidence = new Map(population.residences.map((r) => [r.id, r.iris]));
    for (const h of population.homes) {
      const iris = irisOfResidence.get(h.residence)!;
      homesPerIris.set(iris, (homesPerIris.get(iris) ?? 0) + 1);
    }
    for (const p of population.plan.iris) {
      expect(perIris.get(p.iris) ?? 0).toBe(p.households);
      expect(homesPerIris.get(p.iris) ?? 0).toBe(p.socialHomes);
    }
  });

  it('flags as imputed exactly the households of IRIS without published deciles', () => {
    const published = new Set(territory.iris.filter((i) => i.income).map((i) => i.code));
    const wrong = population.households.filter((h) => h.incomeImputed === published.has(h.iris));
    expect(wrong).toHaveLength(0);
    expect(population.households.some((h) => h.incomeImputed)).toBe(true);
  });

  it('concentrates social housing in QPV and keeps social tenants in the lower part of their IRIS', () => {
    const qpvIris = new Set(territory.qpvs.flatMap((q) => q.irisCodes));
    let inQpv = 0;
    for (const r of population.residences) {
      expect(r.qpv !== null).toBe(qpvIris.has(r.iris));
    }
    const residenceQpv = new Map(population.residences.map((r) => [r.id, r.qpv]));
    for (const h of population.homes) if (residenceQpv.get(h.residence)) inQpv++;
    // QPV IRIS hold about 12 % of households but a far larger share of the social stock.
    expect(inQpv / population.homes.length).toBeGreaterThan(0.25);
    const perUc = (h: DemoPopulation['households'][number]) =>
      h.annualDisposableIncomeEur / (1 + 0.5 * (h.persons14OrMore - 1) + 0.3 * h.personsUnder14);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const social = median(population.households.filter((h) => h.tenure === 'social-tenant').map(perUc));
    const owners = median(population.households.filter((h) => h.tenure === 'owner').map(perUc));
    expect(social).toBeLessThan(0.65 * owners);
  });
});

describe('planted disparity hook (for the equal-treatment audit)', () => {
  it('lowers single parents’ share of lettings when their allocation weight is lowered, stock unchanged', () => {
    const planted = generateDemoPopulation(territory, {
      seed: 1,
      allocationWeightByHouseholdType: { 'single-parent': 0.5 },
    });
    expect(planted.homes).toEqual(population.homes);
    expect(planted.residences).toEqual(population.residences);
    // Chance of being housed during 2023 for demands active at 31 December 2022, single parents vs others.
    const relativeChance = (p: DemoPopulation) => {
      const active = p.demands.filter((d) => isActiveOn(d, '2022-12-31'));
      const housedIn2023 = (d: (typeof active)[number]) =>
        d.status === 'housed' && d.closedOn! <= '2023-12-31';
      const rate = (list: typeof active) => list.filter(housedIn2023).length / list.length;
      return (
        rate(active.filter((d) => d.householdType === 'single-parent')) /
        rate(active.filter((d) => d.householdType !== 'single-parent'))
      );
    };
    const ratio = relativeChance(planted) / relativeChance(population);
    // A factor 0.5 at each letting gives about 0.86 on the yearly chance (seeds 1–3: 0.86–0.87): homes
    // are let by typology, so single parents compete mostly with other families (docs/demo-population.md).
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(0.92);
  });
});
