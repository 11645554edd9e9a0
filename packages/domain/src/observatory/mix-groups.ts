import type { HouseholdType, Tenure } from '../demand/types.ts';

/**
 * The observatory of the platform: who is counted (population), what divides them into groups
 * (variable), and the units they are counted in (scale). Codes are English (API, database); labels
 * are French because they are shown as they are, in the web app and in the CSV downloads.
 */

/** What divides the households into groups. */
export type MixVariable = 'income-quartile' | 'household-type' | 'age-band' | 'tenure';
/** Every household, the occupants of the social stock, or the households housed by a lease of a year. */
export type MixPopulation = 'households' | 'social-occupants' | 'lettings';
/** The finest units of the analysis; coarser levels are added above them (EPCI > commune > IRIS > residence). */
export type MixScale = 'commune' | 'iris' | 'residence' | 'qpv';
/** A level of units of a table: the scales, plus « in QPV / outside QPV » above the QPV. */
export type MixLevel = 'commune' | 'iris' | 'residence' | 'qpv-status' | 'qpv';

export const MIX_VARIABLES: readonly MixVariable[] = [
  'income-quartile',
  'household-type',
  'age-band',
  'tenure',
];
export const MIX_POPULATIONS: readonly MixPopulation[] = ['households', 'social-occupants', 'lettings'];
export const MIX_SCALES: readonly MixScale[] = ['commune', 'iris', 'residence', 'qpv'];

export interface MixGroup {
  readonly code: string;
  readonly label: string;
}

/** Tenures in the order of their group index. */
export const TENURES: readonly Tenure[] = ['owner', 'private-tenant', 'social-tenant'];
/** Household types in the order of their group index. */
export const HOUSEHOLD_TYPES: readonly HouseholdType[] = [
  'single',
  'couple',
  'single-parent',
  'couple-with-children',
  'other',
];

/** The groups of each variable, by group index. */
export const MIX_GROUPS: Readonly<Record<MixVariable, readonly MixGroup[]>> = {
  'income-quartile': [
    { code: 'Q1', label: '1er quartile (les plus modestes)' },
    { code: 'Q2', label: '2e quartile' },
    { code: 'Q3', label: '3e quartile' },
    { code: 'Q4', label: '4e quartile (les plus aisés)' },
  ],
  'household-type': [
    { code: 'single', label: 'Personne seule' },
    { code: 'couple', label: 'Couple sans enfant' },
    { code: 'single-parent', label: 'Famille monoparentale' },
    { code: 'couple-with-children', label: 'Couple avec enfant(s)' },
    { code: 'other', label: 'Autre ménage' },
  ],
  'age-band': [
    { code: 'under-30', label: 'Moins de 30 ans' },
    { code: '30-44', label: '30 à 44 ans' },
    { code: '45-59', label: '45 à 59 ans' },
    { code: '60-74', label: '60 à 74 ans' },
    { code: '75-plus', label: '75 ans ou plus' },
  ],
  tenure: [
    { code: 'owner', label: 'Propriétaire occupant' },
    { code: 'private-tenant', label: 'Locataire du parc privé' },
    { code: 'social-tenant', label: 'Locataire du parc social' },
  ],
};

export const MIX_VARIABLE_LABELS: Readonly<Record<MixVariable, string>> = {
  'income-quartile': 'Quartile de revenu par unité de consommation',
  'household-type': 'Type de ménage',
  'age-band': 'Âge de la personne de référence',
  tenure: 'Statut d’occupation',
};

export const MIX_POPULATION_LABELS: Readonly<Record<MixPopulation, string>> = {
  households: 'Tous les ménages',
  'social-occupants': 'Occupants du parc social',
  lettings: 'Ménages logés par une attribution (bail signé dans l’année)',
};

export const MIX_SCALE_LABELS: Readonly<Record<MixScale, string>> = {
  commune: 'Communes',
  iris: 'IRIS (quartiers)',
  residence: 'Résidences du parc social',
  qpv: 'QPV et hors QPV',
};

export const MIX_LEVEL_LABELS: Readonly<Record<MixLevel, string>> = {
  commune: 'Entre communes',
  iris: 'Entre IRIS d’une même commune',
  residence: 'Entre résidences d’un même IRIS',
  'qpv-status': 'Entre QPV et hors QPV',
  qpv: 'D’un QPV à l’autre',
};

/** Unit levels of each scale, outermost first (the EPCI, the whole, is implied above them). */
export const MIX_SCALE_LEVELS: Readonly<Record<MixScale, readonly MixLevel[]>> = {
  commune: ['commune'],
  iris: ['commune', 'iris'],
  residence: ['commune', 'iris', 'residence'],
  qpv: ['qpv-status', 'qpv'],
};

/** Code of the unit gathering everyone outside a QPV, at the QPV scale. */
export const OUTSIDE_QPV = 'hors-qpv';
/** Code of the unit gathering the QPV, at level `qpv-status`. */
export const INSIDE_QPV = 'qpv';

/**
 * Age band of the reference person: < 30, 30–44, 45–59, 60–74, 75 or more (years, lower bound
 * included). Index into MIX_GROUPS['age-band'].
 */
export function ageBandIndex(age: number): number {
  if (age < 30) return 0;
  if (age < 45) return 1;
  if (age < 60) return 2;
  if (age < 75) return 3;
  return 4;
}

/**
 * Quartile cuts (25th, 50th, 75th percentiles) of `values` by linear interpolation between order
 * statistics (R type 7, PostgreSQL `percentile_cont`). NaN values are not allowed; an empty input
 * gives NaN cuts.
 */
export function quartileCuts(values: ArrayLike<number>): [number, number, number] {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => {
    if (sorted.length === 0) return Number.NaN;
    const h = (sorted.length - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
  };
  return [at(0.25), at(0.5), at(0.75)];
}

/** Quartile index (0 = first, the poorest) of a value: a value equal to a cut belongs to the lower quartile. */
export function quartileIndex(value: number, cuts: readonly [number, number, number]): number {
  if (value <= cuts[0]) return 0;
  if (value <= cuts[1]) return 1;
  if (value <= cuts[2]) return 2;
  return 3;
}
