import {
  activeApplicationsInPreferenceOrder,
  appendAudit,
  createCommissionSession,
  type Db,
  decisionsOfDemand,
  decisionsOfSession,
  getCommissionSession,
  getDecision,
  getItem,
  homesOfSession,
  itemsOfSession,
  landlordsOfEpci,
  listCommissionSessions,
  type StoredDecision,
  type StoredSession,
  sessionNames,
  setApplicationPreferences,
  type User,
  updateCommissionSession,
} from '@mosaique/db';
import {
  DECISION_KINDS,
  DECISION_LABELS,
  preferenceOrderProblems,
  REASON_CODES,
  REJECTION_REASON_CODES,
} from '@mosaique/domain/commission';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError, requireRole, requireUser } from '../auth/plugin.ts';
import {
  decideHome,
  editCandidates,
  ProblemsError,
  respondToOffer,
  signLease,
} from '../commission/decide.ts';
import { startEngineForSession } from '../commission/engine-run.ts';
import { commissionMinutesPdf } from '../reports/commission-minutes-pdf.ts';
import { mayServeEpci } from './auth.ts';

/**
 * The allocation commission (CALEOL): sessions, agenda, engine proposal, decisions, applicants'
 * answers, lease signature. Rights (docs/commission.md): landlord agents of the session's landlord and
 * the EPCI's analysts run sessions and decide; admins read; reservation-holder agents read the items
 * and decisions of homes reserved to them; applicants read their own decisions and answer their own
 * offers. A session a user may not read answers 404.
 */

const TAG = 'commission';
const errorSchema = z.object({
  error: z.string(),
  details: z.union([z.array(z.string()), z.string()]).optional(),
});
const idParams = z.object({ id: z.string().uuid('identifiant invalide') });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date AAAA-MM-JJ attendue');

/** May run the session and decide: the landlord's agents and the EPCI's analysts. */
function mayManage(user: User, session: Pick<StoredSession, 'epci' | 'landlordId'>): boolean {
  if (user.role === 'landlord-agent') return user.landlordId === session.landlordId;
  if (user.role === 'epci-analyst') return user.epciCode === session.epci;
  return false;
}

async function readableSession(db: Db, user: User, id: string): Promise<StoredSession> {
  const session = await getCommissionSession(db, id);
  const readable =
    session &&
    (mayManage(user, session) || user.role === 'admin' || user.role === 'reservation-holder-agent');
  if (!session || !readable) throw new HttpError(404, 'séance introuvable');
  return session;
}

async function managedSession(db: Db, user: User, id: string): Promise<StoredSession> {
  const session = await getCommissionSession(db, id);
  if (!session || !(mayManage(user, session) || user.role === 'admin'))
    throw new HttpError(404, 'séance introuvable');
  if (!mayManage(user, session)) throw new HttpError(403, 'action non autorisée pour votre rôle');
  return session;
}

const publicDecision = (d: StoredDecision) => ({
  id: d.id,
  agendaItemId: d.agendaItemId,
  sessionId: d.sessionId,
  homeId: d.homeId,
  sneNumber: d.sneNumber,
  kind: d.kind,
  label: DECISION_LABELS[d.kind],
  rank: d.rank,
  reasonCodes: d.reasonCodes,
  reasons: d.reasonCodes.map((c) => REASON_CODES[c as keyof typeof REASON_CODES] ?? c),
  reasonText: d.reasonText,
  missingDocument: d.missingDocument,
  decidedAt: d.decidedAt,
  response: d.response,
  responseReason: d.responseReason,
  leaseId: d.leaseId,
});

const decisionBody = z.object({
  sneNumber: z.string().trim().min(1).max(40),
  kind: z
    .enum(DECISION_KINDS as [string, ...string[]])
    .transform((k) => k as (typeof DECISION_KINDS)[number]),
  rank: z.number().int().min(1).max(50).nullable().optional(),
  reasonCodes: z.array(z.string().max(60)).max(10).optional(),
  reasonText: z.string().max(2000).nullable().optional(),
  missingDocument: z.string().max(300).nullable().optional(),
});

