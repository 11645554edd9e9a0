/**
 * The register of demands: registrations spread back over several years, lapses (cancellation or
 * non-renewal), and the applicants' profiles. Applicants who live in ordinary housing are modelled on a
 * household of the population (its composition, commune and poverty propensity); the others (hosted,
 * temporary housing, homeless) get a generated profile.
 */
import type { CurrentHousing, HouseholdType, PriorityCriterion } from '../demand/types.ts';
import type { Random } from '../shared/random.ts';
import type { Typology } from '../stock/types.ts';
import type { DemoAssumptions } from './assumptions.ts';
import { DAYS_PER_YEAR, dayOf } from './dates.ts';
import {
  type Composition,
  compositionPropensity,
  drawComposition,
  HOUSEHOLD_TYPES,
  type HouseholdDraft,
  personsOf,
} from './households.ts';
import type { StockDraft } from './stock.ts';
import type { DemoPlan } from './types.ts';

export interface DemandDraft extends Composition {
  registeredDay: number;
  /** Day the demand lapses if it is not satisfied before (may lie after the snapshot). */
  lapseDay: number;
  birthDay: number;
  currentHousing: CurrentHousing;
  /** The population household the applicant is modelled on (and linked to if not housed), or -1. */
  template: number;
  propensity: number;
  currentCommune: string;
  desiredCommunes: string[];
  desiredTypologies: Typology[];
  priorityCriteria: PriorityCriterion[];
  dalo: boolean;
  urbanRenewalRelocation: boolean;
  wheelchairAccess: boolean;
  reasons: string[];
  /** Day of the lease, or -1. */
  housedDay: number;
  /** Home let to it, or -1. */
  housedHome: number;
  /** Household it is linked to in the snapshot (set after the lettings), or -1. */
  household: number;
}

const HOUSING_ORDER: readonly CurrentHousing[] = [
  'social-tenant',
  'private-tenant',
  'hosted-by-family',
  'hosted-by-third-party',
  'temporary-housing',
  'homeless',
  'owner',
  'other',
];

/** Main reasons of the Cerfa by current housing, with weights. Guess. */
const REASONS: Readonly<Record<CurrentHousing, readonly (readonly [string, number])[]>> = {
  'social-tenant': [
    ['too-small', 3],
    ['too-expensive', 2],
    ['health', 1],
    ['neighbourhood', 1.5],
    ['too-large', 1],
    ['closer-to-work', 0.5],
  ],
  'private-tenant': [
    ['too-expensive', 4],
    ['too-small', 2],
    ['unfit-housing', 1],
    ['eviction', 0.7],
    ['owner-sells', 0.5],
  ],
  'hosted-by-family': [
    ['hosted', 4],
    ['family-reasons', 1],
  ],
  'hosted-by-third-party': [
    ['hosted', 3],
    ['without-housing', 1],
  ],
  'temporary-housing': [['temporary-housing', 4]],
  homeless: [['without-housing', 4]],
  owner: [
    ['divorce', 2],
    ['health', 1],
    ['too-expensive', 1],
  ],
  other: [
    ['family-reasons', 1],
    ['closer-to-work', 1],
    ['other', 1],
  ],
};
const SECOND_REASONS: readonly string[] = [
  'divorce',
  'health',
  'closer-to-work',
  'family-reasons',
  'too-expensive',
];

function typologiesFor(random: Random, persons: number): Typology[] {
  const u = random.next();
  switch (Math.min(persons, 7)) {
    case 1:
      return u < 0.7 ? [1, 2] : [2];
    case 2:
      return u < 0.5 ? [2] : [2, 3];
    case 3:
      return u < 0.6 ? [3] : u < 0.8 ? [2, 3] : [3, 4];
    case 4:
      return u < 0.5 ? [3, 4] : [4];
    case 5:
      return [4, 5];
    case 6:
      return u < 0.5 ? [5] : [5, 6];
    default:
      return [5, 6];
  }
}

/**
 * Keys of Efraimidis–Spirakis weighted sampling without replacement: the k smallest keys
 * −ln(u)/w are a weighted sample of size k.
 */
function weightedSampleOrder(
  random: Random,
  candidates: readonly number[],
  weightOf: (i: number) => number,
): number[] {
  // Efraimidis–Spirakis keys −ln(u)/w, sorted natively: the candidate's position is stored in the
  // low 32 bits of its key's mantissa (a relative change below 2⁻²⁰, immaterial for the order).
  const n = candidates.length;
  const keys = new Float64Array(n);
  const words = new Uint32Array(keys.buffer);
  const lowWord = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f ? 0 : 1; // little- or big-endian
  for (let k = 0; k < n; k++) {
    const u = 1 - random.next();
    keys[k] = -Math.log(u) / Math.max(weightOf(candidates[k]!), 1e-12) + 1e-300;
    words[2 * k + lowWord] = k;
  }
  keys.sort();
  const order = new Array<number>(n);
  for (let k = 0; k < n; k++) order[k] = candidates[words[2 * k + lowWord]!]!;
  return order;
}

