/**
 * Income ceilings for access to social housing (CCH L441-1, R441-1; arrêté du 29 juillet 1987 modifié,
 * revised every 1 January). They are dated data, one table per year and financing; the figures are
 * those of docs/RULES.md §5, whose uncertain values say so in their `source`. PLS ceilings are the
 * PLUS ceilings × 1.30, a dated factor too. Compared with the household's revenu fiscal
 * de référence of year N−2.
 */
import { type Dated, valueOn } from '../shared/dated.ts';
import type { Financing } from '../stock/types.ts';
import type { CeilingArea, PliZone } from './zones.ts';

/** Ceilings of one zone, € per year: `categories[k]` is category k + 1; may stop before 6 when unknown. */
export interface CeilingScale {
  categories: readonly number[];
  /** Added for each person beyond category 6; null when unknown. */
  extraPerson: number | null;
}

/** One year's ceilings of one financing (PLAI, PLUS or PLI; PLS is derived from PLUS). */
export interface IncomeCeilingTable {
  financing: Exclude<Financing, 'PLS'>;
  /** By area for PLAI and PLUS, by zone for PLI; a zone left out is unknown. */
  scales: Partial<Record<CeilingArea | PliZone, CeilingScale>>;
}

const RULES = 'docs/RULES.md §5';
const PLAI_2026_INDEXATION = 1.0087;
const indexed = (values: readonly number[]) => values.map((v) => Math.round(v * PLAI_2026_INDEXATION));

const PLAI_2025 = {
  'paris-adjacent': [14_683, 23_931, 31_369, 34_338],
  'rest-of-ile-de-france': [14_683, 23_931, 28_767, 31_585],
  'other-regions': [12_759, 18_591, 22_356, 24_875],
} as const;

/** Ceilings in force, by year. */
export const INCOME_CEILINGS: readonly Dated<IncomeCeilingTable>[] = [
  {
    validFrom: '2026-01-01',
    validUntil: '2026-12-31',
    source: `Plafonds PLUS 2026 (arrêté du 29 juillet 1987 modifié, révision au 1er janvier 2026), ${RULES}`,
    value: {
      financing: 'PLUS',
      scales: {
        'paris-adjacent': {
          categories: [26_920, 40_233, 52_740, 62_968, 74_919, 84_304],
          extraPerson: 9_394,
        },
        'rest-of-ile-de-france': {
          categories: [26_920, 40_233, 48_362, 57_930, 68_577, 77_171],
          extraPerson: 8_598,
        },
        'other-regions': { categories: [23_403, 31_254, 37_584, 45_374, 53_376, 60_156], extraPerson: 6_710 },
      },
    },
  },
  {
    validFrom: '2025-01-01',
    validUntil: '2025-12-31',
    source: `Plafonds PLAI 2025, catégories 1 à 4 seulement — INCERTAIN : sources secondaires, non vérifiées sur l’arrêté (${RULES})`,
    value: {
      financing: 'PLAI',
      scales: {
        'paris-adjacent': { categories: PLAI_2025['paris-adjacent'], extraPerson: null },
        'rest-of-ile-de-france': { categories: PLAI_2025['rest-of-ile-de-france'], extraPerson: null },
        'other-regions': { categories: PLAI_2025['other-regions'], extraPerson: null },
      },
    },
  },
  {
    validFrom: '2026-01-01',
    validUntil: '2026-12-31',
    source:
      'Plafonds PLAI 2026, catégories 1 à 4 — ESTIMATION : plafonds 2025 (incertains) × 1,0087 arrondis à l’euro ' +
      `(« 2026 ≈ +0,87 % », ${RULES}) ; à remplacer par les valeurs de l’arrêté`,
    value: {
      financing: 'PLAI',
      scales: {
        'paris-adjacent': { categories: indexed(PLAI_2025['paris-adjacent']), extraPerson: null },
        'rest-of-ile-de-france': {
          categories: indexed(PLAI_2025['rest-of-ile-de-france']),
          extraPerson: null,
        },
        'other-regions': { categories: indexed(PLAI_2025['other-regions']), extraPerson: null },
      },
    },
  },
  {
    validFrom: '2025-01-01',
    validUntil: '2025-12-31',
    source: `Plafonds PLI 2025, personne seule uniquement — INCERTAIN (${RULES})`,
    value: {
      financing: 'PLI',
      scales: {
        'A-bis-A': { categories: [43_475], extraPerson: null },
        B1: { categories: [35_435], extraPerson: null },
        'B2-C': { categories: [31_892], extraPerson: null },
      },
    },
  },
];

/** PLS ceilings = PLUS ceilings × this factor (130 %, docs/RULES.md §5). */
export const PLS_FACTORS: readonly Dated<number>[] = [
  { validFrom: '1900-01-01', validUntil: null, source: `PLS = PLUS × 1,30 (${RULES})`, value: 1.3 },
];

/** A ceiling found, with what it was computed from. */
export interface IncomeCeiling {
  financing: Financing;
  /** € per year. */
  eur: number;
  source: string;
}

/** The tables a check uses (the defaults above, or an EPCI's own). */
export interface IncomeCeilingData {
  tables: readonly Dated<IncomeCeilingTable>[];
  plsFactors: readonly Dated<number>[];
}
export const DEFAULT_INCOME_CEILING_DATA: IncomeCeilingData = {
  tables: INCOME_CEILINGS,
  plsFactors: PLS_FACTORS,
};

/**
 * The ceiling for a financing, a zone and a category on a date, or the reason it is unknown (no table
 * in force, zone or category not recorded). `category` may exceed 6: each person beyond adds
 * `extraPerson`.
 */
export function incomeCeilingOn(
  financing: Financing,
  zone: CeilingArea | PliZone,
  category: number,
  date: string,
  data: IncomeCeilingData = DEFAULT_INCOME_CEILING_DATA,
): IncomeCeiling | { unknown: string } {
  const base = financing === 'PLS' ? 'PLUS' : financing;
  const table = data.tables.find(
    (e) =>
      e.value.financing === base && e.validFrom <= date && (e.validUntil === null || date <= e.validUntil),
  );
  const year = date.slice(0, 4);
  if (!table) return { unknown: `aucun plafond ${base} enregistré pour ${year}` };
  const scale = table.value.scales[zone];
  if (!scale) return { unknown: `plafond ${base} ${year} non renseigné pour cette zone` };
  let eur: number | undefined;
  if (category <= scale.categories.length) eur = scale.categories[category - 1];
  else if (scale.categories.length === 6 && scale.extraPerson !== null)
    eur = scale.categories[5]! + scale.extraPerson * (category - 6);
  if (eur === undefined)
    return { unknown: `plafond ${base} ${year} non renseigné pour la catégorie ${category}` };
  if (financing !== 'PLS') return { financing, eur, source: table.source };
  const factor = valueOn('coefficient PLS / PLUS', data.plsFactors, date);
  return { financing, eur: Math.round(eur * factor.value), source: `${factor.source} ; ${table.source}` };
}
