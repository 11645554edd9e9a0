import type { TerritoryData } from '@mosaique/domain/territory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countHouseholds,
  createAdvert,
  createCycle,
  createUser,
  type Db,
  DEMO_TERRITORY_DIR,
  importTerritory,
  readTerritoryFolder,
  replaceDemoPopulation,
} from '../src/index.ts';
import { createTestDb, testDbKinds, tinyPopulation } from '../src/testing.ts';

let territory: TerritoryData;
beforeAll(async () => {
  territory = await readTerritoryFolder(DEMO_TERRITORY_DIR);
});

describe.each(testDbKinds())('demo population loading on %s', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(kind);
    await importTerritory(db, territory);
  });
  afterAll(async () => {
    await db?.close();
  });

  const count = async (table: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  it('loads every table of the population, arrays and dates included', async () => {
    expect(await countHouseholds(db, '200040715')).toBe(0);
    const report = await replaceDemoPopulation(db, tinyPopulation(1));
    expect(report.household?.inserted).toBe(4);
    expect(await count('home')).toBe(3);
    expect(await count('lease')).toBe(1);
    const [demand] = await db.query<{
      desired_typologies: number[];
      desired_communes: string[];
      closed_on: unknown;
    }>(
      "SELECT desired_typologies, desired_communes, to_char(closed_on, 'YYYY-MM-DD') AS closed_on FROM demand WHERE sne_number = '03811'",
    );
    expect(demand).toEqual({
      desired_typologies: [2, 3],
      desired_communes: ['38185', '38151'],
      closed_on: '2024-05-02',
    });
    const [dataset] = await db.query<{ generated: boolean }>(
      "SELECT generated FROM dataset WHERE id = 'demo-population'",
    );
    expect(dataset?.generated).toBe(true);
  });

  it('replaces the previous population without leaving any of it behind', async () => {
    await replaceDemoPopulation(db, tinyPopulation(2, 'K'));
    expect(await db.query('SELECT id FROM household ORDER BY id')).toEqual(
      ['K1', 'K2', 'K3', 'K4'].map((id) => ({ id })),
    );
    expect(await count('demand')).toBe(3);
  });

  it('keeps the previous population when loading fails half-way', async () => {
    const broken = tinyPopulation(3, 'Z');
    broken.leases[0]!.home = 'unknown-home'; // the last table written: everything before must roll back
    await expect(replaceDemoPopulation(db, broken)).rejects.toThrow();
    expect(await db.query('SELECT id FROM household ORDER BY id')).toEqual(
      ['K1', 'K2', 'K3', 'K4'].map((id) => ({ id })),
    );
  });

  it('refuses a social tenant without a home (schema rule)', async () => {
    const broken = tinyPopulation(4, 'Y');
    broken.households[0]!.home = null;
    await expect(replaceDemoPopulation(db, broken)).rejects.toThrow(/household/);
  });

  it('replaces a population that letting, commission and accounts were built on', async () => {
    const applicant = await createUser(db, {
      identifier: 'K2',
      displayName: 'demandeur',
      role: 'applicant',
      landlordId: null,
      reservationHolderId: null,
      epciCode: '200040715',
      sneNumber: '03822',
      passwordHash: null,
    });
    const cycle = await createCycle(db, {
      epci: '200040715',
      landlordId: 'L1',
      name: 'cycle',
      opensAt: '2025-01-01T00:00:00Z',
      closesAt: '2025-02-01T00:00:00Z',
      maxActiveApplications: 3,
      createdBy: applicant.id,
    });
    await createAdvert(db, {
      epci: '200040715',
      homeId: 'M3',
      landlordId: 'L1',
      cycleId: cycle.id,
      description: 'un T4',
      energyLabel: null,
      publish: true,
      createdBy: null,
    });
    await replaceDemoPopulation(db, tinyPopulation(5, 'W'));
    expect(await db.query('SELECT id FROM household ORDER BY id')).toEqual(
      ['W1', 'W2', 'W3', 'W4'].map((id) => ({ id })),
    );
    expect(await count('advert')).toBe(0);
    expect(await count('app_user')).toBe(0);
  });
});
