/** Answers of the observatory API (apps/server/src/routes/observatory.ts). */
export type MixVariable = 'income-quartile' | 'household-type' | 'age-band' | 'tenure';
export type MixPopulation = 'households' | 'social-occupants' | 'lettings';
export type MixScale = 'commune' | 'iris' | 'residence' | 'qpv';

export interface Coded {
  code: string;
  label: string;
}

export interface ObservatoryOptions {
  epci: string;
  dataVersion: string;
  variables: (Coded & { code: MixVariable; groups: Coded[] })[];
  populations: (Coded & { code: MixPopulation; scales: MixScale[] })[];
  scales: (Coded & { code: MixScale; levels: Coded[] })[];
  years: number[];
  households: number;
  /** Leases signed per year; null when secret (1 to 10). */
  lettings: { year: number; count: number | null }[];
  secrecyThreshold: number;
  incomeQuartileCuts: number[];
  seed: number;
}

export interface MixParams {
  variable: MixVariable;
  population: MixPopulation;
  scale: MixScale;
  /** Year of the leases; used for population `lettings` only. */
  year: number | null;
}

interface FigureHeader {
  epci: string;
  dataVersion: string;
  cached: boolean;
  variable: Coded;
  population: Coded;
  scale: Coded;
  year: number | null;
}

export interface DecompositionTerm {
  level: string;
  label: string;
  M: number;
  H: number;
  share: number;
}

export interface IndicesAnswer extends FigureHeader {
  /** null when secret (statistical secrecy). */
  total: number | null;
  unitCount: number;
  groups: (Coded & { count: number | null; share: number | null; secret: boolean })[];
  indices: { M: number; H: number; entropy: number; dissimilarity: number };
  underIndependence: { iterations: number; M: { mean: number; sd: number }; H: { mean: number; sd: number } };
  decomposition: DecompositionTerm[];
  reading: string[];
  approximate: boolean;
  incomeQuartileCuts: number[] | null;
}

export interface BootstrapEstimate {
  est: number;
  se: number;
  ci: [number, number];
  bias: number;
}

export interface UncertaintyAnswer extends FigureHeader {
  iterations: number;
  seed: number;
  confidence: number;
  M: BootstrapEstimate;
  H: BootstrapEstimate;
}

export interface MixUnit {
  level: string;
  code: string;
  name: string;
  commune: { code: string; name: string } | null;
  iris: { code: string; name: string } | null;
  total: number;
  /** null when secret (a count of the unit is secret): see localScoreSecret. */
  localScore: number | null;
  contribution: number | null;
  localScoreSecret: boolean;
  /** null when the group's count is secret (sharesSecret). */
  shares: (number | null)[];
  sharesSecret: boolean[];
  /** null for a group absent from the EPCI, or secret (locationQuotientsSecret). */
  locationQuotients: (number | null)[];
  locationQuotientsSecret: boolean[];
  approximate: boolean;
  point: { longitude: number; latitude: number } | null;
}

export interface UnitsAnswer extends FigureHeader {
  groups: Coded[];
  secrecyThreshold: number;
  withheld: number;
  units: MixUnit[];
}

export interface SchoolItem {
  uai: string;
  name: string;
  level: 'college' | 'ecole';
  sector: 'public' | 'private';
  commune: string;
  communeName: string;
  years: {
    schoolYear: string;
    pupils: number | null;
    ips: number | null;
    ipsStandardDeviation: number | null;
  }[];
}

export interface SchoolsAnswer {
  epci: string;
  schoolYears: string[];
  schools: SchoolItem[];
}

export interface SchoolSegregationRow {
  schoolYear: string;
  level: 'college' | 'ecole';
  commune: string | null;
  communeName: string;
  schools: number;
  pupils: number | null;
  meanIps: number;
  ipsSpread: number;
  betweenVariance: number | null;
  withinVariance: number | null;
  eta2: number | null;
}

export interface SchoolSegregationAnswer {
  epci: string;
  schoolYears: string[];
  rows: SchoolSegregationRow[];
  notes: string[];
}
