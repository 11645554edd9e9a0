/**
 * Households of the snapshot: composition (adults, children under 14, age of the reference person,
 * type), tenure, and a latent poverty propensity used to rank households for their income. Social
 * tenants occupy the homes of their IRIS with a size consistent with the typology.
 */

import { CONSUMPTION_UNIT_SCALES, consumptionUnits } from '../demand/consumption-units.ts';
import type { HouseholdType, Tenure } from '../demand/types.ts';
import type { Random } from '../shared/random.ts';
import type { DemoAssumptions, TypeShares } from './assumptions.ts';
import type { StockDraft } from './stock.ts';
import type { DemoPlan } from './types.ts';

const OECD_MODIFIED_SCALE = CONSUMPTION_UNIT_SCALES[0]!.value;

export const HOUSEHOLD_TYPES: readonly HouseholdType[] = [
  'single',
  'couple',
  'single-parent',
  'couple-with-children',
  'other',
];

export interface Composition {
  type: HouseholdType;
  persons14OrMore: number;
  personsUnder14: number;
  /** Age of the reference person at the snapshot date. */
  referenceAge: number;
}

/** A household while the population is being built (indices instead of identifiers). */
export interface HouseholdDraft extends Composition {
  /** Index in plan.iris. */
  iris: number;
  tenure: Tenure;
  /** Index of the occupied home, or -1. */
  home: number;
  propensity: number;
  /** Annual disposable income, € (set by the income calibration). */
  income: number;
  /** Index of the demand that housed it during the lettings years, or -1. */
  housedBy: number;
}

export function personsOf(c: Composition): number {
  return c.persons14OrMore + c.personsUnder14;
}

/** OECD-modified scale: 1 for the first person, 0.5 per other person aged 14 or more, 0.3 per child under 14. */
/** Consumption units on INSEE's OECD-modified scale, the scale Filosofi's deciles are computed with. */
export function consumptionUnitsOf(persons14OrMore: number, personsUnder14: number): number {
  return consumptionUnits(Math.max(1, persons14OrMore), personsUnder14, OECD_MODIFIED_SCALE);
}

function typeWeights(shares: TypeShares): number[] {
  return HOUSEHOLD_TYPES.map((t) => shares[t]);
}

function clampInt(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(x)));
}

function referenceAgeOf(random: Random, type: HouseholdType): number {
  switch (type) {
    case 'single': {
      const u = random.next();
      return u < 0.3 ? 18 + random.int(12) : u < 0.68 ? 30 + random.int(35) : 65 + random.int(30);
    }
    case 'couple': {
      const u = random.next();
      return u < 0.22 ? 22 + random.int(13) : u < 0.62 ? 35 + random.int(30) : 65 + random.int(25);
    }
    case 'couple-with-children':
      return clampInt(41 + 8 * random.normal(), 22, 65);
    case 'single-parent':
      return clampInt(40 + 8 * random.normal(), 19, 65);
    default:
      return 20 + random.int(60);
  }
}

function under14(random: Random, children: number, age: number, a: DemoAssumptions): number {
  const p = a.households.childUnder14ByParentAge[age < 35 ? 0 : age < 45 ? 1 : age < 55 ? 2 : 3];
  let n = 0;
  for (let k = 0; k < children; k++) if (random.bernoulli(p)) n++;
  return n;
}

function compose(
  random: Random,
  type: HouseholdType,
  adults: number,
  children: number,
  a: DemoAssumptions,
): Composition {
  const referenceAge = referenceAgeOf(random, type);
  const young = under14(random, children, referenceAge, a);
  return { type, persons14OrMore: adults + children - young, personsUnder14: young, referenceAge };
}

/** A household of the given type. */
export function drawComposition(random: Random, type: HouseholdType, a: DemoAssumptions): Composition {
  const h = a.households;
  switch (type) {
    case 'single':
      return compose(random, type, 1, 0, a);
    case 'couple':
      return compose(random, type, 2, 0, a);
    case 'couple-with-children':
      return compose(random, type, 2, 1 + random.weighted(h.childrenCoupleWithChildren), a);
    case 'single-parent':
      return compose(random, type, 1, 1 + random.weighted(h.childrenSingleParent), a);
    default:
      return compose(random, type, 2 + random.weighted(h.adultsOther), random.bernoulli(0.2) ? 1 : 0, a);
  }
}

