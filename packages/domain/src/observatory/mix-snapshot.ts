import { type ConsumptionUnitScale, consumptionUnits } from '../demand/consumption-units.ts';
import type { HouseholdType, Tenure } from '../demand/types.ts';
import {
  ageBandIndex,
  HOUSEHOLD_TYPES,
  type MixVariable,
  quartileCuts,
  quartileIndex,
  TENURES,
} from './mix-groups.ts';

/**
 * A columnar, in-memory snapshot of what the observatory counts for one EPCI: each household and
 * each lease as a row of small integers (its IRIS, commune, residence, QPV, and its group under every
 * variable) in typed arrays. Built once from the database (a few hundred milliseconds for 216,000
 * households), then any variable × population × scale is one pass over these arrays (see
 * `analyseMix`). Invalidated by the data version: a snapshot describes the data at `version`.
 */

export interface MixCommune {
  readonly code: string;
  readonly name: string;
}

export interface MixIris {
  readonly code: string;
  readonly name: string;
  /** Index in `communes`. */
  readonly commune: number;
}

export interface MixQpv {
  readonly code: string;
  readonly name: string;
  /** Index in `communes`. */
  readonly commune: number;
  /** true while the perimeter is approximated by IRIS (no official perimeter imported). */
  readonly approximate: boolean;
}

export interface MixResidence {
  readonly id: string;
  readonly name: string;
  /** Index in `iris`. */
  readonly iris: number;
  /** Index in `qpvs`, −1 outside QPV. */
  readonly qpv: number;
  readonly longitude: number;
  readonly latitude: number;
}

/** What the groups are made of: the attributes of a household, as columns. */
export interface HouseholdAttributeColumns {
  /** Index in TENURES. */
  readonly tenure: Uint8Array;
  /** Index in HOUSEHOLD_TYPES. */
  readonly type: Uint8Array;
  /** Age of the reference person, years. */
  readonly referenceAge: Uint8Array;
  readonly persons14OrMore: Uint8Array;
  readonly personsUnder14: Uint8Array;
  /** Annual disposable income of the household, €. */
  readonly income: Float64Array;
}

/** Households as columns; one entry per household. */
export interface HouseholdColumns extends HouseholdAttributeColumns {
  readonly length: number;
  /** Index in the IRIS list of the input. */
  readonly iris: Int32Array;
  /** Index in the residences of the input (through the home occupied); −1 outside the social stock. */
  readonly residence: Int32Array;
}

/** Leases as columns, with the attributes of the household housed; one entry per signed lease. */
export interface LeaseColumns extends HouseholdAttributeColumns {
  readonly length: number;
  /** Index of the residence of the home let. */
  readonly residence: Int32Array;
  /** Year the lease was signed. */
  readonly year: Int16Array;
}

export interface MixSnapshotInput {
  readonly epci: string;
  /** Version of the EPCI's data the rows were read at (an opaque, never reused value). */
  readonly version: string;
  readonly communes: readonly { code: string; name: string }[];
  readonly iris: readonly { code: string; name: string; commune: string }[];
  readonly qpvs: readonly { code: string; name: string; commune: string; approximate: boolean }[];
  /** IRIS approximating a QPV (the QPV perimeter approximated by IRIS). */
  readonly qpvIris: readonly { iris: string; qpv: string }[];
  readonly residences: readonly {
    id: string;
    name: string;
    iris: string;
    qpv: string | null;
    longitude: number;
    latitude: number;
  }[];
  readonly households: HouseholdColumns;
  readonly leases: LeaseColumns;
  /** Equivalence scale of the income per consumption unit (dated data, see demand/consumption-units). */
  readonly consumptionUnitScale: ConsumptionUnitScale;
}

/** People counted (households or lettings) as columns of unit and group indices. */
export interface MixMembers {
  readonly length: number;
  /** IRIS (index in `snapshot.iris`): the residence's for occupants and lettings, else the household's. */
  readonly iris: Int32Array;
  readonly commune: Int32Array;
  /** Residence index; −1 outside the social stock. */
  readonly residence: Int32Array;
  /** QPV index; −1 outside QPV. */
  readonly qpv: Int32Array;
  /** 1 when the QPV (or « outside ») was found from the IRIS, not from a residence: an approximation. */
  readonly qpvApproximate: Uint8Array;
  /** Group index under each variable (index in MIX_GROUPS[variable]). */
  readonly groups: Readonly<Record<MixVariable, Uint8Array>>;
  /** Year of the lease (lettings); null for households. */
  readonly year: Int16Array | null;
}

export interface MixSnapshot {
  readonly epci: string;
  readonly version: string;
  readonly communes: readonly MixCommune[];
  readonly iris: readonly MixIris[];
  readonly qpvs: readonly MixQpv[];
  readonly residences: readonly MixResidence[];
  /** Quartile cuts of the income per consumption unit of all the EPCI's households, €/year. */
  readonly incomeQuartileCuts: readonly [number, number, number];
  readonly consumptionUnitScale: ConsumptionUnitScale;
  /** Every household of the EPCI. */
  readonly households: MixMembers;
  /** Every lease of the EPCI, the unit being the home let. */
  readonly lettings: MixMembers;
  /** Years with at least one lease, most recent first. */
  readonly years: readonly number[];
}

