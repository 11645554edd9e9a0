/**
 * First-quartile threshold of an EPCI (CCH L441-1; docs/RULES.md §1). The threshold of year N is
 * computed from the demands active at 31 December of N−1: income per consumption unit = declared
 * monthly resources × 12 ÷ UC (the scale in force that day), rounded to the euro; the threshold is the
 * smallest income t such that at least 25 % of those demands have an income ≤ t. The ministerial
 * order publishes the official value, which prevails when the analyst records it.
 */
import { type ConsumptionUnitScale, consumptionUnitScaleOn, consumptionUnits } from './consumption-units.ts';
import type { Demand } from './types.ts';

/** Annual income per consumption unit declared in a demand, € rounded to the euro. */
export function incomePerConsumptionUnit(
  demand: Pick<Demand, 'monthlyResourcesEur' | 'persons14OrMore' | 'personsUnder14'>,
  scale?: ConsumptionUnitScale,
): number {
  return Math.round(
    (demand.monthlyResourcesEur * 12) /
      consumptionUnits(demand.persons14OrMore, demand.personsUnder14, scale),
  );
}

/** Whether the demand is in the register at the end of that ISO date (closed on a later day, or open). */
export function isDemandActiveOn(demand: Pick<Demand, 'registeredOn' | 'closedOn'>, date: string): boolean {
  return demand.registeredOn <= date && (demand.closedOn === null || demand.closedOn > date);
}

export interface FirstQuartileThresholdResult {
  epci: string;
  year: number;
  /** The 31 December the demands were counted on (year − 1). */
  countedOn: string;
  /** € per UC per year from the demands; null when no demand was active. */
  computed: number | null;
  /** The ministerial order's value, when recorded. */
  official: number | null;
  /** The official value when recorded, else the computed one. */
  used: number | null;
  /** Number of active demands of the EPCI the computed value comes from. */
  demands: number;
}

/**
 * The threshold of `epci` for `year`, from the demands of that EPCI active at 31 December of year − 1.
 * `official` is the value of the ministerial order if the analyst recorded it.
 */
export function firstQuartileThreshold(
  demands: readonly Pick<
    Demand,
    'epci' | 'registeredOn' | 'closedOn' | 'monthlyResourcesEur' | 'persons14OrMore' | 'personsUnder14'
  >[],
  epci: string,
  year: number,
  official: number | null = null,
): FirstQuartileThresholdResult {
  const countedOn = `${year - 1}-12-31`;
  const scale = consumptionUnitScaleOn(countedOn);
  const incomes: number[] = [];
  for (const d of demands)
    if (d.epci === epci && isDemandActiveOn(d, countedOn)) incomes.push(incomePerConsumptionUnit(d, scale));
  incomes.sort((x, y) => x - y);
  const computed = incomes.length > 0 ? incomes[Math.ceil(0.25 * incomes.length) - 1]! : null;
  return { epci, year, countedOn, computed, official, used: official ?? computed, demands: incomes.length };
}