export function commissionRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, _request, reply) => {
      if (error instanceof ProblemsError)
        return reply.status(400).send({ error: error.message, details: error.problems });
      throw error;
    });

    app.get(
      '/commission/reasons',
      {
        schema: {
          tags: [TAG],
          summary: 'Les cinq décisions possibles (R441-3) et les motifs de non-attribution et de rejet',
        },
      },
      async () => ({
        decisions: DECISION_KINDS.map((kind) => ({ kind, label: DECISION_LABELS[kind] })),
        reasons: Object.entries(REASON_CODES).map(([code, label]) => ({
          code,
          label,
          rejection: REJECTION_REASON_CODES.includes(code as keyof typeof REASON_CODES),
        })),
      }),
    );

    app.post(
      '/commission/sessions',
      {
        schema: {
          tags: [TAG],
          summary: 'Programme une séance de CALEOL (agent du bailleur ou analyste de l’EPCI)',
          body: z.object({
            epci: z.string().regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu'),
            landlordId: z.string().trim().min(1).max(60),
            heldOn: isoDate,
            members: z
              .array(
                z.object({
                  name: z.string().trim().min(1).max(200),
                  role: z.string().trim().min(1).max(200),
                }),
              )
              .max(50),
            quorum: z.number().int().min(1).max(50),
          }),
          response: { 201: z.any(), 400: errorSchema, 401: errorSchema, 403: errorSchema },
        },
      },
      async (request, reply) => {
        const { user } = requireRole(request, 'landlord-agent', 'epci-analyst');
        const body = request.body;
        if (!mayManage(user, body) || !(await mayServeEpci(db, user, body.epci))) {
          throw new HttpError(
            403,
            'vous ne pouvez pas programmer une séance pour ce bailleur ou ce territoire',
          );
        }
        if (body.quorum > body.members.length) {
          return reply
            .status(400)
            .send({ error: 'séance invalide', details: ['le quorum dépasse le nombre de membres'] });
        }
        const session = await db.transaction(async (tx) => {
          const created = await createCommissionSession(tx, { ...body, createdBy: user.id });
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: 'commission.session.create',
            entity: 'commission-session',
            entityId: created.id,
            epciCode: body.epci,
            details: { landlordId: body.landlordId, heldOn: body.heldOn, quorum: body.quorum },
          });
          return created;
        });
        return reply.status(201).send(session);
      },
    );

    app.get(
      '/commission/sessions',
      {
        schema: {
          tags: [TAG],
          summary: 'Séances d’un EPCI (du bailleur de l’agent)',
          querystring: z.object({
            epci: z.string().regex(/^\d{9}$/),
            landlordId: z.string().max(60).optional(),
          }),
        },
      },
      async (request) => {
        const { user } = requireRole(request, 'landlord-agent', 'epci-analyst', 'admin');
        const { epci } = request.query;
        if (user.role === 'epci-analyst' && user.epciCode !== epci)
          throw new HttpError(403, 'territoire non autorisé');
        const landlordId =
          user.role === 'landlord-agent' ? user.landlordId : (request.query.landlordId ?? null);
        return { sessions: await listCommissionSessions(db, epci, landlordId) };
      },
    );

    app.get(
      '/commission/sessions/:id',
      {
        schema: {
          tags: [TAG],
          summary: 'Une séance, son ordre du jour, la proposition du moteur et les décisions',
          params: idParams,
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const session = await readableSession(db, user, request.params.id);
        let items = await itemsOfSession(db, session.id);
        if (user.role === 'reservation-holder-agent') {
          items = items.filter((i) => i.reservationHolderId === user.reservationHolderId);
          if (items.length === 0) throw new HttpError(404, 'séance introuvable');
        }
        const homes = new Map((await homesOfSession(db, session.id)).map((h) => [h.homeId, h]));
        const decisions = await decisionsOfSession(db, session.id);
        const agenda = items.map((item) => ({
          ...item,
          home: homes.get(item.homeId) ?? null,
          decisions: (decisions.get(item.id) ?? []).map(publicDecision),
        }));
        const names = await sessionNames(db, session);
        return { session: { ...session, ...names }, agenda };
      },
    );

    app.patch(
      '/commission/sessions/:id',
      {
        schema: {
          tags: [TAG],
          summary: 'Change l’état d’une séance (planned, held, closed) ou ses notes de procès-verbal',
          params: idParams,
          body: z.object({
            status: z.enum(['planned', 'held', 'closed']).optional(),
            minutesNotes: z.string().max(20_000).optional(),
          }),
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const session = await managedSession(db, user, request.params.id);
        if (session.status === 'closed') throw new HttpError(409, 'la séance est close');
        return db.transaction(async (tx) => {
          const updated = await updateCommissionSession(tx, session.id, request.body);
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: 'commission.session.update',
            entity: 'commission-session',
            entityId: session.id,
            epciCode: session.epci,
            details: {
              status: request.body.status ?? null,
              minutesNotes: request.body.minutesNotes !== undefined,
            },
          });
          return updated;
        });
      },
    );

    app.post(
      '/commission/sessions/:id/proposal',
      {
        schema: {
          tags: [TAG],
          summary:
            'Lance le moteur d’attribution sur un cycle clos (décomptes de l’année lus dans les baux signés) : répond aussitôt avec la tâche (GET /jobs/:id) ; la proposition est mise à l’ordre du jour à la fin du calcul',
          params: idParams,
          body: z.object({ cycleId: z.string().uuid('identifiant invalide') }),
          response: {
            202: z.object({
              job: z.object({ id: z.string(), status: z.string(), done: z.number(), total: z.number() }),
            }),
            401: errorSchema,
            403: errorSchema,
            404: errorSchema,
            409: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const { user } = requireUser(request);
        const session = await managedSession(db, user, request.params.id);
        if (session.status === 'closed') throw new HttpError(409, 'la séance est close');
        const { job } = await startEngineForSession(db, session, request.body.cycleId, user, (e) =>
          request.log.error({ err: e }, 'moteur d’attribution'),
        );
        return reply
          .status(202)
          .send({ job: { id: job.id, status: job.status, done: job.done, total: job.total } });
      },
    );

    app.get(
      '/commission/sessions/:id/minutes.pdf',
      {
        schema: {
          tags: [TAG],
          summary:
            'Le procès-verbal de la séance en PDF : membres, quorum, logements, candidats, décisions motivées, écarts justifiés, signatures',
          params: idParams,
          produces: ['application/pdf'],
          response: {
            200: z.unknown().describe('document PDF'),
            401: errorSchema,
            403: errorSchema,
            404: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const { user } = requireUser(request);
        const session = await readableSession(db, user, request.params.id);
        if (!(mayManage(user, session) || user.role === 'admin')) {
          // A reservation holder sees the session only through its homes on the agenda (as GET).
          const own = (await itemsOfSession(db, session.id)).some(
            (i) => i.reservationHolderId === user.reservationHolderId,
          );
          if (!own) throw new HttpError(404, 'séance introuvable');
          throw new HttpError(403, 'le procès-verbal est réservé aux membres de la commission');
        }
        const decisions = await decisionsOfSession(db, session.id);
        const items = (await itemsOfSession(db, session.id)).map((item) => ({
          ...item,
          decisions: decisions.get(item.id) ?? [],
        }));
        const names = await sessionNames(db, session);
        const pdf = await commissionMinutesPdf({
          session,
          ...names,
          items,
          homes: await homesOfSession(db, session.id),
        });
        return reply
          .header('content-type', 'application/pdf')
          .header(
            'content-disposition',
            `attachment; filename="proces-verbal-caleol-${session.landlordId}-${session.heldOn}.pdf"`,
          )
          .send(pdf);
      },
    );

    app.get(
      '/commission/landlords',
      {
        schema: {
          tags: [TAG],
          summary: 'Les bailleurs d’un EPCI pour qui programmer une séance (l’agent : son bailleur)',
          querystring: z.object({ epci: z.string().regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu') }),
          response: {
            200: z.object({ landlords: z.array(z.object({ id: z.string(), name: z.string() })) }),
            401: errorSchema,
            403: errorSchema,
          },
        },
      },
      async (request) => {
        const { user } = requireRole(request, 'landlord-agent', 'epci-analyst', 'admin');
        const { epci } = request.query;
        if (user.role === 'epci-analyst' && user.epciCode !== epci)
          throw new HttpError(403, 'territoire non autorisé');
        const landlords = await landlordsOfEpci(db, epci);
        return {
          landlords:
            user.role === 'landlord-agent' ? landlords.filter((l) => l.id === user.landlordId) : landlords,
        };
      },
    );

    const itemOf = async (user: User, id: string) => {
      const item = await getItem(db, id);
      if (!item) throw new HttpError(404, 'point de l’ordre du jour introuvable');
      const session = await managedSession(db, user, item.sessionId);
      if (session.status === 'closed') throw new HttpError(409, 'la séance est close');
      return item;
    };

    app.patch(
      '/commission/agenda-items/:id',
      {
        schema: {
          tags: [TAG],
          summary: 'Modifie les candidats examinés ; tout écart avec la proposition doit être justifié',
          params: idParams,
          body: z.object({
            version: z.number().int(),
            candidates: z.array(z.string().trim().min(1).max(40)).max(20),
            deviationJustification: z.string().max(4000).nullable().optional(),
            daloDesignated: z.boolean().default(false),
          }),
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        await itemOf(user, request.params.id);
        const version = await editCandidates(
          db,
          request.params.id,
          { ...request.body, deviationJustification: request.body.deviationJustification ?? null },
          user,
        );
        return { version };
      },
    );

    app.post(
      '/commission/agenda-items/:id/decisions',
      {
        schema: {
          tags: [TAG],
          summary:
            'Décide d’un logement : une décision par candidat ; `version` est celle lue (409 si un autre membre a décidé entre-temps)',
          params: idParams,
          body: z.object({ version: z.number().int(), decisions: z.array(decisionBody).min(1).max(20) }),
        },
      },
      async (request, reply) => {
        const { user } = requireUser(request);
        await itemOf(user, request.params.id);
        const result = await decideHome(
          db,
          request.params.id,
          request.body.version,
          request.body.decisions,
          user,
        );
        return reply.status(201).send(result);
      },
    );

    app.get(
      '/commission/my-decisions',
      {
        schema: {
          tags: [TAG],
          summary: 'Les décisions de commission prises sur ma demande, avec leurs motifs',
        },
      },
      async (request) => {
        const { user } = requireRole(request, 'applicant');
        if (!user.sneNumber) return { decisions: [] };
        return { decisions: (await decisionsOfDemand(db, user.sneNumber)).map(publicDecision) };
      },
    );

    /** The decision, if the user may see it (404 otherwise), and whether they may act on it for the landlord. */
    const decisionFor = async (user: User, id: string) => {
      const decision = await getDecision(db, id);
      if (!decision) throw new HttpError(404, 'décision introuvable');
      const manage = mayManage(user, decision);
      const own = user.role === 'applicant' && user.sneNumber === decision.sneNumber;
      const read =
        manage ||
        own ||
        user.role === 'admin' ||
        (user.role === 'reservation-holder-agent' &&
          user.reservationHolderId === decision.reservationHolderId);
      if (!read) throw new HttpError(404, 'décision introuvable');
      return { decision, manage, own };
    };

    app.get(
      '/commission/decisions/:id',
      { schema: { tags: [TAG], summary: 'Une décision et ses motifs', params: idParams } },
      async (request) => {
        const { user } = requireUser(request);
        return publicDecision((await decisionFor(user, request.params.id)).decision);
      },
    );

    app.post(
      '/commission/decisions/:id/response',
      {
        schema: {
          tags: [TAG],
          summary: 'Acceptation ou refus (motivé) de la proposition, par le demandeur ou pour lui',
          params: idParams,
          body: z.object({
            response: z.enum(['accepted', 'refused']),
            reason: z.string().trim().max(2000).nullable().optional(),
          }),
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const { manage, own } = await decisionFor(user, request.params.id);
        if (!manage && !own) throw new HttpError(403, 'action non autorisée pour votre rôle');
        await respondToOffer(
          db,
          request.params.id,
          { response: request.body.response, reason: request.body.reason ?? null },
          user,
        );
        return publicDecision((await getDecision(db, request.params.id))!);
      },
    );

    app.post(
      '/commission/decisions/:id/lease',
      {
        schema: {
          tags: [TAG],
          summary: 'Signature du bail : l’attribution compte alors pour les objectifs de la CIA',
          params: idParams,
          body: z.object({ signedOn: isoDate, documentReceived: z.boolean().default(false) }),
        },
      },
      async (request, reply) => {
        const { user } = requireUser(request);
        const { manage } = await decisionFor(user, request.params.id);
        if (!manage) throw new HttpError(403, 'action non autorisée pour votre rôle');
        const leaseId = await signLease(db, request.params.id, request.body, user);
        return reply.status(201).send({ leaseId });
      },
    );

    // ── The applicant's order of preference among their applications (the engine's rank) ─────
    const preferenceSchema = z.object({
      applications: z.array(
        z.object({
          id: z.string(),
          advertId: z.string(),
          cycleId: z.string(),
          preference: z.number().nullable(),
          createdAt: z.string(),
        }),
      ),
    });

    app.get(
      '/applications/preference-order',
      {
        schema: {
          tags: [TAG],
          summary:
            'Mes candidatures en cours dans mon ordre de préférence (1 = le logement que je préfère), lu par le moteur d’attribution',
          response: { 200: preferenceSchema, 401: errorSchema, 403: errorSchema },
        },
      },
      async (request) => {
        const { user } = requireRole(request, 'applicant');
        if (!user.sneNumber) return { applications: [] };
        return { applications: await activeApplicationsInPreferenceOrder(db, user.sneNumber) };
      },
    );

    app.put(
      '/applications/preference-order',
      {
        schema: {
          tags: [TAG],
          summary:
            'Classe mes candidatures en cours par ordre de préférence : toutes, chacune une fois, la préférée en premier',
          body: z.object({ applicationIds: z.array(z.string().max(60)).max(100) }),
          response: { 200: preferenceSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
        },
      },
      async (request, reply) => {
        const { user } = requireRole(request, 'applicant');
        const sne = user.sneNumber;
        if (!sne) throw new HttpError(403, 'aucune demande n’est rattachée à votre compte');
        const order = request.body.applicationIds;
        const saved = await db.transaction(async (tx) => {
          // Locks the demand: two orders sent at once are applied one after the other.
          await tx.query('SELECT 1 FROM demand WHERE sne_number = $1 FOR UPDATE', [sne]);
          const active = await activeApplicationsInPreferenceOrder(tx, sne);
          const problems = preferenceOrderProblems(
            active.map((a) => a.id),
            order,
          );
          if (problems.length > 0) return problems;
          await setApplicationPreferences(tx, sne, order);
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: 'application.preference.set',
            entity: 'demand',
            entityId: sne,
            epciCode: user.epciCode,
            details: { applicationIds: order },
          });
          return null;
        });
        if (saved) return reply.status(400).send({ error: 'ordre de préférence refusé', details: saved });
        return { applications: await activeApplicationsInPreferenceOrder(db, sne) };
      },
    );
  };
}
