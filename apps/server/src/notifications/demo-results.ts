import {
  appendAudit,
  createAdvert,
  createCommissionSession,
  createCycle,
  type Db,
  getCommissionSession,
  insertApplication,
  itemsOfSession,
  loadDemands,
  saveAlert,
  type User,
} from '@mosaique/db';
import { eligibility } from '@mosaique/domain/eligibility';
import type { Typology } from '@mosaique/domain/stock';
import { decideHome, respondToOffer, signLease } from '../commission/decide.ts';
import { startEngineForSession } from '../commission/engine-run.ts';
import { closeCycle } from '../letting/close-cycles.ts';
import { notifyAdvertPublished } from './queue.ts';

/** Name of the demo's past cycle (also how a later start knows it is there). */
export const DEMO_PAST_CYCLE_NAME = 'Cycle passé de démonstration';

/**
 * Applicants per home of the demo's past cycle. The four homes share a commune and a typology, so
 * they publish one range of applicants (« de 6 à 12 candidats ») and bands as precise as the fewest
 * allow (coarse, under 10): the results page shows a group of comparable lets.
 */
const APPLICANTS_PER_HOME = [12, 6, 7, 9];
const DAY_MS = 86_400_000;

/**
 * Past lets for the demo, made through the real code paths: a letting cycle of a generated landlord
 * (not ll-1, whose homes the browser tests advertise) with four published adverts, applications of
 * generated demands (never the demo applicant's), the cycle closed (shortlists), a commission
 * session, the engine's proposal, decisions (first candidate allocated, the others not, reason
 * « logement attribué à un candidat mieux classé »), acceptance and the lease signed — by the demo
 * analyst. Deterministic choices (ordered by id); only when the EPCI has no such cycle yet and the
 * demo analyst exists. Returns the number of leases signed.
 */
