/** Calls to the Mosaïque API (same origin). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Validation details sent by the server (one French sentence each), if any. */
    readonly details: string[] = [],
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

/** Sends JSON with the session's anti-forgery token (required on every state-changing request). */
export async function sendJson<T>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body: unknown,
  csrfToken?: string,
): Promise<T> {
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) {
    const data = (await response.json().catch(() => ({}))) as { error?: string; details?: string[] };
    throw new ApiError(response.status, data.error ?? `erreur ${response.status}`, data.details ?? []);
  }
  return (response.status === 204 ? null : await response.json()) as T;
}

export type Role =
  | 'applicant'
  | 'landlord-agent'
  | 'reservation-holder-agent'
  | 'epci-analyst'
  | 'relocation-officer'
  | 'admin';

export interface SessionUser {
  id: string;
  identifier: string;
  displayName: string;
  role: Role;
  landlordId: string | null;
  reservationHolderId: string | null;
  epciCode: string | null;
  sneNumber: string | null;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
}

export const ROLE_LABELS: Record<Role, string> = {
  applicant: 'demandeur',
  'landlord-agent': 'agent de bailleur',
  'reservation-holder-agent': 'agent de réservataire',
  'epci-analyst': 'analyste de l’EPCI',
  'relocation-officer': 'chargé·e de relogement',
  admin: 'administration',
};
