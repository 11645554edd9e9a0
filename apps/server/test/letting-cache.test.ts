import { createAdvert, type Db } from '@mosaique/db';
import { testDbKinds } from '@mosaique/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { advertKey, ReadCache, userKey } from '../src/letting/read-cache.ts';
import { addLettingHomes, logIn, matrixDatabase, type TestSession, testCycle } from './helpers.ts';

const EPCI = '200040715';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();

describe('ReadCache', () => {
  it('shares one load between concurrent reads, keeps it until cleared, and keeps no failure', async () => {
    const cache = new ReadCache(60_000);
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([cache.get('k', load), cache.get('k', load)])).toEqual([1, 1]);
    expect(await cache.get('k', load)).toBe(1);
    cache.clear();
    expect(await cache.get('k', load)).toBe(2);
    await expect(cache.get('x', () => Promise.reject(new Error('panne')))).rejects.toThrow('panne');
    expect(await cache.get('x', async () => 'relu')).toBe('relu');
  });

  it('after its lifetime serves an entry once more while re-reading it, then the fresh value', async () => {
    let loads = 0;
    const load = async () => ++loads;
    const cache = new ReadCache(20);
    await cache.get('k', load);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await cache.get('k', load)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await cache.get('k', load)).toBe(2);
    expect(loads).toBe(2);
  });

  it('drops a re-read that a write overtook', async () => {
    const cache = new ReadCache(20);
    await cache.get('k', async () => 'avant');
    await new Promise((resolve) => setTimeout(resolve, 40));
    let finish: (value: string) => void = () => {};
    const slow = new Promise<string>((resolve) => {
      finish = resolve;
    });
    expect(await cache.get('k', () => slow)).toBe('avant');
    cache.clear();
    finish('lu avant l’écriture');
    await slow;
    expect(await cache.get('k', async () => 'après')).toBe('après');
  });

  it('reads many keys with one call for the missing ones only', async () => {
    const cache = new ReadCache(60_000);
    const asked: string[][] = [];
    const load = async (keys: string[]) => {
      asked.push(keys);
      return new Map(keys.map((k) => [k, k.toUpperCase()]));
    };
    expect(await cache.getMany(['a', 'b'], load)).toEqual(
      new Map([
        ['a', 'A'],
        ['b', 'B'],
      ]),
    );
    expect(await cache.getMany(['b', 'c'], load)).toEqual(
      new Map([
        ['b', 'B'],
        ['c', 'C'],
      ]),
    );
    expect(asked).toEqual([['a', 'b'], ['c']]);
  });

  it('serves expired keys of a many-key read once more while one call re-reads them', async () => {
    const cache = new ReadCache(20);
    const asked: string[][] = [];
    let round = 0;
    const load = async (keys: string[]) => {
      asked.push(keys);
      return new Map(keys.map((k) => [k, `${k}${round}`]));
    };
    await cache.getMany(['a', 'b'], load);
    await new Promise((resolve) => setTimeout(resolve, 40));
    round = 1;
    expect([...(await cache.getMany(['a', 'b', 'c'], load)).values()]).toEqual(['a0', 'b0', 'c1']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect([...(await cache.getMany(['a', 'b', 'c'], load)).values()]).toEqual(['a1', 'b1', 'c1']);
    expect(asked).toEqual([['a', 'b'], ['a', 'b'], ['c']]);
  });

  it('answers every key of a many-key read even when it fills the cache and empties it', async () => {
    const cache = new ReadCache(60_000, 3);
    const load = async (keys: string[]) => new Map(keys.map((k) => [k, k.toUpperCase()]));
    await cache.getMany(['a', 'b'], load);
    expect([...(await cache.getMany(['a', 'b', 'c', 'd'], load)).values()]).toEqual(['A', 'B', 'C', 'D']);
  });

  it('empties after applying the keys of that advert and that applicant only', async () => {
    const cache = new ReadCache(60_000);
    const keys = [
      'adverts:x',
      advertKey('A1', 'activity'),
      advertKey('A1', 'applicants'),
      advertKey('A10', 'activity'),
      userKey('S', 'applications'),
      userKey('T', 'applications'),
    ];
    for (const key of keys) await cache.get(key, async () => key);
    cache.clearAfterApplicationsOf({ advertIds: ['A1'], sneNumbers: ['S'] });
    const kept: string[] = [];
    for (const key of keys)
      await cache.get(key, async () => 'relu').then((v) => v !== 'relu' && kept.push(key));
    expect(kept).toEqual(['adverts:x', advertKey('A10', 'activity'), userKey('T', 'applications')]);
  });

  it('caches nothing with a lifetime of 0', async () => {
    let loads = 0;
    const off = new ReadCache(0);
    await off.get('k', async () => ++loads);
    await off.get('k', async () => ++loads);
    expect(loads).toBe(2);
    expect(off.size).toBe(0);
  });

  it('empties after an applicant’s write the shared reads and theirs, not other applicants’', async () => {
    const cache = new ReadCache(60_000);
    for (const key of ['adverts:x', userKey('A', 'demand'), userKey('B', 'demand'), userKey('AB', 'demand')])
      await cache.get(key, async () => key);
    cache.clearAfterWriteOf('A');
    const kept: string[] = [];
    for (const key of ['adverts:x', userKey('A', 'demand'), userKey('B', 'demand'), userKey('AB', 'demand')])
      await cache.get(key, async () => 'relu').then((v) => v !== 'relu' && kept.push(key));
    expect(kept).toEqual([userKey('B', 'demand'), userKey('AB', 'demand')]);
  });
});

