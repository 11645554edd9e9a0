import {
  createAdvert,
  createCycle,
  type Db,
  insertApplication,
  setApplicationPreferences,
} from '@mosaique/db';
import { closeCycle } from '../letting/close-cycles.ts';

/** Homes of the demo's closed cycle, and applicants applying to them (each to three homes, in order). */
const DEMO_HOMES = 6;
const DEMO_APPLICANTS = 60;
const DAY_MS = 86_400_000;
export const DEMO_CLOSED_CYCLE_NAME = 'Cycle clos de démonstration — à examiner en commission';

/**
 * A closed letting cycle of the demo landlord (`ll-1`, the bailleur@ account) with its shortlists, so
 * that the commission page can build an agenda at once: six vacant homes not otherwise advertised,
 * sixty generated active demands (never the demo applicant's) each applying to three of them with an
 * order of preference, then the cycle closed as on its closing date. Only once per EPCI; generated
 * data only (the demo population).
 */
export async function ensureDemoCommission(db: Db, epci: string, now = new Date()): Promise<number> {
  const existing = await db.query('SELECT 1 FROM letting_cycle WHERE epci_code = $1 AND name = $2', [
    epci,
    DEMO_CLOSED_CYCLE_NAME,
  ]);
  if (existing.length > 0) return 0;
  const [landlord] = await db.query<{ id: string }>(
    "SELECT id FROM landlord WHERE id = 'll-1' AND generated",
  );
  if (!landlord) return 0;
  const homes = await db.query<{ id: string; typology: number }>(
    `SELECT m.id, m.typology FROM home m JOIN residence r ON r.id = m.residence_id
     WHERE r.landlord_id = $1 AND m.epci_code = $2 AND m.typology BETWEEN 2 AND 3
       AND NOT EXISTS (SELECT 1 FROM household h WHERE h.home_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM advert a WHERE a.home_id = m.id)
     ORDER BY m.id DESC LIMIT $3`,
    [landlord.id, epci, DEMO_HOMES],
  );
  if (homes.length < 3) return 0;
  const applicants = await db.query<{ sne: string }>(
    `SELECT sne_number AS sne FROM demand
     WHERE epci_code = $1 AND status = 'active' AND desired_typologies && ARRAY[2, 3]::smallint[]
       AND persons_14_or_more + persons_under_14 BETWEEN 1 AND 4
       AND sne_number > (SELECT min(sne_number) FROM demand WHERE epci_code = $1 AND status = 'active')
     ORDER BY md5(sne_number) LIMIT $2`,
    [epci, DEMO_APPLICANTS],
  );
  const cycle = await createCycle(db, {
    epci,
    landlordId: landlord.id,
    name: DEMO_CLOSED_CYCLE_NAME,
    opensAt: new Date(now.getTime() - 21 * DAY_MS).toISOString(),
    closesAt: new Date(now.getTime() + DAY_MS).toISOString(),
    maxActiveApplications: 3,
    createdBy: null,
  });
  const adverts: string[] = [];
  for (const h of homes) {
    adverts.push(
      await createAdvert(db, {
        epci,
        homeId: h.id,
        landlordId: landlord.id,
        cycleId: cycle.id,
        description: `T${h.typology} de démonstration, candidatures closes : à examiner en commission d’attribution. Logement généré.`,
        energyLabel: 'C',
        publish: true,
        createdBy: null,
      }),
    );
  }
  await db.transaction(async (tx) => {
    for (const [j, a] of applicants.entries()) {
      // Three homes each, in a stated order of preference: j, j + 1, j + 3 (modulo the homes).
      const chosen = [...new Set([j, j + 1, j + 3].map((k) => k % adverts.length))];
      const ids: string[] = [];
      for (const k of chosen) {
        const outcome = await insertApplication(tx, {
          epci,
          advertId: adverts[k]!,
          cycleId: cycle.id,
          sneNumber: a.sne,
          maxActive: 3,
          assisted: false,
          createdBy: null,
        });
        if (outcome.ok) ids.push(outcome.id);
      }
      await setApplicationPreferences(tx, a.sne, ids);
    }
  });
  await closeCycle(db, cycle.id, now, null);
  await db.query(
    "UPDATE letting_cycle SET closes_at = GREATEST(opens_at + interval '1 day', $2::timestamptz) WHERE id = $1",
    [cycle.id, now.toISOString()],
  );
  return adverts.length;
}
