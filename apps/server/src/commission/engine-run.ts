import { randomUUID } from 'node:crypto';
import {
  appendAudit,
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
import { yearToDateOfLeases } from '@mosaique/domain/commission';
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
 * Runs the allocation engine on a closed letting cycle for a commission session: homes = the
 * closed adverts of the session's landlord in the cycle; applicants = their eligible shortlisted
 * applicants (score, first quartile against the threshold used for the year, urban renewal,
 * priority public); year-to-date counts from the leases signed since 1 January. The proposal is
 * stored on the agenda items (items already decided are kept); the job row records progress and
 * the engine's figures.
 */
export async function runEngineForSession(
  db: Db,
  session: StoredSession,
  cycleId: string,
  actor: User,
): Promise<EngineRun> {
  const cycle = await getCycle(db, cycleId);
  if (!cycle || cycle.epci !== session.epci) throw new HttpError(404, 'cycle de location introuvable');
  if (cycle.status !== 'closed') throw new HttpError(409, 'le cycle de location n’est pas encore clos');
  if (cycle.landlordId !== null && cycle.landlordId !== session.landlordId) {
    throw new HttpError(409, 'ce cycle est celui d’un autre bailleur');
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
  try {
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
    const applications: AllocationInstance['applications'] = [];
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
      // The applicant's preference order among their applications is not stored: rank 1 everywhere.
      applications.push({ applicant: r.sneNumber, home: r.homeId, rank: 1 });
    }
    if (homes.size === 0) throw new HttpError(409, 'aucune annonce close de ce bailleur dans ce cycle');
    const ytd = yearToDateOfLeases(session.epci, await reviewLeases(db, session.epci, year));
    const instance: AllocationInstance = {
      homes: [...homes].map(([id, h]) => ({
        id,
        epci: session.epci,
        qpv: h.qpv,
        reservationHolder: h.holder,
      })),
      applicants: [...score].map(([id, s]) => {
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
      }),
      applications,
      ...ytd,
    };
    await updateJob(db, job.id, { done: 1, message: `calcul de la proposition (${homes.size} logements)` });
    const result = allocate(instance, { timeLimitSeconds: 20 });
    await updateJob(db, job.id, { done: 2, message: 'enregistrement de la proposition' });
    let decidedKept = 0;
    await db.transaction(async (tx) => {
      for (const [homeId, h] of homes) {
        const proposal: Proposal = {
          jobId: job.id,
          candidates: result.candidates[homeId] ?? [],
          objective: result.objective,
          upperBound: result.upperBound,
          gap: result.gap,
          status: result.status,
          constraints: result.constraints.map((c) => ({ name: c.name, label: c.label, slack: c.slack })),
          explanation: result.explanations[homeId] ?? null,
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
    };
    await updateJob(db, job.id, {
      status: 'done',
      done: 3,
      message: `proposition enregistrée pour ${homes.size} logement(s)`,
      result: summary,
    });
    return { job: { ...job, status: 'done', done: 3, result: summary }, homes: homes.size, decidedKept };
  } catch (error) {
    await updateJob(db, job.id, { status: 'failed', message: 'le calcul de la proposition a échoué' });
    throw error;
  }
}
