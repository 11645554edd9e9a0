import { createAdvert, type Db } from '@mosaique/db';
import { testDbKinds } from '@mosaique/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import {
  addLettingHomes,
  apiCaller,
  EVERYONE,
  logInAll,
  matrixDatabase,
  type TestSession,
  testCycle,
  type Who,
} from './helpers.ts';

const EPCI = '200040715';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();

describe.each(testDbKinds())('letting lists on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  const sessions = new Map<string, TestSession>();
  let cycleId: string;
  const adverts: string[] = [];

  beforeAll(async () => {
    db = await matrixDatabase(kind, addLettingHomes);
    cycleId = (await testCycle(db, 'listes', iso(7 * DAY), 5)).id;
    for (const homeId of ['S1', 'S2', 'S3', 'S4'])
      adverts.push(
        await createAdvert(db, {
          epci: EPCI,
          homeId,
          landlordId: 'L1',
          cycleId,
          description: 'Logement lumineux, proche du tram et des écoles.',
          energyLabel: 'C',
          publish: true,
          createdBy: null,
        }),
      );
    app = await buildApp({ db, loginPerMinute: 1000, rateLimitPerMinute: 100_000 });
    await logInAll(app, sessions);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const call = apiCaller(() => app, sessions);

  it('gives a signed-in applicant, in the list itself, their chance and own application on each advert — as the advert alone does', async () => {
    const [a1, a2] = adverts as [string, string];
    const mine = (await call('03812', 'POST', `/adverts/${a1}/applications`, {})).json();
    expect((await call('03813', 'POST', `/adverts/${a1}/applications`, {})).statusCode).toBe(201);
    expect((await call('03813', 'POST', `/adverts/${a2}/applications`, {})).statusCode).toBe(201);
    const list = (await call('03812', 'GET', '/adverts')).json().adverts as {
      id: string;
      chance?: { rank: number; applicants: number; band: string; message: string };
      myApplicationId: string | null;
      myApplication: { id: string; status: string } | null;
    }[];
    const one = list.find((a) => a.id === a1)!;
    expect(one.myApplication).toEqual({ id: mine.id, status: 'active' });
    expect(one.myApplicationId).toBe(mine.id);
    expect(one.chance?.applicants).toBe(2);
    expect(one.chance?.message).toMatch(/^Vous êtes/);
    const two = list.find((a) => a.id === a2)!;
    expect(two.myApplication).toBeNull();
    expect(two.chance?.applicants).toBe(2);
    expect(two.chance?.message).toMatch(/^Si vous candidatez/);
    // The same figures as GET /adverts/{id} (the rank computed one advert at a time).
    for (const a of list) {
      const alone = (await call('03812', 'GET', `/adverts/${a.id}`)).json();
      expect(a.chance).toEqual(alone.chance);
      expect(a.myApplicationId).toBe(alone.myApplicationId);
    }
    // GET /applications gives each active application the same chance as the application alone.
    const applications = (await call('03813', 'GET', '/applications')).json().applications as {
      id: string;
      status: string;
      chance: unknown;
    }[];
    expect(applications.filter((a) => a.status === 'active').length).toBeGreaterThanOrEqual(2);
    for (const a of applications) {
      const alone = (await call('03813', 'GET', `/applications/${a.id}`)).json();
      expect([a.id, a.chance]).toEqual([a.id, alone.chance]);
      if (a.status === 'active') expect(a.chance).not.toBeNull();
    }
    // Others never get a chance nor an application.
    for (const who of ['anonyme', 'bailleur-L1', 'analyste'] as Who[]) {
      const theirs = (await call(who, 'GET', `/adverts?epci=${EPCI}`)).json().adverts;
      expect(theirs.every((a: object) => !('chance' in a) && !('myApplication' in a))).toBe(true);
    }
  });

  it('pages the search (most recently published first) and lists the communes with adverts', async () => {
    const all = (await call('anonyme', 'GET', `/adverts?epci=${EPCI}`)).json();
    expect(all.nextOffset).toBeNull();
    const ids = all.adverts.map((a: { id: string }) => a.id);
    const first = (await call('anonyme', 'GET', `/adverts?epci=${EPCI}&limit=2`)).json();
    expect(first.adverts.map((a: { id: string }) => a.id)).toEqual(ids.slice(0, 2));
    expect(first.nextOffset).toBe(2);
    const second = (await call('anonyme', 'GET', `/adverts?epci=${EPCI}&limit=2&offset=2`)).json();
    expect(second.adverts.map((a: { id: string }) => a.id)).toEqual(ids.slice(2, 4));
    // A full last page says so: no next page.
    expect([ids.length, second.nextOffset]).toEqual([4, null]);
    const published = all.adverts.map((a: { publishedAt: string }) => a.publishedAt);
    expect([...published].sort().reverse()).toEqual(published);
    expect((await call('anonyme', 'GET', '/adverts?limit=201')).statusCode).toBe(400);
    const communes = (await call('anonyme', 'GET', `/advert-communes?epci=${EPCI}`)).json().communes;
    expect(communes).toEqual([{ code: expect.any(String), name: expect.any(String), adverts: ids.length }]);
  });

  it('recalls the advert in each application, also once the landlord withdrew it', async () => {
    const advert = adverts[2]!;
    const applied = (await call('03812', 'POST', `/adverts/${advert}/applications`, {})).json();
    expect(applied.advert).toMatchObject({
      id: advert,
      status: 'published',
      home: { id: 'S3', typology: 2 },
    });
    expect(
      (
        await call('bailleur-L1', 'POST', `/adverts/${advert}/withdraw`, {
          reason: 'Logement attribué hors cycle',
        })
      ).statusCode,
    ).toBe(200);
    expect((await call('03812', 'GET', `/adverts/${advert}`)).statusCode).toBe(404);
    const mine = (await call('03812', 'GET', '/applications')).json().applications;
    const row = mine.find((a: { id: string }) => a.id === applied.id);
    expect(row).toMatchObject({
      status: 'withdrawn',
      advert: {
        id: advert,
        status: 'withdrawn',
        withdrawnReason: 'Logement attribué hors cycle',
        landlordName: expect.any(String),
        cycle: { id: cycleId, name: 'listes', status: 'open', maxActiveApplications: 5 },
        home: { id: 'S3', typology: 2, rentEur: 300, chargesEur: 50, communeName: expect.any(String) },
      },
    });
    expect((await call('03812', 'GET', `/applications/${applied.id}`)).json().advert.status).toBe(
      'withdrawn',
    );
    // Another applicant still gets 404 for the application.
    expect((await call('03813', 'GET', `/applications/${applied.id}`)).statusCode).toBe(404);
  });

  it('lists the vacant homes not yet advertised: a landlord agent their own landlord’s, an analyst their EPCI’s', async () => {
    const ids = async (who: Who, query = '') => {
      const res = await call(who, 'GET', `/vacant-homes${query}`);
      return {
        status: res.statusCode,
        ids: res.statusCode === 200 ? res.json().homes.map((h: { id: string }) => h.id) : [],
      };
    };
    const statuses: Record<string, number> = {};
    for (const who of EVERYONE) statuses[who] = (await call(who, 'GET', '/vacant-homes')).statusCode;
    expect(statuses).toEqual({
      anonyme: 401,
      '03812': 403,
      '03813': 403,
      'bailleur-L1': 200,
      'bailleur-L2': 200,
      'reservataire-etat': 403,
      'reservataire-ville': 403,
      analyste: 200,
      // An analyst attached to no EPCI has no stock to see.
      'analyste-ailleurs': 403,
      admin: 200,
    });
    const l1 = await ids('bailleur-L1');
    // S1, S2, S4 have an advert in progress; S3's was withdrawn: it can be advertised again.
    expect(l1.ids).toEqual(expect.arrayContaining(['S3', 'S5', 'S6', 'S7', 'S8']));
    expect(l1.ids).not.toEqual(expect.arrayContaining(['S1']));
    for (const taken of ['S1', 'S2', 'S4', 'T1', 'T2']) expect(l1.ids).not.toContain(taken);
    const homes = (await call('bailleur-L1', 'GET', '/vacant-homes')).json().homes;
    expect(homes.every((h: { landlordId: string }) => h.landlordId === 'L1')).toBe(true);
    expect(homes.find((h: { id: string }) => h.id === 'S5')).toMatchObject({
      typology: 2,
      rentEur: 300,
      chargesEur: 50,
      residenceName: expect.any(String),
      communeName: expect.any(String),
    });
    // T2 is occupied: never listed.
    expect((await ids('bailleur-L2')).ids).toEqual(['T1']);
    expect((await ids('bailleur-L2', '?landlordId=L1')).status).toBe(403);
    const analyst = await ids('analyste');
    expect(analyst.ids).toEqual(expect.arrayContaining(['S5', 'T1']));
    expect(analyst.ids).not.toContain('T2');
    expect((await ids('analyste', '?landlordId=L2')).ids).toEqual(['T1']);
    expect((await ids('analyste', '?epci=200000001')).status).toBe(403);
    expect((await ids('admin', '?landlordId=L2')).ids).toEqual(['T1']);
  });

  it('gives a landlord agent the EPCIs they work in, and their cycles', async () => {
    const l1 = (await call('bailleur-L1', 'GET', '/letting-cycles')).json();
    expect(l1.epcis).toEqual([{ code: EPCI, name: expect.any(String) }]);
    expect(l1.cycles.map((c: { id: string }) => c.id)).toContain(cycleId);
    const analyst = (await call('analyste', 'GET', '/letting-cycles')).json();
    expect(analyst.epcis.map((e: { code: string }) => e.code)).toEqual([EPCI]);
    expect((await call('anonyme', 'GET', '/letting-cycles')).statusCode).toBe(400);
    expect((await call('03812', 'GET', '/letting-cycles')).statusCode).toBe(400);
    const anonymous = (await call('anonyme', 'GET', `/letting-cycles?epci=${EPCI}`)).json();
    expect(anonymous.cycles.map((c: { id: string }) => c.id)).toContain(cycleId);
    expect(anonymous.epcis.map((e: { code: string }) => e.code)).toEqual([EPCI]);
  });
});
