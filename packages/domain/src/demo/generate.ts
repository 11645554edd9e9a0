/**
 * generateDemoPopulation: the whole demo population of a territory from a seed — social housing
 * stock, households, register of demands, lettings history, first-quartile thresholds. Pure and
 * deterministic: the same territory, options and seed give the same population. Each stage draws
 * from its own random stream, so changing one stage does not shift the draws of the others.
 * Method and assumptions: docs/demo-population.md.
 */
import type { Demand, Household } from '../demand/types.ts';
import type { Lease } from '../letting/types.ts';
import { createRandom } from '../shared/random.ts';
import type { TerritoryData } from '../territory/types.ts';
import { DEMO_ASSUMPTIONS } from './assumptions.ts';
import { dayOf, isoOf, yearOf } from './dates.ts';
import { type DemandDraft, generateDemands } from './demands.ts';
import { calibratePlantedFactor, nullModelScoreRule } from './equal-treatment.ts';
import { demandIncomePerConsumptionUnit, firstQuartileThresholdOn } from './first-quartile.ts';
import {
  consumptionUnitsOf,
  drawCompositionForPersons,
  generateResidentHouseholds,
  type HouseholdDraft,
  personsForTypology,
  propensityOf,
} from './households.ts';
import { calibrateIncomes } from './incomes.ts';
import { simulateLettings } from './lettings.ts';
import { epciPooledDeciles, planDemoPopulation } from './plan.ts';
import { quantileFromDeciles } from './quantile.ts';
import { generateStock } from './stock.ts';
import {
  DEMO_GENERATOR_VERSION,
  type DemoOptions,
  type DemoPopulation,
  type FirstQuartileThreshold,
} from './types.ts';

