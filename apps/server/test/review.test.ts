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
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { XLSX_SHEETS } from '../src/reports/cia-review-xlsx.ts';
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

  /** The rows of a sheet below its header, as plain values. */
  const sheetRows = (workbook: ExcelJS.Workbook, name: string) => {
    const sheet = workbook.getWorksheet(name);
    if (!sheet) throw new Error(`feuille ${name} absente`);
    const rows: unknown[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, n) => {
      if (n > 1) rows.push((row.values as unknown[]).slice(1));
    });
    return { sheet, rows };
  };
  const outcomeOf = (o: {
    leases: number;
    qualifying: number;
    share: number | null;
    target: number;
    missingHouseholds: number;
  }) => [o.leases, o.qualifying, o.share ?? undefined, o.target, o.missingHouseholds];

  it('gives the review as an XLSX workbook whose every figure is the JSON review’s, in number cells', async () => {
    for (const query of [`year=${year}`, `year=${year}&until=${year}-06-30`]) {
      const json = (await get('analyste@test', query)).json();
      const res = await app.inject({
        url: `/api/v1/territories/200040715/cia-review.xlsx?${query}`,
        headers: { cookie: cookies['analyste@test']! },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="bilan-cia-200040715-${year}.xlsx"`,
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(workbook.worksheets.map((w) => w.name)).toEqual(Object.values(XLSX_SHEETS));
      for (const w of workbook.worksheets) expect(w.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

      const targets = sheetRows(workbook, XLSX_SHEETS.targets);
      expect(targets.sheet.getRow(1).getCell(8).value).toBe('Écart (ménages manquants)');
      const targetValues = (o: typeof json.outsideQpv) => [
        o.leases,
        o.qualifying,
        o.share ?? undefined,
        o.target,
        o.met ? 'oui' : 'non',
        o.missingHouseholds,
      ];
      expect(targets.rows[0]!.slice(2)).toEqual(targetValues(json.outsideQpv));
      expect(targets.rows[1]!.slice(2)).toEqual(targetValues(json.insideQpv));
      expect(targets.rows.slice(2).map((r) => r.slice(2))).toEqual(
        json.priorityByReservationHolder.map(targetValues),
      );
      expect(targets.rows.slice(2).map((r) => r[1])).toEqual(
        json.priorityByReservationHolder.map(
          (r: { reservationHolder: string }) => json.labels[r.reservationHolder],
        ),
      );
      // Shares are numbers shown as percentages, not text.
      const share = targets.sheet.getRow(2).getCell(5);
      expect(typeof share.value).toBe('number');
      expect(share.numFmt).toBe('0.0 %');

      for (const [sheet, rows] of [
        [XLSX_SHEETS.byLandlord, json.byLandlord],
        [XLSX_SHEETS.byReservationHolder, json.byReservationHolder],
        [XLSX_SHEETS.byCommune, json.byCommune],
        [XLSX_SHEETS.byTypology, json.byTypology],
      ] as const) {
        expect(rows.length).toBeGreaterThan(0);
        expect(sheetRows(workbook, sheet).rows).toEqual(
          rows.map((r: { key: string; outsideQpv: never; insideQpv: never; priority: never }) => [
            r.key,
            json.labels[r.key] ?? r.key,
            ...outcomeOf(r.outsideQpv),
            ...outcomeOf(r.insideQpv),
            ...outcomeOf(r.priority),
          ]),
        );
      }

      expect(sheetRows(workbook, XLSX_SHEETS.trend).rows).toEqual(
        json.trend.map(
          (t: { year: number; leases: number; outsideQpvShare: number; insideQpvShare: number }) => [
            t.year,
            t.leases,
            t.outsideQpvShare ?? undefined,
            t.insideQpvShare ?? undefined,
          ],
        ),
      );

      const projection = sheetRows(workbook, XLSX_SHEETS.projection).rows;
      if (json.projection) {
        expect(projection[0]!.slice(1)).toEqual(targetValues(json.projection.outsideQpv));
        expect(projection[1]!.slice(1)).toEqual(targetValues(json.projection.insideQpv));
        expect(projection[3]).toEqual(['Part de l’année écoulée', json.projection.yearElapsed]);
      } else {
        expect(String(projection[1]![0])).toMatch(/pas de projection/);
      }

      const threshold = sheetRows(workbook, XLSX_SHEETS.threshold).rows;
      expect(threshold[0]![1]).toBe(json.threshold.used ?? undefined);
      expect(threshold[1]![1]).toMatch(json.threshold.origin === 'official' ? /^officiel/ : /^calculé/);
      expect(threshold[2]![1]).toBe(json.threshold.computed ?? undefined);
      expect(threshold[3]![1]).toBe(json.threshold.official ?? undefined);

      const sources = Object.fromEntries(
        sheetRows(workbook, XLSX_SHEETS.sources).rows.map((r) => [r[0], r[1]]),
      );
      expect(sources['Baux comptés']).toBe(json.leases);
      expect(sources.Objectifs).toMatch(/CCH L441-1/);
      expect(sources.Données).toMatch(/démonstration générée/);
    }
  });

  it('keeps the XLSX review to the territory’s partners', async () => {
    const url = `/api/v1/territories/200040715/cia-review.xlsx?year=${year}`;
    expect(
      (await app.inject({ url, headers: { cookie: cookies['analyste-ailleurs@test']! } })).statusCode,
    ).toBe(403);
    expect((await app.inject(url)).statusCode).toBe(401);
    const none = await app.inject({
      url: '/api/v1/territories/200040715/cia-review.xlsx?year=2010',
      headers: { cookie: cookies['analyste@test']! },
    });
    expect(none.statusCode).toBe(404);
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
