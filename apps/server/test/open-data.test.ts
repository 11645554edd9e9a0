import { type Db, reviewLeases } from '@mosaique/db';
import { testDbKinds } from '@mosaique/db/testing';
import { ciaReview, ciaSettingsOn } from '@mosaique/domain/review';
import { parseCsv } from '@mosaique/domain/shared/csv.ts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { observatoryServiceFor } from '../src/observatory/observatory-service.ts';
import { warmOpenData } from '../src/routes/open-data.ts';
import { createAccounts, demoLeasesDatabase, logIn } from './helpers.ts';

const EPCI = '200040715';
const base = `/api/v1/open-data/territories/${EPCI}`;

interface Catalogue {
  year: number;
  years: number[];
  secrecyThreshold: number;
  datasets: {
    id: string;
    csv: string;
    geojson: { iris: string; commune: string } | null;
    secretCells: number;
  }[];
  review: {
    leases: { value: number | null };
    targets: {
      code: string;
      leases: { value: number | null };
      qualifying: { value: number | null };
      share: number | null;
    }[];
    priorityByReservationHolder: unknown[];
  };
  indices: { M: number; H: number; D: number; counted: number }[];
  licence: { name: string };
}

/** Every count of a CSV download: the columns that have a `_secret` companion. */
function csvCounts(text: string): { value: string; secret: string; column: string }[] {
  const [header, ...rows] = parseCsv(text).map((r) => r.fields);
  const counted = header!.filter((h) => header!.includes(`${h}_secret`));
  expect(counted.length).toBeGreaterThan(0);
  return rows.flatMap((r) =>
    counted.map((column) => ({
      column,
      value: r[header!.indexOf(column)]!,
      secret: r[header!.indexOf(`${column}_secret`)]!,
    })),
  );
}

