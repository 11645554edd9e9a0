import { type AlertCriteria, matchesCriteria } from '@mosaique/domain/notification';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertsMatchingHome,
  alertsOfEpci,
  claimDueNotifications,
  createUser,
  type Db,
  DEMO_TERRITORY_DIR,
  deleteAlert,
  getAlert,
  importTerritory,
  insertNotification,
  listNotifications,
  markNotificationAttemptFailed,
  markNotificationSent,
  readTerritoryFolder,
  replaceDemoPopulation,
  saveAlert,
  setNotificationAddress,
} from '../src/index.ts';
import { createTestDb, testDbKinds, tinyPopulation } from '../src/testing.ts';

const EPCI = '200040715';
const ANY: AlertCriteria = {
  communes: [],
  typologies: [],
  maxTotalRentEur: null,
  accessible: null,
  lift: null,
  maxFloorWithoutLift: null,
};

describe.each(testDbKinds())('notification repository on %s', (kind) => {
  let db: Db;
  let applicant: string;
  let agent: string;
  beforeAll(async () => {
    db = await createTestDb(kind);
    await importTerritory(db, await readTerritoryFolder(DEMO_TERRITORY_DIR));
    await replaceDemoPopulation(db, tinyPopulation(1));
    const base = { reservationHolderId: null, passwordHash: null };
    applicant = (
      await createUser(db, {
        ...base,
        identifier: '03812',
        displayName: 'Demandeuse',
        role: 'applicant',
        landlordId: null,
        epciCode: EPCI,
        sneNumber: '03812',
      })
    ).id;
    agent = (
      await createUser(db, {
        ...base,
        identifier: 'agent@bailleur.fr',
        displayName: 'Agent',
        role: 'landlord-agent',
        landlordId: 'L1',
        epciCode: null,
        sneNumber: null,
      })
    ).id;
  });
  afterAll(async () => {
    await db?.close();
  });

  it('keeps an alert with its figures, one per account', async () => {
    const saved = await saveAlert(db, applicant, EPCI, {
      ...ANY,
      communes: ['38185'],
      typologies: [2, 3],
      maxTotalRentEur: 412.5,
      maxFloorWithoutLift: 2,
    });
    expect(saved).toMatchObject({ communes: ['38185'], typologies: [2, 3], maxTotalRentEur: 412.5 });
    await saveAlert(db, applicant, EPCI, { ...ANY, lift: true });
    expect(await getAlert(db, applicant)).toMatchObject({ ...ANY, lift: true, epci: EPCI });
    expect(await alertsOfEpci(db, EPCI)).toHaveLength(1);
    expect(await deleteAlert(db, applicant)).toBe(true);
    expect(await deleteAlert(db, applicant)).toBe(false);
  });

  it('narrows alerts in SQL exactly as the domain matches them', async () => {
    const criteria: AlertCriteria[] = [
      ANY,
      { ...ANY, communes: ['38185'] },
      { ...ANY, communes: ['38151', '38169'] },
      { ...ANY, typologies: [2] },
      { ...ANY, typologies: [3, 4] },
      { ...ANY, maxTotalRentEur: 350 },
      { ...ANY, maxTotalRentEur: 349.99 },
      { ...ANY, accessible: true },
      { ...ANY, accessible: false },
      { ...ANY, lift: true },
      { ...ANY, maxFloorWithoutLift: 0 },
      { ...ANY, maxFloorWithoutLift: 3 },
      { ...ANY, communes: ['38185'], typologies: [2], maxTotalRentEur: 500, maxFloorWithoutLift: 1 },
    ];
    const homes = [
      {
        commune: '38185',
        typology: 2,
        rentEur: 300,
        chargesEur: 50,
        accessible: false,
        lift: false,
        floor: 3,
      },
      { commune: '38185', typology: 2, rentEur: 300, chargesEur: 50, accessible: true, lift: true, floor: 7 },
      {
        commune: '38151',
        typology: 4,
        rentEur: 620,
        chargesEur: 130,
        accessible: false,
        lift: false,
        floor: 0,
      },
      {
        commune: '38169',
        typology: 3,
        rentEur: 280,
        chargesEur: 60.5,
        accessible: true,
        lift: false,
        floor: 1,
      },
    ];
    let matched = 0;
    for (const c of criteria) {
      await saveAlert(db, applicant, EPCI, c);
      for (const home of homes) {
        const sql = (await alertsMatchingHome(db, EPCI, home)).length === 1;
        expect({ c, home, sql }).toEqual({ c, home, sql: matchesCriteria(c, home) });
        if (sql) matched++;
      }
    }
    // Both outcomes occur: the comparison is not vacuous.
    expect(matched).toBeGreaterThan(10);
    expect(matched).toBeLessThan(criteria.length * homes.length);
    await deleteAlert(db, applicant);
  });

  it('queues a message once per key, leases it to one sender, and records success and failure', async () => {
    const message = (key: string) => ({
      userId: applicant,
      epci: EPCI,
      kind: 'advert-match' as const,
      subject: 'Nouvelle annonce',
      body: 'Bonjour',
      dedupeKey: key,
    });
    expect(await insertNotification(db, message('a'))).toBe(true);
    expect(await insertNotification(db, message('a'))).toBe(false);
    expect(await insertNotification(db, { ...message('b'), userId: agent })).toBe(true);
    const now = new Date(Date.now() + 1000);
    const lease = new Date(now.getTime() + 600_000);
    const claimed = await claimDueNotifications(db, now, lease, 10);
    // The agent's identifier is an address; the applicant has none until they give one.
    expect(claimed.map((m) => m.to).sort()).toEqual(['agent@bailleur.fr', null]);
    expect(await claimDueNotifications(db, now, lease, 10)).toEqual([]);
    const a = claimed.find((m) => m.to === null)!;
    const b = claimed.find((m) => m.to !== null)!;
    await markNotificationSent(db, b.id, now);
    await markNotificationAttemptFailed(db, a.id, {
      at: now,
      retryAt: new Date(now.getTime() + 60_000),
      error: 'aucune adresse',
    });
    await setNotificationAddress(db, applicant, 'demandeuse@exemple.fr');
    const retried = await claimDueNotifications(db, new Date(now.getTime() + 61_000), lease, 10);
    expect(retried).toEqual([
      { id: a.id, subject: 'Nouvelle annonce', body: 'Bonjour', attempts: 1, to: 'demandeuse@exemple.fr' },
    ]);
    await markNotificationAttemptFailed(db, a.id, { at: now, retryAt: null, error: 'refusé' });
    const mine = await listNotifications(db, { userId: applicant });
    expect(mine.total).toBe(1);
    expect(mine.notifications[0]).toMatchObject({
      status: 'failed',
      attempts: 2,
      lastError: 'refusé',
      sentAt: null,
    });
    const all = await listNotifications(db, { userId: null });
    expect(all.total).toBe(2);
    expect(all.notifications.find((n) => n.userId === agent)).toMatchObject({ status: 'sent', attempts: 1 });
    // A sent message is never sent again.
    expect(await claimDueNotifications(db, new Date(now.getTime() + 3_600_000), lease, 10)).toEqual([]);
  });
});
