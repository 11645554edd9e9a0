import type { EpciYearToDate, ReservationYearToDate } from '../allocation/types.ts';
import type { ReviewLease } from '../review/cia-review.ts';

/**
 * The allocation engine's year-to-date counts (docs/formats/allocation.md) from the signed leases
 * of the year before a commission: outside QPV, first-quartile or urban-renewal households; inside
 * QPV, households other than first-quartile ones; per reservation holder, priority publics.
 */
export function yearToDateOfLeases(
  epci: string,
  leases: readonly Pick<
    ReviewLease,
    'qpv' | 'firstQuartile' | 'urbanRenewalRelocation' | 'priorityPublic' | 'reservationHolder'
  >[],
): { yearToDate: EpciYearToDate[]; reservationYearToDate: ReservationYearToDate[] } {
  const epciCounts: EpciYearToDate = {
    epci,
    outsideQpv: 0,
    outsideQpvFirstQuartile: 0,
    insideQpv: 0,
    insideQpvNonFirstQuartile: 0,
  };
  const holders = new Map<string, ReservationYearToDate>();
  for (const l of leases) {
    if (l.qpv) {
      epciCounts.insideQpv++;
      if (!l.firstQuartile) epciCounts.insideQpvNonFirstQuartile++;
    } else {
      epciCounts.outsideQpv++;
      if (l.firstQuartile || l.urbanRenewalRelocation) epciCounts.outsideQpvFirstQuartile++;
    }
    let h = holders.get(l.reservationHolder);
    if (!h)
      holders.set(
        l.reservationHolder,
        (h = { reservationHolder: l.reservationHolder, total: 0, priority: 0 }),
      );
    h.total++;
    if (l.priorityPublic) h.priority++;
  }
  return {
    yearToDate: [epciCounts],
    reservationYearToDate: [...holders.values()].sort((a, b) =>
      a.reservationHolder.localeCompare(b.reservationHolder),
    ),
  };
}
