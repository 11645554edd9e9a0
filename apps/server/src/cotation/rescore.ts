import { randomUUID } from 'node:crypto';
import {
  activateGridVersion,
  appendAudit,
  createJob,
  type Db,
  type Job,
  loadDemands,
  saveScores,
  type User,
  updateJob,
} from '@mosaique/db';
import { type CotationGrid, scoreDemands } from '@mosaique/domain/cotation';

const CHUNK = 5_000;

/**
 * Scores every active demand of the EPCI under `grid` on `date` and stores the totals (the scores of
 * other versions are kept). Reports progress through the job row, chunk by chunk.
 */
export async function rescoreDemands(
  db: Db,
  epci: string,
  grid: CotationGrid,
  date: string,
  jobId?: string,
): Promise<number> {
  const demands = await loadDemands(db, epci, { active: true });
  if (jobId) await updateJob(db, jobId, { status: 'running', total: demands.length, done: 0 });
  const totals = scoreDemands(demands, grid, date);
  for (let start = 0; start < demands.length; start += CHUNK) {
    const end = Math.min(demands.length, start + CHUNK);
    const scores = [];
    for (let i = start; i < end; i++) scores.push({ sneNumber: demands[i]!.sneNumber, total: totals[i]! });
    await saveScores(db, epci, grid, date, scores);
    if (jobId) await updateJob(db, jobId, { done: end });
  }
  return demands.length;
}

/**
 * Activates a grid version and re-scores every demand off the request path: returns the job at once;
 * its row says how far it got (GET /api/v1/jobs/:id).
 */
export async function activateAndRescore(
  db: Db,
  epci: string,
  grid: CotationGrid,
  actor: User,
  today: string,
  log: (error: unknown) => void,
): Promise<Job> {
  const job = await db.transaction(async (tx) => {
    await activateGridVersion(tx, epci, grid.id, grid.version);
    await appendAudit(tx, {
      actorUserId: actor.id,
      actorRole: actor.role,
      action: 'cotation-grid.activate',
      entity: 'cotation-grid',
      entityId: `${grid.id}/v${grid.version}`,
      epciCode: epci,
    });
    return createJob(tx, {
      id: randomUUID(),
      kind: 'cotation.rescore',
      epciCode: epci,
      createdBy: actor.id,
      total: 0,
    });
  });
  setImmediate(() => {
    rescoreDemands(db, epci, grid, today, job.id)
      .then((count) => updateJob(db, job.id, { status: 'done', message: `${count} demandes notées` }))
      .catch(async (error: unknown) => {
        log(error);
        await updateJob(db, job.id, { status: 'failed', message: 'la notation a échoué' }).catch(log);
      });
  });
  return job;
}
