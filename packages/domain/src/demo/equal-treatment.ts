/**
 * What the demo generator needs to validate the equal-treatment audit like a statistical test
 * (docs/audit.md): the null model's score (lettings drawn from the cotation score alone) and the
 * calibration of a planted disparity — the weight factor that gives one household type a chosen
 * Mantel–Haenszel odds ratio of being housed within strata of score decile × typologies sought.
 */
import { quantileClasses } from '../audit/equal-treatment.ts';
import { DEFAULT_COTATION_GRID } from '../cotation/default-grid.ts';
import type { CotationGrid, DurationCriterion } from '../cotation/grid.ts';
import { scoreDemands } from '../cotation/score.ts';
import type { Demand, HouseholdType } from '../demand/types.ts';
import { mantelHaenszel, type Stratum } from '../review/disparity.ts';
import { createRandom, type Random } from '../shared/random.ts';
import type { DemoAssumptions } from './assumptions.ts';
import { dayOf, isoOf } from './dates.ts';
import type { DemandDraft } from './demands.ts';
import { type ScoreRule, simulateLettings } from './lettings.ts';
import type { StockDraft } from './stock.ts';

/**
 * The grid of the null model: the demo's default grid without its criteria on resources (declared
 * resources are drawn after the lettings, from the incomes the lettings shape, so the lettings cannot
 * use them). The audit of null and planted populations controls for this grid's score.
 */
export const NULL_MODEL_GRID: CotationGrid = {
  ...DEFAULT_COTATION_GRID,
  id: 'demo-modele-nul',
  label: 'Grille du modèle nul de l’audit (grille de démonstration sans le critère de ressources)',
  criteria: DEFAULT_COTATION_GRID.criteria.filter(
    (c) => !(c.kind === 'bands' && c.measure === 'income-per-consumption-unit'),
  ),
};

/** A demand draft as the cotation engine reads it (resources unknown before the lettings: 0). */
function asDemand(d: DemandDraft, k: number, epci: string): Demand {
  return {
    sneNumber: String(k),
    epci,
    household: null,
    registeredOn: isoOf(d.registeredDay),
    applicantBirthDate: isoOf(d.birthDay),
    householdType: d.type,
    persons14OrMore: d.persons14OrMore,
    personsUnder14: d.personsUnder14,
    monthlyResourcesEur: 0,
    referenceTaxIncomeEur: 0,
    currentHousing: d.currentHousing,
    currentCommune: d.currentCommune,
    reasons: d.reasons,
    desiredCommunes: d.desiredCommunes,
    desiredTypologies: d.desiredTypologies,
    maxRentEur: null,
    priorityCriteria: d.priorityCriteria,
    dalo: d.dalo,
    urbanRenewalRelocation: d.urbanRenewalRelocation,
    currentSocialTenant: d.currentHousing === 'social-tenant',
    wheelchairAccess: d.wheelchairAccess,
    status: 'active',
    closedOn: null,
    generated: true,
  };
}

const DAYS_PER_MONTH = 365.25 / 12;

/**
 * A candidate's weight in the null model is proportional to this + its score: the score matters (60
 * points give 4 times the chance of 0) without making score deciles too coarse a control (within a
 * decile of a few points, weights differ by a few per cent, not by a factor of 5 as with 1 + score).
 */
export const NULL_MODEL_OFFSET = 20;

