import {
  activateGridVersion,
  type Db,
  DEMO_TERRITORY_DIR,
  importTerritory,
  readTerritoryFolder,
  replaceDemoPopulation,
  saveDraftGrid,
  scoresOf,
} from '@mosaique/db';
import { createTestDb, testDbKinds, tinyPopulation } from '@mosaique/db/testing';
import { DEFAULT_COTATION_GRID, scoreDemand } from '@mosaique/domain/cotation';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { rescoreDemands } from '../src/cotation/rescore.ts';
import { createAccounts, logIn, type TestAccount, type TestSession } from './helpers.ts';

const EPCI = '200040715';
const GRIDS = `/api/v1/territories/${EPCI}/cotation/grids`;
const ACCOUNTS: TestAccount[] = [
  { identifier: 'analyste@test', role: 'epci-analyst', epciCode: EPCI },
  { identifier: 'analyste-ailleurs@test', role: 'epci-analyst' },
  { identifier: 'bailleur@test', role: 'landlord-agent', landlordId: 'L1' },
  { identifier: '03812', role: 'applicant', sneNumber: '03812', epciCode: EPCI },
];

describe.each(testDbKinds())('cotation API on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  const sessions = new Map<string, TestSession>();

  beforeAll(async () => {
    db = await createTestDb(kind);
    await importTerritory(db, await readTerritoryFolder(DEMO_TERRITORY_DIR));
    await replaceDemoPopulation(db, tinyPopulation(1));
    await createAccounts(db, ACCOUNTS);
    const grid = await saveDraftGrid(db, EPCI, DEFAULT_COTATION_GRID, null);
    await activateGridVersion(db, EPCI, grid.id, grid.version);
    await rescoreDemands(db, EPCI, grid, '2025-12-31');
    app = await buildApp({ db, loginPerMinute: 1000 });
    for (const a of ACCOUNTS) sessions.set(a.identifier, await logIn(app, a.identifier));
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const as = (identifier: string) => sessions.get(identifier)!.headers;

  it('publishes the active grid to anyone, drafts only to the EPCI’s analysts', async () => {
    const anonymous = (await app.inject(GRIDS)).json().grids;
    expect(anonymous).toHaveLength(1);
    expect(anonymous[0]).toMatchObject({
      status: 'active',
      grid: { id: 'demo-premieres-demandes', version: 1 },
    });
  });

  it('refuses an invalid grid with the reasons, and records a valid one as the next draft version', async () => {
    const invalid = await app.inject({
      method: 'POST',
      url: GRIDS,
      headers: as('analyste@test'),
      payload: { ...DEFAULT_COTATION_GRID, criteria: [] },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error).toBe('grille invalide');
    expect(invalid.json().details.length).toBeGreaterThan(0);
    const draft = {
      ...DEFAULT_COTATION_GRID,
      criteria: DEFAULT_COTATION_GRID.criteria.map((c) =>
        c.kind === 'duration' ? { ...c, maxPoints: (c.maxPoints ?? 0) * 2 } : c,
      ),
    };
    const ok = await app.inject({ method: 'POST', url: GRIDS, headers: as('analyste@test'), payload: draft });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ gridId: 'demo-premieres-demandes', version: 2 });
    const seen = (await app.inject({ url: GRIDS, headers: as('analyste@test') })).json().grids;
    expect(seen.map((g: { status: string }) => g.status).sort()).toEqual(['active', 'draft']);
    expect((await app.inject(GRIDS)).json().grids).toHaveLength(1);
  });

  it('lets only the EPCI’s analysts write grids', async () => {
    for (const who of ['bailleur@test', 'analyste-ailleurs@test', '03812']) {
      const res = await app.inject({
        method: 'POST',
        url: GRIDS,
        headers: as(who),
        payload: DEFAULT_COTATION_GRID,
      });
      expect([who, res.statusCode]).toEqual([who, 403]);
    }
    expect(
      (await app.inject({ method: 'POST', url: GRIDS, payload: DEFAULT_COTATION_GRID })).statusCode,
    ).toBe(401);
  });

  it('simulates a draft against the active grid', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `${GRIDS}/demo-premieres-demandes/versions/2/simulate`,
      headers: as('analyste@test'),
      payload: { topN: 2 },
    });
    expect(res.statusCode).toBe(200);
    // The draft doubles the seniority cap: tinyPopulation's 2 active demands, both registered in 2023.
    expect(res.json()).toMatchObject({ demands: 2, moved: expect.any(Number) });
    expect(res.json().byTypology.length).toBeGreaterThan(0);
  });

  it('activates a version and re-scores every active demand off the request path, keeping old scores', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `${GRIDS}/demo-premieres-demandes/versions/2/activate`,
      headers: as('analyste@test'),
    });
    expect(res.statusCode).toBe(202);
    const { jobId } = res.json();
    let job: { status: string; done: number; total: number } = { status: 'queued', done: 0, total: 0 };
    for (let i = 0; i < 100 && job.status !== 'done' && job.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await app.inject({ url: `/api/v1/jobs/${jobId}`, headers: as('analyste@test') })).json();
    }
    expect(job).toMatchObject({ status: 'done', done: 2, total: 2 }); // tinyPopulation: 2 active demands
    expect(
      (await app.inject({ url: `/api/v1/jobs/${jobId}`, headers: as('bailleur@test') })).statusCode,
    ).toBe(403);
    const scores = await scoresOf(db, '03812');
    expect(scores.map((s) => s.gridVersion)).toEqual([2, 1]);
    const grids = (await app.inject(GRIDS)).json().grids;
    expect(grids.map((g: { status: string }) => g.status).sort()).toEqual(['active', 'retired']);
  });

  it('shows applicants their own score, breakdown, position and priority — and nobody else’s', async () => {
    const res = await app.inject({ url: '/api/v1/demands/03812/cotation', headers: as('03812') });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const [stored] = await scoresOf(db, '03812');
    expect(body.score.total).toBe(stored!.total);
    expect(body.score.breakdown.every((l: { detail: string }) => l.detail.length > 0)).toBe(true);
    expect(body.priority).toEqual({ priority: false, dalo: false, criteria: [] });
    // tinyPopulation: 03812 and 03813 both wish T2 and T3 and are active.
    expect(body.similar.map((s: { typology: number; of: number }) => [s.typology, s.of])).toEqual([
      [2, 2],
      [3, 2],
    ]);
    const other = await app.inject({ url: '/api/v1/demands/03813/cotation', headers: as('03812') });
    expect(other.statusCode).toBe(403);
    expect(
      (await app.inject({ url: '/api/v1/demands/03813/cotation', headers: as('analyste-ailleurs@test') }))
        .statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ url: '/api/v1/demands/03813/cotation', headers: as('analyste@test') })).statusCode,
    ).toBe(200);
    expect((await app.inject({ url: '/api/v1/demands/03813/cotation' })).statusCode).toBe(401);
  });

  it('gives the same total as the domain’s scoreDemand on the scoring date', async () => {
    const body = (
      await app.inject({ url: '/api/v1/demands/03813/cotation', headers: as('analyste@test') })
    ).json();
    const demand = tinyPopulation(1).demands.find((d) => d.sneNumber === '03813')!;
    const grid = (await app.inject(GRIDS))
      .json()
      .grids.find((g: { status: string }) => g.status === 'active').grid;
    expect(body.score.total).toBe(scoreDemand(demand, grid, body.score.date).total);
  });
});
