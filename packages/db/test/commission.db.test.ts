import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCommissionSession,
  type Db,
  DEMO_TERRITORY_DIR,
  decisionsOfItem,
  existingLeaseOf,
  getItem,
  importTerritory,
  insertDecision,
  insertLease,
  insertResponse,
  itemsOfSession,
  type NewLease,
  readTerritoryFolder,
  replaceDemoPopulation,
  saveProposalItem,
  setItemStatus,
  updateItemCandidates,
} from '../src/index.ts';
import { createTestDb, testDbKinds, tinyPopulation } from '../src/testing.ts';

const EPCI = '200040715';
const proposal = (candidates: string[]) => ({
  jobId: 'j',
  candidates,
  objective: 10,
  upperBound: 11,
  gap: 0.09,
  status: 'optimal',
  constraints: [{ name: 'priorityPerReservationHolder:state', label: 'x', slack: 0.5 }],
  explanation: 'parce que',
});

describe.each(testDbKinds())('commission repository on %s', (kind) => {
  let db: Db;
  let sessionId: string;
  beforeAll(async () => {
    db = await createTestDb(kind);
    await importTerritory(db, await readTerritoryFolder(DEMO_TERRITORY_DIR));
    await replaceDemoPopulation(db, tinyPopulation(1));
    const session = await createCommissionSession(db, {
      epci: EPCI,
      landlordId: 'L1',
      heldOn: '2026-03-02',
      members: [{ name: 'Mme A', role: 'présidente' }],
      quorum: 1,
      createdBy: null,
    });
    sessionId = session.id;
    expect(session).toMatchObject({ status: 'planned', heldOn: '2026-03-02', members: [{ name: 'Mme A' }] });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('stores the proposal on the agenda, replaces it while open and keeps a decided item', async () => {
    const base = { sessionId, epci: EPCI, homeId: 'M3', advertId: null, available: 2 };
    expect(await saveProposalItem(db, { ...base, proposal: proposal(['03812']) })).toBe('saved');
    expect(await saveProposalItem(db, { ...base, proposal: proposal(['03812', '03813']) })).toBe('saved');
    const [item] = await itemsOfSession(db, sessionId);
    expect(item).toMatchObject({
      homeId: 'M3',
      candidates: ['03812', '03813'],
      version: 2,
      reservationHolderId: 'state',
    });
    expect(item!.proposal!.constraints[0]!.slack).toBe(0.5);
    expect(
      await updateItemCandidates(db, item!.id, {
        candidates: ['03813'],
        deviationJustification: 'écart justifié',
        daloDesignated: true,
      }),
    ).toBe(3);
    await setItemStatus(db, item!.id, 'decided');
    expect(await saveProposalItem(db, { ...base, proposal: proposal(['03812']) })).toBe('decided');
    expect((await getItem(db, item!.id))!.candidates).toEqual(['03813']);
  });

  it('refuses in the schema a non-allocation without reasons, a ranked allocation without rank, a refusal without reason', async () => {
    const [item] = await itemsOfSession(db, sessionId);
    const d = {
      agendaItemId: item!.id,
      epci: EPCI,
      sneNumber: '03812',
      rank: null,
      reasonCodes: [] as string[],
      reasonText: null,
      missingDocument: null,
      decidedBy: null,
    };
    await expect(
      db.transaction((tx) => insertDecision(tx, { ...d, kind: 'non-allocation' })),
    ).rejects.toThrow();
    await expect(
      db.transaction((tx) => insertDecision(tx, { ...d, kind: 'ranked-allocation' })),
    ).rejects.toThrow();
    await expect(
      db.transaction((tx) => insertDecision(tx, { ...d, kind: 'suspensive-condition' })),
    ).rejects.toThrow();
    const id = await insertDecision(db, { ...d, kind: 'allocation' });
    await expect(
      insertResponse(db, { decisionId: id, epci: EPCI, response: 'refused', reason: null, recordedBy: null }),
    ).rejects.toThrow();
    expect(
      await insertResponse(db, {
        decisionId: id,
        epci: EPCI,
        response: 'accepted',
        reason: null,
        recordedBy: null,
      }),
    ).toBe(true);
    expect(
      await insertResponse(db, {
        decisionId: id,
        epci: EPCI,
        response: 'refused',
        reason: 'x',
        recordedBy: null,
      }),
    ).toBe(false);
    const [stored] = await decisionsOfItem(db, item!.id);
    expect(stored).toMatchObject({
      kind: 'allocation',
      response: 'accepted',
      landlordId: 'L1',
      leaseId: null,
    });
  });

  it('never records two commission leases for one household or one demand', async () => {
    const [item] = await itemsOfSession(db, sessionId);
    const [decision] = await decisionsOfItem(db, item!.id);
    const second = await insertDecision(db, {
      agendaItemId: item!.id,
      epci: EPCI,
      sneNumber: '03813',
      kind: 'non-allocation',
      rank: null,
      reasonCodes: ['autre-candidat-prioritaire'],
      reasonText: null,
      missingDocument: null,
      decidedBy: null,
    });
    const lease: NewLease = {
      epci: EPCI,
      homeId: 'M3',
      householdId: 'H2',
      sneNumber: '03812',
      signedOn: '2026-03-10',
      reservationHolderId: 'state',
      incomePerConsumptionUnitEur: 10_000,
      firstQuartileThresholdEur: 9_100,
      firstQuartile: false,
      urbanRenewalRelocation: false,
      priorityPublic: false,
      dalo: false,
      transfer: false,
      decisionId: decision!.id,
    };
    await insertLease(db, lease, false);
    expect(await existingLeaseOf(db, 'H2', '03813', '2023-03-03')).not.toBeNull();
    // Same household through another decision: refused by the unique index.
    await expect(
      db.transaction((tx) => insertLease(tx, { ...lease, sneNumber: '03813', decisionId: second }, false)),
    ).rejects.toThrow();
    const [demand] = await db.query<{ status: string; closed_on: string }>(
      "SELECT status, to_char(closed_on, 'YYYY-MM-DD') AS closed_on FROM demand WHERE sne_number = '03812'",
    );
    expect(demand).toEqual({ status: 'housed', closed_on: '2026-03-10' });
  });
});