export async function ensureDemoPastLets(db: Db, epci: string, now = new Date()): Promise<number> {
  const done = await db.query('SELECT 1 FROM letting_cycle WHERE epci_code = $1 AND name = $2 LIMIT 1', [
    epci,
    DEMO_PAST_CYCLE_NAME,
  ]);
  if (done.length > 0) return 0;
  const [analyst] = await db.query<User>(
    `SELECT id, identifier, display_name AS "displayName", role, landlord_id AS "landlordId",
            reservation_holder_id AS "reservationHolderId", epci_code AS "epciCode", sne_number AS "sneNumber"
     FROM app_user WHERE role = 'epci-analyst' AND epci_code = $1 ORDER BY identifier LIMIT 1`,
    [epci],
  );
  if (!analyst) return 0;
  const [landlord] = await db.query<{ id: string; name: string }>(
    `SELECT l.id, l.name FROM landlord l WHERE l.generated AND l.id <> 'll-1'
       AND EXISTS (SELECT 1 FROM residence r WHERE r.landlord_id = l.id AND r.epci_code = $1)
     ORDER BY l.id LIMIT 1`,
    [epci],
  );
  if (!landlord) return 0;
  const homes = await db.query<{
    id: string;
    typology: Typology;
    financing: string;
    rent_eur: number;
    charges_eur: number;
    commune: string;
  }>(
    // Homes of one commune and one typology, so that the published results may name both (at
    // least 3 comparable lets in the cycle: comparablePublication).
    `WITH vacant AS (
       SELECT m.id, m.typology, m.financing, m.rent_eur::float8 AS rent_eur, m.charges_eur::float8 AS charges_eur,
              r.commune_code AS commune, count(*) OVER (PARTITION BY r.commune_code, m.typology) AS alike
       FROM home m JOIN residence r ON r.id = m.residence_id
       WHERE r.landlord_id = $1 AND m.epci_code = $2 AND m.typology BETWEEN 2 AND 3
         AND NOT EXISTS (SELECT 1 FROM household h WHERE h.home_id = m.id)
         AND NOT EXISTS (SELECT 1 FROM advert a WHERE a.home_id = m.id)
     ),
     place AS (SELECT commune, typology FROM vacant WHERE alike >= $3 ORDER BY alike DESC, commune, typology LIMIT 1)
     SELECT v.id, v.typology, v.financing, v.rent_eur, v.charges_eur, v.commune
     FROM vacant v JOIN place p ON p.commune = v.commune AND p.typology = v.typology
     ORDER BY v.id DESC LIMIT $3`,
    [landlord.id, epci, APPLICANTS_PER_HOME.length],
  );
  if (homes.length < APPLICANTS_PER_HOME.length) return 0;
  // Generated demands without an account or an application, newest numbers first.
  const taken = new Set(
    (
      await db.query<{ sne: string }>(
        `SELECT sne_number AS sne FROM app_user WHERE sne_number IS NOT NULL
         UNION SELECT sne_number FROM application WHERE epci_code = $1`,
        [epci],
      )
    ).map((r) => r.sne),
  );
  const demands = (await loadDemands(db, epci, { active: true }))
    .filter((d) => d.generated && !taken.has(d.sneNumber))
    .reverse();
  const date = now.toISOString().slice(0, 10);

  const cycle = await createCycle(db, {
    epci,
    landlordId: landlord.id,
    name: DEMO_PAST_CYCLE_NAME,
    opensAt: new Date(now.getTime() - 21 * DAY_MS).toISOString(),
    closesAt: new Date(now.getTime() + DAY_MS).toISOString(),
    maxActiveApplications: 3,
    createdBy: null,
  });
  const used = new Set<string>();
  for (const [i, home] of homes.entries()) {
    const advertId = await createAdvert(db, {
      epci,
      homeId: home.id,
      landlordId: landlord.id,
      cycleId: cycle.id,
      description: `T${home.typology} d’un cycle passé de démonstration : logement généré, attribué par la commission de démonstration.`,
      energyLabel: 'D',
      publish: true,
      createdBy: null,
    });
    const eligibleHome = {
      typology: home.typology,
      financing: home.financing as never,
      rentEur: home.rent_eur,
      chargesEur: home.charges_eur,
      commune: home.commune,
    };
    let applied = 0;
    for (const d of demands) {
      if (applied >= APPLICANTS_PER_HOME[i]!) break;
      if (used.has(d.sneNumber) || eligibility(d, eligibleHome, date).eligible !== true) continue;
      const outcome = await db.transaction((tx) =>
        insertApplication(tx, {
          epci,
          advertId,
          cycleId: cycle.id,
          sneNumber: d.sneNumber,
          maxActive: 3,
          assisted: false,
          createdBy: null,
        }),
      );
      if (outcome.ok) {
        used.add(d.sneNumber);
        applied++;
      }
    }
  }
  await closeCycle(db, cycle.id, now, null);

  const created = await createCommissionSession(db, {
    epci,
    landlordId: landlord.id,
    heldOn: date,
    members: [
      { name: 'Présidence (démo)', role: 'présidente' },
      { name: 'Représentant du maire (démo)', role: 'représentant du maire' },
      { name: 'Représentante des locataires (démo)', role: 'représentante des locataires' },
    ],
    quorum: 2,
    createdBy: analyst.id,
  });
  const session = (await getCommissionSession(db, created.id))!;
  const run = await startEngineForSession(db, session, cycle.id, analyst, () => {});
  await run.finished;
  let leases = 0;
  for (const item of await itemsOfSession(db, session.id)) {
    const [first, ...others] = item.candidates;
    if (!first || item.status !== 'open') continue;
    const decided = await decideHome(
      db,
      item.id,
      item.version,
      [
        { sneNumber: first, kind: 'allocation' },
        ...others.map((sneNumber) => ({
          sneNumber,
          kind: 'non-allocation' as const,
          reasonCodes: ['autre-candidat-prioritaire'],
        })),
      ],
      analyst,
    ).catch(() => null);
    if (!decided) continue;
    const allocation = decided.decisionIds[0]!;
    await respondToOffer(db, allocation, { response: 'accepted', reason: null }, analyst);
    await signLease(db, allocation, { signedOn: date, documentReceived: false }, analyst);
    leases++;
  }
  return leases;
}

