/** Shapes of the letting API (apps/server/src/routes/letting.ts). */
export type Band = 'forte' | 'moyenne' | 'faible';

export interface Chance {
  rank: number;
  applicants: number;
  band: Band;
  message: string;
}

export interface Cycle {
  id: string;
  epci: string;
  landlordId: string | null;
  name: string;
  opensAt: string;
  closesAt: string;
  status: 'open' | 'closed';
  maxActiveApplications: number;
}

export type AdvertStatus = 'draft' | 'published' | 'withdrawn' | 'closed';

export interface Advert {
  id: string;
  epci: string;
  landlordId: string;
  landlordName: string;
  cycle: Pick<Cycle, 'id' | 'name' | 'opensAt' | 'closesAt' | 'status' | 'maxActiveApplications'>;
  description: string;
  energyLabel: string | null;
  status: AdvertStatus;
  withdrawnReason: string | null;
  publishedAt: string | null;
  home: {
    id: string;
    typology: number;
    surfaceM2: number;
    floor: number;
    lift: boolean;
    accessible: boolean;
    financing: string;
    rentEur: number;
    chargesEur: number;
    residenceId: string;
    residenceName: string;
    commune: string;
    communeName: string;
    iris: string;
    qpv: string | null;
    reservationHolderId: string;
    reservationHolderName: string;
  };
  activeApplications: number;
  applicationsEver: number;
  photos: Photo[];
  eligibility?: {
    eligible: boolean | null;
    label: 'éligible' | 'à vérifier' | 'non éligible';
    reasons: string[];
  };
  chance?: Chance;
  myApplicationId?: string | null;
  myApplication?: { id: string; status: ApplicationStatus } | null;
}

export interface Photo {
  id: string;
  altText: string;
  width: number;
  height: number;
  thumbnailWidth: number;
  thumbnailHeight: number;
}

/** An advert as an application recalls it (also once withdrawn): a part of `Advert`. */
export interface AdvertSummary {
  id: string;
  status: AdvertStatus;
  withdrawnReason: string | null;
  landlordName: string;
  cycle: Advert['cycle'];
  home: Pick<
    Advert['home'],
    | 'id'
    | 'typology'
    | 'surfaceM2'
    | 'floor'
    | 'lift'
    | 'rentEur'
    | 'chargesEur'
    | 'commune'
    | 'communeName'
    | 'residenceName'
  >;
}

/** A vacant home without an advert in progress (GET /vacant-homes). */
export interface VacantHome {
  id: string;
  epci: string;
  landlordId: string;
  landlordName: string;
  typology: number;
  surfaceM2: number;
  floor: number;
  lift: boolean;
  accessible: boolean;
  financing: string;
  rentEur: number;
  chargesEur: number;
  residenceName: string;
  commune: string;
  communeName: string;
  qpv: string | null;
}

export type ApplicationStatus = 'active' | 'withdrawn' | 'shortlisted' | 'excluded';

export interface Application {
  id: string;
  advertId: string;
  cycleId: string;
  sneNumber: string;
  status: ApplicationStatus;
  assisted: boolean;
  createdAt: string;
  withdrawnAt: string | null;
  chance?: Chance | null;
  rank?: number | null;
  advert: AdvertSummary;
}

export interface ShortlistEntry {
  sneNumber: string;
  rank: number | null;
  score: number | null;
  gridId: string | null;
  gridVersion: number | null;
  registeredOn: string;
  eligible: boolean | null;
  excludedReasons: string[];
  builtOn: string;
}
