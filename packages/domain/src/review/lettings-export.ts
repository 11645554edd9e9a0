import { csvLine } from '../shared/csv.ts';
import type { ReviewLease } from './cia-review.ts';

/** Columns of the signed-lease export (`mosaique export lettings`, API): required ones first. */
export const LETTINGS_COLUMNS = [
  'lease_id',
  'signed_on',
  'home_id',
  'commune',
  'qpv',
  'landlord',
  'reservation_holder',
  'household_id',
  'first_quartile',
  'urban_renewal_relocation',
  'priority_public',
  'typology',
  'transfer',
] as const;

/** The signed-lease export as CSV text (header first), from which anyone can recompute the review. */
export function lettingsCsv(leases: readonly ReviewLease[]): string {
  const lines = [csvLine([...LETTINGS_COLUMNS])];
  for (const l of leases) {
    lines.push(
      csvLine([
        l.leaseId,
        l.signedOn,
        l.homeId,
        l.commune,
        l.qpv,
        l.landlord,
        l.reservationHolder,
        l.householdId,
        l.firstQuartile,
        l.urbanRenewalRelocation,
        l.priorityPublic,
        l.typology,
        l.transfer,
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}
