import {
  addOfficer,
  addStep,
  answerProposal,
  createUser,
  type Db,
  findUserByIdentifier,
  getFile,
  insertProposal,
  listFiles,
  reserveHome,
  setConstraints,
  setDiagnosis,
  setWishes,
} from '@mosaique/db';
import {
  isNewOrRecent,
  REFUSAL_REASONS,
  type RefusalReason,
  type RelocationConstraints,
  type RelocationWishes,
} from '@mosaique/domain/relocation';
import { createRandom } from '@mosaique/domain/shared/random.ts';
import { hashPassword } from '../auth/passwords.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../demo-accounts.ts';
import { createOperationWithHouseholds, signRelocationLease } from './service.ts';

/** Villeneuve - Village Olympique (Grenoble, Échirolles), QPV of the NPNRU (ANCT QPV 2024). */
export const DEMO_RELOCATION_QPV = 'QN03807M';
export const DEMO_OFFICER = 'relogement@demo.mosaique.fr';
const SEED = 2026_09;
/** Households of the demo operation: the smallest buildings of one landlord, at least this many… */
const MIN_HOUSEHOLDS = 20;
/** …and at most this many. */
const MAX_HOUSEHOLDS = 70;
/** Communes near Villeneuve a household may wish for, besides Grenoble (INSEE codes). */
const NEARBY = ['38151', '38421', '38158', '38229', '38169', '38563', '38485'];
/** Refusal reasons as drawn in the demo (a guess: location and rent first). */
const REFUSAL_WEIGHTS: Record<RefusalReason, number> = {
  location: 30,
  size: 12,
  rent: 20,
  'floor-or-access': 8,
  condition: 10,
  'schooling-or-work': 10,
  neighbourhood: 7,
  other: 3,
};
const DAY_MS = 86_400_000;
const addDays = (iso: string, n: number) => new Date(Date.parse(iso) + n * DAY_MS).toISOString().slice(0, 10);
/** The demo is set on the demo population's snapshot date (31 December 2025): half-way through. */
const IMPORTED_ON = '2025-01-20';
const LAST_DAY = '2025-12-20';

/**
 * Rough monthly housing benefit for the demo only (a guess, not the APL scale): 85 % of the rent less
 * a quarter of the monthly income above €700 per consumption unit, never negative.
 */
const demoBenefit = (rentEur: number, annualIncomeEur: number, persons: number) =>
  Math.max(
    0,
    Math.round(0.85 * rentEur - 0.25 * Math.max(0, annualIncomeEur / 12 - 700 * (1 + 0.5 * (persons - 1)))),
  );

/**
 * A fictitious demolition operation at Villeneuve (Grenoble), created at first start when the demo
 * EPCI has none: households drawn from the demo population living in its buildings, half-way through
 * relocation on 31 December 2025 (some rehoused with a lease, some with a proposal pending, some at
 * diagnosis, some not met yet). Deterministic: the same population gives the same operation.
 */
