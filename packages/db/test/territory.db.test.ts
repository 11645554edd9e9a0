import type { TerritoryData } from '@mosaique/domain/territory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  communeFeatures,
  type Db,
  DEMO_TERRITORY_DIR,
  getEpciSummary,
  importTerritory,
  irisFeatures,
  isMigrated,
  listSchools,
  migrate,
  readTerritoryFolder,
} from '../src/index.ts';
import { createTestDb, testDbKinds } from '../src/testing.ts';

let territory: TerritoryData;
beforeAll(async () => {
  territory = await readTerritoryFolder(DEMO_TERRITORY_DIR);
});

/** Every row of the territory tables, to compare database states. */
async function snapshot(db: Db) {
  const tables = ['epci', 'dataset', 'commune', 'iris', 'qpv', 'qpv_iris', 'school', 'school_year'];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = await db.query(`SELECT * FROM ${t} ORDER BY 1, 2`);
  return out;
}

describe.each(testDbKinds())('territory repository on %s', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('is migrated, and migrating again applies nothing', async () => {
    expect(await isMigrated(db)).toBe(true);
    expect(await migrate(db)).toEqual([]);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const [first] = (await import('../src/migrate.ts')).loadMigrations();
    await expect(migrate(db, [{ ...first!, checksum: 'edited' }])).rejects.toThrow(/a été modifiée/);
  });

  it('imports the demo territory, then a second import changes nothing', async () => {
    const first = await importTerritory(db, territory);
    expect(first.commune).toEqual({ inserted: 49, updated: 0, unchanged: 0 });
    const before = await snapshot(db);
    const second = await importTerritory(db, territory);
    for (const report of Object.values(second)) expect(report.inserted + report.updated).toBe(0);
    expect(await snapshot(db)).toEqual(before);
  });

  it('updates only what changed on re-import', async () => {
    const changed = structuredClone(territory);
    changed.communes[0]!.population += 1;
    const report = await importTerritory(db, changed);
    expect(report.commune).toEqual({ inserted: 0, updated: 1, unchanged: 48 });
    await importTerritory(db, territory);
  });

  it('leaves the database unchanged when an import fails half-way', async () => {
    const before = await snapshot(db);
    const broken = structuredClone(territory);
    broken.communes[0]!.population += 1000; // would be written first…
    broken.schools.push({ ...broken.schools[0]!, uai: '0999999Z', commune: '99999' }); // …then this fails (FK)
    await expect(importTerritory(db, broken)).rejects.toThrow();
    expect(await snapshot(db)).toEqual(before);
  });

  it('answers the EPCI summary and the GeoJSON of communes and IRIS', async () => {
    const summary = await getEpciSummary(db, '200040715');
    expect(summary?.counts).toEqual({ communes: 49, iris: 201, irisWithIncome: 131, qpv: 10, schools: 206 });
    expect(await getEpciSummary(db, '000000000')).toBeNull();
    const communes = await communeFeatures(db, '200040715');
    expect(communes.features).toHaveLength(49);
    expect(communes.features.find((f) => f.id === '38185')!.properties.qpvs).toHaveLength(4);
    const iris = await irisFeatures(db, '200040715');
    expect(iris.features).toHaveLength(201);
    const arlequin = iris.features.find((f) => f.id === '381850604')!.properties;
    // filosofi-2018-disp-iris.csv, IRIS 381850604 (Arlequin): median 12,630 €, poverty rate 53.7 %.
    expect(arlequin).toMatchObject({ medianIncome: 12630, povertyRate: 53.7, communeName: 'Grenoble' });
    expect(arlequin.qpvs).toEqual([
      { code: 'QN03807M', name: 'Villeneuve - Village Olympique', approximate: true },
    ]);
    const schools = await listSchools(db, '200040715');
    expect(schools.find((s) => s.level === 'college')!.years[0]).toHaveProperty('ipsStandardDeviation');
  });
});
