import { randomUUID } from 'node:crypto';
import {
  appendAudit,
  closedAdvertCount,
  createJob,
  type Db,
  firstQuartileThresholdOf,
  getCycle,
  type Job,
  type Proposal,
  reviewLeases,
  type StoredSession,
  saveProposalItem,
  shortlistsOfCycle,
  thresholdUsed,
  type User,
  updateJob,
} from '@mosaique/db';
import { type AllocationInstance, allocate } from '@mosaique/domain/allocation';
import { preferenceRanks, yearToDateOfLeases } from '@mosaique/domain/commission';
import { consumptionUnitScaleOn, incomePerConsumptionUnit } from '@mosaique/domain/demand';
import { HttpError } from '../auth/plugin.ts';

/** The first-quartile threshold used for a year: official ?? computed (stored), else computed from the demands. */
export async function thresholdForYear(db: Db, epci: string, year: number): Promise<number | null> {
  const stored = await thresholdUsed(db, epci, year);
  if (stored.used !== null) return stored.used;
  return (await firstQuartileThresholdOf(db, epci, year)).used;
}

export interface EngineRun {
  job: Job;
  homes: number;
  decidedKept: number;
}

/**
 * Starts the allocation engine on a closed letting cycle for a commission session, off the request
 * path: checks the cycle, records the job (`commission.allocate`, 3 steps) and the audit entry, and
 * returns at once; the job row tells how far the run got (GET /api/v1/jobs/:id) and `finished`
 * settles when it ends (the job is then `done` or `failed`, with a French message).
 */
export async function startEngineForSession(
  db: Db,
  session: StoredSession,
  cycleId: string,
  actor: User,
  log: (error: unknown) => void,
): Promise<{ job: Job; finished: Promise<EngineRun | null> }> {
  const cycle = await getCycle(db, cycleId);
  if (!cycle || cycle.epci !== session.epci) throw new HttpError(404, 'cycle de location introuvable');
  if (cycle.status !== 'closed') throw new HttpError(409, 'le cycle de location n’est pas encore clos');
  if (cycle.landlordId !== null && cycle.landlordId !== session.landlordId) {
    throw new HttpError(409, 'ce cycle est celui d’un autre bailleur');
  }
  if ((await closedAdvertCount(db, cycleId, session.landlordId)) === 0) {
    throw new HttpError(409, 'aucune annonce close de ce bailleur dans ce cycle');
  }
  const job = await db.transaction(async (tx) => {
    const created = await createJob(tx, {
      id: randomUUID(),
      kind: 'commission.allocate',
      epciCode: session.epci,
      createdBy: actor.id,
      total: 3,
    });
    await appendAudit(tx, {
      actorUserId: actor.id,
      actorRole: actor.role,
      action: 'commission.engine.start',
      entity: 'commission-session',
      entityId: session.id,
      epciCode: session.epci,
      details: { cycleId, jobId: created.id },
    });
    return created;
  });
  const finished = new Promise<EngineRun | null>((resolve) => {
    setImmediate(() => {
      runEngineJob(db, session, cycleId, actor, job)
        .then(resolve)
        .catch(async (error: unknown) => {
          log(error);
          const message = error instanceof HttpError ? error.message : 'le calcul de la proposition a échoué';
          await updateJob(db, job.id, { status: 'failed', message }).catch(log);
          resolve(null);
        });
    });
  });
  return { job, finished };
}

/**
 * The run itself: homes = the closed adverts of the session's landlord in the cycle; applicants =
 * their eligible shortlisted applicants whose demand is still active (score, first quartile against
 * the threshold used for the year, urban renewal, priority public); rank = the applicant's order of
 * preference among their applications of the cycle (1 everywhere when they stated none);
 * year-to-date counts from the leases signed since 1 January. The proposal is stored on the agenda
 * items (items already decided are kept) with the engine's figures.
 */
