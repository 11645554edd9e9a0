/**
 * First-quartile threshold (CCH L441-1; docs/RULES.md §1) as the demo generator uses it: the demand
 * module's definition (demand/first-quartile-threshold.ts), by the 31 December the demands are
 * counted on.
 */
import {
  firstQuartileThreshold,
  incomePerConsumptionUnit,
  isDemandActiveOn,
} from '../demand/first-quartile-threshold.ts';
import type { Demand } from '../demand/types.ts';

/** Annual income per consumption unit declared in a demand, rounded to the euro. */
export const demandIncomePerConsumptionUnit = (
  d: Pick<Demand, 'monthlyResourcesEur' | 'persons14OrMore' | 'personsUnder14'>,
): number => incomePerConsumptionUnit(d);

/** Whether the demand is in the register at the end of that day. */
export const isActiveOn = isDemandActiveOn;

/** The threshold computed from the demands active on `date` (a 31 December), or null when none is. */
export function firstQuartileThresholdOn(
  demands: readonly Demand[],
  date: string,
): { eur: number; demands: number } | null {
  const epci = demands[0]?.epci;
  if (epci === undefined || !date.endsWith('-12-31')) return null;
  const result = firstQuartileThreshold(demands, epci, Number(date.slice(0, 4)) + 1);
  return result.computed === null ? null : { eur: result.computed, demands: result.demands };
}