describe.each(testDbKinds())('open data on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  let year: number;

  beforeAll(async () => {
    // 600 real generated leases and their households: small counts everywhere, the hard case.
    ({ db, lastLeaseYear: year } = await demoLeasesDatabase(kind, 600));
    // Three owners beside the social occupants of one IRIS: all households minus the social stock's
    // occupants is then a small count there, which neither table may give away by difference.
    await db.query(
      `INSERT INTO household (id, epci_code, commune_code, iris_code, tenure, home_id, persons_14_or_more,
         persons_under_14, reference_age, type, annual_disposable_income_eur, income_imputed)
       SELECT 'owner-' || g, h.epci_code, h.commune_code, h.iris_code, 'owner', NULL, 2, 0, 50, 'couple',
              h.annual_disposable_income_eur, false
       FROM (SELECT * FROM household WHERE home_id IS NOT NULL ORDER BY id LIMIT 1) h, generate_series(1, 3) g`,
    );
    app = await buildApp({ db, loginPerMinute: 1000 });
    await createAccounts(db, [{ identifier: 'analyste@test', role: 'epci-analyst', epciCode: EPCI }]);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('is computed ahead of its first visitor by the warm-up the server runs at start', async () => {
    // Before any request: the observatory's service holds nothing for this database yet.
    const service = observatoryServiceFor(db);
    const query = { variable: 'income-quartile', population: 'social-occupants', scale: 'iris' } as const;
    await warmOpenData(db, EPCI);
    expect((await service.analysis(EPCI, query))!.cached).toBe(true);
    const res = await app.inject(base);
    expect(res.statusCode).toBe(200);
    expect(res.json<Catalogue>().indices).toHaveLength(4);
  });

  it('answers without a session: the catalogue, the indices and the review’s targets, under the Licence Ouverte', async () => {
    const res = await app.inject(base);
    expect(res.statusCode).toBe(200);
    const body = res.json<Catalogue>();
    expect(body.licence.name).toMatch(/Licence Ouverte/);
    expect(body.secrecyThreshold).toBe(11);
    // The last complete year by default.
    expect(body.year).toBe(Math.max(...body.years.filter((y) => y < new Date().getUTCFullYear())));
    expect(body.datasets.map((d) => d.id)).toEqual([
      'menages-quartile',
      'parc-social-quartile',
      'attributions-quartile-qpv',
      'bilan-cia-bailleur',
      'bilan-cia-reservataire',
      'bilan-cia-commune',
      'bilan-cia-typologie',
      'bilan-cia-prioritaires',
    ]);
    expect(body.indices.length).toBe(4);
    for (const i of body.indices) expect(i.H).toBeGreaterThanOrEqual(0);
    // The targets are the review's own figures where the counts are published.
    const review = ciaReview(
      EPCI,
      body.year,
      await reviewLeases(db, EPCI, body.year),
      ciaSettingsOn(`${body.year}-12-31`),
    );
    expect(body.review.leases.value).toBe(review.leases);
    const outside = body.review.targets.find((t) => t.code === 'hors-qpv')!;
    if (outside.leases.value !== null && outside.qualifying.value !== null) {
      expect(outside.leases.value).toBe(review.outsideQpv.leases);
      expect(outside.qualifying.value).toBe(review.outsideQpv.qualifying);
      expect(outside.share).toBeCloseTo(review.outsideQpv.share!, 12);
    } else {
      expect(outside.share).toBeNull();
    }
  });

  it('publishes no count from 1 to 10 in any CSV or GeoJSON download, and marks every secret cell', async () => {
    const body = (await app.inject(base)).json<Catalogue>();
    let secrets = 0;
    let published = 0;
    for (const d of body.datasets) {
      const res = await app.inject(d.csv);
      expect(res.statusCode, d.csv).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      for (const cell of csvCounts(res.body)) {
        if (cell.secret === 'oui') {
          expect(cell.value, `${d.id} ${cell.column}`).toBe('');
          secrets++;
        } else {
          expect(cell.secret).toBe('non');
          const n = Number(cell.value);
          expect(Number.isInteger(n) && (n === 0 || n >= 11), `${d.id} ${cell.column} = ${cell.value}`).toBe(
            true,
          );
          published++;
        }
      }
      for (const url of d.geojson ? [d.geojson.iris, d.geojson.commune] : []) {
        const geo = await app.inject(url);
        expect(geo.statusCode, url).toBe(200);
        expect(geo.headers['content-type']).toBe('application/geo+json; charset=utf-8');
        const collection = geo.json();
        expect(collection.type).toBe('FeatureCollection');
        expect(collection.features.length).toBeGreaterThan(0);
        for (const f of collection.features) {
          expect(f.geometry.type).toMatch(/Polygon/);
          for (const [key, value] of Object.entries(f.properties as Record<string, unknown>)) {
            if (!key.endsWith('_secret')) continue;
            const count = (f.properties as Record<string, number | null>)[key.replace(/_secret$/, '')];
            if (value === true) expect(count).toBeNull();
            else expect(count === 0 || (count as number) >= 11).toBe(true);
          }
        }
      }
    }
    // The slice is small: the rule had work to do, and left most counts published.
    expect(secrets).toBeGreaterThan(0);
    expect(published).toBeGreaterThan(secrets);
  });

  it('gives the same counts as the review where they are published', async () => {
    const table = (await app.inject(`${base}/tables/bilan-cia-bailleur?year=${year}`)).json();
    const review = ciaReview(EPCI, year, await reviewLeases(db, EPCI, year), ciaSettingsOn(`${year}-12-31`));
    for (const row of table.rows.slice(1)) {
      const r = review.byLandlord.find((b) => b.key === row.code)!;
      const truth = [
        r.outsideQpv.qualifying,
        r.outsideQpv.leases - r.outsideQpv.qualifying,
        r.insideQpv.qualifying,
        r.insideQpv.leases - r.insideQpv.qualifying,
      ];
      row.cells.forEach((c: { value: number | null }, k: number) => {
        if (c.value !== null) expect(c.value).toBe(truth[k]);
      });
    }
    expect(table.rows[0].total.value).toBe(review.leases);
  });

  it('hides the leases of a commune alike in the year’s lettings and in the review by commune', async () => {
    const lettings = (await app.inject(`${base}/tables/attributions-quartile-qpv?year=${year}`)).json();
    const review = (await app.inject(`${base}/tables/bilan-cia-commune?year=${year}`)).json();
    type Row = { level: string; code: string; total: { value: number | null; secret: boolean } };
    let compared = 0;
    for (const row of review.rows as Row[]) {
      const other = (lettings.rows as Row[]).find((r) => r.level === row.level && r.code === row.code)!;
      expect([row.code, other.total]).toEqual([row.code, row.total]);
      compared++;
    }
    expect(compared).toBeGreaterThan(1);
  });

  it('leaves no count from 1 to 10 between all households and the social stock’s occupants of a unit', async () => {
    const all = (await app.inject(`${base}/tables/menages-quartile`)).json();
    const social = (await app.inject(`${base}/tables/parc-social-quartile`)).json();
    type Cell = { value: number | null };
    type Row = { level: string; code: string; cells: Cell[]; total: Cell };
    let compared = 0;
    for (const row of all.rows as Row[]) {
      const other = (social.rows as Row[]).find((r) => r.level === row.level && r.code === row.code);
      if (!other) continue;
      [...row.cells, row.total].forEach((cell, c) => {
        const part = [...other.cells, other.total][c]!;
        if (cell.value === null || part.value === null) return;
        const others = cell.value - part.value;
        expect([row.code, c, others === 0 || others >= 11]).toEqual([row.code, c, true]);
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('refuses unknown datasets, formats, years and EPCIs in French, and a map of a table without one', async () => {
    const unknown = await app.inject(`${base}/tables/menages?format=csv`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().details).toMatch(/jeu de données inconnu/);
    expect((await app.inject(`${base}/tables/menages-quartile?format=xls`)).json().details).toMatch(
      /format inconnu/,
    );
    const noYear = await app.inject(`${base}?year=2010`);
    expect(noYear.statusCode).toBe(404);
    expect(noYear.json().error).toMatch(/aucun bail signé en 2010/);
    expect((await app.inject('/api/v1/open-data/territories/123456789')).statusCode).toBe(404);
    const noMap = await app.inject(`${base}/tables/bilan-cia-bailleur?format=geojson`);
    expect(noMap.statusCode).toBe(400);
    expect(noMap.json().error).toMatch(/pas de forme cartographique/);
  });

  it('leaves the partners’ review where it was: detailed, signed in only', async () => {
    expect((await app.inject(`/api/v1/territories/${EPCI}/cia-review?year=${year}`)).statusCode).toBe(401);
    expect((await app.inject(`/api/v1/territories/${EPCI}/lettings.csv?year=${year}`)).statusCode).toBe(401);
    const { cookie } = await logIn(app, 'analyste@test');
    expect(
      (await app.inject({ url: `/api/v1/territories/${EPCI}/cia-review?year=${year}`, headers: { cookie } }))
        .statusCode,
    ).toBe(200);
  });

  it('publishes nothing at the level of a person: no household, lease or demand identifier', async () => {
    const body = (await app.inject(base)).json<Catalogue>();
    const leases = await reviewLeases(db, EPCI, year);
    const ids = new Set(leases.flatMap((l) => [l.householdId, l.leaseId, l.homeId]));
    for (const d of body.datasets) {
      const text = (await app.inject(d.csv)).body;
      for (const line of text.split('\r\n').slice(1, 50)) {
        for (const field of line.split(',')) expect(ids.has(field)).toBe(false);
      }
    }
  });

  it('is rate-limited like every route', async () => {
    const limited = await buildApp({ db, rateLimitPerMinute: 2 });
    try {
      expect((await limited.inject(base)).statusCode).toBe(200);
      expect((await limited.inject(base)).statusCode).toBe(200);
      expect((await limited.inject(base)).statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
