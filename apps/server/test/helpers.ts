import {
  activateGridVersion,
  createCycle,
  createUser,
  type Db,
  DEMO_TERRITORY_DIR,
  importTerritory,
  insertApplication,
  type Role,
  readTerritoryFolder,
  replaceDemoPopulation,
  saveDraftGrid,
} from '@mosaique/db';
import { createTestDb, slicePopulation, type TestDbKind, tinyPopulation } from '@mosaique/db/testing';
import { DEFAULT_COTATION_GRID } from '@mosaique/domain/cotation';
import { generateDemoPopulation } from '@mosaique/domain/demo';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../src/auth/passwords.ts';
import { rescoreDemands } from '../src/cotation/rescore.ts';

/** Password of every test account. */
export const TEST_PASSWORD = 'un mot de passe de test';

export interface TestAccount {
  identifier: string;
  role: Role;
  landlordId?: string;
  reservationHolderId?: string;
  epciCode?: string | null;
  sneNumber?: string;
}

/** Creates the accounts (display name = identifier), all with TEST_PASSWORD. */
export async function createAccounts(db: Db, accounts: readonly TestAccount[]): Promise<void> {
  const passwordHash = await hashPassword(TEST_PASSWORD);
  for (const a of accounts) {
    await createUser(db, {
      identifier: a.identifier,
      displayName: a.identifier,
      role: a.role,
      landlordId: a.landlordId ?? null,
      reservationHolderId: a.reservationHolderId ?? null,
      epciCode: a.epciCode ?? null,
      sneNumber: a.sneNumber ?? null,
      passwordHash,
    });
  }
}

export interface TestSession {
  cookie: string;
  csrf: string;
  /** Headers of a signed-in request that may change state. */
  headers: { cookie: string; 'x-csrf-token': string };
}

/** Signs in through the API; throws when the login is refused. */
export async function logIn(
  app: FastifyInstance,
  identifier: string,
  password = TEST_PASSWORD,
): Promise<TestSession> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { identifier, password },
  });
  if (res.statusCode !== 200)
    throw new Error(`connexion de ${identifier} refusée : ${res.statusCode} ${res.body}`);
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  const csrf = res.json().csrfToken as string;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}

/** Signs in each of `identifiers` (by default the MATRIX_ACCOUNTS) through the API, into `sessions`. */
export async function logInAll(
  app: FastifyInstance,
  sessions: Map<string, TestSession>,
  identifiers: Iterable<string> = MATRIX_ACCOUNTS.map((a) => a.identifier),
): Promise<void> {
  for (const identifier of identifiers) sessions.set(identifier, await logIn(app, identifier));
}

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * `call(who, method, url, payload?, extraHeaders?)`: a request to /api/v1`url` through app.inject,
 * with the session cookie and CSRF token of `who` (none for 'anonyme'). `app` is read at each call,
 * so the caller may be made before beforeAll builds the app.
 */
export function apiCaller<W extends string = Who>(
  app: () => FastifyInstance,
  sessions: ReadonlyMap<string, TestSession>,
) {
  return (
    who: W,
    method: ApiMethod,
    url: string,
    payload?: object,
    extraHeaders: Record<string, string> = {},
  ) =>
    app().inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...(who === 'anonyme' ? {} : sessions.get(who)!.headers), ...extraHeaders },
      ...(payload !== undefined ? { payload } : {}),
    });
}

/**
 * As `who` (an agent of landlord `landlordId`), schedules a commission session today (two members,
 * quorum 2) and runs the allocation engine on the closed cycle `cycleId`, waiting for its job.
 */
export async function runCommissionOn<W extends string>(
  call: ReturnType<typeof apiCaller<W>>,
  who: W,
  landlordId: string,
  cycleId: string,
): Promise<{ sessionId: string; jobId: string }> {
  const session = await call(who, 'POST', '/commission/sessions', {
    epci: '200040715',
    landlordId,
    heldOn: new Date().toISOString().slice(0, 10),
    members: [
      { name: 'Mme A', role: 'présidente' },
      { name: 'M. B', role: 'représentant du maire' },
    ],
    quorum: 2,
  });
  if (session.statusCode !== 201) throw new Error(`séance refusée : ${session.statusCode} ${session.body}`);
  const sessionId = session.json().id as string;
  const run = await call(who, 'POST', `/commission/sessions/${sessionId}/proposal`, { cycleId });
  if (run.statusCode !== 202) throw new Error(`moteur refusé : ${run.statusCode} ${run.body}`);
  let job = run.json().job as { id: string; status: string };
  for (let i = 0; i < 600 && job.status !== 'done' && job.status !== 'failed'; i++) {
    await new Promise((r) => setTimeout(r, 50));
    job = (await call(who, 'GET', `/jobs/${job.id}`)).json();
  }
  if (job.status !== 'done') throw new Error(`moteur non terminé : ${JSON.stringify(job)}`);
  return { sessionId, jobId: job.id };
}

