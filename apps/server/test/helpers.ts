import {
  activateGridVersion,
  createUser,
  type Db,
  DEMO_TERRITORY_DIR,
  importTerritory,
  type Role,
  readTerritoryFolder,
  replaceDemoPopulation,
  saveDraftGrid,
} from '@mosaique/db';
import { createTestDb, type TestDbKind, tinyPopulation } from '@mosaique/db/testing';
import { DEFAULT_COTATION_GRID } from '@mosaique/domain/cotation';
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
