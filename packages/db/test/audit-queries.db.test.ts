import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditHousedOn,
  auditPlatformOutcomes,
  createAdvert,
  createCommissionSession,
  createCycle,
  type Db,
  DEMO_TERRITORY_DIR,
  importTerritory,
  insertApplication,
  lastLeaseYear,
  markCycleClosed,
  readTerritoryFolder,
  replaceDemoPopulation,
  saveProposalItem,
  saveShortlist,
  withdrawApplication,
} from '../src/index.ts';
import { createTestDb, testDbKinds, tinyPopulation } from '../src/testing.ts';

const EPCI = '200040715';
const DAY = 86_400_000;

describe.each(testDbKinds())('equal-treatment audit queries on %s', (kind) => {
  let db: Db;
  let closesOn: string;
  beforeAll(async () => {
    db = await createTestDb(kind);
    await importTerritory(db, await readTerritoryFolder(DEMO_TERRITORY_DIR));
    await replaceDemoPopulation(db, tinyPopulation(1));
    const now = Date.now();
    const cycle = await createCycle(db, {
      epci: EPCI,
      landlordId: 'L1',
      name: 'cycle audité',
      opensAt: new Date(now - DAY).toISOString(),
      closesAt: new Date(now + DAY).toISOString(),
      maxActiveApplications: 3,
      createdBy: null,
    });
    closesOn = new Date(now + DAY).toISOString().slice(0, 10);
    const advert = (homeId: string) =>
      createAdvert(db, {
        epci: EPCI,
        homeId,
        landlordId: 'L1',
        cycleId: cycle.id,
        description: 'Logement de test pour l’audit.',
        energyLabel: null,
        publish: true,
        createdBy: null,
      });
    const a = await advert('M2');
    const b = await advert('M3');
    const apply = async (advertId: string, sneNumber: string) => {
      const outcome = await insertApplication(db, {
        epci: EPCI,
        advertId,
        cycleId: cycle.id,
        sneNumber,
        maxActive: 3,
        assisted: false,
        createdBy: null,
      });
      if (!outcome.ok) throw new Error(`candidature refusée : ${outcome.reason}`);
      return outcome.id;
    };
    await apply(a, '03812');
    await apply(a, '03813');
    // 03813 also applied to M3, then withdrew: a withdrawn application is not counted.
    await withdrawApplication(db, await apply(b, '03813'), null);
    await markCycleClosed(db, cycle.id, new Date(now + DAY));
    const entry = { score: 10, gridId: 'g', gridVersion: 1, registeredOn: '2023-03-02' };
    await saveShortlist(db, a, EPCI, closesOn, [
      { ...entry, sneNumber: '03813', rank: 1, eligible: true, excludedReasons: [] },
      { ...entry, sneNumber: '03812', rank: null, eligible: false, excludedReasons: ['plafond'] },
    ]);
    const session = await createCommissionSession(db, {
      epci: EPCI,
      landlordId: 'L1',
      heldOn: closesOn,
      members: [{ name: 'Mme A', role: 'présidente' }],
      quorum: 1,
      createdBy: null,
    });
    await saveProposalItem(db, {
      sessionId: session.id,
      epci: EPCI,
      homeId: 'M2',
      advertId: a,
      available: 1,
      proposal: {
        jobId: 'j',
        candidates: ['03813'],
        objective: 1,
        upperBound: 1,
        gap: 0,
        status: 'optimal',
        constraints: [],
        explanation: 'seul candidat retenu',
      },
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('gives each applicant of the cycles closed in the period whether they were shortlisted and proposed', async () => {
    const outcomes = await auditPlatformOutcomes(db, EPCI, `${closesOn.slice(0, 4)}-01-01`, closesOn);
    expect(Object.fromEntries(outcomes)).toEqual({
      '03812': { shortlisted: false, proposed: false },
      '03813': { shortlisted: true, proposed: true },
    });
    expect((await auditPlatformOutcomes(db, EPCI, '2020-01-01', '2020-12-31')).size).toBe(0);
  });

  it('gives the first lease of each demand and the year audited by default', async () => {
    expect(Object.fromEntries(await auditHousedOn(db, EPCI))).toEqual({ '03811': '2024-05-02' });
    expect(await lastLeaseYear(db, EPCI, '2026-11-22')).toBe(2024);
    // Only the current year has leases: it is audited.
    expect(await lastLeaseYear(db, EPCI, '2024-06-30')).toBe(2024);
    expect(await lastLeaseYear(db, '200000000', '2026-11-22')).toBeNull();
  });
});