/** A letting cycle of landlord L1 in the test EPCI, opened a day ago. */
export function testCycle(db: Db, name: string, closesAt: string, maxActiveApplications: number) {
  return createCycle(db, {
    epci: '200040715',
    landlordId: 'L1',
    name,
    opensAt: new Date(Date.now() - 86_400_000).toISOString(),
    closesAt,
    maxActiveApplications,
    createdBy: null,
  });
}

/** An applicant's own application to an advert of the test EPCI, written directly; fails if refused. */
export async function testApplication(
  db: Db,
  advert: { advertId: string; cycleId: string },
  sneNumber: string,
  maxActive = 3,
): Promise<void> {
  const outcome = await db.transaction((tx) =>
    insertApplication(tx, {
      epci: '200040715',
      ...advert,
      sneNumber,
      maxActive,
      assisted: false,
      createdBy: null,
    }),
  );
  if (!outcome.ok) throw new Error(`candidature de ${sneNumber} refusée : ${outcome.reason}`);
}

/** Sends `request` as each of `roles` in turn and returns the status codes by role. */
export async function statusesByRole(
  request: (who: Who) => Promise<{ statusCode: number }>,
  roles: readonly Who[] = EVERYONE,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const who of roles) out[who] = (await request(who)).statusCode;
  return out;
}

/**
 * The cast of the role-matrix tests on tinyPopulation(1): every role, twice where ownership matters
 * (two applicants, two landlords, two reservation holders, two analysts), and anonymous.
 */
export type Who =
  | 'anonyme'
  | '03812'
  | '03813'
  | 'bailleur-L1'
  | 'bailleur-L2'
  | 'reservataire-etat'
  | 'reservataire-ville'
  | 'analyste'
  | 'analyste-ailleurs'
  | 'admin';
export const MATRIX_ACCOUNTS: {
  identifier: Exclude<Who, 'anonyme'>;
  role: Role;
  extra: Record<string, string>;
}[] = [
  { identifier: '03812', role: 'applicant', extra: { sneNumber: '03812', epciCode: '200040715' } },
  { identifier: '03813', role: 'applicant', extra: { sneNumber: '03813', epciCode: '200040715' } },
  { identifier: 'bailleur-L1', role: 'landlord-agent', extra: { landlordId: 'L1' } },
  { identifier: 'bailleur-L2', role: 'landlord-agent', extra: { landlordId: 'L2' } },
  {
    identifier: 'reservataire-etat',
    role: 'reservation-holder-agent',
    extra: { reservationHolderId: 'state' },
  },
  {
    identifier: 'reservataire-ville',
    role: 'reservation-holder-agent',
    extra: { reservationHolderId: 'commune-38185' },
  },
  { identifier: 'analyste', role: 'epci-analyst', extra: { epciCode: '200040715' } },
  { identifier: 'analyste-ailleurs', role: 'epci-analyst', extra: {} },
  { identifier: 'admin', role: 'admin', extra: {} },
];

export const EVERYONE: Who[] = ['anonyme', ...MATRIX_ACCOUNTS.map((a) => a.identifier)];

/**
 * The database of the role-matrix tests: the demo territory, tinyPopulation(1), what `fixture` adds
 * (homes, demands…), the MATRIX_ACCOUNTS, and the demo grid active with every demand scored.
 */
