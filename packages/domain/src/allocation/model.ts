/**
 * The allocation instance compiled into typed arrays: homes and applicants indexed in id order (ties
 * are broken by ids), one edge per eligible application (CSR by home), and the CIA target rows
 * written as Σ_e coefficient_e · x_e ≥ rhs (CCH L441-1).
 */
import {
  type AllocationInstance,
  type AllocationSettings,
  type AllocationTargets,
  type ConstraintKind,
  DEFAULT_SETTINGS,
  DEFAULT_TARGETS,
} from './types.ts';

export interface TargetRow {
  kind: ConstraintKind;
  /** EPCI SIREN or reservation holder id. */
  scope: string;
  target: number;
  /** Homes of the batch in the row's scope. */
  homes: number;
  /** Leases signed earlier in the year (denominator part). */
  yearToDateTotal: number;
  /** Of which qualifying. */
  yearToDateQualifying: number;
  /** Right-hand side b of Σ coefficient · x ≥ b (households). */
  rhs: number;
}

export interface AllocationModel {
  homeIds: string[];
  applicantIds: string[];
  homeCount: number;
  applicantCount: number;
  edgeCount: number;
  /** CSR: edges of home h are homeStart[h] … homeStart[h + 1] − 1, by applicant index. */
  homeStart: Int32Array;
  edgeHome: Int32Array;
  edgeApplicant: Int32Array;
  edgeRank: Int32Array;
  /** score × (1 + rankWeight × (rankReference − rank)). */
  edgeWeight: Float64Array;
  /** Row of the home's EPCI target (outside or inside QPV). */
  homeEpciRow: Int32Array;
  /** Row of the home's reservation holder. */
  homeHolderRow: Int32Array;
  /** Coefficient of the edge in its home's EPCI row. */
  edgeEpciCoefficient: Float64Array;
  /** Coefficient of the edge in its home's holder row. */
  edgeHolderCoefficient: Float64Array;
  rows: TargetRow[];
  rhs: Float64Array;
  applicantScore: Float64Array;
  /** bit 0 first quartile, bit 1 urban-renewal relocation, bit 2 priority public. */
  applicantFlags: Uint8Array;
  homeQpv: Uint8Array;
  homeEpci: string[];
  homeHolder: string[];
  settings: AllocationSettings & { shortfallPenalty: number };
  targets: AllocationTargets;
}

export const FIRST_QUARTILE = 1;
export const URBAN_RENEWAL = 2;
export const PRIORITY = 4;

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Does the applicant count as qualifying for the row kind? */
export function qualifies(kind: ConstraintKind, flags: number): boolean {
  switch (kind) {
    case 'firstQuartileOutsideQpv':
      return (flags & (FIRST_QUARTILE | URBAN_RENEWAL)) !== 0;
    case 'nonFirstQuartileInsideQpv':
      return (flags & FIRST_QUARTILE) === 0;
    case 'priorityPerReservationHolder':
      return (flags & PRIORITY) !== 0;
  }
}

