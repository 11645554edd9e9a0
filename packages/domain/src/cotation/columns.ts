/**
 * Demands as columns of typed arrays, for scoring many demands at once: one array per field the grid
 * can read, flags packed into bits, reasons as interned codes. Built once per batch.
 */
import { consumptionUnitScaleOn } from '../demand/consumption-units.ts';
import { incomePerConsumptionUnit } from '../demand/first-quartile-threshold.ts';
import type { CurrentHousing, Demand, HouseholdType, PriorityCriterion } from '../demand/types.ts';

export const PRIORITY_CRITERION_BITS: Readonly<Record<PriorityCriterion, number>> = {
  disability: 0,
  'poorly-housed': 1,
  'hosted-or-temporary': 2,
  'return-to-work': 3,
  'unfit-housing': 4,
  'domestic-violence': 5,
  'overcrowded-with-minors': 6,
  homeless: 7,
  'eviction-threat': 8,
  'prostitution-exit': 9,
  'child-welfare-leaver': 10,
};
/** Bits of `flags` beyond the priority criteria. */
export const FLAG_BITS = {
  dalo: 11,
  urbanRenewalRelocation: 12,
  socialTenant: 13,
  wheelchairAccess: 14,
} as const;
/** Mask of the eleven L441-1 priority criteria. */
export const PRIORITY_CRITERIA_MASK = (1 << 11) - 1;

export const CURRENT_HOUSING_CODES: readonly CurrentHousing[] = [
  'social-tenant',
  'private-tenant',
  'owner',
  'hosted-by-family',
  'hosted-by-third-party',
  'temporary-housing',
  'homeless',
  'other',
];
export const HOUSEHOLD_TYPE_CODES: readonly HouseholdType[] = [
  'single',
  'couple',
  'single-parent',
  'couple-with-children',
  'other',
];

export interface DemandColumns {
  count: number;
  sneNumbers: readonly string[];
  epcis: readonly string[];
  /** year × 12 + month − 1 of the registration, and its day of month. */
  registrationMonth: Int32Array;
  registrationDay: Uint8Array;
  birthMonth: Int32Array;
  birthDay: Uint8Array;
  /** Priority criteria (bits 0–10) and FLAG_BITS. */
  flags: Uint32Array;
  currentHousing: Uint8Array;
  householdType: Uint8Array;
  persons: Uint16Array;
  personsUnder14: Uint16Array;
  /** Annual income per consumption unit, €, with the scale in force on the encoding date. */
  incomePerConsumptionUnit: Float64Array;
  /** Desired typologies, bit t for Tt. */
  desiredTypologies: Uint8Array;
  /** Reasons of demand i: reasonCodes[reasonStart[i] … reasonStart[i + 1]). */
  reasonStart: Uint32Array;
  reasonCodes: Uint16Array;
  reasonDictionary: ReadonlyMap<string, number>;
}

const digit = (s: string, k: number) => s.charCodeAt(k) - 48;

/** Months since year 0 of an ISO date YYYY-MM-DD (year × 12 + month − 1), read without allocating. */
export function monthIndex(date: string): number {
  const year = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
  return year * 12 + digit(date, 5) * 10 + digit(date, 6) - 1;
}

/** Day of month of an ISO date YYYY-MM-DD. */
export function dayOfMonth(date: string): number {
  return digit(date, 8) * 10 + digit(date, 9);
}

/** Encodes demands as columns; `date` selects the consumption-unit scale. */
export function demandColumns(demands: readonly Demand[], date: string): DemandColumns {
  const n = demands.length;
  const scale = consumptionUnitScaleOn(date);
  const housingCode = new Map(CURRENT_HOUSING_CODES.map((c, k) => [c, k]));
  const typeCode = new Map(HOUSEHOLD_TYPE_CODES.map((c, k) => [c, k]));
  const reasonDictionary = new Map<string, number>();
  const columns = {
    count: n,
    sneNumbers: new Array<string>(n),
    epcis: new Array<string>(n),
    registrationMonth: new Int32Array(n),
    registrationDay: new Uint8Array(n),
    birthMonth: new Int32Array(n),
    birthDay: new Uint8Array(n),
    flags: new Uint32Array(n),
    currentHousing: new Uint8Array(n),
    householdType: new Uint8Array(n),
    persons: new Uint16Array(n),
    personsUnder14: new Uint16Array(n),
    incomePerConsumptionUnit: new Float64Array(n),
    desiredTypologies: new Uint8Array(n),
    reasonStart: new Uint32Array(n + 1),
    reasonCodes: new Uint16Array(0),
    reasonDictionary,
  };
  const codes: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = demands[i]!;
    columns.sneNumbers[i] = d.sneNumber;
    columns.epcis[i] = d.epci;
    columns.registrationMonth[i] = monthIndex(d.registeredOn);
    columns.registrationDay[i] = dayOfMonth(d.registeredOn);
    columns.birthMonth[i] = monthIndex(d.applicantBirthDate);
    columns.birthDay[i] = dayOfMonth(d.applicantBirthDate);
    let flags = 0;
    for (const p of d.priorityCriteria) flags |= 1 << PRIORITY_CRITERION_BITS[p];
    if (d.dalo) flags |= 1 << FLAG_BITS.dalo;
    if (d.urbanRenewalRelocation) flags |= 1 << FLAG_BITS.urbanRenewalRelocation;
    if (d.currentSocialTenant) flags |= 1 << FLAG_BITS.socialTenant;
    if (d.wheelchairAccess) flags |= 1 << FLAG_BITS.wheelchairAccess;
    columns.flags[i] = flags;
    columns.currentHousing[i] = housingCode.get(d.currentHousing) ?? housingCode.get('other')!;
    columns.householdType[i] = typeCode.get(d.householdType) ?? typeCode.get('other')!;
    columns.persons[i] = d.persons14OrMore + d.personsUnder14;
    columns.personsUnder14[i] = d.personsUnder14;
    columns.incomePerConsumptionUnit[i] = incomePerConsumptionUnit(d, scale);
    let typologies = 0;
    for (const t of d.desiredTypologies) typologies |= 1 << t;
    columns.desiredTypologies[i] = typologies;
    for (const r of d.reasons) {
      let code = reasonDictionary.get(r);
      if (code === undefined) reasonDictionary.set(r, (code = reasonDictionary.size));
      codes.push(code);
    }
    columns.reasonStart[i + 1] = codes.length;
  }
  columns.reasonCodes = Uint16Array.from(codes);
  return columns;
}
