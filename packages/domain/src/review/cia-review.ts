import type { Typology } from '../stock/types.ts';
import type { CiaReviewSettings, CiaTargets } from './targets.ts';

/**
 * One signed lease as the CIA review counts it (CCH L441-1): only leases count, not allocations
 * without a lease. The export `mosaique export lettings` has one row per ReviewLease, so anyone can
 * recompute the review.
 */
export interface ReviewLease {
  leaseId: string;
  /** ISO date. */
  signedOn: string;
  homeId: string;
  commune: string;
  qpv: boolean;
  landlord: string;
  reservationHolder: string;
  typology: Typology;
  householdId: string;
  firstQuartile: boolean;
  urbanRenewalRelocation: boolean;
  priorityPublic: boolean;
  transfer: boolean;
}

/** Achievement of one target: how many leases, how many qualify, and how far from the target. */
export interface TargetOutcome {
  /** Leases the target is measured on. */
  leases: number;
  /** Of which qualifying households. */
  qualifying: number;
  /** qualifying ÷ leases; null without leases. */
  share: number | null;
  target: number;
  met: boolean;
  /**
   * Households that were missing to meet the target: the smallest k such that
   * (qualifying + k) ≥ target × leases; 0 when met.
   */
  missingHouseholds: number;
}

export interface ReviewBreakdownRow {
  key: string;
  outsideQpv: TargetOutcome;
  insideQpv: TargetOutcome;
  priority: TargetOutcome;
}

export interface CiaReview {
  epci: string;
  year: number;
  /** Leases signed up to this date (inclusive) are counted: 31 December, or a date for year to date. */
  until: string;
  settings: CiaReviewSettings;
  leases: number;
  /** Target 1: outside QPV, first quartile or relocated by urban renewal. */
  outsideQpv: TargetOutcome;
  /** Target 2: inside QPV, other than first quartile. */
  insideQpv: TargetOutcome;
  /** Target 3, per reservation holder: priority publics. */
  priorityByReservationHolder: (TargetOutcome & { reservationHolder: string })[];
  byLandlord: ReviewBreakdownRow[];
  byReservationHolder: ReviewBreakdownRow[];
  byCommune: ReviewBreakdownRow[];
  byTypology: ReviewBreakdownRow[];
}

function outcome(leases: number, qualifying: number, target: number): TargetOutcome {
  // A tolerance for the float product (0.25 × 120 = 30 exactly, but 0.1 × 30 is not).
  const required = Math.ceil(target * leases - 1e-9);
  return {
    leases,
    qualifying,
    share: leases > 0 ? qualifying / leases : null,
    target,
    met: qualifying >= required,
    missingHouseholds: Math.max(0, required - qualifying),
  };
}

interface Counts {
  outside: number;
  outsideQualifying: number;
  inside: number;
  insideQualifying: number;
  all: number;
  priority: number;
}

const emptyCounts = (): Counts => ({
  outside: 0,
  outsideQualifying: 0,
  inside: 0,
  insideQualifying: 0,
  all: 0,
  priority: 0,
});

function add(c: Counts, l: ReviewLease): void {
  c.all++;
  if (l.priorityPublic) c.priority++;
  if (l.qpv) {
    c.inside++;
    if (!l.firstQuartile) c.insideQualifying++;
  } else {
    c.outside++;
    if (l.firstQuartile || l.urbanRenewalRelocation) c.outsideQualifying++;
  }
}

function rows(groups: Map<string, Counts>, targets: CiaTargets): ReviewBreakdownRow[] {
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'fr'))
    .map(([key, c]) => ({
      key,
      outsideQpv: outcome(c.outside, c.outsideQualifying, targets.firstQuartileOutsideQpv),
      insideQpv: outcome(c.inside, c.insideQualifying, targets.nonFirstQuartileInsideQpv),
      priority: outcome(c.all, c.priority, targets.priorityPerReservationHolder),
    }));
}

/**
 * The annual CIA review of an EPCI (CCH L441-1): signed leases of `year` up to `until` (31 December
 * by default) against the three targets, and the same broken down by landlord, reservation holder,
 * commune and typology. A household relocated by urban renewal and housed outside QPV counts once
 * toward target 1, whether or not it is also in the first quartile.
 */
export function ciaReview(
  epci: string,
  year: number,
  leases: readonly ReviewLease[],
  settings: CiaReviewSettings,
  until = `${year}-12-31`,
): CiaReview {
  const from = `${year}-01-01`;
  const counted = leases.filter(
    (l) => l.signedOn >= from && l.signedOn <= until && (settings.countTransfers || !l.transfer),
  );
  const total = emptyCounts();
  const groups = {
    landlord: new Map<string, Counts>(),
    reservationHolder: new Map<string, Counts>(),
    commune: new Map<string, Counts>(),
    typology: new Map<string, Counts>(),
  };
  const groupOf = (map: Map<string, Counts>, key: string) => {
    let c = map.get(key);
    if (!c) map.set(key, (c = emptyCounts()));
    return c;
  };
  for (const l of counted) {
    add(total, l);
    add(groupOf(groups.landlord, l.landlord), l);
    add(groupOf(groups.reservationHolder, l.reservationHolder), l);
    add(groupOf(groups.commune, l.commune), l);
    add(groupOf(groups.typology, `T${l.typology}`), l);
  }
  const { targets } = settings;
  const byReservationHolder = rows(groups.reservationHolder, targets);
  return {
    epci,
    year,
    until,
    settings,
    leases: counted.length,
    outsideQpv: outcome(total.outside, total.outsideQualifying, targets.firstQuartileOutsideQpv),
    insideQpv: outcome(total.inside, total.insideQualifying, targets.nonFirstQuartileInsideQpv),
    priorityByReservationHolder: byReservationHolder.map((r) => ({
      reservationHolder: r.key,
      ...r.priority,
    })),
    byLandlord: rows(groups.landlord, targets),
    byReservationHolder,
    byCommune: rows(groups.commune, targets),
    byTypology: rows(groups.typology, targets),
  };
}

/**
 * Projection to 31 December at the year-to-date pace: leases and qualifying households scaled by the
 * share of the year elapsed (leases of open letting cycles can be added as `pipeline`).
 */
export function projectToYearEnd(
  review: CiaReview,
  pipeline: {
    outsideQpv: number;
    outsideQpvQualifying: number;
    insideQpv: number;
    insideQpvQualifying: number;
  } = {
    outsideQpv: 0,
    outsideQpvQualifying: 0,
    insideQpv: 0,
    insideQpvQualifying: 0,
  },
): { outsideQpv: TargetOutcome; insideQpv: TargetOutcome; yearElapsed: number } {
  const start = Date.UTC(review.year, 0, 1);
  const end = Date.UTC(review.year + 1, 0, 1);
  const at = Date.parse(`${review.until}T00:00:00Z`) + 86_400_000;
  const yearElapsed = Math.min(1, Math.max(0, (at - start) / (end - start)));
  const scale = yearElapsed > 0 ? 1 / yearElapsed : 0;
  const t = review.settings.targets;
  return {
    yearElapsed,
    outsideQpv: outcome(
      Math.round(review.outsideQpv.leases * scale) + pipeline.outsideQpv,
      Math.round(review.outsideQpv.qualifying * scale) + pipeline.outsideQpvQualifying,
      t.firstQuartileOutsideQpv,
    ),
    insideQpv: outcome(
      Math.round(review.insideQpv.leases * scale) + pipeline.insideQpv,
      Math.round(review.insideQpv.qualifying * scale) + pipeline.insideQpvQualifying,
      t.nonFirstQuartileInsideQpv,
    ),
  };
}
