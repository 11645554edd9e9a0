import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DEMO_TERRITORY_DIR,
  importTerritory,
  migrate,
  openDb,
  readTerritoryFolder,
  replaceDemoPopulation,
} from '@mosaique/db';
import { slicePopulation } from '@mosaique/db/testing';
import { generateDemoPopulation } from '@mosaique/domain/demo';
import { ciaReview, ciaSettingsOn, LETTINGS_COLUMNS, type ReviewLease } from '@mosaique/domain/review';
import { parseCsv } from '@mosaique/domain/shared/csv.ts';
import type { Typology } from '@mosaique/domain/stock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

let tmp: string;
let env: Record<string, string>;
let year: number;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'mosaique-review-'));
  env = { MOSAIQUE_DATA_DIR: path.join(tmp, 'db') };
  const territory = await readTerritoryFolder(DEMO_TERRITORY_DIR);
  // 600 real generated leases (and what they reference), not a toy: the sums must match on real data.
  const population = slicePopulation(generateDemoPopulation(territory, { seed: 1 }), 600);
  year = Number(population.leases[0]!.signedOn.slice(0, 4));
  const db = await openDb({ dataDir: env.MOSAIQUE_DATA_DIR });
  await migrate(db);
  await importTerritory(db, territory);
  await replaceDemoPopulation(db, population);
  await db.close();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const yes = (v: string) => v === 'true';

describe('mosaique review and export lettings', () => {
  it('exports one row per signed lease with the required columns, and the review recomputed from it is the same', async () => {
    const out = path.join(tmp, 'lettings.csv');
    const exported = await runCli(
      ['export', 'lettings', '--epci', '200040715', '--year', String(year), '--out', out],
      env,
    );
    expect(exported.code).toBe(0);
    const [header, ...rows] = parseCsv(readFileSync(out, 'utf8')).map((r) => r.fields);
    expect(header).toEqual([...LETTINGS_COLUMNS]);
    const at = (name: (typeof LETTINGS_COLUMNS)[number]) => header!.indexOf(name);
    const leases: ReviewLease[] = rows.map((r) => ({
      leaseId: r[at('lease_id')]!,
      signedOn: r[at('signed_on')]!,
      homeId: r[at('home_id')]!,
      commune: r[at('commune')]!,
      qpv: yes(r[at('qpv')]!),
      landlord: r[at('landlord')]!,
      reservationHolder: r[at('reservation_holder')]!,
      typology: Number(r[at('typology')]) as Typology,
      householdId: r[at('household_id')]!,
      firstQuartile: yes(r[at('first_quartile')]!),
      urbanRenewalRelocation: yes(r[at('urban_renewal_relocation')]!),
      priorityPublic: yes(r[at('priority_public')]!),
      transfer: yes(r[at('transfer')]!),
    }));
    const recomputed = ciaReview('200040715', year, leases, ciaSettingsOn(`${year}-12-31`));

    const printed = await runCli(['review', '--epci', '200040715', '--year', String(year), '--json'], env);
    expect(printed.code).toBe(0);
    const review = JSON.parse(printed.stdout);
    expect(review.leases).toBe(rows.length);
    expect(review.leases).toBeGreaterThan(100);
    for (const key of [
      'outsideQpv',
      'insideQpv',
      'priorityByReservationHolder',
      'byLandlord',
      'byReservationHolder',
      'byCommune',
      'byTypology',
    ] as const) {
      expect([key, review[key]]).toEqual([key, recomputed[key]]);
    }
    expect(review.threshold.origin).toBe('computed');
    expect(review.trend.at(-1)).toMatchObject({ year, leases: rows.length });
  });

  it('writes the review as an XLSX workbook with the figures of --json', async () => {
    const out = path.join(tmp, 'bilan.xlsx');
    const run = await runCli(
      ['review', '--epci', '200040715', '--year', String(year), '--json', '--xlsx', out],
      env,
    );
    expect(run.code).toBe(0);
    const review = JSON.parse(run.stdout);
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const row = workbook.getWorksheet('Objectifs')!.getRow(2);
    expect([3, 4, 5, 8].map((c) => row.getCell(c).value)).toEqual([
      review.outsideQpv.leases,
      review.outsideQpv.qualifying,
      review.outsideQpv.share,
      review.outsideQpv.missingHouseholds,
    ]);
    expect(workbook.getWorksheet('Par commune')!.rowCount).toBe(review.byCommune.length + 1);
  });

  it('prints a French summary, and refuses a year without leases or a malformed option', async () => {
    const summary = await runCli(['review', '--epci', '200040715', '--year', String(year)], env);
    expect(summary.stdout).toMatch(/Hors QPV, premier quartile ou relogés : \d+ sur \d+ baux/);
    const empty = await runCli(['review', '--epci', '200040715', '--year', '2010'], env);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/aucun bail signé en 2010/);
    const bad = await runCli(['review', '--epci', '2000', '--year', String(year)], env);
    expect(bad.stderr).toMatch(/--epci : code SIREN de 9 chiffres attendu/);
  });
});