/** A household of exactly `persons` persons. */
export function drawCompositionForPersons(random: Random, persons: number, a: DemoAssumptions): Composition {
  if (persons <= 1) return compose(random, 'single', 1, 0, a);
  const u = random.next();
  if (persons === 2) {
    if (u < 0.6) return compose(random, 'couple', 2, 0, a);
    if (u < 0.9) return compose(random, 'single-parent', 1, 1, a);
    return compose(random, 'other', 2, 0, a);
  }
  if (u < 0.6) return compose(random, 'couple-with-children', 2, persons - 2, a);
  if (u < 0.88) return compose(random, 'single-parent', 1, persons - 1, a);
  const adults = Math.min(persons, 4);
  return compose(random, 'other', adults, persons - adults, a);
}

/** Expected persons of a household of each type (for choosing a commune's type mix). */
function expectedPersons(a: DemoAssumptions): Record<HouseholdType, number> {
  const mean = (dist: readonly number[], offset: number) => {
    const total = dist.reduce((x, y) => x + y, 0);
    return dist.reduce((s, p, k) => s + (p * (k + offset)) / total, 0);
  };
  return {
    single: 1,
    couple: 2,
    'couple-with-children': 2 + mean(a.households.childrenCoupleWithChildren, 1),
    'single-parent': 1 + mean(a.households.childrenSingleParent, 1),
    other: mean(a.households.adultsOther, 2) + 0.2,
  };
}

function meanSize(shares: TypeShares, persons: Record<HouseholdType, number>): number {
  let total = 0;
  let sum = 0;
  for (const t of HOUSEHOLD_TYPES) {
    total += shares[t];
    sum += shares[t] * persons[t];
  }
  return sum / total;
}

/** Latent poverty propensity: higher means poorer (households are ranked by it within their IRIS). */
export function propensityOf(
  random: Random,
  tenure: Tenure,
  c: Composition,
  a: DemoAssumptions,
  shift = 0,
): number {
  const p = a.povertyPropensity;
  const age = c.referenceAge;
  return (
    shift +
    p.tenure[tenure] +
    p.type[c.type] +
    p.age[age < 25 ? 0 : age < 30 ? 1 : age < 65 ? 2 : 3] +
    (personsOf(c) >= 5 ? p.largeHousehold : 0) +
    p.noise * random.normal()
  );
}

/** Propensity terms that do not depend on tenure (for applicants outside ordinary housing). */
export function compositionPropensity(
  random: Random,
  c: Composition,
  a: DemoAssumptions,
  shift: number,
): number {
  const p = a.povertyPropensity;
  const age = c.referenceAge;
  return (
    shift +
    p.type[c.type] +
    p.age[age < 25 ? 0 : age < 30 ? 1 : age < 65 ? 2 : 3] +
    (personsOf(c) >= 5 ? p.largeHousehold : 0) +
    p.noise * random.normal()
  );
}

/** Persons in a home of this typology, for long-standing tenants. */
export function personsForTypology(random: Random, typology: number, a: DemoAssumptions): number {
  const dist = a.households.personsByTypology[typology as 1 | 2 | 3 | 4 | 5 | 6];
  return 1 + random.weighted(dist);
}

/**
 * Every household of the snapshot except the occupants of homes let during the lettings years (those
 * come from the demands they were chosen on): long-standing social tenants, private tenants, owners.
 */
