import {
  analyseMix,
  buildMixSnapshot,
  MIX_POPULATIONS,
  MIX_SCALES,
  MIX_VARIABLES,
  mixColumnsFromRecords,
} from '@mosaique/domain/observatory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Db,
  DEMO_TERRITORY_DIR,
  decodeCopyBinary,
  importTerritory,
  loadMixSnapshotInput,
  readDataVersion,
  readTerritoryFolder,
  replaceDemoPopulation,
} from '../src/index.ts';
import { createTestDb, testDbKinds, tinyPopulation } from '../src/testing.ts';

const EPCI = '200040715';
const SCALE = { firstPerson: 1, otherPerson14OrMore: 0.5, personUnder14: 0.3 };

describe.each(testDbKinds())('observatory data path on %s', (kind) => {
  let db: Db;
  const population = tinyPopulation(5);
  beforeAll(async () => {
    db = await createTestDb(kind);
    await importTerritory(db, await readTerritoryFolder(DEMO_TERRITORY_DIR));
    await replaceDemoPopulation(db, population);
  });
  afterAll(async () => {
    await db?.close();
  });

  const version = async () => BigInt((await readDataVersion(db, EPCI))!);

  it('reads no version for an unknown EPCI, and a positive one once data was written', async () => {
    expect(await readDataVersion(db, '123456789')).toBeNull();
    expect(await version()).toBeGreaterThan(0n);
  });

  it('bumps the version on every statement that changes rows, and only then', async () => {
    const v0 = await version();
    await db.query("UPDATE household SET reference_age = reference_age WHERE id = 'nobody'");
    expect(await version()).toBe(v0);
    await db.query("UPDATE household SET reference_age = reference_age + 1 WHERE id = 'H4'");
    const v1 = await version();
    expect(v1).toBeGreaterThan(v0);
    await db.query("UPDATE residence SET name = 'Le Parc fleuri' WHERE id = 'R2'");
    const v2 = await version();
    expect(v2).toBeGreaterThan(v1);
    await db.query(
      "INSERT INTO school_year (uai, epci_code, school_year, ips) SELECT uai, epci_code, '2030-2031', 100 FROM school LIMIT 1",
    );
    const v3 = await version();
    expect(v3).toBeGreaterThan(v2);
    await db.query("DELETE FROM school_year WHERE school_year = '2030-2031'");
    expect(await version()).toBeGreaterThan(v3);
    await db.query("UPDATE household SET reference_age = reference_age - 1 WHERE id = 'H4'");
    await db.query("UPDATE residence SET name = 'Le Parc' WHERE id = 'R2'");
  });

  it('loads the snapshot input of the EPCI as the records describe it', async () => {
    const input = (await loadMixSnapshotInput(db, EPCI, SCALE))!;
    expect(await loadMixSnapshotInput(db, '123456789', SCALE)).toBeNull();
    expect(input.version).toBe(String(await version()));
    expect(input.communes).toHaveLength(49);
    expect(input.iris).toHaveLength(201);
    expect(input.qpvs).toHaveLength(10);
    expect(input.residences.map((r) => [r.id, r.iris, r.qpv])).toEqual([
      ['R1', '381850604', 'QN03807M'],
      ['R2', '381850101', null],
    ]);
    expect(input.households.length).toBe(4);
    expect(input.leases.length).toBe(1);

    const residenceOfHome = new Map(population.homes.map((h) => [h.id, h.residence]));
    const fromRecords = mixColumnsFromRecords(
      input.iris,
      input.residences,
      population.households.map((h) => ({ ...h, residence: h.home ? residenceOfHome.get(h.home)! : null })),
      population.leases.map((l) => ({
        household: l.household,
        residence: residenceOfHome.get(l.home)!,
        signedOn: l.signedOn,
      })),
    );
    const loaded = buildMixSnapshot(input);
    const expected = buildMixSnapshot({ ...input, ...fromRecords });
    expect(loaded.incomeQuartileCuts).toEqual(expected.incomeQuartileCuts);
    for (const variable of MIX_VARIABLES) {
      for (const population of MIX_POPULATIONS.filter((p) => p !== 'lettings')) {
        for (const scale of MIX_SCALES) {
          const query = { variable, population, scale };
          let value: number | string;
          try {
            value = analyseMix(loaded, query).M;
          } catch (error) {
            value = (error as Error).message;
          }
          let expectedValue: number | string;
          try {
            expectedValue = analyseMix(expected, query).M;
          } catch (error) {
            expectedValue = (error as Error).message;
          }
          expect(value, `${variable} ${population} ${scale}`).toEqual(expectedValue);
        }
      }
    }
    expect([...loaded.lettings.residence]).toEqual([0]);
    expect(loaded.years).toEqual([2024]);
  });
});

// Binary COPY is PGlite's fast read path (the server uses plain queries): tested on PGlite only.
describe('binary COPY decoding on pglite', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb('pglite');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('decodes binary COPY: numbers, text, NULL, and codes from a dictionary', async () => {
    const bytes = await db.copyBinary!(
      `SELECT * FROM (VALUES
         (1::int2, 70000::int4, 9007199254740::int8, 1.5::float8, true, 'é"x', 'b'),
         (NULL, -2, NULL, NULL, false, NULL, NULL)) AS t`,
    );
    const { rows, columns } = decodeCopyBinary(bytes, [
      'int2',
      'int4',
      'int8',
      'float8',
      'bool',
      'text',
      { dictionary: ['a', 'b'] },
    ]);
    expect(rows).toBe(2);
    expect(columns.map((c) => Array.from(c.values as ArrayLike<unknown>))).toEqual([
      [1, Number.NaN],
      [70000, -2],
      [9007199254740, Number.NaN],
      [1.5, Number.NaN],
      [1, 0],
      ['é"x', null],
      [1, -1],
    ]);
    const unknown = await db.copyBinary!("SELECT 'z'::text");
    expect(() => decodeCopyBinary(unknown, [{ dictionary: ['a'] }])).toThrow('valeur inconnue « z »');
  });
});
