import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { DemoPopulation } from '@mosaique/domain/demo';
import pg from 'pg';
import { type Db, openDb, wrapPglite } from './db.ts';
import { loadMigrations, migrate } from './migrate.ts';

/**
 * Databases for tests: a migrated PGlite cloned from a cached template (< 1 s instead of ~4 s), and,
 * when DATABASE_URL is set, a fresh database created on that PostgreSQL server and dropped on close.
 * Repository tests run on every kind `testDbKinds()` returns.
 */
export type TestDbKind = 'pglite' | 'postgres';

export function testDbKinds(): TestDbKind[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export async function createTestDb(kind: TestDbKind): Promise<Db> {
  return kind === 'pglite' ? createPgliteTestDb() : createPostgresTestDb(process.env.DATABASE_URL!);
}

/** The cached, gzipped data folder of a freshly migrated PGlite, keyed by the migrations' checksums. */
export async function migratedTemplate(): Promise<Blob> {
  const key = createHash('sha256')
    .update(
      loadMigrations()
        .map((m) => m.checksum)
        .join(),
    )
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(os.tmpdir(), 'mosaique-test-templates');
  const file = path.join(dir, `pglite-${key}.tar.gz`);
  if (!existsSync(file)) {
    const fresh = await PGlite.create();
    await migrate(wrapPglite(fresh));
    const dump = await fresh.dumpDataDir('gzip');
    await fresh.close();
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file); // atomic: parallel test files never read half a template
  }
  return new Blob([readFileSync(file)]);
}

async function createPgliteTestDb(): Promise<Db> {
  return openDb({ dataDir: 'memory://', loadDataDir: await migratedTemplate() });
}