export async function ensureDemoRelocation(
  db: Db,
  epci: string,
  progress: (line: string) => void = () => {},
): Promise<void> {
  const existing = await db.query('SELECT 1 FROM relocation_operation WHERE epci_code = $1 LIMIT 1', [epci]);
  if (existing.length > 0) return;
  const buildings = await db.query<{ id: string; name: string; landlord: string; households: number }>(
    `SELECT r.id, r.name, r.landlord_id AS landlord, count(h.id)::int AS households
     FROM residence r JOIN home m ON m.residence_id = r.id LEFT JOIN household h ON h.home_id = m.id
     WHERE r.epci_code = $1 AND r.qpv_code = $2 AND r.generated
     GROUP BY r.id HAVING count(h.id) >= $3 ORDER BY count(h.id), r.id`,
    [epci, DEMO_RELOCATION_QPV, Math.ceil(MIN_HOUSEHOLDS / 2)],
  );
  const first = buildings[0];
  if (!first) return;
  const chosen = [first];
  for (const b of buildings.slice(1)) {
    if (b.landlord !== first.landlord) continue;
    if (chosen.reduce((n, c) => n + c.households, 0) + b.households > MAX_HOUSEHOLDS) break;
    chosen.push(b);
    if (chosen.reduce((n, c) => n + c.households, 0) >= MIN_HOUSEHOLDS) break;
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const summary = await db.transaction(async (tx) => {
    const { id, fileIds } = await createOperationWithHouseholds(
      tx,
      {
        epci,
        name: `Démolition ${chosen.map((c) => c.name).join(' et ')} — Villeneuve (opération fictive)`,
        kind: 'demolition',
        qpv: DEMO_RELOCATION_QPV,
        landlordId: first.landlord,
        residenceIds: chosen.map((c) => c.id),
        milestones: [
          {
            date: '2024-06-14',
            label: 'Signature de la convention pluriannuelle de renouvellement urbain (fictive)',
          },
          { date: '2025-01-15', label: 'Réunion publique d’information des locataires' },
          { date: '2025-02-03', label: 'Début des entretiens de diagnostic social' },
          { date: '2026-06-30', label: 'Fin prévue des relogements' },
          { date: '2027-03-01', label: 'Démolition prévue des bâtiments' },
        ],
        generated: true,
      },
      null,
      IMPORTED_ON,
    );
    let officer = await findUserByIdentifier(tx, DEMO_OFFICER);
    if (!officer) {
      const account = DEMO_ACCOUNTS.find((a) => a.identifier === DEMO_OFFICER)!;
      officer = {
        ...(await createUser(tx, {
          identifier: account.identifier,
          displayName: account.displayName,
          role: account.role,
          landlordId: null,
          reservationHolderId: null,
          epciCode: epci,
          sneNumber: null,
          passwordHash,
        })),
        passwordHash,
        failedLogins: 0,
        lockedUntil: null,
      };
    }
    await addOfficer(tx, id, officer.id);

    const pool = await tx.query<{ id: string; typology: number; commune: string; built: number }>(
      `SELECT m.id, m.typology, r.commune_code AS commune, r.construction_year AS built
       FROM home m JOIN residence r ON r.id = m.residence_id
       WHERE m.epci_code = $1 AND r.generated
         AND NOT EXISTS (SELECT 1 FROM household h WHERE h.home_id = m.id)
         AND NOT EXISTS (SELECT 1 FROM advert a WHERE a.home_id = m.id AND a.status IN ('draft', 'published'))
         AND NOT EXISTS (SELECT 1 FROM relocation_operation_residence x WHERE x.residence_id = r.id)
       ORDER BY m.id`,
      [epci],
    );
    const used = new Set<string>();
    const rng = createRandom(SEED);
    const reasons = REFUSAL_REASONS.map((r) => REFUSAL_WEIGHTS[r]);
    const pickHome = (wishes: RelocationWishes): string | null => {
      const fits = pool.filter(
        (h) => !used.has(h.id) && (wishes.typologies.length === 0 || wishes.typologies.includes(h.typology)),
      );
      // Households wishing a new home get one of the rebuilt offer when there is one; others sometimes.
      const recent = fits.filter((h) => isNewOrRecent(h.built, IMPORTED_ON));
      const offer =
        recent.length > 0 && (wishes.age === 'new-or-recent' || rng.bernoulli(0.25)) ? recent : fits;
      const preferred = offer.filter((h) => wishes.communes.includes(h.commune));
      const among = preferred.length > 0 && rng.bernoulli(0.7) ? preferred : offer;
      if (among.length === 0) return null;
      const home = among[rng.int(among.length)]!;
      used.add(home.id);
      return home.id;
    };

    const n = fileIds.length;
    let rehoused = 0;
    for (const [i, fileId] of fileIds.entries()) {
      const stage =
        i / n < 0.45 ? 'rehoused' : i / n < 0.65 ? 'pending' : i / n < 0.85 ? 'diagnosed' : 'to-meet';
      if (stage === 'to-meet') continue;
      const file = (await getFile(tx, fileId))!;
      const [household] = await tx.query<{ income: number; age: number; under14: number }>(
        `SELECT annual_disposable_income_eur AS income, reference_age AS age, persons_under_14 AS under14
         FROM household WHERE id = $1`,
        [file.householdId],
      );
      const diagnosisOn = addDays('2025-02-03', Math.floor((i * 120) / n));
      await setDiagnosis(tx, fileId, {
        on: diagnosisOn,
        notes: 'Entretien de démonstration (généré) : le ménage souhaite rester proche de ses repères.',
        housingBenefitEur: demoBenefit(file.origin.rentEur, household!.income, file.persons),
      });
      await addStep(tx, { fileId, kind: 'diagnosis', onDate: diagnosisOn, by: null });
      const typology = Math.min(6, Math.max(1, file.persons));
      const wishes: RelocationWishes = {
        communes: ['38185', ...NEARBY.filter(() => rng.bernoulli(0.3))],
        typologies: [typology, Math.min(6, typology + 1)].filter((t, k, a) => a.indexOf(t) === k),
        maxFloorWithoutLift: rng.bernoulli(0.3) ? 2 : null,
        age: rng.bernoulli(0.25) ? 'new-or-recent' : 'either',
        maxRentWithChargesEur: rng.bernoulli(0.5)
          ? Math.round(file.origin.rentEur + file.origin.chargesEur + 150)
          : null,
      };
      const constraints: RelocationConstraints = {
        workCommunes: rng.bernoulli(0.4) ? ['38185'] : [],
        schoolCommunes: household!.under14 > 0 && rng.bernoulli(0.3) ? ['38185'] : [],
        healthCare: rng.bernoulli(0.1),
        wheelchairAccess: rng.bernoulli(0.03),
        reducedMobility: household!.age >= 70,
      };
      await setWishes(tx, fileId, wishes);
      await addStep(tx, { fileId, kind: 'wishes', onDate: diagnosisOn, details: { ...wishes }, by: null });
      await setConstraints(tx, fileId, constraints);
      await addStep(tx, {
        fileId,
        kind: 'constraints',
        onDate: diagnosisOn,
        details: { ...constraints },
        by: null,
      });
      if (stage === 'diagnosed') continue;

      const refused = [0, 0, 0, 1, 1, 2][rng.int(6)]!;
      const proposals = stage === 'rehoused' ? refused + 1 : Math.min(refused, 1) + 1;
      const gap = Math.max(25, Math.floor(200 / proposals));
      let on = addDays(diagnosisOn, 30);
      let lastRank = 0;
      for (let rank = 1; rank <= proposals; rank++) {
        const homeId = pickHome(wishes);
        if (!homeId) break;
        await insertProposal(tx, { fileId, rank, homeId, advertId: null, proposedOn: on });
        await addStep(tx, { fileId, kind: 'proposal', onDate: on, details: { rank, homeId }, by: null });
        lastRank = rank;
        const answeredOn = addDays(on, 10);
        if (rank < proposals) {
          const reason = REFUSAL_REASONS[rng.weighted(reasons)]!;
          await answerProposal(tx, { fileId, rank, response: 'refused', answeredOn, refusalReason: reason });
          await addStep(tx, {
            fileId,
            kind: 'proposal-answer',
            onDate: answeredOn,
            details: { rank, response: 'refused', refusalReason: reason },
            by: null,
          });
        } else if (stage === 'rehoused') {
          await answerProposal(tx, { fileId, rank, response: 'accepted', answeredOn, refusalReason: null });
          await addStep(tx, {
            fileId,
            kind: 'proposal-answer',
            onDate: answeredOn,
            details: { rank, response: 'accepted' },
            by: null,
          });
        }
        on = addDays(answeredOn, gap);
      }
      if (stage === 'rehoused' && lastRank > 0) {
        const accepted = (await getFile(tx, fileId))!.proposals.at(-1)!;
        const signedOn = [addDays(accepted.answeredOn!, 25), LAST_DAY].sort()[0]!;
        await signRelocationLease(
          tx,
          fileId,
          {
            rank: lastRank,
            signedOn,
            housingBenefitEur: demoBenefit(accepted.home.rentEur, household!.income, file.persons),
            generated: true,
          },
          null,
        );
        rehoused++;
      }
    }
    for (const home of pool.filter((h) => !used.has(h.id)).slice(0, 6))
      await reserveHome(tx, id, home.id, null);
    // The demo household: the first file, in the operation page's order, with a proposal pending.
    const pending = (await listFiles(tx, { operationId: id })).find((f) =>
      f.proposals.some((p) => p.response === 'pending'),
    );
    const demoHousehold = pending?.sneNumber ?? null;
    if (demoHousehold && !(await findUserByIdentifier(tx, demoHousehold))) {
      await createUser(tx, {
        identifier: demoHousehold,
        displayName: 'Ménage relogé de Villeneuve (démo)',
        role: 'applicant',
        landlordId: null,
        reservationHolderId: null,
        epciCode: epci,
        sneNumber: demoHousehold,
        passwordHash,
      });
    }
    return { households: n, rehoused, demoHousehold };
  });
  progress(
    `Opération de relogement de démonstration (Villeneuve, ${DEMO_RELOCATION_QPV}) : ${summary.households} ménages, ` +
      `${summary.rehoused} relogés ; chargée de relogement ${DEMO_OFFICER}` +
      (summary.demoHousehold ? `, ménage ${summary.demoHousehold}` : ''),
  );
}
