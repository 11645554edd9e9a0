import type { Typology } from '../stock/types.ts';

export type Tenure = 'social-tenant' | 'private-tenant' | 'owner';
export type HouseholdType = 'single' | 'couple' | 'single-parent' | 'couple-with-children' | 'other';

/** All persons living together (of a home, or behind a demand). */
export interface Household {
  id: string;
  epci: string;
  commune: string;
  iris: string;
  tenure: Tenure;
  /** The social home occupied, for social tenants; null otherwise. */
  home: string | null;
  persons14OrMore: number;
  personsUnder14: number;
  /** Age of the reference person, years. */
  referenceAge: number;
  type: HouseholdType;
  /** Annual disposable income of the household, € (Filosofi's concept). */
  annualDisposableIncomeEur: number;
  /**
   * true when the income was drawn from a fallback distribution (the IRIS has no published
   * Filosofi deciles); see docs/demo-population.md.
   */
  incomeImputed: boolean;
  generated: boolean;
}

/** Priority criteria of CCH L441-1 (the list in docs/RULES.md §1), as codes. */
export type PriorityCriterion =
  | 'disability'
  | 'poorly-housed'
  | 'hosted-or-temporary'
  | 'return-to-work'
  | 'unfit-housing'
  | 'domestic-violence'
  | 'overcrowded-with-minors'
  | 'homeless'
  | 'eviction-threat'
  | 'prostitution-exit'
  | 'child-welfare-leaver';

export type CurrentHousing =
  | 'social-tenant'
  | 'private-tenant'
  | 'owner'
  | 'hosted-by-family'
  | 'hosted-by-third-party'
  | 'temporary-housing'
  | 'homeless'
  | 'other';

export type DemandStatus = 'active' | 'housed' | 'cancelled';

/** A demand of the national register (SNE), Cerfa 14069 fields that allocation needs. */
export interface Demand {
  /** Unique national number. */
  sneNumber: string;
  epci: string;
  /** The household behind the demand, when it is part of the population. */
  household: string | null;
  /** ISO date YYYY-MM-DD. */
  registeredOn: string;
  applicantBirthDate: string;
  /** From the Cerfa's civil status of applicant, co-applicant and dependants (cotation, equal-treatment audit). */
  householdType: HouseholdType;
  persons14OrMore: number;
  personsUnder14: number;
  monthlyResourcesEur: number;
  /** Revenu fiscal de référence of year N-2, €. */
  referenceTaxIncomeEur: number;
  currentHousing: CurrentHousing;
  /** Commune of the current housing. */
  currentCommune: string;
  /** Free reason codes of the Cerfa (e.g. 'too-small', 'too-expensive', 'divorce'). */
  reasons: string[];
  desiredCommunes: string[];
  desiredTypologies: Typology[];
  /** Maximum monthly rent charges included, €; null if not stated. */
  maxRentEur: number | null;
  priorityCriteria: PriorityCriterion[];
  dalo: boolean;
  urbanRenewalRelocation: boolean;
  /** The applicant already rents a social home (a transfer, « mutation »). */
  currentSocialTenant: boolean;
  /** Needs a home accessible in a wheelchair. */
  wheelchairAccess: boolean;
  status: DemandStatus;
  /** Date the demand was satisfied or cancelled. */
  closedOn: string | null;
  generated: boolean;
}
