import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Demand, firstQuartileThreshold } from '@mosaique/domain/demand';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Db,
  demandImportContext,
  firstQuartileThresholdOf,
  generatedDemandSneNumbers,
  importDemandFile,
  setOfficialFirstQuartileThreshold,
  upsertDemands,
} from '../src/index.ts';
import { createTestDb, testDbKinds } from '../src/testing.ts';

const EPCI = '200040715';

function demand(i: number, overrides: Partial<Demand> = {}): Demand {
  return {
    sneNumber: `03823${String(i).padStart(9, '0')}`,
    epci: EPCI,
    household: null,
    registeredOn: `2023-0${1 + (i % 9)}-15`,
    applicantBirthDate: '1980-06-01',
    householdType: 'single-parent',
    persons14OrMore: 1 + (i % 3),
    personsUnder14: i % 4,
    monthlyResourcesEur: 600 + 137 * i,
    referenceTaxIncomeEur: 9_000 + 1_000 * i,
    currentHousing: 'private-tenant',
    currentCommune: '38185',
    reasons: ['too-small', 'a "quoted" reason'],
    desiredCommunes: ['38185', '38151'],
    desiredTypologies: [2, 3],
    maxRentEur: i % 2 ? 550.5 : null,
    priorityCriteria: i % 3 ? [] : ['homeless'],
    dalo: i % 5 === 0,
    urbanRenewalRelocation: false,
    currentSocialTenant: false,
    wheelchairAccess: i % 7 === 0,
    status: i % 6 === 0 ? 'housed' : 'active',
    closedOn: i % 6 === 0 ? '2024-03-01' : null,
    generated: false,
    ...overrides,
  };
}