export async function matrixDatabase(kind: TestDbKind, fixture: (db: Db) => Promise<void>): Promise<Db> {
  const db = await createTestDb(kind);
  await importTerritory(db, await readTerritoryFolder(DEMO_TERRITORY_DIR));
  await replaceDemoPopulation(db, tinyPopulation(1));
  await fixture(db);
  await createAccounts(
    db,
    MATRIX_ACCOUNTS.map((a) => ({ identifier: a.identifier, role: a.role, ...a.extra })),
  );
  const grid = await saveDraftGrid(db, '200040715', DEFAULT_COTATION_GRID, null);
  await activateGridVersion(db, '200040715', grid.id, grid.version);
  await rescoreDemands(db, '200040715', grid, '2025-12-31');
  return db;
}

/**
 * The demo territory with its first `leases` generated leases (seed 1) and their households — small
 * counts everywhere, the hard case for statistical secrecy — and the year of the last of them.
 */
export async function demoLeasesDatabase(
  kind: TestDbKind,
  leases: number,
): Promise<{ db: Db; lastLeaseYear: number }> {
  const db = await createTestDb(kind);
  const territory = await readTerritoryFolder(DEMO_TERRITORY_DIR);
  await importTerritory(db, territory);
  const population = slicePopulation(generateDemoPopulation(territory, { seed: 1 }), leases);
  await replaceDemoPopulation(db, population);
  return { db, lastLeaseYear: Number(population.leases.at(-1)!.signedOn.slice(0, 4)) };
}

/** SQL adding landlord L2 and its residence R3 'Les Saules' (at residence R2's place), for ownership tests. */
export const SECOND_LANDLORD_SQL = `
    INSERT INTO landlord (id, name) VALUES ('L2', 'Autre bailleur');
    INSERT INTO residence (id, epci_code, landlord_id, name, commune_code, iris_code, qpv_code, longitude, latitude, construction_year)
      SELECT 'R3', epci_code, 'L2', 'Les Saules', commune_code, iris_code, NULL, longitude, latitude, 2001 FROM residence WHERE id = 'R2';`;

/**
 * The relocation tests' buildings: landlord L2, R5 « Arlequin 50 » of L1 in the Villeneuve QPV
 * (QN03807M, 1972, to demolish) and R7 « Les Jardins neufs » of L1 outside any QPV (2024, new).
 */
export const VILLENEUVE_SQL = `
    INSERT INTO landlord (id, name) VALUES ('L2', 'Autre bailleur');
    INSERT INTO residence (id, epci_code, landlord_id, name, commune_code, iris_code, qpv_code, longitude, latitude, construction_year)
      SELECT 'R5', epci_code, 'L1', 'Arlequin 50', commune_code, iris_code, 'QN03807M', longitude, latitude, 1972 FROM residence WHERE id = 'R1';
    INSERT INTO residence (id, epci_code, landlord_id, name, commune_code, iris_code, qpv_code, longitude, latitude, construction_year)
      SELECT 'R7', epci_code, 'L1', 'Les Jardins neufs', commune_code, iris_code, NULL, longitude, latitude, 2024 FROM residence WHERE id = 'R2';`;

/** Vacant homes S1…S8 of landlord L1, T1 and T2 of landlord L2 (T2 occupied by a household). */
export async function addLettingHomes(db: Db): Promise<void> {
  await db.exec(`
    ${SECOND_LANDLORD_SQL}
    INSERT INTO home (id, epci_code, residence_id, typology, surface_m2, floor, lift, accessible, financing, rent_eur, charges_eur, reservation_holder_id)
      SELECT 'S' || i, '200040715', 'R2', 2, 45, 1, true, false, 'PLUS', 300, 50, 'commune-38185' FROM generate_series(1, 8) i;
    INSERT INTO home (id, epci_code, residence_id, typology, surface_m2, floor, lift, accessible, financing, rent_eur, charges_eur, reservation_holder_id)
      VALUES ('T1', '200040715', 'R3', 2, 45, 1, true, true, 'PLUS', 310, 40, 'state'),
             ('T2', '200040715', 'R3', 2, 45, 1, true, true, 'PLUS', 310, 40, 'state');
    INSERT INTO household (id, epci_code, commune_code, iris_code, tenure, home_id, persons_14_or_more, persons_under_14, reference_age, type, annual_disposable_income_eur, income_imputed)
      SELECT 'HT2', epci_code, commune_code, iris_code, 'social-tenant', 'T2', 1, 0, 40, 'single', 15000, false FROM residence WHERE id = 'R3';
  `);
}
