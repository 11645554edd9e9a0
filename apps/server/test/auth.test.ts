import {
  type Db,
  DEMO_TERRITORY_DIR,
  importTerritory,
  type Role,
  readTerritoryFolder,
  replaceDemoPopulation,
} from '@mosaique/db';
import { createTestDb, testDbKinds, tinyPopulation } from '@mosaique/db/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createAccounts, TEST_PASSWORD as PASSWORD, type TestAccount } from './helpers.ts';

const APPLICANT_SNE = '03811'; // tinyPopulation(1): demands 03811, 03812, 03813, EPCI 200040715

/** The test accounts: one per role, plus an analyst of another territory. */
const ACCOUNTS: TestAccount[] = [
  { identifier: 'admin@test', role: 'admin' },
  { identifier: 'analyste@test', role: 'epci-analyst', epciCode: '200040715' },
  { identifier: 'analyste-ailleurs@test', role: 'epci-analyst' },
  { identifier: 'bailleur@test', role: 'landlord-agent', landlordId: 'L1' },
  { identifier: 'reservataire@test', role: 'reservation-holder-agent', reservationHolderId: 'state' },
  { identifier: 'relogement@test', role: 'relocation-officer', epciCode: '200040715' },
  { identifier: APPLICANT_SNE, role: 'applicant', sneNumber: APPLICANT_SNE, epciCode: '200040715' },
];

function cookieOf(res: LightMyRequestResponse): string {
  const header = String(res.headers['set-cookie']);
  return header.split(';')[0]!;
}

