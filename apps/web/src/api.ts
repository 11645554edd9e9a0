/** Calls to the Mosaïque API (same origin). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(`/api/v1${path}`, {
    signal: signal ?? null,
    headers: { accept: 'application/json' },
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new ApiError(response.status, body.error ?? `erreur ${response.status}`);
  }
  return (await response.json()) as T;
}

export interface DatasetSource {
  id: string;
  title: string;
  producer: string;
  year: string;
  licence: string;
  generated: boolean;
}

export interface EpciSummary {
  code: string;
  name: string;
  populationTotal: number;
  populationMunicipal: number;
  counts: { communes: number; iris: number; irisWithIncome: number; qpv: number; schools: number };
  sources: DatasetSource[];
}

export interface QpvRef {
  code: string;
  name: string;
  approximate: boolean;
}

export interface Feature<P> {
  type: 'Feature';
  id: string;
  geometry: unknown;
  properties: P;
}
export interface FeatureCollection<P> {
  type: 'FeatureCollection';
  features: Feature<P>[];
}

export interface CommuneProperties {
  code: string;
  name: string;
  population: number;
  qpvs: QpvRef[];
}

export interface IrisProperties {
  code: string;
  name: string;
  commune: string;
  communeName: string;
  incomeYear: string | null;
  medianIncome: number | null;
  povertyRate: number | null;
  incomeDeciles: number[] | null;
  gini: number | null;
  qpvs: QpvRef[];
}

/** The demo territory (Grenoble-Alpes Métropole). */
export const DEMO_EPCI = '200040715';
