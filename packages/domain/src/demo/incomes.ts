/**
 * Income calibration, IRIS by IRIS, weighted by persons as Filosofi is: households are ordered by
 * their poverty propensity (poorest first); household i, with w_i persons and c_i persons before it
 * out of W, gets the income per consumption unit Q((c_i + w_i/2) ÷ W), Q being the IRIS's quantile
 * function. The persons-weighted deciles of the result are then those of Q by construction, while
 * income keeps its links with tenure, household type and age through the propensity.
 */
import type { DemoAssumptions } from './assumptions.ts';
import { consumptionUnitsOf, type HouseholdDraft, personsOf } from './households.ts';
import { quantileFromDeciles } from './quantile.ts';
import type { DemoPlan } from './types.ts';

export function calibrateIncomes(plan: DemoPlan, households: HouseholdDraft[], a: DemoAssumptions): void {
  const byIris: number[][] = plan.iris.map(() => []);
  households.forEach((h, i) => {
    byIris[h.iris]!.push(i);
  });
  plan.iris.forEach((irisPlan, irisIndex) => {
    const members = byIris[irisIndex]!;
    if (members.length === 0) return;
    const q = quantileFromDeciles(irisPlan.deciles, a.incomeTails);
    members.sort((x, y) => households[y]!.propensity - households[x]!.propensity || x - y);
    let total = 0;
    for (const i of members) total += personsOf(households[i]!);
    let before = 0;
    for (const i of members) {
      const h = households[i]!;
      const w = personsOf(h);
      const perUnit = q((before + w / 2) / total);
      h.income = Math.round(perUnit * consumptionUnitsOf(h.persons14OrMore, h.personsUnder14));
      before += w;
    }
  });
}
