import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeApplicantsOf,
  createAdvert,
  createCycle,
  type Db,
  DEMO_TERRITORY_DIR,
  dueCycleIds,
  getAdvert,
  homeForAdvert,
  importTerritory,
  insertApplication,
  listAdverts,
  readTerritoryFolder,
  replaceDemoPopulation,
  saveShortlist,
  shortlistOf,
  withdrawAdvert,
  withdrawApplication,
} from '../src/index.ts';
import { createTestDb, testDbKinds, tinyPopulation } from '../src/testing.ts';

const EPCI = '200040715';
// The cycle is open now (the database's clock decides whether it takes applications).
const OPENS = new Date(Math.floor(Date.now() / 1000) * 1000 - 86_400_000);
const CLOSES = new Date(OPENS.getTime() + 2 * 86_400_000);
const isoSeconds = (d: Date) => d.toISOString().replace('.000Z', 'Z');

describe.each(testDbKinds())('letting repository on %s', (kind) => {
  let db: Db;
  let cycleId: string;
  let advertId: string;
  beforeAll(async () => {
    db = await createTestDb(kind);
    await importTerritory(db, await readTerritoryFolder(DEMO_TERRITORY_DIR));
    await replaceDemoPopulation(db, tinyPopulation(1));
    const cycle = await createCycle(db, {
      epci: EPCI,
      landlordId: 'L1',
      name: 'janvier',
      opensAt: isoSeconds(OPENS),
      closesAt: isoSeconds(CLOSES),
      maxActiveApplications: 3,
      createdBy: null,
    });
    cycleId = cycle.id;
    expect(cycle).toMatchObject({
      status: 'open',
      opensAt: isoSeconds(OPENS),
      closesAt: isoSeconds(CLOSES),
    });
    advertId = await createAdvert(db, {
      epci: EPCI,
      homeId: 'M3',
      landlordId: 'L1',
      cycleId,
      description: 'Grand T4 avec ascenseur, proche du parc.',
      energyLabel: 'B',
      publish: true,
      createdBy: null,
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('reads the advert with the data of the home, never duplicated', async () => {
    const advert = await getAdvert(db, advertId);
    expect(advert).toMatchObject({
      status: 'published',
      energyLabel: 'B',
      landlordName: 'Bailleur test',
      home: {
        id: 'M3',
        typology: 4,
        financing: 'PLS',
        rentEur: 690,
        chargesEur: 140,
        qpv: null,
        commune: '38185',
      },
      cycle: { id: cycleId, maxActiveApplications: 3 },
      activeApplications: 0,
    });
    expect(await homeForAdvert(db, 'M1')).toMatchObject({ vacant: false, landlordId: 'L1' });
    expect(await homeForAdvert(db, 'M3')).toMatchObject({ vacant: true, liveAdvert: true });
    expect(await listAdverts(db, { epci: EPCI, typologies: [4], maxTotalRentEur: 830 })).toHaveLength(1);
    expect(await listAdverts(db, { epci: EPCI, maxTotalRentEur: 829 })).toHaveLength(0);
    expect(await listAdverts(db, { communes: ['38151'] })).toHaveLength(0);
  });

  it('refuses a second advert in progress for a home, and a withdrawal without reason', async () => {
    const again = {
      epci: EPCI,
      homeId: 'M3',
      landlordId: 'L1',
      cycleId,
      description: 'Deuxième annonce du même logement.',
      energyLabel: null,
      publish: false,
      createdBy: null,
    };
    await expect(createAdvert(db, again)).rejects.toThrow(/advert_one_live_per_home/);
    await expect(
      db.query("UPDATE advert SET status = 'withdrawn' WHERE id = $1", [advertId]),
    ).rejects.toThrow(/check/);
  });

  it('counts active applications per cycle and keeps one active application per advert', async () => {
    const apply = (sneNumber: string, maxActive = 3) =>
      db.transaction((tx) =>
        insertApplication(tx, {
          epci: EPCI,
          advertId,
          cycleId,
          sneNumber,
          maxActive,
          assisted: false,
          createdBy: null,
        }),
      );
    const first = await apply('03812');
    expect(first.ok).toBe(true);
    expect(await apply('03812')).toEqual({ ok: false, reason: 'duplicate' });
    expect(await apply('03811')).toEqual({ ok: false, reason: 'demand-inactive' });
    expect(await apply('03813', 0)).toEqual({ ok: false, reason: 'limit', active: 0, max: 0 });
    // The partial unique index backs the rule up.
    await expect(
      db.query(
        `INSERT INTO application (id, epci_code, advert_id, cycle_id, sne_number, status) VALUES ('x', $1, $2, $3, '03812', 'active')`,
        [EPCI, advertId, cycleId],
      ),
    ).rejects.toThrow(/application_one_active/);
    expect((await apply('03813')).ok).toBe(true);
    const standings = await activeApplicantsOf(db, EPCI, advertId);
    expect(standings).toEqual([
      { sneNumber: '03812', score: null, registeredOn: '2023-03-02', gridId: null, gridVersion: null },
      { sneNumber: '03813', score: null, registeredOn: '2023-03-03', gridId: null, gridVersion: null },
    ]);
    if (first.ok) {
      expect(await withdrawApplication(db, first.id, null)).toBe(true);
      expect(await withdrawApplication(db, first.id, null)).toBe(false);
    }
    expect((await apply('03812')).ok).toBe(true);
  });

  it('stores a shortlist with the figures it was built on', async () => {
    await saveShortlist(db, advertId, EPCI, '2026-01-19', [
      {
        sneNumber: '03813',
        rank: 1,
        score: 42,
        gridId: 'g',
        gridVersion: 2,
        registeredOn: '2023-03-03',
        eligible: null,
        excludedReasons: [],
      },
      {
        sneNumber: '03812',
        rank: null,
        score: 50,
        gridId: 'g',
        gridVersion: 2,
        registeredOn: '2023-03-02',
        eligible: false,
        excludedReasons: ['taux d’effort 40 % > maximum 35 %'],
      },
    ]);
    const list = await shortlistOf(db, advertId);
    expect(list.map((e) => [e.sneNumber, e.rank, e.eligible, e.excludedReasons, e.builtOn])).toEqual([
      ['03813', 1, null, [], '2026-01-19'],
      ['03812', null, false, ['taux d’effort 40 % > maximum 35 %'], '2026-01-19'],
    ]);
    const statuses = await db.query<{ sne_number: string; status: string }>(
      "SELECT sne_number, status FROM application WHERE advert_id = $1 AND status <> 'withdrawn' ORDER BY sne_number",
      [advertId],
    );
    expect(statuses).toEqual([
      { sne_number: '03812', status: 'excluded' },
      { sne_number: '03813', status: 'shortlisted' },
    ]);
  });

  it('finds due cycles and withdraws an advert with its reason', async () => {
    expect(await dueCycleIds(db, new Date(CLOSES.getTime() - 1000))).toEqual([]);
    expect(await dueCycleIds(db, CLOSES)).toEqual([cycleId]);
    expect(await withdrawAdvert(db, advertId, 'logement sinistré', null)).toBe(0);
    expect(await getAdvert(db, advertId)).toMatchObject({
      status: 'withdrawn',
      withdrawnReason: 'logement sinistré',
    });
    const late = await db.transaction((tx) =>
      insertApplication(tx, {
        epci: EPCI,
        advertId,
        cycleId,
        sneNumber: '03813',
        maxActive: 3,
        assisted: false,
        createdBy: null,
      }),
    );
    expect(late).toEqual({ ok: false, reason: 'closed' });
  });
});