/** Compiles a validated instance (see validateAllocationInstance). */
export function compileAllocationModel(
  instance: AllocationInstance,
  overrides: Partial<AllocationSettings> = {},
): AllocationModel {
  const targets: AllocationTargets = { ...DEFAULT_TARGETS, ...instance.targets };
  const base: AllocationSettings = { ...DEFAULT_SETTINGS, ...instance.settings, ...overrides };

  const homes = [...instance.homes].sort((a, b) => byCodeUnits(a.id, b.id));
  const applicants = [...instance.applicants].sort((a, b) => byCodeUnits(a.id, b.id));
  const homeIndex = new Map<string, number>();
  for (let i = 0; i < homes.length; i++) homeIndex.set(homes[i]!.id, i);
  const applicantIndex = new Map<string, number>();
  for (let i = 0; i < applicants.length; i++) applicantIndex.set(applicants[i]!.id, i);
  const homeCount = homes.length;
  const applicantCount = applicants.length;

  const applicantScore = new Float64Array(applicantCount);
  const applicantFlags = new Uint8Array(applicantCount);
  applicants.forEach((a, i) => {
    applicantScore[i] = a.score;
    applicantFlags[i] =
      (a.firstQuartile ? FIRST_QUARTILE : 0) |
      (a.urbanRenewalRelocation ? URBAN_RENEWAL : 0) |
      (a.priorityPublic ? PRIORITY : 0);
  });

  // Edges sorted by (home, applicant): two stable counting sorts, by applicant then by home.
  const eligible = instance.applications.filter((a) => a.eligible !== false);
  const edgeCount = eligible.length;
  const rawHome = new Int32Array(edgeCount);
  const rawApplicant = new Int32Array(edgeCount);
  const rawRank = new Int32Array(edgeCount);
  for (let i = 0; i < edgeCount; i++) {
    const app = eligible[i]!;
    rawHome[i] = homeIndex.get(app.home)!;
    rawApplicant[i] = applicantIndex.get(app.applicant)!;
    rawRank[i] = app.rank;
  }
  const byApplicant = countingOrder(rawApplicant, applicantCount, null);
  const order = countingOrder(rawHome, homeCount, byApplicant);
  const homeStart = new Int32Array(homeCount + 1);
  for (let i = 0; i < edgeCount; i++) homeStart[rawHome[i]! + 1]!++;
  for (let h = 0; h < homeCount; h++) homeStart[h + 1]! += homeStart[h]!;
  const edgeHome = new Int32Array(edgeCount);
  const edgeApplicant = new Int32Array(edgeCount);
  const edgeRank = new Int32Array(edgeCount);
  for (let pos = 0; pos < edgeCount; pos++) {
    const i = order[pos]!;
    edgeHome[pos] = rawHome[i]!;
    edgeApplicant[pos] = rawApplicant[i]!;
    edgeRank[pos] = rawRank[i]!;
  }
  const edgeWeight = new Float64Array(edgeCount);
  let maxWeight = 0;
  for (let e = 0; e < edgeCount; e++) {
    const w =
      applicantScore[edgeApplicant[e]!]! * (1 + base.rankWeight * (base.rankReference - edgeRank[e]!));
    edgeWeight[e] = w;
    if (Math.abs(w) > maxWeight) maxWeight = Math.abs(w);
  }
  const settings = { ...base, shortfallPenalty: base.shortfallPenalty ?? 100 * Math.max(maxWeight, 1) };

  // Target rows: per EPCI (outside QPV, inside QPV) then per reservation holder, each in id order.
  const epciYtd = new Map((instance.yearToDate ?? []).map((y) => [y.epci, y]));
  const holderYtd = new Map((instance.reservationYearToDate ?? []).map((y) => [y.reservationHolder, y]));
  const epcis = [...new Set(homes.map((h) => h.epci))].sort(byCodeUnits);
  const holders = [...new Set(homes.map((h) => h.reservationHolder))].sort(byCodeUnits);
  const rows: TargetRow[] = [];
  const rowByKey = new Map<string, number>();
  const countHomes = (pred: (h: (typeof homes)[number]) => boolean) => homes.filter(pred).length;
  for (const epci of epcis) {
    const ytd = epciYtd.get(epci);
    const outside = countHomes((h) => h.epci === epci && !h.qpv);
    const inside = countHomes((h) => h.epci === epci && h.qpv);
    if (outside > 0) {
      rowByKey.set(`o:${epci}`, rows.length);
      rows.push(
        makeRow(
          'firstQuartileOutsideQpv',
          epci,
          targets.firstQuartileOutsideQpv,
          outside,
          ytd?.outsideQpv ?? 0,
          ytd?.outsideQpvFirstQuartile ?? 0,
        ),
      );
    }
    if (inside > 0) {
      rowByKey.set(`i:${epci}`, rows.length);
      rows.push(
        makeRow(
          'nonFirstQuartileInsideQpv',
          epci,
          targets.nonFirstQuartileInsideQpv,
          inside,
          ytd?.insideQpv ?? 0,
          ytd?.insideQpvNonFirstQuartile ?? 0,
        ),
      );
    }
  }
  for (const holder of holders) {
    const ytd = holderYtd.get(holder);
    rowByKey.set(`r:${holder}`, rows.length);
    rows.push(
      makeRow(
        'priorityPerReservationHolder',
        holder,
        targets.priorityPerReservationHolder,
        countHomes((h) => h.reservationHolder === holder),
        ytd?.total ?? 0,
        ytd?.priority ?? 0,
      ),
    );
  }
  // Σ c·x ≥ rhs. nonQualifying: c = 1 for a qualifying lease, rhs = t·(ytd + homes) − ytdQualifying.
  // excluded: c = q − t for every lease, rhs = t·ytd − ytdQualifying.
  const prudent = settings.unletHomes === 'nonQualifying';
  const rhs = new Float64Array(rows.length);
  rows.forEach((row, r) => {
    row.rhs = prudent
      ? row.target * (row.yearToDateTotal + row.homes) - row.yearToDateQualifying
      : row.target * row.yearToDateTotal - row.yearToDateQualifying;
    rhs[r] = row.rhs;
  });

  const homeEpciRow = new Int32Array(homeCount);
  const homeHolderRow = new Int32Array(homeCount);
  const homeQpv = new Uint8Array(homeCount);
  homes.forEach((h, i) => {
    homeEpciRow[i] = rowByKey.get(`${h.qpv ? 'i' : 'o'}:${h.epci}`)!;
    homeHolderRow[i] = rowByKey.get(`r:${h.reservationHolder}`)!;
    homeQpv[i] = h.qpv ? 1 : 0;
  });
  const edgeEpciCoefficient = new Float64Array(edgeCount);
  const edgeHolderCoefficient = new Float64Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    const h = edgeHome[e]!;
    const flags = applicantFlags[edgeApplicant[e]!]!;
    const epciRow = rows[homeEpciRow[h]!]!;
    const holderRow = rows[homeHolderRow[h]!]!;
    const qe = qualifies(epciRow.kind, flags) ? 1 : 0;
    const qh = qualifies(holderRow.kind, flags) ? 1 : 0;
    edgeEpciCoefficient[e] = prudent ? qe : qe - epciRow.target;
    edgeHolderCoefficient[e] = prudent ? qh : qh - holderRow.target;
  }

  return {
    homeIds: homes.map((h) => h.id),
    applicantIds: applicants.map((a) => a.id),
    homeCount,
    applicantCount,
    edgeCount,
    homeStart,
    edgeHome,
    edgeApplicant,
    edgeRank,
    edgeWeight,
    homeEpciRow,
    homeHolderRow,
    edgeEpciCoefficient,
    edgeHolderCoefficient,
    rows,
    rhs,
    applicantScore,
    applicantFlags,
    homeQpv,
    homeEpci: homes.map((h) => h.epci),
    homeHolder: homes.map((h) => h.reservationHolder),
    settings,
    targets,
  };
}