async function runEngineJob(
  db: Db,
  session: StoredSession,
  cycleId: string,
  actor: User,
  job: Job,
): Promise<EngineRun> {
  await updateJob(db, job.id, { status: 'running', done: 0, message: 'lecture des listes de candidats' });
  const rows = await shortlistsOfCycle(db, cycleId, session.landlordId);
  const year = Number(session.heldOn.slice(0, 4));
  const threshold = await thresholdForYear(db, session.epci, year);
  const sne = [...new Set(rows.filter((r) => r.sneNumber && r.eligible !== false).map((r) => r.sneNumber))];
  const demands = await db.query<{
    sne: string;
    status: string;
    monthly: number;
    p14: number;
    pu14: number;
    dalo: boolean;
    criteria: string[];
    renewal: boolean;
  }>(
    `SELECT sne_number AS sne, status, monthly_resources_eur AS monthly, persons_14_or_more AS p14,
            persons_under_14 AS pu14, dalo, priority_criteria AS criteria, urban_renewal_relocation AS renewal
     FROM demand WHERE sne_number = ANY($1::text[])`,
    [sne],
  );
  const scale = consumptionUnitScaleOn(session.heldOn);
  const active = new Map(demands.filter((d) => d.status === 'active').map((d) => [d.sne, d]));
  const homes = new Map<string, { advertId: string; qpv: boolean; holder: string; available: number }>();
  const score = new Map<string, number>();
  const edges: { applicant: string; home: string; preference: number | null }[] = [];
  for (const r of rows) {
    if (!homes.has(r.homeId)) {
      homes.set(r.homeId, {
        advertId: r.advertId,
        qpv: r.qpv,
        holder: r.reservationHolderId,
        available: 0,
      });
    }
    if (!r.sneNumber || r.eligible === false || !active.has(r.sneNumber)) continue;
    homes.get(r.homeId)!.available++;
    score.set(r.sneNumber, Math.max(score.get(r.sneNumber) ?? 0, r.score ?? 0));
    edges.push({ applicant: r.sneNumber, home: r.homeId, preference: r.preference });
  }
  if (homes.size === 0) throw new HttpError(409, 'aucune annonce close de ce bailleur dans ce cycle');
  const ranks = preferenceRanks(edges);
  const applications: AllocationInstance['applications'] = edges.map((e) => ({
    applicant: e.applicant,
    home: e.home,
    rank: ranks.get(`${e.applicant}\u0000${e.home}`)!,
  }));
  const ytd = yearToDateOfLeases(session.epci, await reviewLeases(db, session.epci, year));
  const applicants: AllocationInstance['applicants'] = [...score].map(([id, s]) => {
    const d = active.get(id)!;
    const income = incomePerConsumptionUnit(
      { monthlyResourcesEur: Number(d.monthly), persons14OrMore: d.p14, personsUnder14: d.pu14 },
      scale,
    );
    return {
      id,
      score: s,
      firstQuartile: threshold !== null && income <= threshold,
      urbanRenewalRelocation: d.renewal,
      priorityPublic: d.dalo || d.criteria.length > 0,
    };
  });
  const instance: AllocationInstance = {
    homes: [...homes].map(([id, h]) => ({
      id,
      epci: session.epci,
      qpv: h.qpv,
      reservationHolder: h.holder,
    })),
    applicants,
    applications,
    ...ytd,
  };
  await updateJob(db, job.id, { done: 1, message: `calcul de la proposition (${homes.size} logements)` });
  const result = allocate(instance, { timeLimitSeconds: 20 });
  await updateJob(db, job.id, { done: 2, message: 'enregistrement de la proposition' });
  const applicantOf = new Map(applicants.map((a) => [a.id, a]));
  // The engine names reservation holders by id (four generic ones in French): the commission reads
  // their names.
  const holders = await db.query<{ id: string; name: string }>(
    'SELECT id, name FROM reservation_holder WHERE id = ANY($1::text[])',
    [[...new Set([...homes.values()].map((h) => h.holder))]],
  );
  const named = (text: string) =>
    holders.reduce((t, h) => t.replaceAll(`réservataire ${h.id}`, `réservataire ${h.name}`), text);
  const constraints = result.constraints.map((c) => ({
    name: c.name,
    label:
      c.kind === 'priorityPerReservationHolder'
        ? `Publics prioritaires, réservataire ${holders.find((h) => h.id === c.scope)?.name ?? c.scope}`
        : c.label,
    target: c.target,
    required: c.required,
    achieved: c.achieved,
    slack: c.slack,
    shortfall: c.shortfall,
    missingHouseholds: c.missingHouseholds,
  }));
  let decidedKept = 0;
  await db.transaction(async (tx) => {
    for (const [homeId, h] of homes) {
      const candidates = result.candidates[homeId] ?? [];
      const proposal: Proposal = {
        jobId: job.id,
        candidates,
        objective: result.objective,
        upperBound: result.upperBound,
        gap: result.gap,
        status: result.status,
        constraints,
        explanation: result.explanations[homeId] ? named(result.explanations[homeId]!) : null,
        priceOfMix: result.priceOfMix,
        details: candidates.map((s) => {
          const a = applicantOf.get(s)!;
          return {
            sneNumber: s,
            score: a.score,
            rank: ranks.get(`${s}\u0000${homeId}`) ?? 1,
            firstQuartile: a.firstQuartile,
            priorityPublic: a.priorityPublic,
            urbanRenewalRelocation: a.urbanRenewalRelocation,
          };
        }),
      };
      const saved = await saveProposalItem(tx, {
        sessionId: session.id,
        epci: session.epci,
        homeId,
        advertId: h.advertId,
        proposal,
        available: h.available,
      });
      if (saved === 'decided') decidedKept++;
    }
    await appendAudit(tx, {
      actorUserId: actor.id,
      actorRole: actor.role,
      action: 'commission.proposal.save',
      entity: 'commission-session',
      entityId: session.id,
      epciCode: session.epci,
      details: { cycleId, jobId: job.id, homes: homes.size, decidedKept, objective: result.objective },
    });
  });
  const summary = {
    homes: homes.size,
    applicants: instance.applicants.length,
    objective: result.objective,
    upperBound: result.upperBound,
    gap: result.gap,
    status: result.status,
    priceOfMix: result.priceOfMix,
    yearToDate: ytd,
    firstQuartileThresholdEur: threshold,
    decidedKept,
  };
  await updateJob(db, job.id, {
    status: 'done',
    done: 3,
    message: `proposition enregistrée pour ${homes.size} logement(s)${decidedKept ? `, dont ${decidedKept} déjà décidé(s) et conservé(s)` : ''}`,
    result: summary,
  });
  return { job: { ...job, status: 'done', done: 3, result: summary }, homes: homes.size, decidedKept };
}