export function generateResidentHouseholds(
  plan: DemoPlan,
  stock: StockDraft,
  a: DemoAssumptions,
  random: Random,
): HouseholdDraft[] {
  const persons = expectedPersons(a);
  const urbanSize = meanSize(a.households.typeSharesUrban, persons);
  const periSize = meanSize(a.households.typeSharesPeriUrban, persons);
  const expectedByTypology = [1, 2, 3, 4, 5, 6].map((t) => {
    const dist = a.households.personsByTypology[t as 1 | 2 | 3 | 4 | 5 | 6];
    const total = dist.reduce((x, y) => x + y, 0);
    return dist.reduce((s, p, k) => s + (p * (k + 1)) / total, 0);
  });

  // Homes of each IRIS, and the expected persons of social tenants of each commune.
  const homesOfIris: number[][] = plan.iris.map(() => []);
  const socialPersons = new Map<string, number>();
  const occupiedOfIris = new Int32Array(plan.iris.length);
  for (let h = 0; h < stock.homes.length; h++) {
    if (stock.homeVacant[h]) continue;
    const iris = stock.homeIris[h]!;
    homesOfIris[iris]!.push(h);
    occupiedOfIris[iris]!++;
    const commune = stock.homeCommune[h]!;
    socialPersons.set(
      commune,
      (socialPersons.get(commune) ?? 0) + expectedByTypology[stock.homes[h]!.typology - 1]!,
    );
  }
  const communeMix = new Map<string, TypeShares>();
  const communeMedian = new Map<string, number>();
  for (const c of plan.communes) {
    const irisPlans = plan.iris.filter((p) => p.commune === c.commune);
    const occupied = irisPlans.reduce((s, p) => s + p.socialHomes, 0);
    const others = Math.max(1, c.households - occupied);
    const needed = (c.households * c.householdSize - (socialPersons.get(c.commune) ?? 0)) / others;
    const lambda = Math.min(1, Math.max(0, (periSize - needed) / (periSize - urbanSize)));
    const mix = {} as Record<HouseholdType, number>;
    for (const t of HOUSEHOLD_TYPES) {
      mix[t] = lambda * a.households.typeSharesUrban[t] + (1 - lambda) * a.households.typeSharesPeriUrban[t];
    }
    communeMix.set(c.commune, mix);
    const medians = irisPlans.map((p) => p.deciles[4]!).sort((x, y) => x - y);
    communeMedian.set(c.commune, medians[Math.floor(medians.length / 2)]!);
  }

  const t = a.tenure;
  const households: HouseholdDraft[] = [];
  plan.iris.forEach((irisPlan, irisIndex) => {
    const r = random.fork(irisIndex);
    const commune = plan.communes.find((c) => c.commune === irisPlan.commune)!;
    // Long-standing social tenants: homes occupied and not let during the lettings years.
    for (const h of homesOfIris[irisIndex]!) {
      if (stock.homeLetDay[h]! >= 0) continue;
      const c = drawCompositionForPersons(r, personsForTypology(r, stock.homes[h]!.typology, a), a);
      households.push({
        type: c.type,
        persons14OrMore: c.persons14OrMore,
        personsUnder14: c.personsUnder14,
        referenceAge: c.referenceAge,
        iris: irisIndex,
        tenure: 'social-tenant',
        home: h,
        propensity: propensityOf(r, 'social-tenant', c, a),
        income: 0,
        housedBy: -1,
      });
    }
    // Private tenants and owners.
    const others = irisPlan.households - occupiedOfIris[irisIndex]!;
    const base =
      irisPlan.commune === '38185'
        ? t.ownerShareGrenoble
        : commune.population >= a.households.largeCommuneMinPopulation
          ? t.ownerShareLarge
          : t.ownerShareSmall;
    const ownerShare = Math.min(
      0.95,
      Math.max(
        0.05,
        base + t.ownerShareIncomeSlope * (irisPlan.deciles[4]! / communeMedian.get(irisPlan.commune)! - 1),
      ),
    );
    const baseLogit = Math.log(ownerShare / (1 - ownerShare));
    const mix = typeWeights(communeMix.get(irisPlan.commune)!);
    for (let k = 0; k < others; k++) {
      const c = drawComposition(r, HOUSEHOLD_TYPES[r.weighted(mix)]!, a);
      const age = c.referenceAge;
      const logit =
        baseLogit +
        Math.log(t.ownerOddsByAge[age < 30 ? 0 : age < 45 ? 1 : age < 65 ? 2 : 3]) +
        Math.log(t.ownerOddsByType[c.type]);
      const tenure: Tenure = r.next() < 1 / (1 + Math.exp(-logit)) ? 'owner' : 'private-tenant';
      households.push({
        type: c.type,
        persons14OrMore: c.persons14OrMore,
        personsUnder14: c.personsUnder14,
        referenceAge: c.referenceAge,
        iris: irisIndex,
        tenure,
        home: -1,
        propensity: propensityOf(r, tenure, c, a),
        income: 0,
        housedBy: -1,
      });
    }
  });
  return households;
}
