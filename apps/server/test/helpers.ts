import { createUser, type Db, type Role } from '@mosaique/db';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../src/auth/passwords.ts';

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
