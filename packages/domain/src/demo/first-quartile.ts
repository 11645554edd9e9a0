/**
 * First-quartile threshold (CCH L441-1; docs/RULES.md §1): from the demands active at 31 December of
 * year N−1, income per consumption unit = declared monthly resources × 12 ÷ UC (OECD-modified scale);
 * the threshold of year N is the smallest t such that at least 25 % of those demands have income ≤ t.
 */
import type { Demand } from '../demand/types.ts';
import { consumptionUnitsOf } from './households.ts';

/** Annual income per consumption unit declared in a demand, rounded to the euro. */
export function demandIncomePerConsumptionUnit(
  d: Pick<Demand, 'monthlyResourcesEur' | 'persons14OrMore' | 'personsUnder14'>,
): number {
  return Math.round((d.monthlyResourcesEur * 12) / consumptionUnitsOf(d.persons14OrMore, d.personsUnder14));
}

/** Whether the demand is in the register at the end of that day (ISO dates compare as strings). */
export function isActiveOn(d: Pick<Demand, 'registeredOn' | 'closedOn'>, date: string): boolean {
  return d.registeredOn <= date && (d.closedOn === null || d.closedOn > date);
}

export function firstQuartileThresholdOn(
  demands: readonly Demand[],
  date: string,
): { eur: number; demands: number } | null {
  const incomes: number[] = [];
  for (const d of demands) if (isActiveOn(d, date)) incomes.push(demandIncomePerConsumptionUnit(d));
  if (incomes.length === 0) return null;
  incomes.sort((x, y) => x - y);
  return { eur: incomes[Math.ceil(0.25 * incomes.length) - 1]!, demands: incomes.length };
}
