import { type Dated, valueOn } from '../shared/dated.ts';

/** The CIA's allocation targets (CCH L441-1), as shares between 0 and 1. */
export interface CiaTargets {
  /** Signed leases outside QPV going to first-quartile or urban-renewal-relocated households. */
  firstQuartileOutsideQpv: number;
  /** Signed leases inside QPV going to households other than first-quartile ones. */
  nonFirstQuartileInsideQpv: number;
  /** Each reservation holder's leases going to priority publics (DALO or L441-1). */
  priorityPerReservationHolder: number;
}

export interface CiaReviewSettings {
  targets: CiaTargets;
  /**
   * Whether transfers of existing social tenants count (docs/rules.md §1: uncertain; default: every
   * signed lease counts).
   */
  countTransfers: boolean;
}

/**
 * Targets in force (Loi Égalité et citoyenneté of 27 January 2017, art. 70). The CIL may agree
 * other rates with the State: an EPCI records them as a new dated entry.
 */
export const CIA_SETTINGS: readonly Dated<CiaReviewSettings>[] = [
  {
    validFrom: '2017-01-28',
    validUntil: null,
    source: 'CCH L441-1 (loi n° 2017-86 du 27 janvier 2017) ; taux par défaut, modifiables par la CIL',
    value: {
      targets: {
        firstQuartileOutsideQpv: 0.25,
        nonFirstQuartileInsideQpv: 0.5,
        priorityPerReservationHolder: 0.25,
      },
      countTransfers: true,
    },
  },
];

export function ciaSettingsOn(
  date: string,
  entries: readonly Dated<CiaReviewSettings>[] = CIA_SETTINGS,
): CiaReviewSettings {
  return valueOn('objectifs de la CIA', entries, date).value;
}