/** Adverts published after the demo applicant's alert, so that their mailbox is not empty. */
const DEMO_ALERT_ADVERTS = 2;

/**
 * The demo applicant's mailbox: an alert on the typologies their demand asks for (as they would save
 * it on /annonces), then two vacant homes of a generated landlord (not ll-1) that match it and that
 * they are eligible for published in that landlord's open demo cycle — through the publishing path
 * of the API (advert, audit entry and messages in one transaction). Only when the demo applicant
 * has neither an alert nor a message. Returns the number of messages queued.
 */
export async function ensureDemoMailbox(db: Db, epci: string, now = new Date()): Promise<number> {
  const [user] = await db.query<{ id: string; sne: string }>(
    "SELECT id, sne_number AS sne FROM app_user WHERE role = 'applicant' AND epci_code = $1 ORDER BY identifier LIMIT 1",
    [epci],
  );
  if (!user) return 0;
  const started = await db.query(
    'SELECT 1 FROM advert_alert WHERE user_id = $1 UNION ALL SELECT 1 FROM notification WHERE user_id = $1 LIMIT 1',
    [user.id],
  );
  if (started.length > 0) return 0;
  const [demand] = await loadDemands(db, epci, { sneNumber: user.sne });
  if (demand?.status !== 'active') return 0;
  const typologies = [...demand.desiredTypologies].sort((a, b) => a - b);
  const homes = await db.query<{
    id: string;
    landlord_id: string;
    cycle_id: string;
    typology: Typology;
    financing: string;
    rent_eur: number;
    charges_eur: number;
    commune: string;
  }>(
    `SELECT m.id, r.landlord_id, c.id AS cycle_id, m.typology, m.financing, m.rent_eur::float8 AS rent_eur,
            m.charges_eur::float8 AS charges_eur, r.commune_code AS commune
     FROM home m JOIN residence r ON r.id = m.residence_id
     JOIN landlord l ON l.id = r.landlord_id AND l.generated AND l.id <> 'll-1'
     JOIN letting_cycle c ON c.landlord_id = l.id AND c.epci_code = m.epci_code AND c.status = 'open'
       AND c.name LIKE 'Cycle de démonstration%'
     WHERE m.epci_code = $1 AND m.typology = ANY($2::smallint[])
       AND NOT EXISTS (SELECT 1 FROM household h WHERE h.home_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM advert a WHERE a.home_id = m.id)
     ORDER BY l.id, m.id LIMIT 200`,
    [epci, typologies],
  );
  const date = now.toISOString().slice(0, 10);
  const chosen = homes
    .filter(
      (h) =>
        eligibility(
          demand,
          {
            typology: h.typology,
            financing: h.financing as never,
            rentEur: h.rent_eur,
            chargesEur: h.charges_eur,
            commune: h.commune,
          },
          date,
        ).eligible === true,
    )
    .slice(0, DEMO_ALERT_ADVERTS);
  await saveAlert(db, user.id, epci, {
    communes: [],
    typologies,
    maxTotalRentEur: null,
    accessible: null,
    lift: null,
    maxFloorWithoutLift: null,
  });
  let queued = 0;
  for (const h of chosen) {
    queued += await db.transaction(async (tx) => {
      const advertId = await createAdvert(tx, {
        epci,
        homeId: h.id,
        landlordId: h.landlord_id,
        cycleId: h.cycle_id,
        description: `T${h.typology} publié après l’alerte du demandeur de démonstration. Logement de démonstration, généré.`,
        energyLabel: 'C',
        publish: true,
        createdBy: null,
      });
      await appendAudit(tx, {
        actorUserId: null,
        actorRole: null,
        action: 'advert.publish',
        entity: 'advert',
        entityId: advertId,
        epciCode: epci,
        details: { homeId: h.id, cycleId: h.cycle_id, demo: true },
      });
      return notifyAdvertPublished(tx, advertId, now);
    });
  }
  return queued;
}