describe.each(testDbKinds())('advert search cache on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  let cycleId: string;
  let session: TestSession;
  let other: TestSession;
  const publish = (homeId: string) =>
    createAdvert(db, {
      epci: EPCI,
      homeId,
      landlordId: 'L1',
      cycleId,
      description: 'Logement lumineux, proche du tram et des écoles.',
      energyLabel: 'C',
      publish: true,
      createdBy: null,
    });

  beforeAll(async () => {
    db = await matrixDatabase(kind, addLettingHomes);
    cycleId = (await testCycle(db, 'cache', iso(7 * DAY), 5)).id;
    await publish('S1');
    // A lifetime of a minute: what the test sees change is the writes' doing, not the clock's.
    app = await buildApp({ db, readCache: new ReadCache(60_000), loginPerMinute: 1000 });
    session = await logIn(app, '03812');
    other = await logIn(app, '03813');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  type Found = {
    id: string;
    activeApplications: number;
    applicationsEver: number;
    myApplication: { id: string; status: string } | null;
    chance?: { applicants: number };
  };
  const search = async (who: TestSession | null) =>
    (
      await app.inject({
        method: 'GET',
        url: `/api/v1/adverts?epci=${EPCI}&eligibleOnly=false`,
        headers: who ? { cookie: who.cookie } : {},
      })
    ).json().adverts as Found[];
  const find = async (who: TestSession | null, id: string) => (await search(who)).find((a) => a.id === id)!;

  it('answers from the cache; applying and withdrawing empty only what they change, at once', async () => {
    expect(await search(null)).toHaveLength(1);
    // Written behind the server's back: not seen while the cache holds the search.
    const hidden = await publish('S2');
    expect((await search(null)).map((a) => a.id)).not.toContain(hidden);
    const [advert] = await search(session);
    expect(advert!.myApplication).toBeNull();
    const before = await find(other, advert!.id);

    const applied = await app.inject({
      method: 'POST',
      url: `/api/v1/adverts/${advert!.id}/applications`,
      headers: session.headers,
      payload: {},
    });
    expect(applied.statusCode).toBe(201);
    // What the application changed shows at once: the advert's counts for everyone, the
    // applicant's own application, another applicant's chance (one more applicant)…
    expect(await find(null, advert!.id)).toMatchObject({
      activeApplications: advert!.activeApplications + 1,
      applicationsEver: advert!.applicationsEver + 1,
    });
    expect((await find(session, advert!.id)).myApplication).toEqual({
      id: applied.json().id,
      status: 'active',
    });
    expect((await find(other, advert!.id)).chance!.applicants).toBe(before.chance!.applicants + 1);
    // …while the searches themselves stay cached (the application changed no list).
    expect((await search(null)).map((a) => a.id)).not.toContain(hidden);

    // The withdrawal shows at once too.
    const withdrawn = await app.inject({
      method: 'DELETE',
      url: `/api/v1/applications/${applied.json().id}`,
      headers: session.headers,
    });
    expect(withdrawn.statusCode).toBeLessThan(300);
    expect((await find(session, advert!.id)).myApplication).toBeNull();
    expect(await find(null, advert!.id)).toMatchObject({ activeApplications: advert!.activeApplications });
    expect((await find(other, advert!.id)).chance!.applicants).toBe(before.chance!.applicants);
  });

  it('is emptied whole by any other write (an agent withdrawing an advert)', async () => {
    const hidden = await publish('S4');
    const [shown] = (await search(null)).filter((a) => a.id !== hidden);
    expect((await search(null)).map((a) => a.id)).not.toContain(hidden);
    const agent = await logIn(app, 'bailleur-L1');
    const withdrawn = await app.inject({
      method: 'POST',
      url: `/api/v1/adverts/${shown!.id}/withdraw`,
      headers: agent.headers,
      payload: { reason: 'Logement repris pour travaux.' },
    });
    expect(withdrawn.statusCode, withdrawn.body).toBeLessThan(300);
    const ids = (await search(null)).map((a) => a.id);
    expect(ids).toContain(hidden);
    expect(ids).not.toContain(shown!.id);
  });

  it('is not emptied by a refused write', async () => {
    await search(null);
    const hidden = await publish('S3');
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/adverts/inconnue/applications',
      headers: session.headers,
      payload: {},
    });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect((await search(null)).map((a) => a.id)).not.toContain(hidden);
  });
});