/** Standard normal cumulative distribution (Abramowitz & Stegun 7.1.26, error < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export function generateDemoPopulation(territory: TerritoryData, options: DemoOptions): DemoPopulation {
  const a = options.assumptions ?? DEMO_ASSUMPTIONS;
  if (!Number.isInteger(options.seed) || options.seed < 0) {
    throw new Error(`graine invalide : ${options.seed} (entier positif ou nul attendu)`);
  }
  const root = createRandom(options.seed);
  const streams = {
    stock: root.fork(1),
    households: root.fork(2),
    demands: root.fork(3),
    lettings: root.fork(4),
    occupants: root.fork(5),
    resources: root.fork(6),
  };
  const epci = territory.epci.code;
  const snapshot = dayOf(a.snapshotDate);

  const plan = planDemoPopulation(territory, a);
  const stock = generateStock(territory, plan, a, streams.stock);
  const households: HouseholdDraft[] = generateResidentHouseholds(plan, stock, a, streams.households);
  const allDemands = generateDemands(plan, stock, households, a, streams.demands);
  // The null model of the equal-treatment audit and the planted disparity (docs/audit.md).
  const scoreRule = options.lettingsRule === 'score' ? nullModelScoreRule(allDemands, epci, a) : null;
  let weightByType = options.allocationWeightByHouseholdType ?? {};
  const planted = options.plantedDisparity;
  let plantedDisparity: DemoPopulation['plantedDisparity'];
  if (planted) {
    const factor =
      planted.factor ??
      calibratePlantedFactor(
        stock,
        allDemands,
        a,
        root.fork(7),
        scoreRule ?? nullModelScoreRule(allDemands, epci, a),
        scoreRule,
        planted,
        weightByType,
      );
    plantedDisparity = { ...planted, factor };
    weightByType = {
      ...weightByType,
      [planted.householdType]: (weightByType[planted.householdType] ?? 1) * factor,
    };
  }
  const lettingsRandom =
    options.lettingsSeed === undefined ? streams.lettings : createRandom(options.lettingsSeed).fork(4);
  const simulated = simulateLettings(stock, allDemands, a, lettingsRandom, weightByType, scoreRule);

  // Only the demands still in the register at the start of the lettings years are kept.
  const letStart = dayOf(`${a.lettingYears[0]}-01-01`);
  const newIndex = new Int32Array(allDemands.length).fill(-1);
  const demands: DemandDraft[] = [];
  allDemands.forEach((d, i) => {
    if ((d.housedDay >= 0 ? d.housedDay : d.lapseDay) < letStart) return;
    newIndex[i] = demands.length;
    demands.push(d);
  });
  const demandOfHome = simulated.demandOfHome.map((i) => (i >= 0 ? newIndex[i]! : -1));

  // Occupants of the homes let during the lettings years: the households of the demands chosen.
  for (let h = 0; h < stock.homes.length; h++) {
    if (stock.homeLetDay[h]! < 0) continue;
    const i = demandOfHome[h]!;
    if (i >= 0) {
      const d = demands[i]!;
      d.household = households.length;
      households.push({
        type: d.type,
        persons14OrMore: d.persons14OrMore,
        personsUnder14: d.personsUnder14,
        referenceAge: d.referenceAge,
        iris: stock.homeIris[h]!,
        tenure: 'social-tenant',
        home: h,
        propensity: d.propensity,
        income: 0,
        housedBy: i,
      });
    } else {
      // No active demand fitted: the home keeps a long-standing tenant instead.
      stock.homeLetDay[h] = -1;
      const r = streams.occupants;
      const c = drawCompositionForPersons(r, personsForTypology(r, stock.homes[h]!.typology, a), a);
      households.push({
        type: c.type,
        persons14OrMore: c.persons14OrMore,
        personsUnder14: c.personsUnder14,
        referenceAge: c.referenceAge,
        iris: stock.homeIris[h]!,
        tenure: 'social-tenant',
        home: h,
        propensity: propensityOf(r, 'social-tenant', c, a),
        income: 0,
        housedBy: -1,
      });
    }
  }
  // Applicants still waiting (or who gave up) are linked to the household they were modelled on.
  for (const d of demands) if (d.housedHome < 0 && d.template >= 0) d.household = d.template;

  calibrateIncomes(plan, households, a);

  // Incomes of applicants outside ordinary housing: their propensity's rank among the population's,
  // read on the EPCI's pooled distribution.
  let mean = 0;
  for (const h of households) mean += h.propensity;
  mean /= households.length;
  let variance = 0;
  for (const h of households) variance += (h.propensity - mean) ** 2;
  const sd = Math.sqrt(variance / households.length);
  const epciQuantile = quantileFromDeciles(epciPooledDeciles(territory, a), a.incomeTails);

  // Identifiers: households by IRIS, social tenants first (by home), then the others.
  const order = households.map((_, i) => i);
  order.sort((x, y) => {
    const hx = households[x]!;
    const hy = households[y]!;
    if (hx.iris !== hy.iris) return hx.iris - hy.iris;
    const kx = hx.home >= 0 ? hx.home : stock.homes.length + x;
    const ky = hy.home >= 0 ? hy.home : stock.homes.length + y;
    return kx - ky;
  });
  const householdId = new Array<string>(households.length);
  order.forEach((i, k) => {
    householdId[i] = `hh-${String(k + 1).padStart(7, '0')}`;
  });
  const householdList: Household[] = order.map((i) => {
    const h = households[i]!;
    const irisPlan = plan.iris[h.iris]!;
    return {
      id: householdId[i]!,
      epci,
      commune: irisPlan.commune,
      iris: irisPlan.iris,
      tenure: h.tenure,
      home: h.home >= 0 ? stock.homes[h.home]!.id : null,
      persons14OrMore: h.persons14OrMore,
      personsUnder14: h.personsUnder14,
      referenceAge: h.referenceAge,
      type: h.type,
      annualDisposableIncomeEur: h.income,
      incomeImputed: irisPlan.incomeSource !== 'published',
      generated: true,
    };
  });

  // Demands: declared resources from the household's income, status at the snapshot date.
  const dm = a.demand;
  const r = streams.resources;
  const demandList: Demand[] = demands.map((d, k) => {
    const units = consumptionUnitsOf(d.persons14OrMore, d.personsUnder14);
    // In the null model, resources must not depend on the letting: a housed applicant declares what
    // the household it was modelled on earns, not what its new neighbourhood's calibration gives.
    const source = scoreRule ? d.template : d.household;
    const income =
      source >= 0
        ? households[source]!.income
        : epciQuantile(Math.min(0.999, Math.max(0.001, normalCdf(-(d.propensity - mean) / sd)))) * units;
    const monthlyResourcesEur = Math.round(
      ((income * dm.resourcesUprating) / 12) * Math.exp(dm.resourcesNoise * r.normal()),
    );
    const benefits = Math.max(0, dm.nonTaxableBenefitsPerUc * units - 0.5 * income);
    // Two years earlier than the resources: about 4 % lower in nominal terms.
    const referenceTaxIncomeEur = Math.round(
      0.9 * Math.max(0, 1.07 * income - benefits) * (dm.resourcesUprating / 1.045),
    );
    const maxRentEur = r.bernoulli(0.5)
      ? null
      : Math.round(Math.min(1_200, Math.max(250, 0.35 * monthlyResourcesEur)) / 10) * 10;
    const registered = isoOf(d.registeredDay);
    let status: Demand['status'] = 'active';
    let closedOn: string | null = null;
    if (d.housedDay >= 0) {
      status = 'housed';
      closedOn = isoOf(d.housedDay);
    } else if (d.lapseDay <= snapshot) {
      status = 'cancelled';
      closedOn = isoOf(d.lapseDay);
    }
    return {
      sneNumber: `038${registered.slice(2, 4)}${registered.slice(5, 7)}${String(k + 1).padStart(7, '0')}`,
      epci,
      household: d.household >= 0 ? householdId[d.household]! : null,
      registeredOn: registered,
      applicantBirthDate: isoOf(d.birthDay),
      householdType: d.type,
      persons14OrMore: d.persons14OrMore,
      personsUnder14: d.personsUnder14,
      monthlyResourcesEur,
      referenceTaxIncomeEur,
      currentHousing: d.currentHousing,
      currentCommune: d.currentCommune,
      reasons: d.reasons,
      desiredCommunes: d.desiredCommunes,
      desiredTypologies: d.desiredTypologies,
      maxRentEur,
      priorityCriteria: d.priorityCriteria,
      dalo: d.dalo,
      urbanRenewalRelocation: d.urbanRenewalRelocation,
      currentSocialTenant: d.currentHousing === 'social-tenant',
      wheelchairAccess: d.wheelchairAccess,
      status,
      closedOn,
      generated: true,
    };
  });

  // First-quartile thresholds: year N from the demands active at 31 December of N−1.
  const years = [...a.lettingYears, a.lettingYears[a.lettingYears.length - 1]! + 1];
  const firstQuartileThresholds: FirstQuartileThreshold[] = [];
  const thresholdOf = new Map<number, number>();
  for (const year of years) {
    const t = firstQuartileThresholdOn(demandList, `${year - 1}-12-31`);
    if (!t) continue;
    firstQuartileThresholds.push({ epci, year, eur: t.eur, demands: t.demands });
    thresholdOf.set(year, t.eur);
  }

  // Leases, in date order.
  const letHomes: number[] = [];
  for (let h = 0; h < stock.homes.length; h++)
    if (demandOfHome[h]! >= 0 && stock.homeLetDay[h]! >= 0) letHomes.push(h);
  letHomes.sort((x, y) => stock.homeLetDay[x]! - stock.homeLetDay[y]! || x - y);
  const leases: Lease[] = letHomes.map((h, k) => {
    const i = demandOfHome[h]!;
    const demand = demandList[i]!;
    const day = stock.homeLetDay[h]!;
    const income = demandIncomePerConsumptionUnit(demand);
    const threshold = thresholdOf.get(yearOf(day)) ?? 0;
    return {
      id: `lease-${String(k + 1).padStart(6, '0')}`,
      home: stock.homes[h]!.id,
      household: householdId[demands[i]!.household]!,
      sneNumber: demand.sneNumber,
      signedOn: isoOf(day),
      reservationHolder: stock.homes[h]!.reservationHolder,
      incomePerConsumptionUnitEur: income,
      firstQuartileThresholdEur: threshold,
      firstQuartile: income <= threshold,
      urbanRenewalRelocation: demand.urbanRenewalRelocation,
      priorityPublic: demand.dalo || demand.priorityCriteria.length > 0,
      dalo: demand.dalo,
      transfer: demand.currentSocialTenant,
      generated: true,
    };
  });

  return {
    seed: options.seed,
    generatorVersion: DEMO_GENERATOR_VERSION,
    epci,
    snapshotDate: a.snapshotDate,
    incomeYear: territory.iris.find((i) => i.income)?.income?.year ?? '',
    plan,
    landlords: stock.landlords,
    reservationHolders: stock.reservationHolders,
    residences: stock.residences,
    homes: stock.homes,
    households: householdList,
    demands: demandList,
    leases,
    firstQuartileThresholds,
    ...(plantedDisparity ? { plantedDisparity } : {}),
  };
}
