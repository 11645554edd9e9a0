/**
 * Whether a demand may be allocated a home on a date (CCH L441-1, R441-1): income under the ceiling
 * of the home's financing, household size against typology, effort ratio. Each rule gives a check
 * with the figures it compared, as the sentence the UI shows (« ressources 41 000 € > plafond PLUS
 * 2026 catégorie 3 autres régions 37 584 € »).
 */
import type { Demand } from '../demand/types.ts';
import type { Home } from '../stock/types.ts';
import { formatEur, formatPercent } from './format.ts';
import { categoryLabel, type HouseholdCategory, householdCategory } from './household-category.ts';
import { incomeCeilingOn } from './income-ceilings.ts';
import { DEFAULT_ELIGIBILITY_SETTINGS, type EligibilitySettings } from './settings.ts';
import { CEILING_AREA_LABELS, PLI_ZONE_LABELS, zoningOf } from './zones.ts';

export type EligibilityRule = 'income-ceiling' | 'household-size' | 'effort-ratio';

export interface EligibilityCheck {
  rule: EligibilityRule;
  /** 'unknown' when the data to judge are missing (no ceiling recorded for that year, zone or category). */
  status: 'passed' | 'failed' | 'unknown';
  /** The sentence shown to users, in French, with the figures. */
  message: string;
  /** The figures compared: value and limit (€ per year, rooms, ratio). */
  value: number;
  limit: number | null;
}

export interface EligibilityResult {
  /** true when every check passed; false when one failed; null when none failed but one is unknown. */
  eligible: boolean | null;
  failures: EligibilityCheck[];
  checks: EligibilityCheck[];
  category: HouseholdCategory;
}

/** The home as the check needs it: its commune sets the zone of the ceilings. */
export type EligibilityHome = Pick<Home, 'typology' | 'financing' | 'rentEur' | 'chargesEur'> & {
  commune: string;
};

/** All the checks of a demand against a home on an ISO date. */
export function eligibility(
  demand: Demand,
  home: EligibilityHome,
  date: string,
  settings: EligibilitySettings = DEFAULT_ELIGIBILITY_SETTINGS,
): EligibilityResult {
  const category = householdCategory(demand, date, settings.category);
  const checks: EligibilityCheck[] = [incomeCheck(demand, home, date, category, settings)];
  if (settings.maxRoomsAbovePersons !== null) {
    const limit = category.persons + settings.maxRoomsAbovePersons;
    const passed = home.typology <= limit;
    const persons = `${category.persons} personne${category.persons > 1 ? 's' : ''}`;
    checks.push({
      rule: 'household-size',
      status: passed ? 'passed' : 'failed',
      message: `logement T${home.typology} ${passed ? '≤' : '>'} ${persons} + ${settings.maxRoomsAbovePersons} pièce${settings.maxRoomsAbovePersons > 1 ? 's' : ''} (maximum T${limit})${passed ? '' : ' : sous-occupation'}`,
      value: home.typology,
      limit,
    });
  }
  if (settings.maxEffortRatio !== null) checks.push(effortCheck(demand, home, date, settings));
  const failures = checks.filter((c) => c.status === 'failed');
  const eligible = failures.length > 0 ? false : checks.some((c) => c.status === 'unknown') ? null : true;
  return { eligible, failures, checks, category };
}

function incomeCheck(
  demand: Demand,
  home: EligibilityHome,
  date: string,
  category: HouseholdCategory,
  settings: EligibilitySettings,
): EligibilityCheck {
  const zoning = zoningOf(home.commune, settings.zoning);
  const zone = home.financing === 'PLI' ? zoning.pliZone : zoning.area;
  const zoneLabel =
    home.financing === 'PLI' ? PLI_ZONE_LABELS[zoning.pliZone] : CEILING_AREA_LABELS[zoning.area];
  const ceiling = incomeCeilingOn(home.financing, zone, category.category, date, settings.ceilings);
  const income = demand.referenceTaxIncomeEur;
  const what = `plafond ${home.financing} ${date.slice(0, 4)} ${categoryLabel(category.category)} ${zoneLabel}`;
  if ('unknown' in ceiling)
    return {
      rule: 'income-ceiling',
      status: 'unknown',
      message: `ressources ${formatEur(income)} : ${what} inconnu (${ceiling.unknown})`,
      value: income,
      limit: null,
    };
  const passed = income <= ceiling.eur;
  return {
    rule: 'income-ceiling',
    status: passed ? 'passed' : 'failed',
    message: `ressources ${formatEur(income)} ${passed ? '≤' : '>'} ${what} ${formatEur(ceiling.eur)}`,
    value: income,
    limit: ceiling.eur,
  };
}

function effortCheck(
  demand: Demand,
  home: EligibilityHome,
  date: string,
  settings: EligibilitySettings,
): EligibilityCheck {
  const max = settings.maxEffortRatio!;
  const benefit = settings.housingBenefit(demand, home, date);
  const cost = home.rentEur + home.chargesEur - benefit;
  const resources = demand.monthlyResourcesEur;
  const ratio = resources > 0 ? cost / resources : Number.POSITIVE_INFINITY;
  const passed = ratio <= max;
  // Two decimals when one would print the ratio equal to the maximum it exceeds.
  const shown =
    formatPercent(ratio) === formatPercent(max) && !passed ? formatPercent(ratio, 2) : formatPercent(ratio);
  const figures =
    `loyer ${formatEur(home.rentEur)} + charges ${formatEur(home.chargesEur)} − aide au logement estimée ` +
    `${formatEur(benefit)}, ressources ${formatEur(resources)} par mois`;
  const message =
    resources > 0
      ? `taux d’effort ${shown} ${passed ? '≤' : '>'} maximum ${formatPercent(max)} (${figures})`
      : `taux d’effort non calculable : ressources mensuelles nulles (${figures})`;
  return { rule: 'effort-ratio', status: passed ? 'passed' : 'failed', message, value: ratio, limit: max };
}
