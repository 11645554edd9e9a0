import {
  type Db,
  DEMO_TERRITORY_DIR,
  importTerritory,
  readTerritoryFolder,
  replaceDemoPopulation,
  reviewLeases,
} from '@mosaique/db';
import { createTestDb, slicePopulation, testDbKinds } from '@mosaique/db/testing';
import { generateDemoPopulation } from '@mosaique/domain/demo';
import { ciaReview, ciaSettingsOn, LETTINGS_COLUMNS } from '@mosaique/domain/review';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createAccounts, logIn } from './helpers.ts';

describe.each(testDbKinds())('CIA review API on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  let year: number;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDb(kind);
    const territory = await readTerritoryFolder(DEMO_TERRITORY_DIR);
    await importTerritory(db, territory);
    const population = slicePopulation(generateDemoPopulation(territory, { seed: 1 }), 300);
    year = Number(population.leases[0]!.signedOn.slice(0, 4));
    await replaceDemoPopulation(db, population);
    app = await buildApp({ db, loginPerMinute: 1000 });
    await createAccounts(db, [
      { identifier: 'analyste@test', role: 'epci-analyst', epciCode: '200040715' },
      { identifier: 'analyste-ailleurs@test', role: 'epci-analyst' },
    ]);
    for (const identifier of ['analyste@test', 'analyste-ailleurs@test'])
      cookies[identifier] = (await logIn(app, identifier)).cookie;
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const get = (who: string | null, query: string) =>
    app.inject({
      url: `/api/v1/territories/200040715/cia-review?${query}`,
      headers: who ? { cookie: cookies[who]! } : {},
    });

  it('gives the EPCI’s analysts the review of a year, equal to the domain’s on the same leases', async () => {
    const res = await get('analyste@test', `year=${year}`);
    expect(res.statusCode).toBe(200);
    const expected = ciaReview(
      '200040715',
      year,
      await reviewLeases(db, '200040715', year),
      ciaSettingsOn(`${year}-12-31`),
    );
    expect(res.json().outsideQpv).toEqual(expected.outsideQpv);
    expect(res.json().insideQpv).toEqual(expected.insideQpv);
    expect(res.json().projection).toBeNull();
  });

  it('projects a year-to-date review to 31 December', async () => {
    const res = await get('analyste@test', `year=${year}&until=${year}-06-30`);
    expect(res.json().projection.yearElapsed).toBeGreaterThan(0.49);
  });

  it('refuses other territories’ agents and anonymous readers, and says when there is nothing to review', async () => {
    expect((await get('analyste-ailleurs@test', `year=${year}`)).statusCode).toBe(403);
    expect((await get(null, `year=${year}`)).statusCode).toBe(401);
    const empty = await get('analyste@test', 'year=2010');
    expect(empty.statusCode).toBe(404);
    expect(empty.json().error).toMatch(/aucun bail signé en 2010/);
  });

  it('gives the review as a PDF document', async () => {
    const res = await app.inject({
      url: `/api/v1/territories/200040715/cia-review.pdf?year=${year}`,
      headers: { cookie: cookies['analyste@test']! },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.length).toBeGreaterThan(3000);
    expect(
      (
        await app.inject({
          url: `/api/v1/territories/200040715/cia-review.pdf?year=${year}`,
          headers: { cookie: cookies['analyste-ailleurs@test']! },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('exports the year’s signed leases as CSV for the partners', async () => {
    const res = await app.inject({
      url: `/api/v1/territories/200040715/lettings.csv?year=${year}`,
      headers: { cookie: cookies['analyste@test']! },
    });
    expect(res.statusCode).toBe(200);
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toBe(LETTINGS_COLUMNS.join(','));
    expect(lines.length - 1).toBe((await reviewLeases(db, '200040715', year)).length);
    expect((await app.inject(`/api/v1/territories/200040715/lettings.csv?year=${year}`)).statusCode).toBe(
      401,
    );
  });
});
