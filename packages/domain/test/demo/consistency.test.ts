import { beforeAll, describe, expect, it } from 'vitest';
import { ciaOutcomes, registerChecks } from '../../src/demo/checks.ts';
import { demandIncomePerConsumptionUnit, isActiveOn } from '../../src/demo/first-quartile.ts';
import { generateDemoPopulation } from '../../src/demo/generate.ts';
import { geometryContains } from '../../src/demo/geometry.ts';
import type { DemoPopulation } from '../../src/demo/types.ts';
import type { TerritoryData } from '../../src/territory/types.ts';
import { loadDemoTerritory } from './territory.ts';

let territory: TerritoryData;
let population: DemoPopulation;

beforeAll(() => {
  territory = loadDemoTerritory();
  population = generateDemoPopulation(territory, { seed: 7 });
});

describe('demo population internal consistency (seed 7)', () => {
  it('lodges every social tenant in an existing home of its IRIS, one household per home, a few % vacant', () => {
    const homes = new Map(population.homes.map((h) => [h.id, h]));
    const residences = new Map(population.residences.map((r) => [r.id, r]));
    const occupant = new Map<string, string>();
    const problems: string[] = [];
    for (const h of population.households) {
      if (h.tenure !== 'social-tenant') {
        if (h.home !== null) problems.push(`${h.id}: ${h.tenure} with a home`);
        continue;
      }
      const home = h.home === null ? undefined : homes.get(h.home);
      if (!home) {
        problems.push(`${h.id}: no home`);
        continue;
      }
      if (residences.get(home.residence)!.iris !== h.iris) problems.push(`${h.id}: home in another IRIS`);
      if (occupant.has(home.id)) problems.push(`${home.id}: two occupants`);
      occupant.set(home.id, h.id);
      // Size consistent with the typology: at most two persons per room plus one, never a crowd in a T1.
      const persons = h.persons14OrMore + h.personsUnder14;
      if (persons > 2 * home.typology + 1)
        problems.push(`${h.id}: ${persons} persons in a T${home.typology}`);
    }
    expect(problems).toEqual([]);
    const vacancy = 1 - occupant.size / population.homes.length;
    expect(vacancy).toBeGreaterThan(0.01);
    expect(vacancy).toBeLessThan(0.05);
  });

  it('keeps leases consistent with homes, households and demands, and dated within 2023–2025', () => {
    const homes = new Set(population.homes.map((h) => h.id));
    const households = new Map(population.households.map((h) => [h.id, h]));
    const demands = new Map(population.demands.map((d) => [d.sneNumber, d]));
    const holders = new Set(population.reservationHolders.map((r) => r.id));
    const problems: string[] = [];
    const leasesOfHousehold = new Map<string, string[]>();
    const leasedHomes = new Set<string>();
    for (const l of population.leases) {
      if (!homes.has(l.home)) problems.push(`${l.id}: unknown home`);
      if (!holders.has(l.reservationHolder)) problems.push(`${l.id}: unknown holder`);
      const household = households.get(l.household);
      if (!household) problems.push(`${l.id}: unknown household`);
      else if (household.home !== l.home) problems.push(`${l.id}: household does not live in the home`);
      const demand = demands.get(l.sneNumber);
      if (!demand) problems.push(`${l.id}: unknown demand`);
      else {
        if (demand.status !== 'housed' || demand.closedOn !== l.signedOn)
          problems.push(`${l.id}: demand not closed by it`);
        if (demand.household !== l.household) problems.push(`${l.id}: demand of another household`);
        if (demand.registeredOn >= l.signedOn) problems.push(`${l.id}: signed before registration`);
        if (demand.currentSocialTenant !== l.transfer) problems.push(`${l.id}: transfer flag`);
      }
      if (l.signedOn < '2023-01-01' || l.signedOn > '2025-12-31')
        problems.push(`${l.id}: date ${l.signedOn}`);
      if (leasedHomes.has(l.home)) problems.push(`${l.id}: home let twice`);
      leasedHomes.add(l.home);
      const list = leasesOfHousehold.get(l.household) ?? [];
      list.push(l.id);
      leasesOfHousehold.set(l.household, list);
    }
    for (const [household, list] of leasesOfHousehold) {
      if (list.length > 1) problems.push(`${household}: ${list.length} leases at once`);
    }
    expect(problems).toEqual([]);
    for (const year of [2023, 2024, 2025]) {
      const n = population.leases.filter((l) => l.signedOn.startsWith(String(year))).length;
      expect(n).toBeGreaterThan(3_500);
      expect(n).toBeLessThan(4_500);
    }
  });

  it('dates demands coherently and links them to households of the right kind', () => {
    const households = new Map(population.households.map((h) => [h.id, h]));
    const problems: string[] = [];
    for (const d of population.demands) {
      if (d.registeredOn > '2025-12-31') problems.push(`${d.sneNumber}: registered after the snapshot`);
      if (d.applicantBirthDate > d.registeredOn) problems.push(`${d.sneNumber}: born after registration`);
      if ((d.status === 'active') !== (d.closedOn === null))
        problems.push(`${d.sneNumber}: status and closedOn`);
      if (
        d.closedOn !== null &&
        (d.closedOn <= d.registeredOn || d.closedOn < '2023-01-01' || d.closedOn > '2025-12-31')
      ) {
        problems.push(`${d.sneNumber}: closed on ${d.closedOn}`);
      }
      if (d.desiredCommunes.length === 0 || d.desiredTypologies.length === 0)
        problems.push(`${d.sneNumber}: no wish`);
      if (d.dalo && d.priorityCriteria.length === 0) problems.push(`${d.sneNumber}: DALO without criterion`);
      if (d.household !== null) {
        const h = households.get(d.household);
        if (!h) problems.push(`${d.sneNumber}: unknown household`);
        else {
          if (
            h.persons14OrMore !== d.persons14OrMore ||
            h.personsUnder14 !== d.personsUnder14 ||
            h.type !== d.householdType
          ) {
            problems.push(`${d.sneNumber}: composition differs from its household`);
          }
          if (d.status !== 'housed' && d.currentSocialTenant && h.tenure !== 'social-tenant') {
            problems.push(`${d.sneNumber}: transfer demand of a ${h.tenure}`);
          }
          if (d.status === 'housed' && h.tenure !== 'social-tenant')
            problems.push(`${d.sneNumber}: housed but ${h.tenure}`);
        }
      } else if (
        d.status === 'housed' ||
        ['social-tenant', 'private-tenant', 'owner'].includes(d.currentHousing)
      ) {
        problems.push(`${d.sneNumber}: should be linked to a household`);
      }
    }
    expect(problems).toEqual([]);
    const linked = population.demands.filter((d) => d.household !== null).map((d) => d.household);
    expect(new Set(linked).size).toBe(linked.length);
  });

  it('keeps about 14,000 active demands at each 31 December, about a third from social tenants', () => {
    for (const check of registerChecks(population, [
      '2022-12-31',
      '2023-12-31',
      '2024-12-31',
      '2025-12-31',
    ])) {
      expect(check.active).toBeGreaterThan(12_000);
      expect(check.active).toBeLessThan(16_000);
      expect(check.socialTenantShare).toBeGreaterThan(0.27);
      expect(check.socialTenantShare).toBeLessThan(0.4);
    }
  });

  it('computes first-quartile thresholds and flags from the register, as CCH L441-1 defines them', () => {
    expect(population.firstQuartileThresholds.map((t) => t.year)).toEqual([2023, 2024, 2025, 2026]);
    for (const t of population.firstQuartileThresholds) {
      const incomes = population.demands
        .filter((d) => isActiveOn(d, `${t.year - 1}-12-31`))
        .map(demandIncomePerConsumptionUnit);
      expect(t.demands).toBe(incomes.length);
      const atOrBelow = incomes.filter((x) => x <= t.eur).length;
      const below = incomes.filter((x) => x < t.eur).length;
      expect(atOrBelow).toBeGreaterThanOrEqual(0.25 * incomes.length);
      expect(below).toBeLessThan(0.25 * incomes.length);
      // Order of magnitude of the published thresholds (national median 9,243 € in 2023).
      expect(t.eur).toBeGreaterThan(7_000);
      expect(t.eur).toBeLessThan(13_000);
    }
    const thresholdOf = new Map(population.firstQuartileThresholds.map((t) => [t.year, t.eur]));
    const demands = new Map(population.demands.map((d) => [d.sneNumber, d]));
    for (const l of population.leases) {
      expect(l.firstQuartileThresholdEur).toBe(thresholdOf.get(Number(l.signedOn.slice(0, 4))));
      expect(l.incomePerConsumptionUnitEur).toBe(demandIncomePerConsumptionUnit(demands.get(l.sneNumber)!));
      expect(l.firstQuartile).toBe(l.incomePerConsumptionUnitEur <= l.firstQuartileThresholdEur);
    }
  });

  it('misses the 25 % first-quartile target outside QPV every year, as most EPCIs do', () => {
    for (const o of ciaOutcomes(population)) {
      expect(o.outsideQpvFirstQuartileOrRenewalShare).toBeLessThan(0.25);
      expect(o.outsideQpvFirstQuartileOrRenewalShare).toBeGreaterThan(0.1);
      // The State's lettings go to priority publics; the others' share stays near the 25 % duty.
      expect(o.priorityShareByHolderKind.state!.share).toBeGreaterThan(0.6);
      for (const kind of ['action-logement', 'commune', 'landlord'] as const) {
        expect(o.priorityShareByHolderKind[kind]!.share).toBeGreaterThan(0.12);
        expect(o.priorityShareByHolderKind[kind]!.share).toBeLessThan(0.4);
      }
    }
  });

  it('places every residence inside its IRIS and labels every record as generated', () => {
    const iris = new Map(territory.iris.map((i) => [i.code, i]));
    const outside = population.residences.filter(
      (r) => !geometryContains(iris.get(r.iris)!.geometry, r.longitude, r.latitude),
    );
    expect(outside.map((r) => r.id)).toEqual([]);
    const records = [
      ...population.landlords,
      ...population.residences,
      ...population.homes,
      ...population.households,
      ...population.demands,
      ...population.leases,
    ];
    expect(records.every((r) => r.generated === true)).toBe(true);
  });
});