/** Builds the snapshot; throws an Error (French message) when an index points nowhere. */
export function buildMixSnapshot(input: MixSnapshotInput): MixSnapshot {
  const communeIndex = indexBy(input.communes, (c) => c.code);
  const lookup = (map: Map<string, number>, code: string, what: string) => {
    const i = map.get(code);
    if (i === undefined) throw new Error(`${what} inconnu(e) : ${code}`);
    return i;
  };
  const communes = input.communes.map((c) => ({ code: c.code, name: c.name }));
  const iris = input.iris.map((i) => ({
    code: i.code,
    name: i.name,
    commune: lookup(communeIndex, i.commune, 'commune de l’IRIS'),
  }));
  const irisIndex = indexBy(input.iris, (i) => i.code);
  const qpvs = input.qpvs.map((q) => ({
    code: q.code,
    name: q.name,
    commune: lookup(communeIndex, q.commune, 'commune du QPV'),
    approximate: q.approximate,
  }));
  const qpvIndex = indexBy(input.qpvs, (q) => q.code);
  // An IRIS approximating several QPV counts toward the first by code (as the SQL `min(qpv_code)`).
  const qpvOfIris = new Int32Array(iris.length).fill(-1);
  for (const link of [...input.qpvIris].sort((a, b) => (a.qpv < b.qpv ? -1 : a.qpv > b.qpv ? 1 : 0))) {
    const i = lookup(irisIndex, link.iris, 'IRIS d’un QPV');
    if (qpvOfIris[i] === -1) qpvOfIris[i] = lookup(qpvIndex, link.qpv, 'QPV');
  }
  const residences = input.residences.map((r) => ({
    id: r.id,
    name: r.name,
    iris: lookup(irisIndex, r.iris, 'IRIS de la résidence'),
    qpv: r.qpv === null ? -1 : lookup(qpvIndex, r.qpv, 'QPV de la résidence'),
    longitude: r.longitude,
    latitude: r.latitude,
  }));

  const h = input.households;
  const l = input.leases;
  const attributes = [
    'tenure',
    'type',
    'referenceAge',
    'persons14OrMore',
    'personsUnder14',
    'income',
  ] as const;
  checkColumns(h, [...attributes, 'iris', 'residence']);
  checkColumns(l, [...attributes, 'residence', 'year']);
  const scale = input.consumptionUnitScale;
  const incomePerUnit = (columns: HouseholdAttributeColumns, length: number) => {
    const values = new Float64Array(length);
    for (let k = 0; k < length; k++) {
      values[k] =
        columns.income[k]! / consumptionUnits(columns.persons14OrMore[k]!, columns.personsUnder14[k]!, scale);
    }
    return values;
  };
  // Quartiles of every household of the EPCI, so that the groups mean the same whichever
  // population is counted.
  const householdIncome = incomePerUnit(h, h.length);
  const cuts = quartileCuts(householdIncome);
  const groupsOf = (
    columns: HouseholdAttributeColumns,
    length: number,
    income: Float64Array,
    what: string,
  ) => {
    const quartile = new Uint8Array(length);
    const ageBand = new Uint8Array(length);
    for (let k = 0; k < length; k++) {
      quartile[k] = quartileIndex(income[k]!, cuts);
      ageBand[k] = ageBandIndex(columns.referenceAge[k]!);
      if (columns.tenure[k]! >= TENURES.length || columns.type[k]! >= HOUSEHOLD_TYPES.length) {
        throw new Error(`${what} n° ${k + 1} : statut d’occupation ou type de ménage inconnu`);
      }
    }
    return {
      'income-quartile': quartile,
      'household-type': columns.type,
      'age-band': ageBand,
      tenure: columns.tenure,
    } satisfies Record<MixVariable, Uint8Array>;
  };
  const householdGroups = groupsOf(h, h.length, householdIncome, 'ménage');

  const place = (length: number, residenceOf: (k: number) => number, irisOf: (k: number) => number) => {
    const memberIris = new Int32Array(length);
    const memberCommune = new Int32Array(length);
    const memberResidence = new Int32Array(length);
    const memberQpv = new Int32Array(length);
    const approximate = new Uint8Array(length);
    for (let k = 0; k < length; k++) {
      const r = residenceOf(k);
      if (r >= 0) {
        const residence = residences[r];
        if (!residence) throw new Error(`résidence n° ${r} inconnue`);
        memberIris[k] = residence.iris;
        memberQpv[k] = residence.qpv;
      } else {
        const i = irisOf(k);
        if (!(i >= 0 && i < iris.length)) throw new Error(`IRIS n° ${i} inconnu`);
        memberIris[k] = i;
        memberQpv[k] = qpvOfIris[i]!;
        approximate[k] = 1;
      }
      memberResidence[k] = r;
      memberCommune[k] = iris[memberIris[k]!]!.commune;
    }
    return { memberIris, memberCommune, memberResidence, memberQpv, approximate };
  };

  const placedHouseholds = place(
    h.length,
    (k) => h.residence[k]!,
    (k) => h.iris[k]!,
  );
  const households: MixMembers = {
    length: h.length,
    iris: placedHouseholds.memberIris,
    commune: placedHouseholds.memberCommune,
    residence: placedHouseholds.memberResidence,
    qpv: placedHouseholds.memberQpv,
    qpvApproximate: placedHouseholds.approximate,
    groups: householdGroups,
    year: null,
  };

  for (let k = 0; k < l.length; k++) {
    if (!(l.residence[k]! >= 0)) throw new Error(`bail n° ${k + 1} : résidence inconnue`);
  }
  const placedLeases = place(
    l.length,
    (k) => l.residence[k]!,
    () => -1,
  );
  const leaseGroups = groupsOf(l, l.length, incomePerUnit(l, l.length), 'bail');
  const lettings: MixMembers = {
    length: l.length,
    iris: placedLeases.memberIris,
    commune: placedLeases.memberCommune,
    residence: placedLeases.memberResidence,
    qpv: placedLeases.memberQpv,
    qpvApproximate: placedLeases.approximate,
    groups: leaseGroups,
    year: l.year,
  };
  const years = [...new Set(l.year)].sort((a, b) => b - a);

  return {
    epci: input.epci,
    version: input.version,
    communes,
    iris,
    qpvs,
    residences,
    incomeQuartileCuts: cuts,
    consumptionUnitScale: scale,
    households,
    lettings,
    years,
  };
}