/** The score rule of the null model for these drafts: score without seniority, and seniority's growth. */
export function nullModelScoreRule(
  drafts: readonly DemandDraft[],
  epci: string,
  a: DemoAssumptions,
  grid: CotationGrid = NULL_MODEL_GRID,
): ScoreRule {
  const seniority = grid.criteria.find((c): c is DurationCriterion => c.kind === 'duration');
  const perMonth = seniority?.pointsPerMonth ?? 0;
  const maxPoints = seniority?.maxPoints ?? 0;
  const snapshot = a.snapshotDate;
  const totals = scoreDemands(
    drafts.map((d, k) => asDemand(d, k, epci)),
    grid,
    snapshot,
  );
  const snapshotDay = dayOf(snapshot);
  const base = new Float64Array(drafts.length);
  drafts.forEach((d, k) => {
    // Seniority points the engine counted at the snapshot (completed months, capped).
    const reg = d.registeredDay;
    const from = isoOf(reg);
    let months =
      (Number(snapshot.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
      Number(snapshot.slice(5, 7)) -
      Number(from.slice(5, 7));
    if (snapshot.slice(8) < from.slice(8)) months--;
    const points = reg <= snapshotDay ? Math.min(maxPoints, Math.max(0, months) * perMonth) : 0;
    base[k] = NULL_MODEL_OFFSET + totals[k]! - points;
  });
  const perDay = perMonth / DAYS_PER_MONTH;
  return { base, perDay, capDays: perDay > 0 ? maxPoints / perDay : 0 };
}

/**
 * The Mantel–Haenszel odds ratio of being housed from `from` to `to` (ISO, inclusive) for the demands of
 * `type` against the others, among the demands active on `from`, within strata of first commune sought × null-model
 * score decile on that day × typologies sought: what the audit measures on the null model's populations.
 */
export function housedOddsRatio(
  drafts: readonly DemandDraft[],
  rule: ScoreRule,
  type: HouseholdType,
  from: string,
  to: string,
): number | null {
  const start = dayOf(from);
  const end = dayOf(to);
  const cohort: number[] = [];
  drafts.forEach((d, i) => {
    if (d.registeredDay < start && d.lapseDay >= start && (d.housedDay < 0 || d.housedDay >= start))
      cohort.push(i);
  });
  const scores = cohort.map((i) => {
    const age = Math.min(rule.capDays, Math.max(0, start - drafts[i]!.registeredDay));
    return rule.base[i]! - NULL_MODEL_OFFSET + Math.floor(age * rule.perDay + 1e-9);
  });
  const deciles = quantileClasses(scores, 10);
  const tables = new Map<string, Stratum>();
  cohort.forEach((i, k) => {
    const d = drafts[i]!;
    let mask = 0;
    for (const t of d.desiredTypologies) mask |= 1 << t;
    const key = `${d.desiredCommunes[0] ?? ''}:${deciles[k]! * 256 + mask}`;
    let t = tables.get(key);
    if (!t) tables.set(key, (t = { a: 0, b: 0, c: 0, d: 0 }));
    const housed = d.housedDay >= start && d.housedDay <= end;
    if (d.type === type) {
      if (housed) t.a++;
      else t.b++;
    } else if (housed) t.c++;
    else t.d++;
  });
  return mantelHaenszel([...tables.values()]).oddsRatio;
}

/** Lettings drawn per calibration step: the mean log odds ratio over them (one draw's standard error is about 0.1). */
const CALIBRATION_DRAWS = 8;

export interface PlantedDisparity {
  /** The lawful group disadvantaged. */
  householdType: HouseholdType;
  /** The odds ratio of being housed planted, other things equal (e.g. 0.7). */
  oddsRatio: number;
  /** The period it is calibrated on, ISO dates (the last lettings year by default). */
  from?: string;
  to?: string;
  /** The weight factor, when already calibrated (calibratePlantedFactor); otherwise calibrated at generation. */
  factor?: number;
}

/**
 * The weight factor giving the group the planted odds ratio relative to the unplanted lettings: the
 * mean log odds ratio over CALIBRATION_DRAWS lettings (fixed calibration streams, separate from the
 * population's own) at the factors 1, θ and θ², a least-squares line through them, solved for θ.
 */
export function calibratePlantedFactor(
  stock: StockDraft,
  drafts: DemandDraft[],
  a: DemoAssumptions,
  random: Random,
  rule: ScoreRule,
  lettingsRule: ScoreRule | null,
  planted: PlantedDisparity,
  weightByType: Partial<Record<HouseholdType, number>> = {},
): number {
  const last = a.lettingYears[a.lettingYears.length - 1]!;
  const from = planted.from ?? `${last}-01-01`;
  const to = planted.to ?? `${last}-12-31`;
  const seeds = Array.from({ length: CALIBRATION_DRAWS }, () => Math.floor(random.next() * 2 ** 32));
  const measure = (factor: number) => {
    const weights = {
      ...weightByType,
      [planted.householdType]: (weightByType[planted.householdType] ?? 1) * factor,
    };
    let sum = 0;
    for (const seed of seeds) {
      for (const d of drafts) {
        d.housedDay = -1;
        d.housedHome = -1;
      }
      // The same streams for every factor (common random numbers).
      simulateLettings(stock, drafts, a, createRandom(seed), weights, lettingsRule);
      sum += Math.log(housedOddsRatio(drafts, rule, planted.householdType, from, to) ?? 1);
    }
    return sum / seeds.length;
  };
  // The log odds ratio is close to linear in log(factor): fit it by least squares on the factors
  // 1, θ and θ² (each a mean over the calibration draws), then solve for the target.
  const target = Math.log(planted.oddsRatio);
  const xs = [0, target, 2 * target];
  const ys = xs.map((x) => measure(Math.exp(x)));
  const mx = (xs[0]! + xs[1]! + xs[2]!) / 3;
  const my = (ys[0]! + ys[1]! + ys[2]!) / 3;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, k) => {
    sxy += (x - mx) * (ys[k]! - my);
    sxx += (x - mx) ** 2;
  });
  // Bounded slope: the fit's noise must not send the factor far away.
  const slope = Math.min(2, Math.max(0.5, sxx > 0 ? sxy / sxx : 1));
  const x1 = target / slope;
  for (const d of drafts) {
    d.housedDay = -1;
    d.housedHome = -1;
  }
  return Math.exp(x1);
}
