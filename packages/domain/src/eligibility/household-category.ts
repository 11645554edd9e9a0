/**
 * Household category for the income ceilings (arrêté du 29 juillet 1987 modifié, art. 1; CCH R441-1;
 * docs/RULES.md §5): 1 = one person; 2 = two persons without dependants, not a young household, or one
 * disabled person; 3 = three persons, or one person with one dependant, or a young household (sum of
 * ages ≤ 55), or two persons one of whom is disabled; 4 = four persons, or one person with two
 * dependants, or three persons one of whom is disabled; and so on. Every case is « persons, plus one
 * step when the household is a single person with dependants, a young household or counts a disabled
 * person » (the steps do not add up). Categories beyond 6 mean « 6 plus so many persons ».
 *
 * Approximations forced by the Demand's fields (documented in docs/eligibility.md):
 * - disability: the demand's L441-1 priority criterion 'disability' (a member holding the carte
 *   mobilité inclusion « invalidité »);
 * - dependants of a single person: every other person of a 'single-parent' household, or of a
 *   household with one person of 14 or more;
 * - young household: the co-applicant's age is not in the Demand, so a 'couple' of two persons
 *   without children whose applicant is at most `youngHouseholdApplicantMaxAge` (27: two partners of
 *   27 add up to 54 ≤ 55).
 */
import type { Demand } from '../demand/types.ts';

export interface HouseholdCategorySettings {
  /** Oldest applicant age (whole years) for which a childless couple counts as a young household. */
  youngHouseholdApplicantMaxAge: number;
}
export const DEFAULT_HOUSEHOLD_CATEGORY_SETTINGS: HouseholdCategorySettings = {
  youngHouseholdApplicantMaxAge: 27,
};

export type CategoryStep = 'single-with-dependants' | 'young-household' | 'disabled-member';

export interface HouseholdCategory {
  /** 1, 2, …; beyond 6, the ceiling is category 6 plus (category − 6) extra persons. */
  category: number;
  persons: number;
  /** Why the category is one above the number of persons, or null. */
  step: CategoryStep | null;
}

/** Age in completed years on an ISO date. */
export function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

type CategoryFields = Pick<
  Demand,
  'persons14OrMore' | 'personsUnder14' | 'householdType' | 'priorityCriteria' | 'applicantBirthDate'
>;

/** The category of the household behind a demand, on a date (ages are taken on that date). */
export function householdCategory(
  demand: CategoryFields,
  date: string,
  settings: HouseholdCategorySettings = DEFAULT_HOUSEHOLD_CATEGORY_SETTINGS,
): HouseholdCategory {
  const persons = demand.persons14OrMore + demand.personsUnder14;
  let step: CategoryStep | null = null;
  if (persons >= 2 && (demand.householdType === 'single-parent' || demand.persons14OrMore === 1))
    step = 'single-with-dependants';
  else if (
    persons === 2 &&
    demand.householdType === 'couple' &&
    ageOn(demand.applicantBirthDate, date) <= settings.youngHouseholdApplicantMaxAge
  )
    step = 'young-household';
  else if (demand.priorityCriteria.includes('disability')) step = 'disabled-member';
  return { category: persons + (step ? 1 : 0), persons, step };
}

/** « catégorie 3 », or « catégorie 6 + 2 personnes » beyond 6. */
export function categoryLabel(category: number): string {
  if (category <= 6) return `catégorie ${category}`;
  const extra = category - 6;
  return `catégorie 6 + ${extra} personne${extra > 1 ? 's' : ''}`;
}
