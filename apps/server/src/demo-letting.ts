import { createAdvert, createCycle, type Db } from '@mosaique/db';

/** Adverts per landlord in the demo's letting cycle. */
const ADVERTS_PER_LANDLORD = 8;
const DAY_MS = 86_400_000;
const ENERGY_LABELS = ['B', 'C', 'C', 'D', 'D', 'E'];
const floorText = (floor: number) =>
  floor === 0 ? 'en rez-de-chaussée' : floor === 1 ? 'au 1er étage' : `au ${floor}e étage`;

/**
 * A letting cycle open now for each generated landlord of the demo, with some of its vacant homes
 * published, so that the demo shows choice-based letting at once. Only when the EPCI has no cycle
 * yet; everything is flagged generated through the homes it advertises.
 */
export async function ensureDemoLetting(db: Db, epci: string, now = new Date()): Promise<number> {
  const existing = await db.query('SELECT 1 FROM letting_cycle WHERE epci_code = $1 LIMIT 1', [epci]);
  if (existing.length > 0) return 0;
  const landlords = await db.query<{ id: string; name: string }>(
    'SELECT DISTINCT l.id, l.name FROM landlord l JOIN residence r ON r.landlord_id = l.id WHERE r.epci_code = $1 AND l.generated ORDER BY l.id',
    [epci],
  );
  let adverts = 0;
  await db.transaction(async (tx) => {
    for (const landlord of landlords) {
      const cycle = await createCycle(tx, {
        epci,
        landlordId: landlord.id,
        name: `Cycle de démonstration — ${landlord.name}`,
        opensAt: new Date(now.getTime() - 2 * DAY_MS).toISOString(),
        closesAt: new Date(now.getTime() + 30 * DAY_MS).toISOString(),
        maxActiveApplications: 3,
        createdBy: null,
      });
      const homes = await tx.query<{
        id: string;
        typology: number;
        surface_m2: number;
        floor: number;
        lift: boolean;
        residence: string;
        commune: string;
      }>(
        `SELECT m.id, m.typology, m.surface_m2, m.floor, m.lift, r.name AS residence, c.name AS commune
         FROM home m JOIN residence r ON r.id = m.residence_id JOIN commune c ON c.code = r.commune_code
         WHERE r.landlord_id = $1 AND m.epci_code = $2
           AND NOT EXISTS (SELECT 1 FROM household h WHERE h.home_id = m.id)
         ORDER BY m.id LIMIT $3`,
        [landlord.id, epci, ADVERTS_PER_LANDLORD],
      );
      for (const [i, h] of homes.entries()) {
        await createAdvert(tx, {
          epci,
          homeId: h.id,
          landlordId: landlord.id,
          cycleId: cycle.id,
          description: `T${h.typology} de ${Math.round(h.surface_m2)} m² ${floorText(h.floor)}${h.floor > 0 ? (h.lift ? ' avec ascenseur' : ' sans ascenseur') : ''}, résidence ${h.residence} (${h.commune}). Logement de démonstration, généré.`,
          energyLabel: ENERGY_LABELS[i % ENERGY_LABELS.length]!,
          publish: true,
          createdBy: null,
        });
        adverts++;
      }
    }
  });
  return adverts;
}
