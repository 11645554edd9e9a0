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
import { tinyPopulation } from '@mosaique/db/testing';
import { parseCsv } from '@mosaique/domain/shared/csv.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

let tmp: string;
let env: Record<string, string>;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'mosaique-export-'));
  env = { MOSAIQUE_DATA_DIR: path.join(tmp, 'db') };
  const db = await openDb({ dataDir: env.MOSAIQUE_DATA_DIR });
  await migrate(db);
  await importTerritory(db, await readTerritoryFolder(DEMO_TERRITORY_DIR));
  await replaceDemoPopulation(db, tinyPopulation(1));
  await db.close();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('mosaique demo export households', () => {
  it('writes one row per household with the required columns, header first', async () => {
    const out = path.join(tmp, 'households.csv');
    const result = await runCli(['demo', 'export', 'households', '--out', out], env);
    expect(result.code).toBe(0);
    const [header, ...rows] = parseCsv(readFileSync(out, 'utf8')).map((r) => r.fields);
    expect(header!.slice(0, 7)).toEqual([
      'household_id',
      'iris',
      'commune',
      'tenure',
      'persons_14_or_more',
      'persons_under_14',
      'annual_disposable_income_eur',
    ]);
    expect(rows).toHaveLength(4);
    expect(rows[0]!.slice(0, 7)).toEqual(['H1', '381850604', '38185', 'social-tenant', '2', '1', '12000']);
    expect(rows.every((r) => r[header!.indexOf('generated')] === 'true')).toBe(true);
  });

  it('says so when the EPCI has no household', async () => {
    const result = await runCli(
      ['demo', 'export', 'households', '--out', path.join(tmp, 'x.csv'), '--epci', '999999999'],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/aucun ménage pour l'EPCI 999999999/);
  });
});
