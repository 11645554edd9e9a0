/**
 * The cotation grid (CCH L441-2-8, R441-2-10; docs/RULES.md §2): criteria and their points, set in
 * the plan partenarial de gestion de la demande. A grid is dated, versioned data (JSON): a new
 * version re-scores every demand and the old scores keep the version they were computed with.
 *
 * Three kinds of criteria:
 * - `boolean`: `points` when a condition on the demand holds;
 * - `bands`: points by band of a numeric measure (income per UC, persons, age…);
 * - `duration`: `pointsPerMonth` for each completed month since registration, capped at `maxPoints`.
 * Criteria may share an exclusive `group`: only the highest of the group counts (as in Paris, where
 * among overlapping criteria only the highest counts). At least one criterion must be flagged
 * `priority`: it implements the priorities of L441-1 (L441-2-8 requires it).
 */
import type { CurrentHousing, HouseholdType, PriorityCriterion } from '../demand/types.ts';

/** A condition on a demand, as data. */
export type Condition =
  | { fact: 'priority-criterion'; value: PriorityCriterion }
  | { fact: 'any-priority-criterion' }
  | { fact: 'dalo' }
  | { fact: 'urban-renewal-relocation' }
  | { fact: 'social-tenant' }
  | { fact: 'wheelchair-access' }
  | { fact: 'reason'; value: string }
  | { fact: 'current-housing'; value: CurrentHousing }
  | { fact: 'household-type'; value: HouseholdType }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export type ConditionFact = Extract<Condition, { fact: string }>['fact'];

/** Numeric measures a `bands` criterion can use. */
export type Measure =
  /** Annual income per consumption unit, € (demand/first-quartile-threshold.ts). */
  | 'income-per-consumption-unit'
  | 'persons'
  | 'persons-under-14'
  /** Applicant's age in completed years on the scoring date. */
  | 'applicant-age';

/** A band: `min` inclusive, `max` exclusive; null for unbounded. */
export interface Band {
  min: number | null;
  max: number | null;
  points: number;
}

interface CriterionBase {
  /** Stable identifier (kebab-case), kept across versions. */
  id: string;
  /** Short French label shown to applicants. */
  label: string;
  /** Why the criterion exists, where it comes from. */
  description?: string;
  /** Exclusive group: only the criterion of the group with the most points counts. */
  group?: string | null;
  /** Implements an L441-1 priority (or DALO). */
  priority?: boolean;
}

export interface BooleanCriterion extends CriterionBase {
  kind: 'boolean';
  condition: Condition;
  points: number;
}

export interface BandsCriterion extends CriterionBase {
  kind: 'bands';
  measure: Measure;
  bands: Band[];
}

export interface DurationCriterion extends CriterionBase {
  kind: 'duration';
  /** Months are counted from the demand's registration (seniority). */
  from: 'registration';
  pointsPerMonth: number;
  maxPoints: number;
}

export type Criterion = BooleanCriterion | BandsCriterion | DurationCriterion;

export interface CotationGrid {
  /** Identifier of the grid (e.g. the EPCI and the purpose: first demands, transfers). */
  id: string;
  /** Version number, 1, 2, …: scores keep the version they were computed with. */
  version: number;
  label: string;
  /** ISO dates; validUntil inclusive, null while in force. */
  validFrom: string;
  validUntil: string | null;
  /** Where the grid comes from (PPGD deliberation, date). */
  source: string;
  /** Labels of the exclusive groups, by id. */
  groups: Record<string, string>;
  criteria: Criterion[];
}

/**
 * The grid in force on an ISO date among the versions of one grid: the highest version whose validity
 * covers the date, or null.
 */
export function cotationGridOn(grids: readonly CotationGrid[], date: string): CotationGrid | null {
  let found: CotationGrid | null = null;
  for (const g of grids)
    if (
      g.validFrom <= date &&
      (g.validUntil === null || date <= g.validUntil) &&
      (!found || g.version > found.version)
    )
      found = g;
  return found;
}
