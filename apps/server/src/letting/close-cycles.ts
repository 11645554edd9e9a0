import {
  activeApplicantsOf,
  appendAudit,
  closeAdvert,
  type Db,
  dueCycleIds,
  getAdvert,
  getCycle,
  loadDemands,
  markCycleClosed,
  publishedAdvertIdsOfCycle,
  saveShortlist,
  type User,
} from '@mosaique/db';
import { eligibility } from '@mosaique/domain/eligibility';
import { buildShortlist } from '@mosaique/domain/letting';

export interface ClosedCycle {
  cycleId: string;
  adverts: { advertId: string; shortlisted: number; excluded: number }[];
}

/**
 * Closes a letting cycle: each published advert of it gets its shortlist (eligible applicants ranked
 * by score under the active grid, then seniority of the demand; eligibility judged on the closing
 * date; ineligible applicants excluded with the rules they fail) and becomes 'closed'. In one
 * transaction, with the cycle row locked: closing twice at once closes once. Returns null when the
 * cycle was already closed or does not exist.
 */
export async function closeCycle(
  db: Db,
  cycleId: string,
  now: Date,
  actor: Pick<User, 'id' | 'role'> | null,
): Promise<ClosedCycle | null> {
  return db.transaction(async (tx) => {
    const cycle = await getCycle(tx, cycleId, { forUpdate: true });
    if (!cycle || cycle.status === 'closed') return null;
    const date = now.toISOString().slice(0, 10);
    const result: ClosedCycle = { cycleId, adverts: [] };
    for (const advertId of await publishedAdvertIdsOfCycle(tx, cycleId)) {
      const advert = (await getAdvert(tx, advertId))!;
      const applicants = await activeApplicantsOf(tx, cycle.epci, advertId);
      const candidates = [];
      for (const a of applicants) {
        const [demand] = await loadDemands(tx, cycle.epci, { sneNumber: a.sneNumber });
        const judged =
          demand && demand.status === 'active'
            ? eligibility(demand, { ...advert.home, commune: advert.home.commune }, date)
            : {
                eligible: false,
                failures: [{ message: 'la demande n’est plus active (satisfaite ou radiée)' }],
              };
        candidates.push({ ...a, eligibility: judged });
      }
      const entries = buildShortlist(candidates).map((e) => {
        const standing = applicants.find((a) => a.sneNumber === e.sneNumber)!;
        return { ...e, gridId: standing.gridId, gridVersion: standing.gridVersion };
      });
      await saveShortlist(tx, advertId, cycle.epci, date, entries);
      await closeAdvert(tx, advertId);
      const excluded = entries.filter((e) => e.eligible === false).length;
      result.adverts.push({ advertId, shortlisted: entries.length - excluded, excluded });
    }
    await markCycleClosed(tx, cycleId, now);
    await appendAudit(tx, {
      actorUserId: actor?.id ?? null,
      actorRole: actor?.role ?? null,
      action: 'letting-cycle.close',
      entity: 'letting-cycle',
      entityId: cycleId,
      epciCode: cycle.epci,
      details: { automatic: actor === null, adverts: result.adverts },
    });
    return result;
  });
}

/** Closes every open cycle whose closing time has passed at `now` (for the server's timer). */
export async function closeDueCycles(db: Db, now: Date = new Date()): Promise<ClosedCycle[]> {
  const closed: ClosedCycle[] = [];
  for (const id of await dueCycleIds(db, now)) {
    const result = await closeCycle(db, id, now, null);
    if (result) closed.push(result);
  }
  return closed;
}
