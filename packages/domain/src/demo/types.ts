import type { Demand, Household, HouseholdType } from '../demand/types.ts';
import type { Lease } from '../letting/types.ts';
import type { Home, Landlord, ReservationHolder, Residence } from '../stock/types.ts';
import type { DemoAssumptions } from './assumptions.ts';
import type { PlantedDisparity } from './equal-treatment.ts';

/** Version of the generator: bump it whenever the same seed would give different files. */
export const DEMO_GENERATOR_VERSION = '1.0.0';

/**
 * First-quartile threshold of the EPCI for a year (CCH L441-1): computed from the demands active at
 * 31 December of the year before, as the smallest annual income per consumption unit t such that at
 * least 25 % of those demands have an income per UC ≤ t.
 */
export interface FirstQuartileThreshold {
  epci: string;
  year: number;
  /** € per consumption unit per year. */
  eur: number;
  /** Number of demands it was computed from. */
  demands: number;
}

export interface DemoOptions {
  seed: number;
  /** Defaults to DEMO_ASSUMPTIONS; pass a modified copy to test a variant. */
  assumptions?: DemoAssumptions;
  /**
   * Multiplies a demand's weight at every letting, by household type, everything else unchanged: the
   * hook to plant a known disparity for the equal-treatment audit. It is a factor on the chance at one
   * letting, not an odds ratio on being housed: homes are let by typology and households of a type
   * compete mostly among themselves, so the yearly effect is weaker (0.5 here gives about 0.86 for
   * single parents). `plantedDisparity` calibrates the factor for an exact odds ratio. Default: no
   * disparity.
   */
  allocationWeightByHouseholdType?: Partial<Record<HouseholdType, number>>;
  /**
   * How lettings choose among candidates: 'calibrated' (default) mimics commissions (priority,
   * seniority, reservation holders' rules, reluctance to house the poorest outside QPV); 'score' is
   * the null model of the equal-treatment audit — the chance depends only on the cotation score
   * (NULL_MODEL_GRID), the homes sought and accessibility (docs/audit.md).
   */
  lettingsRule?: 'calibrated' | 'score';
  /**
   * Plants a known disparity: the group's Mantel–Haenszel odds ratio of being housed in a year, within
   * strata of score decile × typologies sought, is multiplied by `oddsRatio`, everything else
   * unchanged (the weight factor is calibrated for it; docs/audit.md).
   */
  plantedDisparity?: PlantedDisparity;
  /** Draws the lettings stage from this seed instead of `seed` (every other stage unchanged). */
  lettingsSeed?: number;
}

/** Where an IRIS's income distribution comes from. */
export type IncomeSource = 'published' | 'commune-pool' | 'epci-pool';

/** The planned sizes: households and social homes per commune and per IRIS. */
export interface CommunePlan {
  commune: string;
  population: number;
  householdSize: number;
  households: number;
  socialHomes: number;
}

export interface IrisPlan {
  iris: string;
  commune: string;
  households: number;
  socialHomes: number;
  /** QPV the IRIS approximates, or null. */
  qpv: string | null;
  incomeSource: IncomeSource;
  /** D1…D9 used (published, or pooled for a fallback). */
  deciles: number[];
}

export interface DemoPlan {
  communes: CommunePlan[];
  iris: IrisPlan[];
}

/** The generated population of the demo territory; every record carries `generated: true`. */
export interface DemoPopulation {
  seed: number;
  generatorVersion: string;
  epci: string;
  /** Date of the snapshot of households and homes (ISO). */
  snapshotDate: string;
  /** Vintage of the income distributions households are calibrated on. */
  incomeYear: string;
  plan: DemoPlan;
  landlords: Landlord[];
  reservationHolders: ReservationHolder[];
  residences: Residence[];
  homes: Home[];
  households: Household[];
  demands: Demand[];
  leases: Lease[];
  firstQuartileThresholds: FirstQuartileThreshold[];
  /** The disparity planted, with the weight factor used (DemoOptions.plantedDisparity). */
  plantedDisparity?: PlantedDisparity & { factor: number };
}
