import { createAdvert, createCycle, type Db } from '@mosaique/db';
import { testDbKinds } from '@mosaique/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { ReadCache, userKey } from '../src/letting/read-cache.ts';
import { addLettingHomes, logIn, matrixDatabase } from './helpers.ts';

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
  let session: { cookie: string; csrf: string };
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
    cycleId = (
      await createCycle(db, {
        epci: EPCI,
        landlordId: 'L1',
        name: 'cache',
        opensAt: iso(-DAY),
        closesAt: iso(7 * DAY),
        maxActiveApplications: 5,
        createdBy: null,
      })
    ).id;
    await publish('S1');
    // A lifetime of a minute: what the test sees change is the writes' doing, not the clock's.
    app = await buildApp({ db, readCache: new ReadCache(60_000), loginPerMinute: 1000 });
    session = await logIn(app, '03812');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const search = async (signedIn: boolean) =>
    (
      await app.inject({
        method: 'GET',
        url: `/api/v1/adverts?epci=${EPCI}&eligibleOnly=false`,
        headers: signedIn ? { cookie: session.cookie } : {},
      })
    ).json().adverts as { id: string; myApplication: { id: string; status: string } | null }[];

  it('answers from the cache until a write through the API empties it', async () => {
    expect(await search(false)).toHaveLength(1);
    // Written behind the server's back: not seen while the cache holds the search.
    const hidden = await publish('S2');
    expect((await search(false)).map((a) => a.id)).not.toContain(hidden);
    const [advert] = await search(true);
    expect(advert!.myApplication).toBeNull();

    // Any successful write through the API (here an application) empties the cache.
    const applied = await app.inject({
      method: 'POST',
      url: `/api/v1/adverts/${advert!.id}/applications`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      payload: {},
    });
    expect(applied.statusCode).toBe(201);
    expect((await search(false)).map((a) => a.id)).toContain(hidden);
    const mine = (await search(true)).find((a) => a.id === advert!.id)!;
    expect(mine.myApplication).toEqual({ id: applied.json().id, status: 'active' });

    // The withdrawal shows at once to the applicant.
    const withdrawn = await app.inject({
      method: 'DELETE',
      url: `/api/v1/applications/${applied.json().id}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
    });
    expect(withdrawn.statusCode).toBeLessThan(300);
    expect((await search(true)).find((a) => a.id === advert!.id)!.myApplication).toBeNull();
  });

  it('is not emptied by a refused write', async () => {
    await search(false);
    const hidden = await publish('S3');
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/adverts/inconnue/applications',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      payload: {},
    });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect((await search(false)).map((a) => a.id)).not.toContain(hidden);
  });
});