/** Plain records, as the demo generator and the tests hold them. */
export interface MixHouseholdRecord {
  readonly id: string;
  readonly iris: string;
  /** Residence of the home occupied, null outside the social stock. */
  readonly residence: string | null;
  readonly tenure: Tenure;
  readonly type: HouseholdType;
  readonly referenceAge: number;
  readonly persons14OrMore: number;
  readonly personsUnder14: number;
  readonly annualDisposableIncomeEur: number;
}

export interface MixLeaseRecord {
  readonly household: string;
  readonly residence: string;
  /** ISO date. */
  readonly signedOn: string;
}

/** Household and lease columns from records (labels interned against the input's IRIS and residences). */
export function mixColumnsFromRecords(
  iris: readonly { code: string }[],
  residences: readonly { id: string }[],
  households: readonly MixHouseholdRecord[],
  leases: readonly MixLeaseRecord[],
): { households: HouseholdColumns; leases: LeaseColumns } {
  const irisIndex = indexBy(iris, (i) => i.code);
  const residenceIndex = indexBy(residences, (r) => r.id);
  const householdById = new Map(households.map((h) => [h.id, h]));
  const attributeColumns = (records: readonly MixHouseholdRecord[]) => ({
    tenure: Uint8Array.from(records, (h) => TENURES.indexOf(h.tenure)),
    type: Uint8Array.from(records, (h) => HOUSEHOLD_TYPES.indexOf(h.type)),
    referenceAge: Uint8Array.from(records, (h) => h.referenceAge),
    persons14OrMore: Uint8Array.from(records, (h) => h.persons14OrMore),
    personsUnder14: Uint8Array.from(records, (h) => h.personsUnder14),
    income: Float64Array.from(records, (h) => h.annualDisposableIncomeEur),
  });
  const housed = leases.map((l) => {
    const household = householdById.get(l.household);
    if (!household) throw new Error(`ménage inconnu : ${l.household}`);
    return household;
  });
  return {
    households: {
      length: households.length,
      iris: Int32Array.from(households, (h) => required(irisIndex, h.iris, 'IRIS')),
      residence: Int32Array.from(households, (h) =>
        h.residence === null ? -1 : required(residenceIndex, h.residence, 'résidence'),
      ),
      ...attributeColumns(households),
    },
    leases: {
      length: leases.length,
      residence: Int32Array.from(leases, (l) => required(residenceIndex, l.residence, 'résidence')),
      year: Int16Array.from(leases, (l) => Number(l.signedOn.slice(0, 4))),
      ...attributeColumns(housed),
    },
  };
}

function indexBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const map = new Map<string, number>();
  items.forEach((item, i) => {
    map.set(key(item), i);
  });
  return map;
}

function required(map: Map<string, number>, code: string, what: string): number {
  const i = map.get(code);
  if (i === undefined) throw new Error(`${what} inconnu(e) : ${code}`);
  return i;
}

function checkColumns<C extends { length: number }>(columns: C, names: readonly (keyof C)[]): void {
  for (const name of names) {
    const column = columns[name] as unknown as ArrayLike<number>;
    if (column.length !== columns.length) {
      throw new Error(`colonne ${String(name)} : ${column.length} valeurs au lieu de ${columns.length}`);
    }
  }
}