/**
 * Relative chance of being housed by current housing, mirroring the lettings' weights: priority
 * publics (more frequent among the homeless, the hosted…) are favoured and get the State's lettings;
 * transfers are weighted down. Approximate: the criteria that do not depend on housing count as 8 %.
 */
export function relativeHousingHazard(a: DemoAssumptions): Record<CurrentHousing, number> {
  const d = a.demand;
  const l = a.lettings;
  const priority = {} as Record<CurrentHousing, number>;
  const base = {} as Record<CurrentHousing, number>;
  let meanPriority = 0;
  let meanBase = 0;
  let total = 0;
  for (const h of HOUSING_ORDER) {
    let none = 1 - 0.08;
    for (const [, p] of d.priorityByHousing[h] ?? []) none *= 1 - p;
    const dalo = d.daloByHousing[h] ?? 0;
    priority[h] = Math.max(1 - none, dalo);
    base[h] =
      (1 - priority[h] + (priority[h] - dalo) * l.weightPriority + dalo * l.weightPriority * l.weightDalo) *
      (h === 'social-tenant' ? l.weightTransfer : 1);
    const share = d.currentHousingShares[h] ?? 0;
    meanPriority += share * priority[h];
    meanBase += share * base[h];
    total += share;
  }
  meanPriority /= total;
  meanBase /= total;
  const state = a.reservationShares.state;
  const result = {} as Record<CurrentHousing, number>;
  for (const h of HOUSING_ORDER) {
    result[h] = (1 - state) * (base[h] / meanBase) + state * (priority[h] / meanPriority);
  }
  return result;
}

/**
 * Households in sampled order. Those skipped (their reference person too young for an early
 * registration) wait, by age, for a later registration (registrations come in date order); the
 * earliest-sampled household that fits is always taken first.
 */
interface TemplateQueue {
  order: number[];
  next: number;
  /** Skipped households by age of the reference person: sampled positions and households, FIFO. */
  deferredPosition: number[][];
  deferredHousehold: number[][];
  deferredHead: number[];
  deferredCount: number;
}

const MAX_AGE = 130;

function templateQueue(order: number[]): TemplateQueue {
  return {
    order,
    next: 0,
    deferredPosition: Array.from({ length: MAX_AGE + 1 }, () => []),
    deferredHousehold: Array.from({ length: MAX_AGE + 1 }, () => []),
    deferredHead: new Array<number>(MAX_AGE + 1).fill(0),
    deferredCount: 0,
  };
}

/** The next household whose reference person is at least `minAge` at the snapshot, or -1. */
function nextTemplate(queue: TemplateQueue, minAge: number, ageOf: (i: number) => number): number {
  let best = -1;
  for (let age = Math.max(0, minAge); queue.deferredCount > 0 && age <= MAX_AGE; age++) {
    const head = queue.deferredHead[age]!;
    if (head < queue.deferredPosition[age]!.length) {
      if (
        best < 0 ||
        queue.deferredPosition[age]![head]! < queue.deferredPosition[best]![queue.deferredHead[best]!]!
      ) {
        best = age;
      }
    }
  }
  if (best >= 0) {
    queue.deferredCount--;
    return queue.deferredHousehold[best]![queue.deferredHead[best]!++]!;
  }
  while (queue.next < queue.order.length) {
    const position = queue.next++;
    const i = queue.order[position]!;
    const age = Math.min(MAX_AGE, ageOf(i));
    if (age >= minAge) return i;
    queue.deferredPosition[age]!.push(position);
    queue.deferredHousehold[age]!.push(i);
    queue.deferredCount++;
  }
  return -1;
}