/** Stable counting sort of positions (all, or those of `within` in its order) by key in [0, keys). */
function countingOrder(key: Int32Array, keys: number, within: Int32Array | null): Int32Array {
  const n = key.length;
  const start = new Int32Array(keys + 1);
  for (let i = 0; i < n; i++) start[key[i]! + 1]!++;
  for (let k = 0; k < keys; k++) start[k + 1]! += start[k]!;
  const out = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const i = within ? within[j]! : j;
    out[start[key[i]!]!++] = i;
  }
  return out;
}

function makeRow(
  kind: ConstraintKind,
  scope: string,
  target: number,
  homes: number,
  yearToDateTotal: number,
  yearToDateQualifying: number,
): TargetRow {
  return { kind, scope, target, homes, yearToDateTotal, yearToDateQualifying, rhs: 0 };
}

/** Row activities Σ_e c_e x_e of a matching given as the edge of each home (−1 = unlet). */
export function rowActivities(
  model: AllocationModel,
  homeEdge: Int32Array,
  out?: Float64Array,
): Float64Array {
  const activity = out ?? new Float64Array(model.rows.length);
  activity.fill(0);
  for (let h = 0; h < model.homeCount; h++) {
    const e = homeEdge[h]!;
    if (e < 0) continue;
    activity[model.homeEpciRow[h]!]! += model.edgeEpciCoefficient[e]!;
    activity[model.homeHolderRow[h]!]! += model.edgeHolderCoefficient[e]!;
  }
  return activity;
}

/** Σ weights − penalty × Σ shortfalls of a matching: the value the engine maximises. */
export function penalisedObjective(model: AllocationModel, homeEdge: Int32Array): number {
  let weight = 0;
  for (let h = 0; h < model.homeCount; h++) {
    const e = homeEdge[h]!;
    if (e >= 0) weight += model.edgeWeight[e]!;
  }
  const activity = rowActivities(model, homeEdge);
  let shortfall = 0;
  for (let r = 0; r < model.rows.length; r++) shortfall += Math.max(0, model.rhs[r]! - activity[r]!);
  return weight - model.settings.shortfallPenalty * shortfall;
}