describe.each(testDbKinds())('demand repository on %s', (kind) => {
  let db: Db;
  const demands = Array.from({ length: 40 }, (_, i) => demand(i + 1));
  beforeAll(async () => {
    db = await createTestDb(kind);
    await db.query(`INSERT INTO epci VALUES ($1, 'Grenoble-Alpes-Métropole', 450000, 445000)`, [EPCI]);
    await db.query(`INSERT INTO epci VALUES ('243800604', 'Le Grésivaudan', 100000, 99000)`);
    await db.query(
      `INSERT INTO commune (code, epci_code, name, population) VALUES
       ('38185', $1, 'Grenoble', 158000), ('38151', $1, 'Échirolles', 37000), ('38563', '243800604', 'Villard-Bonnot', 7000)`,
      [EPCI],
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM demand'))[0]!.n;

  it('gives the EPCIs and communes the validation needs', async () => {
    const context = await demandImportContext(db);
    expect([...context.knownEpcis].sort()).toEqual(['200040715', '243800604']);
    expect(context.knownCommunes.get('38563')).toBe('243800604');
    expect(context.knownCommunes.size).toBe(3);
  });

  it('upserts by SNE number: a second import changes nothing, a changed row is updated', async () => {
    expect(await upsertDemands(db, demands)).toEqual({ inserted: 40, updated: 0, unchanged: 0 });
    expect(await upsertDemands(db, demands)).toEqual({ inserted: 0, updated: 0, unchanged: 40 });
    const changed = demands.map((d, i) => (i === 3 ? { ...d, monthlyResourcesEur: 2_000, dalo: true } : d));
    expect(await upsertDemands(db, [...changed, demand(41)])).toEqual({
      inserted: 1,
      updated: 1,
      unchanged: 39,
    });
    const [row] = await db.query<Record<string, unknown>>(
      `SELECT monthly_resources_eur, dalo, reasons, desired_typologies, generated, household_id,
              to_char(registered_on, 'YYYY-MM-DD') AS registered_on
       FROM demand WHERE sne_number = $1`,
      [demands[3]!.sneNumber],
    );
    expect(row).toEqual({
      monthly_resources_eur: 2_000,
      dalo: true,
      reasons: ['too-small', 'a "quoted" reason'],
      desired_typologies: [2, 3],
      generated: false,
      household_id: null,
      registered_on: demands[3]!.registeredOn,
    });
    expect(await count()).toBe(41);
  });

  it('rolls everything back when one row fails', async () => {
    const before = await db.query('SELECT * FROM demand ORDER BY sne_number');
    const batch = [
      { ...demands[0]!, monthlyResourcesEur: 1 },
      demand(99),
      demand(100, { epci: '999999999' }), // no such EPCI: foreign key violation
    ];
    await expect(upsertDemands(db, batch)).rejects.toThrow();
    expect(await db.query('SELECT * FROM demand ORDER BY sne_number')).toEqual(before);
  });

  it('lists the SNE numbers of generated demands', async () => {
    expect(await generatedDemandSneNumbers(db)).toEqual(new Set());
    await db.query('UPDATE demand SET generated = true WHERE sne_number = $1', [demand(41).sneNumber]);
    expect(await generatedDemandSneNumbers(db)).toEqual(new Set([demand(41).sneNumber]));
  });

  it('computes the first-quartile threshold as firstQuartileThreshold does, and records the official value', async () => {
    const all = [
      ...demands.map((d, i) => (i === 3 ? { ...d, monthlyResourcesEur: 2_000, dalo: true } : d)),
      demand(41),
    ];
    const expected = firstQuartileThreshold(all, EPCI, 2024);
    expect(expected.demands).toBeGreaterThan(10);
    const computed = await firstQuartileThresholdOf(db, EPCI, 2024);
    expect(computed).toEqual(expected);

    const recorded = await setOfficialFirstQuartileThreshold(db, EPCI, 2024, 9_243);
    expect(recorded).toEqual({ ...expected, official: 9_243, used: 9_243 });
    expect(await firstQuartileThresholdOf(db, EPCI, 2024)).toEqual(recorded);
    const [row] = await db.query<{ computed_eur: number; demands: number }>(
      'SELECT computed_eur, demands FROM first_quartile_threshold WHERE epci_code = $1 AND year = 2024',
      [EPCI],
    );
    expect(row).toEqual({ computed_eur: expected.computed, demands: expected.demands });

    const removed = await setOfficialFirstQuartileThreshold(db, EPCI, 2024, null);
    expect(removed).toEqual(expected);
    expect(await firstQuartileThresholdOf(db, EPCI, 2024)).toEqual(expected);
  });

  describe('importDemandFile', () => {
    let tmp: string;
    beforeAll(() => {
      tmp = mkdtempSync(path.join(os.tmpdir(), 'mosaique-demand-file-'));
    });
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));
    const HEADER =
      'sne_number,registered_on,epci,applicant_birth_date,persons_14_or_more,persons_under_14,monthly_resources_eur,reference_tax_income_eur,desired_communes,desired_typologies,priority_criteria,dalo,urban_renewal_relocation,current_social_tenant';
    const line = (i: number, epci = EPCI) =>
      `0390000000${String(i).padStart(4, '0')},2024-02-0${1 + (i % 9)},${epci},1990-01-01,1,${i % 3},${900 + i},10000,38185,T2,,false,false,false`;
    const writeFile = (name: string, lines: string[]) => {
      const p = path.join(tmp, name);
      writeFileSync(p, `${[HEADER, ...lines].join('\n')}\n`);
      return p;
    };
    const options = async () => ({ ...(await demandImportContext(db)), today: '2026-01-01', batchSize: 2 });
    const imported = async () =>
      (
        await db.query<{ n: number }>("SELECT count(*)::int AS n FROM demand WHERE sne_number LIKE '039%'")
      )[0]!.n;

    it('writes in batches while reading, and a second import changes nothing', async () => {
      const file = writeFile(
        'good.csv',
        [1, 2, 3, 4, 5, 6, 7].map((i) => line(i)),
      );
      const first = await importDemandFile(db, file, await options());
      expect(first.report).toEqual({ inserted: 7, updated: 0, unchanged: 0 });
      expect(first.validation.lines).toEqual([2, 3, 4, 5, 6, 7, 8]);
      expect((await importDemandFile(db, file, await options())).report).toEqual({
        inserted: 0,
        updated: 0,
        unchanged: 7,
      });
    });

    it('rolls back the batches already written when a later row is bad', async () => {
      const before = await db.query('SELECT * FROM demand ORDER BY sne_number');
      const lines = [8, 9, 10, 11, 12].map((i) => line(i));
      lines.push(line(13).replace(',T2,', ',T9,'));
      const result = await importDemandFile(db, writeFile('late-error.csv', lines), await options());
      expect(result.report).toBeNull();
      expect(result.validation.issues.map((i) => `${i.line} ${i.field} ${i.rule}`)).toEqual([
        '7 desired_typologies typologie attendue : T1 à T6',
      ]);
      expect(await db.query('SELECT * FROM demand ORDER BY sne_number')).toEqual(before);
    });

    it('with skipInvalid, writes the valid rows only; a quote never closed still refuses everything', async () => {
      const lines = [8, 9, 10].map((i) => line(i));
      lines.splice(1, 0, line(20).replace(',1990-01-01,1,', ',1990-01-01,0,'));
      const result = await importDemandFile(db, writeFile('mixed.csv', lines), {
        ...(await options()),
        skipInvalid: true,
      });
      expect(result.report).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
      expect(result.validation.rejected.map((r) => r.line)).toEqual([3]);
      expect(await imported()).toBe(10);
      const unclosed = writeFile('unclosed.csv', [line(30), `${line(31).slice(0, -5)}"fa,lse`]);
      const refused = await importDemandFile(db, unclosed, { ...(await options()), skipInvalid: true });
      expect(refused.report).toBeNull();
      expect(refused.validation.fileInvalid).toBe(true);
      expect(refused.validation.issues.at(-1)).toMatchObject({
        line: 3,
        rule: 'guillemet ouvert jamais fermé',
      });
      expect(await imported()).toBe(10);
    });

    it('rolls back when the database refuses a batch', async () => {
      const context = await options();
      // Valid for the validator, absent from the database.
      context.knownEpcis.add('999999999');
      context.knownCommunes.set('38999', '999999999');
      const lines = [40, 41, 42, 43, 44].map((i) =>
        i === 43 ? line(i, '999999999').replace(',38185,', ',38999,') : line(i),
      );
      await expect(importDemandFile(db, writeFile('db-error.csv', lines), context)).rejects.toThrow();
      expect(await imported()).toBe(10);
    });
  });

  it('records an official value for a year without demands, and removes it', async () => {
    const result = await setOfficialFirstQuartileThreshold(db, '243800604', 2020, 8_100.5);
    expect(result).toMatchObject({ computed: null, official: 8_100.5, used: 8_100.5, demands: 0 });
    expect(await firstQuartileThresholdOf(db, '243800604', 2020)).toEqual(result);
    await setOfficialFirstQuartileThreshold(db, '243800604', 2020, null);
    expect(await db.query("SELECT * FROM first_quartile_threshold WHERE epci_code = '243800604'")).toEqual(
      [],
    );
    await expect(setOfficialFirstQuartileThreshold(db, EPCI, 2024, 0)).rejects.toThrow(
      /seuil officiel invalide/,
    );
  });
});