async function createPostgresTestDb(url: string): Promise<Db> {
  const name = `mosaique_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openDb({ databaseUrl: target.toString() });
  await migrate(db);
  return {
    ...db,
    async close() {
      await db.close();
      const drop = new pg.Client({ connectionString: url });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

/** A population small enough to read: 2 residences, 3 homes, 4 households, 3 demands, 1 lease. */
export function tinyPopulation(seed: number, householdPrefix = 'H'): DemoPopulation {
  const epci = '200040715';
  const base = { generated: true as const };
  return {
    seed,
    generatorVersion: 'test',
    epci,
    snapshotDate: '2025-12-31',
    incomeYear: '2018',
    plan: { communes: [], iris: [] },
    landlords: [{ id: 'L1', name: 'Bailleur test', ...base }],
    reservationHolders: [
      { id: 'state', name: 'État', kind: 'state', commune: null },
      { id: 'commune-38185', name: 'Ville de Grenoble', kind: 'commune', commune: '38185' },
    ],
    residences: [
      {
        id: 'R1',
        epci,
        landlord: 'L1',
        name: 'Les Tilleuls',
        commune: '38185',
        iris: '381850604',
        qpv: 'QN03807M',
        longitude: 5.73,
        latitude: 45.16,
        constructionYear: 1972,
        ...base,
      },
      {
        id: 'R2',
        epci,
        landlord: 'L1',
        name: 'Le Parc',
        commune: '38185',
        iris: '381850101',
        qpv: null,
        longitude: 5.71,
        latitude: 45.19,
        constructionYear: 2019,
        ...base,
      },
    ],
    homes: [
      {
        id: 'M1',
        residence: 'R1',
        typology: 3,
        surfaceM2: 64,
        floor: 4,
        lift: true,
        accessible: false,
        financing: 'PLUS',
        rentEur: 380,
        chargesEur: 120,
        reservationHolder: 'state',
        ...base,
      },
      {
        id: 'M2',
        residence: 'R2',
        typology: 2,
        surfaceM2: 47,
        floor: 0,
        lift: false,
        accessible: true,
        financing: 'PLAI',
        rentEur: 290,
        chargesEur: 80,
        reservationHolder: 'commune-38185',
        ...base,
      },
      {
        id: 'M3',
        residence: 'R2',
        typology: 4,
        surfaceM2: 81,
        floor: 2,
        lift: true,
        accessible: false,
        financing: 'PLS',
        rentEur: 690,
        chargesEur: 140,
        reservationHolder: 'state',
        ...base,
      },
    ],
    households: [1, 2, 3, 4].map((i) => ({
      id: `${householdPrefix}${i}`,
      epci,
      commune: '38185',
      iris: i <= 2 ? '381850604' : '381850101',
      tenure: i <= 2 ? ('social-tenant' as const) : ('private-tenant' as const),
      home: i <= 2 ? `M${i}` : null,
      persons14OrMore: 1 + (i % 2),
      personsUnder14: i % 3,
      referenceAge: 30 + i,
      type: 'single-parent' as const,
      annualDisposableIncomeEur: 12_000 * i,
      incomeImputed: false,
      ...base,
    })),
    demands: [1, 2, 3].map((i) => ({
      sneNumber: `038${seed}${i}`,
      epci,
      household: `${householdPrefix}${i}`,
      registeredOn: `2023-03-0${i}`,
      applicantBirthDate: '1990-01-01',
      householdType: 'single-parent' as const,
      persons14OrMore: 1,
      personsUnder14: 1,
      monthlyResourcesEur: 1_100 * i,
      referenceTaxIncomeEur: 12_000 * i,
      currentHousing: 'private-tenant' as const,
      currentCommune: '38185',
      reasons: ['too-small'],
      desiredCommunes: ['38185', '38151'],
      desiredTypologies: [2, 3] as (2 | 3)[],
      maxRentEur: i === 3 ? null : 600,
      priorityCriteria: i === 1 ? (['domestic-violence'] as const).slice() : [],
      dalo: i === 1,
      urbanRenewalRelocation: false,
      currentSocialTenant: false,
      wheelchairAccess: false,
      status: i === 1 ? ('housed' as const) : ('active' as const),
      closedOn: i === 1 ? '2024-05-02' : null,
      ...base,
    })),
    leases: [
      {
        id: 'B1',
        home: 'M1',
        household: `${householdPrefix}1`,
        sneNumber: `038${seed}1`,
        signedOn: '2024-05-02',
        reservationHolder: 'state',
        incomePerConsumptionUnitEur: 8_800,
        firstQuartileThresholdEur: 9_100,
        firstQuartile: true,
        urbanRenewalRelocation: false,
        priorityPublic: true,
        dalo: true,
        transfer: false,
        ...base,
      },
    ],
    firstQuartileThresholds: [{ epci, year: 2024, eur: 9_100, demands: 3 }],
  };
}

/**
 * A consistent slice of a (generated) population: its first `leases` leases with every home,
 * residence, household and demand they reference, so that it loads without breaking a foreign key.
 * Keeps tests on realistic data small.
 */
export function slicePopulation(population: DemoPopulation, leases: number): DemoPopulation {
  const kept = population.leases.slice(0, leases);
  const householdIds = new Set(kept.map((l) => l.household));
  const households = population.households.filter((h) => householdIds.has(h.id));
  const homeIds = new Set([
    ...kept.map((l) => l.home),
    ...households.flatMap((h) => (h.home ? [h.home] : [])),
  ]);
  const homes = population.homes.filter((h) => homeIds.has(h.id));
  const residenceIds = new Set(homes.map((h) => h.residence));
  const sneNumbers = new Set(kept.map((l) => l.sneNumber));
  // A home keeps at most one occupant: the households of other homes are left out above.
  return {
    ...population,
    residences: population.residences.filter((r) => residenceIds.has(r.id)),
    homes,
    households,
    demands: population.demands
      .filter((d) => sneNumbers.has(d.sneNumber))
      .map((d) => (d.household && !householdIds.has(d.household) ? { ...d, household: null } : d)),
    leases: kept,
  };
}