export function generateDemands(
  plan: DemoPlan,
  stock: StockDraft,
  households: readonly HouseholdDraft[],
  a: DemoAssumptions,
  random: Random,
): DemandDraft[] {
  const d = a.demand;
  const snapshot = dayOf(a.snapshotDate);
  // Before this day demands are housed at an average rate; after it, by the simulated lettings.
  const simulationStart = dayOf(`${a.lettingYears[0]! - d.burnInYears}-01-01`);
  const start = dayOf(`${d.firstRegistrationYear}-01-01`);
  const hazardBefore = d.cancellationHazard + d.housingHazardBefore;
  const perYear = d.activeTarget * hazardBefore;
  const count = Math.round((perYear * (snapshot + 1 - start)) / DAYS_PER_YEAR);

  // 1. Registration day, current housing, lapse day. Before the simulated lettings demands are
  // housed at a rate that depends on their current housing as the lettings will (see
  // relativeHousingHazard); demands closed before the simulation starts are not kept.
  const timing = random.fork(1);
  const housingShares = HOUSING_ORDER.map((h) => d.currentHousingShares[h] ?? 0);
  const relative = relativeHousingHazard(a);
  const kept: { registeredDay: number; lapseDay: number; housing: CurrentHousing }[] = [];
  for (let k = 0; k < count; k++) {
    const registeredDay = start + timing.int(snapshot + 1 - start);
    const housing = HOUSING_ORDER[timing.weighted(housingShares)]!;
    const lapse = (-Math.log(1 - timing.next()) / d.cancellationHazard) * DAYS_PER_YEAR;
    const housedBefore =
      (-Math.log(1 - timing.next()) / (d.housingHazardBefore * relative[housing])) * DAYS_PER_YEAR;
    const lapseDay = registeredDay + Math.max(1, Math.round(lapse));
    if (registeredDay < simulationStart && registeredDay + Math.min(lapse, housedBefore) < simulationStart)
      continue;
    kept.push({ registeredDay, lapseDay, housing });
  }
  kept.sort((x, y) => x.registeredDay - y.registeredDay || x.lapseDay - y.lapseDay);

  // 2. The population households applicants are modelled on.
  const profile = random.fork(2);
  const housing = kept.map((k) => k.housing);
  const renewalQpv = new Set(d.urbanRenewalQpvs);
  const socialTenants: number[] = [];
  const privateTenants: number[] = [];
  const owners: number[] = [];
  households.forEach((h, i) => {
    if (h.tenure === 'social-tenant') socialTenants.push(i);
    else if (h.tenure === 'private-tenant') privateTenants.push(i);
    else owners.push(i);
  });
  const overcrowded = (i: number) => {
    const h = households[i]!;
    return personsOf(h) > stock.homes[h.home]!.typology + 1;
  };
  const templates: Partial<Record<CurrentHousing, TemplateQueue>> = {
    'social-tenant': templateQueue(
      weightedSampleOrder(
        profile,
        socialTenants,
        (i) => (overcrowded(i) ? 2 : 1) * Math.exp(d.socialApplicantSelection * households[i]!.propensity),
      ),
    ),
    'private-tenant': templateQueue(
      weightedSampleOrder(profile, privateTenants, (i) =>
        Math.exp(d.privateApplicantSelection * households[i]!.propensity),
      ),
    ),
    owner: templateQueue(
      weightedSampleOrder(profile, owners, (i) =>
        Math.exp(d.privateApplicantSelection * households[i]!.propensity),
      ),
    ),
  };

  // Communes where applicants wish to live: weighted by their social homes.
  const communes = plan.communes.filter((c) => c.socialHomes > 0);
  const communeWeights = communes.map((c) => c.socialHomes);
  const hasHomes = new Set(communes.map((c) => c.commune));
  const populationWeights = plan.communes.map((c) => c.population);

  const details = random.fork(3);
  const demands: DemandDraft[] = [];
  for (let k = 0; k < kept.length; k++) {
    const { registeredDay, lapseDay } = kept[k]!;
    let currentHousing = housing[k]!;
    const r = details;
    let template = -1;
    let composition: Composition | null = null;
    let currentCommune: string;
    let propensity: number;
    let urbanRenewalRelocation = false;
    const source = templates[currentHousing];
    if (source) {
      // The reference person was an adult at registration.
      const minAge = Math.ceil(17 + (snapshot - registeredDay) / DAYS_PER_YEAR);
      template = nextTemplate(source, minAge, (i) => households[i]!.referenceAge);
      if (template < 0) currentHousing = 'other';
    }
    if (template >= 0) {
      const h = households[template]!;
      composition = {
        type: h.type,
        persons14OrMore: h.persons14OrMore,
        personsUnder14: h.personsUnder14,
        referenceAge: h.referenceAge,
      };
      currentCommune = plan.iris[h.iris]!.commune;
      propensity = h.propensity;
      const qpv = plan.iris[h.iris]!.qpv;
      urbanRenewalRelocation =
        currentHousing === 'social-tenant' &&
        qpv !== null &&
        renewalQpv.has(qpv) &&
        r.bernoulli(d.urbanRenewalShare);
    } else {
      const type: HouseholdType =
        HOUSEHOLD_TYPES[r.weighted(HOUSEHOLD_TYPES.map((t) => d.typeSharesHosted[t]))]!;
      const drawn = drawComposition(r, type, a);
      // Drawn ages are ages at registration; the snapshot age follows. Applicants outside ordinary
      // housing are younger than households at large: single persons hosted by family are mostly
      // young adults, and nobody is drawn above 70 (guess).
      let ageAtRegistration = drawn.referenceAge;
      if (type === 'single' && currentHousing === 'hosted-by-family' && r.bernoulli(0.7)) {
        ageAtRegistration = 18 + r.int(12);
      } else if (ageAtRegistration > 70) ageAtRegistration = 25 + r.int(40);
      composition = {
        type: drawn.type,
        persons14OrMore: drawn.persons14OrMore,
        personsUnder14: drawn.personsUnder14,
        referenceAge: Math.floor(ageAtRegistration + (snapshot - registeredDay) / DAYS_PER_YEAR),
      };
      currentCommune = plan.communes[r.weighted(populationWeights)]!.commune;
      propensity = compositionPropensity(r, composition, a, d.propensityByHousing[currentHousing] ?? 1);
    }
    // Birth day: the reference person was at least 18 at registration.
    const yearsSince = (snapshot - registeredDay) / DAYS_PER_YEAR;
    const minFraction = Math.min(1, Math.max(0, 18 + yearsSince - composition.referenceAge));
    const fraction = minFraction + r.next() * (1 - minFraction);
    const birthDay = Math.floor(snapshot - (composition.referenceAge + fraction) * DAYS_PER_YEAR);
    const ageAtRegistration = (registeredDay - birthDay) / DAYS_PER_YEAR;

    // Wishes: communes (often the current one first) and typologies fitting the household's size.
    const wanted = d.desiredCommuneCounts.length;
    const howMany = 1 + r.weighted(d.desiredCommuneCounts);
    const desiredCommunes: string[] = [];
    if (hasHomes.has(currentCommune) && r.bernoulli(d.desiredCurrentCommune))
      desiredCommunes.push(currentCommune);
    for (let attempt = 0; desiredCommunes.length < Math.min(howMany, wanted) && attempt < 20; attempt++) {
      const c = communes[r.weighted(communeWeights)]!.commune;
      if (!desiredCommunes.includes(c)) desiredCommunes.push(c);
    }
    const desiredTypologies = typologiesFor(r, personsOf(composition));

    // Priority criteria (L441-1) and DALO.
    const criteria = new Set<PriorityCriterion>();
    for (const [criterion, p] of d.priorityByHousing[currentHousing] ?? [])
      if (r.bernoulli(p)) criteria.add(criterion);
    if (r.bernoulli(ageAtRegistration >= 60 ? d.priorityDisabilityAged60 : d.priorityDisability)) {
      criteria.add('disability');
    }
    if (
      (composition.type === 'single' || composition.type === 'single-parent') &&
      r.bernoulli(d.priorityDomesticViolence)
    ) {
      criteria.add('domestic-violence');
    }
    if (ageAtRegistration < 60 && r.bernoulli(d.priorityReturnToWork)) criteria.add('return-to-work');
    if (
      ageAtRegistration < 22 &&
      template < 0 &&
      currentHousing !== 'hosted-by-family' &&
      r.bernoulli(d.priorityChildWelfareLeaver)
    ) {
      criteria.add('child-welfare-leaver');
    }
    if (
      composition.personsUnder14 > 0 &&
      (currentHousing === 'private-tenant' || currentHousing === 'hosted-by-family') &&
      r.bernoulli(d.priorityOvercrowdedWithMinors)
    ) {
      criteria.add('overcrowded-with-minors');
    }
    if (r.bernoulli(d.priorityProstitutionExit)) criteria.add('prostitution-exit');
    const dalo = r.bernoulli(d.daloByHousing[currentHousing] ?? 0);
    if (dalo && criteria.size === 0) {
      const own = d.priorityByHousing[currentHousing];
      criteria.add(own?.length ? own[0]![0] : 'poorly-housed');
    }
    const priorityCriteria = [...criteria].sort();
    const wheelchairAccess = r.bernoulli(
      criteria.has('disability') ? d.wheelchairShareDisability : d.wheelchairShare,
    );

    const reasonTable = REASONS[currentHousing];
    const reasons = [reasonTable[r.weighted(reasonTable.map((x) => x[1]))]![0]];
    if (urbanRenewalRelocation) reasons.unshift('urban-renewal');
    if (r.bernoulli(0.3)) {
      const second = SECOND_REASONS[r.int(SECOND_REASONS.length)]!;
      if (!reasons.includes(second)) reasons.push(second);
    }

    demands.push({
      type: composition.type,
      persons14OrMore: composition.persons14OrMore,
      personsUnder14: composition.personsUnder14,
      referenceAge: composition.referenceAge,
      registeredDay,
      lapseDay,
      birthDay,
      currentHousing,
      template,
      propensity,
      currentCommune,
      desiredCommunes,
      desiredTypologies,
      priorityCriteria,
      dalo,
      urbanRenewalRelocation,
      wheelchairAccess,
      reasons,
      housedDay: -1,
      housedHome: -1,
      household: -1,
    });
  }
  return demands;
}
