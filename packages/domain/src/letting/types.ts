/**
 * A signed lease: what makes an allocation count toward the CIA targets (CCH L441-1).
 * It keeps the figures it was judged on (income per UC, the threshold), so it can be explained later.
 */
export interface Lease {
  id: string;
  home: string;
  household: string;
  sneNumber: string;
  /** ISO date YYYY-MM-DD. */
  signedOn: string;
  reservationHolder: string;
  /** Annual income per consumption unit declared in the demand, €. */
  incomePerConsumptionUnitEur: number;
  /** First-quartile threshold of the EPCI for the year, € per UC per year. */
  firstQuartileThresholdEur: number;
  firstQuartile: boolean;
  urbanRenewalRelocation: boolean;
  priorityPublic: boolean;
  dalo: boolean;
  /** The household already rented a social home (a transfer). */
  transfer: boolean;
  generated: boolean;
}
