/**
 * The allocation problem of a closed letting cycle: which applicant should get which home so that
 * applicants' priority (cotation score) and choices are served as well as possible while the year's
 * CIA targets (CCH L441-1) and every reservation holder's priority duty are met.
 * Plain data in, plain data out; the format is documented in docs/formats/allocation.md.
 */

/** CIA targets, as shares in [0, 1] (CCH L441-1; defaults 25 %, 50 %, 25 %). */
export interface AllocationTargets {
  /** Share of leases outside QPV going to first-quartile or urban-renewal-relocated households. */
  firstQuartileOutsideQpv: number;
  /** Share of leases inside QPV going to households other than first-quartile ones. */
  nonFirstQuartileInsideQpv: number;
  /** Share of each reservation holder's leases going to priority publics (L441-1, DALO included). */
  priorityPerReservationHolder: number;
}

export const DEFAULT_TARGETS: Readonly<AllocationTargets> = {
  firstQuartileOutsideQpv: 0.25,
  nonFirstQuartileInsideQpv: 0.5,
  priorityPerReservationHolder: 0.25,
};

/** A vacant home of the letting cycle. */
export interface AllocationHome {
  id: string;
  /** SIREN of the EPCI that owns the CIA (9 digits). */
  epci: string;
  /** The home lies inside a priority neighbourhood. */
  qpv: boolean;
  /** Whose flow the home belongs to: `state`, `action-logement`, `commune`, `landlord` or any id. */
  reservationHolder: string;
}

export interface AllocationApplicant {
  id: string;
  /** Cotation score (L441-2-8), in the grid's points. */
  score: number;
  firstQuartile: boolean;
  urbanRenewalRelocation: boolean;
  priorityPublic: boolean;
}

/** An applicant's bid on a home; rank 1 is the applicant's preferred home among their applications. */
export interface AllocationApplication {
  applicant: string;
  home: string;
  /** Integer ≥ 1. */
  rank: number;
  /** false when the applicant is not eligible to this home (income ceiling, size): no variable. Default true. */
  eligible?: boolean;
}

/** Leases signed since 1 January in an EPCI, before this cycle (they count toward the year's targets). */
export interface EpciYearToDate {
  epci: string;
  outsideQpv: number;
  /** Among `outsideQpv`: first-quartile or urban-renewal-relocated households. */
  outsideQpvFirstQuartile: number;
  insideQpv: number;
  /** Among `insideQpv`: households other than first-quartile ones. */
  insideQpvNonFirstQuartile: number;
}

/** Leases signed since 1 January on a reservation holder's flow. */
export interface ReservationYearToDate {
  reservationHolder: string;
  total: number;
  /** Among `total`: priority publics. */
  priority: number;
}

/**
 * How homes left unlet by the batch count in the targets.
 * - `nonQualifying` (default): an unlet home counts as a lease to a household that does not qualify
 *   (it will be let later this year, to a household the engine cannot count on); leaving a home
 *   empty therefore never helps a target.
 * - `excluded`: only signed leases count (the letter of L441-1); the engine may then leave a home
 *   empty when that is the cheapest way to meet a target.
 */
export type UnletHomesRule = 'nonQualifying' | 'excluded';

export interface AllocationSettings {
  /** Weight of an edge = score × (1 + rankWeight × (rankReference − rank)). Default 0.1. */
  rankWeight: number;
  /** Default 5 (the usual number of choices). */
  rankReference: number;
  /**
   * Objective points lost per missing household (one unit of shortfall on a target row).
   * Default: 100 × the largest edge weight, so that a target is traded for scores only when no
   * allocation of the pool can meet it.
   */
  shortfallPenalty?: number;
  unletHomes: UnletHomesRule;
  /** Wall-clock budget of the engine, seconds. Default 60. */
  timeLimitSeconds: number;
  /** The engine stops once (upperBound − objective) / max(|upperBound|, 1) is at most this. Default 1e-6. */
  relativeGapTolerance: number;
}

export const DEFAULT_SETTINGS: Readonly<AllocationSettings> = {
  rankWeight: 0.1,
  rankReference: 5,
  unletHomes: 'nonQualifying',
  timeLimitSeconds: 60,
  relativeGapTolerance: 1e-6,
};

export interface AllocationInstance {
  targets?: Partial<AllocationTargets>;
  homes: AllocationHome[];
  applicants: AllocationApplicant[];
  applications: AllocationApplication[];
  yearToDate?: EpciYearToDate[];
  reservationYearToDate?: ReservationYearToDate[];
  settings?: Partial<AllocationSettings>;
}

export type ConstraintKind =
  | 'firstQuartileOutsideQpv'
  | 'nonFirstQuartileInsideQpv'
  | 'priorityPerReservationHolder';

/** One target row, year-to-date leases included. */
export interface ConstraintReport {
  /** `firstQuartileOutsideQpv:<epci>`, `nonFirstQuartileInsideQpv:<epci>`, `priorityPerReservationHolder:<holder>`. */
  name: string;
  kind: ConstraintKind;
  /** EPCI SIREN or reservation holder id. */
  scope: string;
  /** French label. */
  label: string;
  target: number;
  /** Homes of the batch in the row's scope. */
  homes: number;
  /** Of which let by the proposal. */
  lets: number;
  /** Leases counted in the denominator (year to date + batch, see `UnletHomesRule`). */
  counted: number;
  /** target × counted, households. */
  required: number;
  /** Qualifying households, year to date + batch. */
  achieved: number;
  /** achieved − required (negative = shortfall). */
  slack: number;
  /** max(0, −slack). */
  shortfall: number;
  /** Households of the batch that would have had to qualify instead of non-qualifying ones: ⌈shortfall⌉. */
  missingHouseholds: number;
  /** Lagrange multiplier: objective points one more qualifying household would be worth. */
  multiplier: number;
}

export interface AssignmentReport {
  home: string;
  applicant: string;
  rank: number;
  score: number;
  /** score × (1 + rankWeight × (rankReference − rank)). */
  weight: number;
}

/**
 * optimal: gap ≤ 1e-9; withinTolerance: gap ≤ relativeGapTolerance; timeLimit: stopped by the
 * time limit above the tolerance; stalled: no further progress above the tolerance (the gap is
 * still certified).
 */
export type AllocationStatus = 'optimal' | 'withinTolerance' | 'timeLimit' | 'stalled';

export interface AllocationResult {
  assignments: AssignmentReport[];
  /** Homes left unlet. */
  unlet: string[];
  /** Per home, up to 3 ranked applicants (CALEOL needs three, R441-3): the assigned one first. */
  candidates: Record<string, string[]>;
  /** Σ weights of the assignments − shortfallPenalty × Σ shortfalls: the optimised value. */
  objective: number;
  /** Σ weights of the assignments. */
  weight: number;
  /** Σ shortfalls × shortfallPenalty. */
  penalty: number;
  /** LP relaxation bound (Lagrangian dual value), ≥ any allocation's objective. */
  upperBound: number;
  /** (upperBound − objective) / max(|upperBound|, 1). */
  gap: number;
  constraints: ConstraintReport[];
  /** Weight of the best allocation without CIA targets minus `weight` (score points). */
  priceOfMix: number;
  /** Weight of the best allocation without CIA targets. */
  unconstrainedWeight: number;
  /** Per home, in French: why the first candidate, which target moved whom. */
  explanations: Record<string, string>;
  status: AllocationStatus;
  /** Engine wall-clock time, seconds. */
  seconds: number;
  iterations: number;
  settings: AllocationSettings & { shortfallPenalty: number };
  targets: AllocationTargets;
}
