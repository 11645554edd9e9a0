/** The social housing stock: landlords, residences (buildings) and homes (dwellings). */

/** Loan type that sets the income ceilings (PLAI the lowest, PLI the highest). */
export type Financing = 'PLAI' | 'PLUS' | 'PLS' | 'PLI';
export const FINANCINGS: readonly Financing[] = ['PLAI', 'PLUS', 'PLS', 'PLI'];

/** Number of main rooms: T1 = 1 … T6 = 6 or more. */
export type Typology = 1 | 2 | 3 | 4 | 5 | 6;

export type ReservationHolderKind = 'state' | 'action-logement' | 'commune' | 'epci' | 'landlord';

export interface Landlord {
  id: string;
  name: string;
  /** true for the fictitious landlords of the demo population. */
  generated: boolean;
}

/** Holder of a share of the flow of vacancies (ELAN art. 114: reservations managed as flows). */
export interface ReservationHolder {
  id: string;
  name: string;
  kind: ReservationHolderKind;
  /** INSEE code of the commune for kind 'commune'; null otherwise. */
  commune: string | null;
}

export interface Residence {
  id: string;
  epci: string;
  landlord: string;
  name: string;
  commune: string;
  iris: string;
  /** Code of the QPV the residence lies in, or null. */
  qpv: string | null;
  /** WGS84. */
  longitude: number;
  latitude: number;
  constructionYear: number;
  generated: boolean;
}

export interface Home {
  id: string;
  residence: string;
  typology: Typology;
  /** Habitable surface, m². */
  surfaceM2: number;
  /** 0 = ground floor. */
  floor: number;
  lift: boolean;
  /** Accessible to a person in a wheelchair. */
  accessible: boolean;
  financing: Financing;
  /** Monthly rent excluding charges, €. */
  rentEur: number;
  /** Monthly recoverable charges, €. */
  chargesEur: number;
  reservationHolder: string;
  generated: boolean;
}
