import {
  activeGrid,
  allocationRecordsOf,
  appendAudit,
  type Db,
  getGrid,
  getJob,
  listGrids,
  loadDemands,
  saveDraftGrid,
  scoresOf,
  type User,
} from '@mosaique/db';
import {
  averageWaitingTime,
  CotationGridError,
  parseCotationGrid,
  priorityCase,
  scoreDemand,
  simulateGrid,
} from '@mosaique/domain/cotation';
import { firstQuartileThreshold } from '@mosaique/domain/demand';
import type { Typology } from '@mosaique/domain/stock';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError, requireRole, requireUser } from '../auth/plugin.ts';
import { activateAndRescore } from '../cotation/rescore.ts';
import { mayServeEpci } from './auth.ts';

const errorSchema = z.object({ error: z.string(), details: z.array(z.string()).optional() });
const epciParams = z.object({ code: z.string().regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu') });
const versionParams = epciParams.extend({
  gridId: z.string().min(1).max(100),
  version: z.coerce.number().int().min(1),
});
const today = () => new Date().toISOString().slice(0, 10);

/** Analysts of the EPCI and admins manage its grids. */
function requireAnalystOf(user: User, epci: string): void {
  if (user.role === 'admin') return;
  if (user.role !== 'epci-analyst' || user.epciCode !== epci) {
    throw new HttpError(403, 'seuls les analystes de cet EPCI gèrent sa grille de cotation');
  }
}

export const cotationRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/territories/:code/cotation/grids',
      {
        schema: {
          tags: ['cotation'],
          summary:
            'Les grilles de cotation de l’EPCI, toutes versions (publiques : la grille est une information due au public)',
          params: epciParams,
          response: {
            200: z.object({
              grids: z.array(
                z.object({
                  grid: z.unknown(),
                  status: z.enum(['draft', 'active', 'retired']),
                  createdAt: z.string(),
                  activatedAt: z.string().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const grids = await listGrids(db, request.params.code);
        // Drafts are internal work: only the EPCI's analysts see them.
        const user = request.auth?.user;
        const seesDrafts =
          user?.role === 'admin' || (user?.role === 'epci-analyst' && user.epciCode === request.params.code);
        return { grids: grids.filter((g) => g.status !== 'draft' || seesDrafts) };
      },
    );

    app.post(
      '/territories/:code/cotation/grids',
      {
        schema: {
          tags: ['cotation'],
          summary: 'Enregistre une nouvelle version (brouillon) d’une grille, après validation',
          params: epciParams,
          body: z.unknown(),
          response: {
            201: z.object({ gridId: z.string(), version: z.number() }),
            400: errorSchema,
            401: errorSchema,
            403: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const { user } = requireUser(request);
        requireAnalystOf(user, request.params.code);
        let grid: ReturnType<typeof parseCotationGrid>;
        try {
          grid = parseCotationGrid(request.body);
        } catch (error) {
          if (error instanceof CotationGridError) {
            return reply
              .status(400)
              .send({ error: 'grille invalide', details: error.message.split('\n').slice(1) });
          }
          throw error;
        }
        const stored = await db.transaction(async (tx) => {
          const saved = await saveDraftGrid(tx, request.params.code, grid, user.id);
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: 'cotation-grid.draft',
            entity: 'cotation-grid',
            entityId: `${saved.id}/v${saved.version}`,
            epciCode: request.params.code,
          });
          return saved;
        });
        return reply.status(201).send({ gridId: stored.id, version: stored.version });
      },
    );

    app.post(
      '/territories/:code/cotation/grids/:gridId/versions/:version/simulate',
      {
        schema: {
          tags: ['cotation'],
          summary:
            'Simule une version contre la grille active : déplacements de rang, part des publics prioritaires et du premier quartile parmi les N premiers, par typologie',
          params: versionParams,
          body: z.object({ topN: z.number().int().min(1).max(100_000).default(1000) }),
          response: { 200: z.unknown(), 401: errorSchema, 403: errorSchema, 404: errorSchema },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const { code, gridId, version } = request.params;
        requireAnalystOf(user, code);
        const draft = await getGrid(db, code, gridId, version);
        const active = await activeGrid(db, code, gridId);
        if (!draft) throw new HttpError(404, `version ${version} de la grille ${gridId} inconnue`);
        if (!active)
          throw new HttpError(404, `aucune version active de la grille ${gridId} à laquelle comparer`);
        const all = await loadDemands(db, code);
        const date = today();
        const threshold = firstQuartileThreshold(all, code, Number(date.slice(0, 4)));
        const active_ = all.filter((d) => d.status === 'active');
        const result = simulateGrid(active_, active, draft.grid, date, {
          topN: request.body.topN,
          firstQuartileThresholdEur: threshold.used ?? 0,
        });
        // Aggregates only: per-demand shifts stay on the server.
        return {
          date,
          demands: active_.length,
          firstQuartileThresholdEur: threshold.used,
          moved: result.moved,
          maxRise: result.maxRise,
          maxFall: result.maxFall,
          byTypology: result.byTypology,
        };
      },
    );

    app.post(
      '/territories/:code/cotation/grids/:gridId/versions/:version/activate',
      {
        schema: {
          tags: ['cotation'],
          summary:
            'Active une version : toutes les demandes sont notées à nouveau hors requête ; suivez la tâche renvoyée',
          params: versionParams,
          response: {
            202: z.object({ jobId: z.string() }),
            401: errorSchema,
            403: errorSchema,
            404: errorSchema,
            409: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const { user } = requireUser(request);
        const { code, gridId, version } = request.params;
        requireAnalystOf(user, code);
        const stored = await getGrid(db, code, gridId, version);
        if (!stored) throw new HttpError(404, `version ${version} de la grille ${gridId} inconnue`);
        if (stored.status === 'active') throw new HttpError(409, 'cette version est déjà active');
        const job = await activateAndRescore(db, code, stored.grid, user, today(), (e) =>
          request.log.error({ err: e }, 'notation'),
        );
        return reply.status(202).send({ jobId: job.id });
      },
    );

    app.get(
      '/jobs/:id',
      {
        schema: {
          tags: ['tâches'],
          summary: 'Avancement d’une tâche longue (notation, calculs)',
          params: z.object({ id: z.string().uuid() }),
          response: {
            200: z.object({
              id: z.string(),
              kind: z.string(),
              status: z.enum(['queued', 'running', 'done', 'failed']),
              done: z.number(),
              total: z.number(),
              message: z.string().nullable(),
            }),
            401: errorSchema,
            403: errorSchema,
            404: errorSchema,
          },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const job = await getJob(db, request.params.id);
        if (!job) throw new HttpError(404, 'tâche inconnue');
        if (user.role !== 'admin' && job.createdBy !== user.id)
          throw new HttpError(403, 'cette tâche n’est pas la vôtre');
        const { id, kind, status, done, total, message } = job;
        return { id, kind, status, done, total, message };
      },
    );

    app.get(
      '/demands/:sneNumber/cotation',
      {
        schema: {
          tags: ['cotation'],
          summary:
            'Transparence pour le demandeur : sa note et son détail, sa position parmi les demandes semblables, le délai moyen d’attribution des demandes semblables, son caractère prioritaire',
          params: z.object({ sneNumber: z.string().min(1).max(40) }),
          response: { 200: z.unknown(), 401: errorSchema, 403: errorSchema, 404: errorSchema },
        },
      },
      async (request) => {
        const auth = requireRole(request, 'applicant', 'landlord-agent', 'epci-analyst', 'admin');
        const { sneNumber } = request.params;
        if (auth.user.role === 'applicant' && auth.user.sneNumber !== sneNumber) {
          throw new HttpError(403, 'vous ne pouvez consulter que votre propre demande');
        }
        const [row] = await db.query<{ epci_code: string }>(
          'SELECT epci_code FROM demand WHERE sne_number = $1',
          [sneNumber],
        );
        if (!row) throw new HttpError(404, `demande ${sneNumber} inconnue`);
        const epci = row.epci_code;
        if (auth.user.role !== 'applicant' && !(await mayServeEpci(db, auth.user, epci))) {
          throw new HttpError(403, 'cette demande relève d’un territoire où vous n’intervenez pas');
        }
        const grid = await activeGrid(db, epci);
        const [demand] = await loadDemands(db, epci, { sneNumber });
        if (!grid || !demand) throw new HttpError(404, 'aucune grille de cotation active pour ce territoire');
        const stored = (await scoresOf(db, sneNumber)).find(
          (s) => s.gridId === grid.id && s.gridVersion === grid.version,
        );
        const scoredOn = stored?.scoredOn ?? today();
        const score = scoreDemand(demand, grid, scoredOn);
        // Position among the active demands of the EPCI wishing the same typology, by stored score
        // of the active version (ties: older registration first, then SNE number).
        const positions = await db.query<{ typology: number; position: number; of: number }>(
          `WITH me AS (SELECT $3::double precision AS total, $4::date AS registered_on, $5::text AS sne),
                pool AS (
                  SELECT t AS typology, s.total, d.registered_on, d.sne_number
                  FROM demand d JOIN demand_score s ON s.sne_number = d.sne_number AND s.grid_id = $1 AND s.grid_version = $2
                  CROSS JOIN LATERAL unnest(d.desired_typologies) AS t
                  WHERE d.epci_code = $6 AND d.status = 'active' AND t = ANY($7::smallint[]) AND d.sne_number <> $5)
           SELECT t.typology::int AS typology,
                  1 + count(p.sne_number) FILTER (WHERE p.total > me.total OR (p.total = me.total
                      AND (p.registered_on, p.sne_number) < (me.registered_on, me.sne)))::int AS position,
                  1 + count(p.sne_number)::int AS of
           FROM unnest($7::smallint[]) AS t(typology) CROSS JOIN me
           LEFT JOIN pool p ON p.typology = t.typology
           GROUP BY t.typology ORDER BY t.typology`,
          [
            grid.id,
            grid.version,
            score.total,
            demand.registeredOn,
            sneNumber,
            epci,
            demand.desiredTypologies,
          ],
        );
        const records = await allocationRecordsOf(db, epci);
        // The 12 months up to the latest lease recorded (today when leases are current): a register
        // whose lettings stop earlier (the demo's end in 2025) still gets a meaningful average.
        const now = today();
        let latestLease = '';
        for (const r of records) if (r.signedOn > latestLease) latestLease = r.signedOn;
        const windowEnd = latestLease !== '' && latestLease < now ? latestLease : now;
        const similar = positions.map((p) => {
          const waiting = averageWaitingTime(records, epci, p.typology as Typology, windowEnd);
          return {
            typology: p.typology,
            position: p.position,
            of: p.of,
            averageWaitingMonths: waiting.months,
            waitingWindow: { from: waiting.from, to: waiting.to },
            allocationsLast12Months: waiting.allocations,
          };
        });
        return {
          sneNumber,
          grid: { id: grid.id, version: grid.version, label: grid.label },
          score,
          priority: priorityCase(demand),
          similar,
        };
      },
    );
  };
