/**
 * Local settings of the eligibility check: what the law leaves to practice (docs/RULES.md §5).
 */
import type { Demand } from '../demand/types.ts';
import type { Home } from '../stock/types.ts';
import { DEFAULT_HOUSEHOLD_CATEGORY_SETTINGS, type HouseholdCategorySettings } from './household-category.ts';
import { DEFAULT_INCOME_CEILING_DATA, type IncomeCeilingData } from './income-ceilings.ts';
import { DEMO_TERRITORY_ZONING, type ZoningTable } from './zones.ts';

/**
 * Monthly housing benefit (APL) expected for a demand in a home, €. The default is 0: the APL
 * formula (CCH L823-1 ff., R823-1 ff.) needs the household's current-year resources and local rent
 * caps that the Demand does not carry, and a wrong estimate would hide an unaffordable home.
 * An EPCI can plug an estimator of its own (docs/eligibility.md).
 */
export type HousingBenefitEstimate = (
  demand: Demand,
  home: Pick<Home, 'rentEur' | 'chargesEur' | 'typology'>,
  date: string,
) => number;

export const NO_HOUSING_BENEFIT: HousingBenefitEstimate = () => 0;

export interface EligibilitySettings {
  /**
   * Highest effort ratio accepted ((rent + charges − housing benefit) ÷ resources; arrêté du
   * 10 mars 2011). No legal maximum: practice is 20–35 %. Default 35 %; null disables the check.
   */
  maxEffortRatio: number | null;
  /**
   * Most main rooms allowed above the number of persons: rooms ≤ persons + this (under-occupancy, CCH
   * L621-2 and L442-5-2, as a typology rule). Default 1; null disables the check.
   */
  maxRoomsAbovePersons: number | null;
  housingBenefit: HousingBenefitEstimate;
  category: HouseholdCategorySettings;
  ceilings: IncomeCeilingData;
  zoning: ZoningTable;
}

export const DEFAULT_ELIGIBILITY_SETTINGS: EligibilitySettings = {
  maxEffortRatio: 0.35,
  maxRoomsAbovePersons: 1,
  housingBenefit: NO_HOUSING_BENEFIT,
  category: DEFAULT_HOUSEHOLD_CATEGORY_SETTINGS,
  ceilings: DEFAULT_INCOME_CEILING_DATA,
  zoning: DEMO_TERRITORY_ZONING,
};
