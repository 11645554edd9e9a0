import {
  type Db,
  DEMO_TERRITORY_DIR,
  importTerritory,
  readTerritoryFolder,
  replaceDemoPopulation,
} from '@mosaique/db';
import { createTestDb, slicePopulation, testDbKinds } from '@mosaique/db/testing';
import { equalTreatmentAudit } from '@mosaique/domain/audit';
import { DEFAULT_COTATION_GRID } from '@mosaique/domain/cotation';
import { type DemoPopulation, generateDemoPopulation } from '@mosaique/domain/demo';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { ReadCache } from '../src/letting/read-cache.ts';
import { EVERYONE, logIn, logInAll, matrixDatabase, type TestSession, type Who } from './helpers.ts';

const EPCI = '200040715';

describe.each(testDbKinds())('equal-treatment audit API on %s', (kind) => {
  describe('kept between requests', () => {
    let db: Db;
    let app: FastifyInstance;
    const sessions = new Map<string, TestSession>();
    beforeAll(async () => {
      db = await matrixDatabase(kind, async (d) => {
        await d.query("INSERT INTO landlord (id, name) VALUES ('L2', 'Autre bailleur')");
      });
      app = await buildApp({ db, readCache: new ReadCache(5000), loginPerMinute: 1000 });
      await logInAll(app, sessions, ['analyste']);
    });
    afterAll(async () => {
      await app?.close();
      await db?.close();
    });
    const gridLabel = async () =>
      (
        await app.inject({
          url: `/api/v1/territories/${EPCI}/audit?from=2025-01-01&to=2025-12-31`,
          headers: { cookie: sessions.get('analyste')!.cookie },
        })
      ).json().grid.label as string;

    it('answers from the cache until a write through the API empties it', async () => {
      const before = await gridLabel();
      // Changed behind the server's back (as a command line would): the audit kept is answered.
      await db.query(
        `UPDATE cotation_grid SET definition = jsonb_set(definition, '{label}', '"Grille modifiée"')
         WHERE epci_code = $1 AND status = 'active'`,
        [EPCI],
      );
      expect(await gridLabel()).toBe(before);
      // Any write through the API that is not an application empties it (here an activation code).
      const analyst = sessions.get('analyste')!;
      const write = await app.inject({
        method: 'POST',
        url: '/api/v1/activation-codes',
        headers: analyst.headers,
        payload: { sneNumber: '03813' },
      });
      expect(write.statusCode).toBe(201);
      expect(await gridLabel()).toBe('Grille modifiée');
    });
  });

  describe('who may read it', () => {
    let db: Db;
    let app: FastifyInstance;
    const sessions = new Map<string, TestSession>();
    beforeAll(async () => {
      // A second landlord, without homes in the EPCI: its agent must be refused like the first's.
      db = await matrixDatabase(kind, async (d) => {
        await d.query("INSERT INTO landlord (id, name) VALUES ('L2', 'Autre bailleur')");
      });
      app = await buildApp({ db, loginPerMinute: 1000, rateLimitPerMinute: 100_000 });
      await logInAll(app, sessions);
    });
    afterAll(async () => {
      await app?.close();
      await db?.close();
    });
    const get = (who: Who, query = 'from=2025-01-01&to=2025-12-31') =>
      app.inject({
        url: `/api/v1/territories/${EPCI}/audit?${query}`,
        headers: who === 'anonyme' ? {} : { cookie: sessions.get(who)!.cookie },
      });

    it('answers the EPCI’s analysts and the administrators only', async () => {
      const codes: Record<string, number> = {};
      for (const who of EVERYONE) codes[who] = (await get(who)).statusCode;
      expect(codes).toEqual({
        anonyme: 401,
        '03812': 403,
        '03813': 403,
        'bailleur-L1': 403,
        'bailleur-L2': 403,
        'reservataire-etat': 403,
        'reservataire-ville': 403,
        analyste: 200,
        'analyste-ailleurs': 403,
        admin: 200,
      });
      expect((await get('analyste-ailleurs')).json().error).toMatch(/territoire où vous n’intervenez pas/);
    });

    it('refuses a period that ends before it starts or a date that does not exist, naming the field', async () => {
      const reversed = await get('analyste', 'from=2025-12-31&to=2025-01-01');
      expect(reversed.statusCode).toBe(400);
      expect(reversed.json().error).toMatch(/from \(2025-12-31\) doit précéder to/);
      const invalid = await get('analyste', 'from=2025-02-30&to=2025-12-31');
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json().error).toBe('from : date inexistante (2025-02-30)');
    });

    it('says that groups too small are not tested rather than testing them', async () => {
      const res = await get('admin');
      expect(res.statusCode).toBe(200);
      const housed = res.json().outcomes.find((o: { outcome: string }) => o.outcome === 'housed');
      expect(housed.tests).toBe(0);
      expect(
        housed.groups.every(
          (g: { tested: boolean; note: string }) => !g.tested && /moins de 30/.test(g.note),
        ),
      ).toBe(true);
    });
  });

  describe('what it computes', () => {
    let db: Db;
    let app: FastifyInstance;
    let population: DemoPopulation;
    let cookie: string;
    beforeAll(async () => {
      db = await createTestDb(kind);
      const territory = await readTerritoryFolder(DEMO_TERRITORY_DIR);
      await importTerritory(db, territory);
      const full = generateDemoPopulation(territory, { seed: 1 });
      // The leases of 2025 and their demands, with 2,500 demands never housed (unlinked from households).
      const first2025 = full.leases.findIndex((l) => l.signedOn >= '2025-01-01');
      const sliced = slicePopulation({ ...full, leases: full.leases.slice(first2025) }, 1_200);
      const housed = new Set(full.leases.map((l) => l.sneNumber));
      const waiting = full.demands
        .filter((d) => !housed.has(d.sneNumber))
        .slice(0, 2_500)
        .map((d) => ({ ...d, household: null }));
      population = { ...sliced, demands: [...sliced.demands, ...waiting] };
      await replaceDemoPopulation(db, population);
      app = await buildApp({ db, loginPerMinute: 1000 });
      const { createAccounts } = await import('./helpers.ts');
      await createAccounts(db, [{ identifier: 'analyste@test', role: 'epci-analyst', epciCode: EPCI }]);
      cookie = (await logIn(app, 'analyste@test')).cookie;
    });
    afterAll(async () => {
      await app?.close();
      await db?.close();
    });

    it('gives the domain’s audit of the same demands and leases, communes named, the period defaulting to the last year', async () => {
      const res = await app.inject({ url: `/api/v1/territories/${EPCI}/audit`, headers: { cookie } });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect([body.from, body.to]).toEqual(['2025-01-01', '2025-12-31']);
      // No grid active in this database: the default grid's score is controlled for, and said so.
      expect(body.grid).toMatchObject({ id: DEFAULT_COTATION_GRID.id, active: false });
      const housedOn = new Map<string, string>();
      for (const l of population.leases)
        if (!housedOn.has(l.sneNumber)) housedOn.set(l.sneNumber, l.signedOn);
      const expected = equalTreatmentAudit({
        demands: population.demands,
        housedOn,
        grid: DEFAULT_COTATION_GRID,
        from: '2025-01-01',
        to: '2025-12-31',
      });
      const housed = body.outcomes.find((o: { outcome: string }) => o.outcome === 'housed');
      const domain = expected.outcomes.find((o) => o.outcome === 'housed')!;
      expect(housed.persons).toBe(domain.persons);
      expect(housed.events).toBe(domain.events);
      expect(housed.tests).toBeGreaterThan(5);
      const pick = (g: { group: string; oddsRatio: number | null; flagged: boolean }) => [
        g.group,
        g.oddsRatio === null ? null : Number(g.oddsRatio.toPrecision(10)),
        g.flagged,
      ];
      expect(housed.groups.map(pick)).toEqual(domain.groups.map(pick));
      const grenoble = housed.groups.find((g: { group: string }) => g.group === '38185');
      expect(grenoble.label).toBe('résidant à Grenoble');
      // No application on the platform: the shortlist and commission outcomes are said unavailable.
      expect(body.unavailable.map((u: { what: string }) => u.what)).toContain(
        'Être retenu sur une liste de candidats',
      );
    });
  });
});
