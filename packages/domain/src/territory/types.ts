/**
 * The territory: an EPCI, its communes, their IRIS, the priority neighbourhoods (QPV) and the
 * schools. Codes are INSEE/official codes kept as strings (leading zeros matter).
 */

/** GeoJSON geometry (RFC 7946, WGS84 longitude/latitude). */
export type Geometry =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

/** Where a dataset comes from, shown wherever its figures are (Licence Ouverte asks to credit it). */
export interface DatasetSource {
  id: string;
  title: string;
  producer: string;
  year: string;
  licence: string;
  /** true for the generated demo population, false for real open data. */
  generated: boolean;
}

export interface Epci {
  /** SIREN of the EPCI, 9 digits. */
  code: string;
  name: string;
  populationTotal: number;
  populationMunicipal: number;
}

export interface Commune {
  /** INSEE code, 5 characters. */
  code: string;
  epci: string;
  name: string;
  /** Municipal population (populationMunicipale of the COG). */
  population: number;
  geometry: Geometry | null;
}

/**
 * Disposable income per consumption unit of the persons of an IRIS (INSEE Filosofi), in euros per
 * year. Deciles are over persons: each person carries the income per UC of their household.
 */
export interface IrisIncome {
  /** D1…D9, D5 being the median; increasing. */
  deciles: number[];
  q1: number;
  median: number;
  q3: number;
  /** Share of persons below 60 % of the national median, in %; null where INSEE withholds it. */
  povertyRate: number | null;
  gini: number | null;
  /** Vintage of the source, e.g. "2018". */
  year: string;
}

export interface Iris {
  /** INSEE IRIS code, 9 characters (commune code + 4). */
  code: string;
  epci: string;
  commune: string;
  name: string;
  geometry: Geometry;
  /** null where INSEE does not publish the IRIS (too few households, or not split into IRIS). */
  income: IrisIncome | null;
}

export interface Qpv {
  /** ANCT code, e.g. QN03807M. */
  code: string;
  epci: string;
  name: string;
  commune: string;
  /** IRIS the QPV is approximated by when no official perimeter was imported. */
  irisCodes: string[];
  /** true when the perimeter is approximated by IRIS rather than the official ANCT perimeter. */
  approximate: boolean;
  geometry: Geometry | null;
}

export type SchoolLevel = 'college' | 'ecole';
export type SchoolSector = 'public' | 'private';

export interface School {
  /** UAI (unité administrative immatriculée), 8 characters. */
  uai: string;
  epci: string;
  name: string;
  level: SchoolLevel;
  commune: string;
  sector: SchoolSector;
}

/** The indice de position sociale (DEPP) of a school for one school year. */
export interface SchoolYearIps {
  uai: string;
  /** e.g. "2022-2023". */
  schoolYear: string;
  pupils: number | null;
  /** null where the DEPP withholds it (« NS », too few pupils). */
  ips: number | null;
  /** Standard deviation of the pupils' IPS; published for collèges only. */
  ipsStandardDeviation: number | null;
}

export interface TerritoryData {
  epci: Epci;
  communes: Commune[];
  iris: Iris[];
  qpvs: Qpv[];
  schools: School[];
  schoolYears: SchoolYearIps[];
  sources: DatasetSource[];
}