describe.each(testDbKinds())('accounts and sessions on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await createTestDb(kind);
    await importTerritory(db, await readTerritoryFolder(DEMO_TERRITORY_DIR));
    await replaceDemoPopulation(db, tinyPopulation(1));
    await createAccounts(db, ACCOUNTS);
    app = await buildApp({ db, loginPerMinute: 1000 });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  async function login(identifier: string, password = PASSWORD) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { identifier, password },
    });
    return { res, cookie: res.statusCode === 200 ? cookieOf(res) : '', csrf: res.json().csrfToken as string };
  }

  it('opens a session in an HttpOnly, SameSite, Secure cookie and records the login', async () => {
    const { res, cookie, csrf } = await login('analyste@test');
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ identifier: 'analyste@test', role: 'epci-analyst' });
    expect(res.json().user).not.toHaveProperty('passwordHash');
    expect(String(res.headers['set-cookie'])).toMatch(
      /mosaique_session=.+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=28800; Secure/,
    );
    const session = await app.inject({ url: '/api/v1/auth/session', headers: { cookie } });
    expect(session.json()).toEqual({ user: res.json().user, csrfToken: csrf });
    const [audit] = await db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE action = 'auth.login' AND actor_user_id = $1",
      [res.json().user.id],
    );
    expect(audit?.action).toBe('auth.login');
  });

  it('stores only a hash of the session token and of the password', async () => {
    const { cookie } = await login('admin@test');
    const token = decodeURIComponent(cookie.split('=')[1]!);
    expect(await db.query('SELECT 1 FROM app_session WHERE token_hash = $1', [token])).toHaveLength(0);
    const [user] = await db.query<{ password_hash: string }>(
      "SELECT password_hash FROM app_user WHERE identifier = 'admin@test'",
    );
    expect(user!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('answers the same for a wrong password and an unknown account', async () => {
    const wrong = await login('admin@test', 'pas le bon mot de passe');
    const unknown = await login('personne@test', 'pas le bon mot de passe');
    expect(wrong.res.statusCode).toBe(401);
    expect(unknown.res.statusCode).toBe(401);
    expect(wrong.res.json()).toEqual(unknown.res.json());
    expect(wrong.res.json().error).toBe('identifiant ou mot de passe incorrect');
  });

  it('locks an account after 10 failed logins in a row, even with the right password then', async () => {
    for (let i = 0; i < 10; i++) await login('reservataire@test', 'mauvais mot de passe');
    const locked = await login('reservataire@test');
    expect(locked.res.statusCode).toBe(423);
    expect(locked.res.json().error).toMatch(/verrouillé/);
  });

  it('refuses a state-changing request without the session’s CSRF token', async () => {
    const { cookie, csrf } = await login('admin@test');
    const forged = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect(forged.statusCode).toBe(403);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'x-csrf-token': 'devine' },
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(ok.statusCode).toBe(204);
    // The session is gone: the same answer as without any cookie.
    const after = await app.inject({ url: '/api/v1/auth/session', headers: { cookie } });
    expect([after.statusCode, after.json()]).toEqual([200, { user: null, csrfToken: null }]);
    const none = await app.inject({ url: '/api/v1/auth/session' });
    expect([none.statusCode, none.json()]).toEqual([200, { user: null, csrfToken: null }]);
  });

  it('refuses a login posted from another site', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: 'https://site-malveillant.example', 'sec-fetch-site': 'cross-site' },
      payload: { identifier: 'admin@test', password: PASSWORD },
    });
    expect(res.statusCode).toBe(403);
  });

  it('lets an agent create a one-time code, with which the applicant activates the account once', async () => {
    const agent = await login('bailleur@test');
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/activation-codes',
      headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrf },
      payload: { sneNumber: '03812' },
    });
    expect(created.statusCode).toBe(201);
    const { code } = created.json();
    expect(code).toMatch(/^\d{10}$/);
    const activate = (password: string, c = code) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/activate',
        payload: { sneNumber: '03812', code: c, password },
      });
    expect((await activate('court')).json().error).toMatch(/au moins 12 caractères/);
    expect((await activate('un mot de passe solide', '0000000000')).statusCode).toBe(401);
    const ok = await activate('un mot de passe solide');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({ role: 'applicant', sneNumber: '03812', identifier: '03812' });
    expect((await activate('un autre mot de passe')).statusCode).toBe(401); // used once
    expect((await login('03812', 'un mot de passe solide')).res.statusCode).toBe(200);
    const audit = await db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE entity_id = '03812' ORDER BY id",
    );
    expect(audit.map((a) => a.action)).toEqual(['activation-code.create', 'auth.activate']);
  });

  /**
   * The authorisation matrix: every role (and no session) against every protected endpoint.
   * Extended by each new endpoint.
   */
  const MATRIX: {
    endpoint: string;
    method: 'GET' | 'POST';
    payload?: object;
    allowed: (Role | 'anonymous')[];
  }[] = [
    {
      // Everyone may ask; without a session the answer is { user: null } (test above).
      endpoint: '/api/v1/auth/session',
      method: 'GET',
      allowed: ['anonymous', 'applicant', 'landlord-agent', 'epci-analyst', 'relocation-officer', 'admin'],
    },
    {
      endpoint: '/api/v1/activation-codes',
      method: 'POST',
      payload: { sneNumber: '03813' },
      allowed: ['landlord-agent', 'epci-analyst', 'admin'],
    },
  ];
  const ROLE_ACCOUNT: Record<Role | 'anonymous', string | null> = {
    anonymous: null,
    applicant: APPLICANT_SNE,
    'landlord-agent': 'bailleur@test',
    'reservation-holder-agent': null, // locked by the test above; covered by its own row below
    'epci-analyst': 'analyste@test',
    'relocation-officer': 'relogement@test',
    admin: 'admin@test',
  };
  for (const row of MATRIX) {
    it(`authorisation matrix: ${row.method} ${row.endpoint}`, async () => {
      for (const [role, identifier] of Object.entries(ROLE_ACCOUNT)) {
        if (role !== 'anonymous' && identifier === null) continue;
        const session = identifier ? await login(identifier) : { cookie: '', csrf: '' };
        const res = await app.inject({
          method: row.method,
          url: row.endpoint,
          headers: identifier ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {},
          ...(row.payload ? { payload: row.payload } : {}),
        });
        const allowed = row.allowed.includes(role as Role);
        expect([role, res.statusCode < 400]).toEqual([role, allowed]);
        if (!allowed) expect([role, res.statusCode]).toEqual([role, identifier ? 403 : 401]);
      }
    });
  }

  it('refuses an activation code to an analyst of another territory', async () => {
    const other = await login('analyste-ailleurs@test');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/activation-codes',
      headers: { cookie: other.cookie, 'x-csrf-token': other.csrf },
      payload: { sneNumber: '03813' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatch(/territoire/);
  });

  it('rate-limits logins from one address', async () => {
    const limited = await buildApp({ db, loginPerMinute: 2 });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++) {
        codes.push(
          (
            await limited.inject({
              method: 'POST',
              url: '/api/v1/auth/login',
              payload: { identifier: 'personne@test', password: 'x' },
            })
          ).statusCode,
        );
      }
      expect(codes).toEqual([401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});
