import {
  type AdvertView,
  activeApplicantsOf,
  appendAudit,
  applicationsOf,
  applicationsOfAdvert,
  createAdvert,
  createCycle,
  type Db,
  getAdvert,
  getApplication,
  getCycle,
  homeForAdvert,
  insertApplication,
  listAdverts,
  listCycles,
  loadDemands,
  lockAdvert,
  type StoredApplication,
  shortlistOf,
  standingOf,
  type User,
  updateAdvert,
  withdrawAdvert,
  withdrawApplication,
} from '@mosaique/db';
import type { Demand } from '@mosaique/domain/demand';
import { eligibility } from '@mosaique/domain/eligibility';
import {
  advertEditable,
  advertTextProblems,
  type ChanceSettings,
  chanceOf,
  cycleProblems,
  cycleTakesApplications,
  DEFAULT_CHANCE_SETTINGS,
  DEFAULT_MAX_ACTIVE_APPLICATIONS,
  ENERGY_LABELS,
} from '@mosaique/domain/letting';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError, requireRole, requireUser } from '../auth/plugin.ts';
import { closeCycle } from '../letting/close-cycles.ts';
import { mayServeEpci } from './auth.ts';

/**
 * Choice-based letting (location choisie): letting cycles, adverts, applications, shortlists.
 * Who may do what is in docs/letting.md; in short: landlord agents publish for their landlord's homes;
 * applicants apply for themselves; landlord agents and EPCI analysts may apply and withdraw on behalf
 * of an applicant (assisted applying, audited with `on_behalf_of`); an application is visible to its
 * applicant, the advert's landlord, the EPCI's analysts, admins and the agent who made it, and
 * answers 404 to everyone else (its existence is not disclosed).
 */

const TAG = 'location choisie';
// `details`: the list of problems, or the validator's message for a malformed request.
const errorSchema = z.object({
  error: z.string(),
  details: z.union([z.array(z.string()), z.string()]).optional(),
});
const idParams = z.object({ id: z.string().uuid('identifiant invalide') });
const sneNumber = z.string().trim().min(1).max(40);
const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(2000)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).max(100));
const boolParam = z.enum(['true', 'false']).transform((v) => v === 'true');

const cycleSchema = z.object({
  id: z.string(),
  epci: z.string(),
  landlordId: z.string().nullable(),
  name: z.string(),
  opensAt: z.string(),
  closesAt: z.string(),
  status: z.enum(['open', 'closed']),
  maxActiveApplications: z.number(),
});
const checkSchema = z.object({ rule: z.string(), status: z.string(), message: z.string() });
const chanceSchema = z.object({
  rank: z.number(),
  applicants: z.number(),
  band: z.enum(['forte', 'moyenne', 'faible']),
  message: z.string(),
});
const advertSchema = z.object({
  id: z.string(),
  epci: z.string(),
  landlordId: z.string(),
  landlordName: z.string(),
  cycle: cycleSchema.pick({
    id: true,
    name: true,
    opensAt: true,
    closesAt: true,
    status: true,
    maxActiveApplications: true,
  }),
  description: z.string(),
  energyLabel: z.string().nullable(),
  status: z.enum(['draft', 'published', 'withdrawn', 'closed']),
  withdrawnReason: z.string().nullable(),
  publishedAt: z.string().nullable(),
  home: z.object({
    id: z.string(),
    typology: z.number(),
    surfaceM2: z.number(),
    floor: z.number(),
    lift: z.boolean(),
    accessible: z.boolean(),
    financing: z.string(),
    rentEur: z.number(),
    chargesEur: z.number(),
    residenceId: z.string(),
    residenceName: z.string(),
    commune: z.string(),
    communeName: z.string(),
    qpv: z.string().nullable(),
    reservationHolderId: z.string(),
    reservationHolderName: z.string(),
  }),
  activeApplications: z.number(),
  applicationsEver: z.number(),
  /** For a signed-in applicant only. */
  eligibility: z
    .object({
      eligible: z.boolean().nullable(),
      label: z.enum(['éligible', 'à vérifier', 'non éligible']),
      reasons: z.array(z.string()),
      checks: z.array(checkSchema),
    })
    .optional(),
  chance: chanceSchema.optional(),
  myApplicationId: z.string().nullable().optional(),
});
const applicationSchema = z.object({
  id: z.string(),
  advertId: z.string(),
  cycleId: z.string(),
  sneNumber: z.string(),
  status: z.enum(['active', 'withdrawn', 'shortlisted', 'excluded']),
  assisted: z.boolean(),
  createdAt: z.string(),
  withdrawnAt: z.string().nullable(),
  chance: chanceSchema.nullable().optional(),
});
const shortlistSchema = z.object({
  advertId: z.string(),
  entries: z.array(
    z.object({
      sneNumber: z.string(),
      rank: z.number().nullable(),
      score: z.number().nullable(),
      gridId: z.string().nullable(),
      gridVersion: z.number().nullable(),
      registeredOn: z.string(),
      eligible: z.boolean().nullable(),
      excludedReasons: z.array(z.string()),
      builtOn: z.string(),
    }),
  ),
});

const advertText = z.object({
  description: z.string().trim().min(1, 'description requise').max(4000),
  energyLabel: z.enum(ENERGY_LABELS as [string, ...string[]]).nullable(),
});

export interface LettingRouteOptions {
  chance?: ChanceSettings;
  /** The clock (tests). */
  now?: () => Date;
}

const isAgentOf = (user: User, advert: { landlordId: string; epci: string }) =>
  user.role === 'admin' ||
  (user.role === 'landlord-agent' && user.landlordId === advert.landlordId) ||
  (user.role === 'epci-analyst' && user.epciCode === advert.epci);

function seesAdvert(user: User | undefined, advert: AdvertView): boolean {
  if (advert.status === 'published' || advert.status === 'closed') return true;
  if (!user) return false;
  if (isAgentOf(user, advert)) return true;
  return (
    user.role === 'reservation-holder-agent' && user.reservationHolderId === advert.home.reservationHolderId
  );
}

function mayReadApplication(user: User, a: StoredApplication, createdBy: string | null): boolean {
  if (user.role === 'applicant') return user.sneNumber === a.sneNumber;
  if (createdBy === user.id) return true;
  return isAgentOf(user, a);
}

async function demandOf(db: Db, sne: string): Promise<Demand | null> {
  const [row] = await db.query<{ epci_code: string }>('SELECT epci_code FROM demand WHERE sne_number = $1', [
    sne,
  ]);
  if (!row) return null;
  const [demand] = await loadDemands(db, row.epci_code, { sneNumber: sne });
  return demand ?? null;
}

function judge(demand: Demand, advert: AdvertView, date: string) {
  const result = eligibility(demand, { ...advert.home, commune: advert.home.commune }, date);
  return {
    eligible: result.eligible,
    label:
      result.eligible === true
        ? ('éligible' as const)
        : result.eligible === null
          ? ('à vérifier' as const)
          : ('non éligible' as const),
    reasons:
      result.eligible === null
        ? result.checks.filter((c) => c.status === 'unknown').map((c) => c.message)
        : result.failures.map((f) => f.message),
    checks: result.checks.map((c) => ({ rule: c.rule, status: c.status, message: c.message })),
  };
}

export const lettingRoutes =
  (db: Db, options: LettingRouteOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const chanceSettings = options.chance ?? DEFAULT_CHANCE_SETTINGS;
    const now = options.now ?? (() => new Date());
    const today = () => now().toISOString().slice(0, 10);

    async function chanceFor(epci: string, advertId: string, sne: string) {
      const me = await standingOf(db, epci, sne);
      if (!me) return null;
      return chanceOf(me, await activeApplicantsOf(db, epci, advertId), chanceSettings);
    }

    async function advertOr404(id: string, user: User | undefined): Promise<AdvertView> {
      const advert = await getAdvert(db, id);
      if (!advert || !seesAdvert(user, advert)) throw new HttpError(404, 'annonce introuvable');
      return advert;
    }

    async function applicationOr404(id: string, user: User) {
      const application = await getApplication(db, id);
      if (!application) throw new HttpError(404, 'candidature introuvable');
      const [row] = await db.query<{ created_by: string | null }>(
        'SELECT created_by FROM application WHERE id = $1',
        [id],
      );
      if (!mayReadApplication(user, application, row?.created_by ?? null))
        throw new HttpError(404, 'candidature introuvable');
      return { application, createdBy: row?.created_by ?? null };
    }

    // ── Letting cycles ─────────────────────────────────────────────────────────────────────────
    app.get(
      '/letting-cycles',
      {
        schema: {
          tags: [TAG],
          summary: 'Les cycles de location choisie d’un EPCI (publics)',
          querystring: z.object({ epci: z.string().regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu') }),
          response: { 200: z.object({ cycles: z.array(cycleSchema) }) },
        },
      },
      async (request) => ({ cycles: await listCycles(db, request.query.epci) }),
    );

    app.post(
      '/letting-cycles',
      {
        schema: {
          tags: [TAG],
          summary:
            'Ouvre un cycle : un agent de bailleur pour son bailleur, un analyste pour tout l’EPCI (landlordId null)',
          body: z.object({
            epci: z.string().regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu'),
            name: z.string().trim().min(1).max(200),
            opensAt: z.string().datetime({ offset: true, message: 'date et heure ISO 8601 attendues' }),
            closesAt: z.string().datetime({ offset: true, message: 'date et heure ISO 8601 attendues' }),
            maxActiveApplications: z.number().int().default(DEFAULT_MAX_ACTIVE_APPLICATIONS),
          }),
          response: { 201: cycleSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
        },
      },
      async (request, reply) => {
        const { user } = requireRole(request, 'landlord-agent', 'epci-analyst');
        const body = request.body;
        if (!(await mayServeEpci(db, user, body.epci)))
          throw new HttpError(403, 'vous n’intervenez pas sur ce territoire');
        const problems = cycleProblems(body);
        if (problems.length) return reply.status(400).send({ error: 'cycle invalide', details: problems });
        const cycle = await db.transaction(async (tx) => {
          const created = await createCycle(tx, {
            ...body,
            landlordId: user.role === 'landlord-agent' ? user.landlordId : null,
            createdBy: user.id,
          });
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: 'letting-cycle.create',
            entity: 'letting-cycle',
            entityId: created.id,
            epciCode: created.epci,
          });
          return created;
        });
        return reply.status(201).send(cycle);
      },
    );

    app.post(
      '/letting-cycles/:id/close',
      {
        schema: {
          tags: [TAG],
          summary:
            'Clôt un cycle et construit la liste des candidats de chaque annonce (aussi fait automatiquement à la date de clôture)',
          params: idParams,
          response: {
            200: z.object({
              cycleId: z.string(),
              adverts: z.array(
                z.object({ advertId: z.string(), shortlisted: z.number(), excluded: z.number() }),
              ),
            }),
            401: errorSchema,
            403: errorSchema,
            404: errorSchema,
            409: errorSchema,
          },
        },
      },
      async (request) => {
        const { user } = requireRole(request, 'landlord-agent', 'epci-analyst');
        const cycle = await getCycle(db, request.params.id);
        if (!cycle) throw new HttpError(404, 'cycle introuvable');
        const allowed =
          user.role === 'epci-analyst'
            ? user.epciCode === cycle.epci
            : cycle.landlordId !== null && cycle.landlordId === user.landlordId;
        if (!allowed) throw new HttpError(403, 'ce cycle n’est pas le vôtre');
        const closed = await closeCycle(db, cycle.id, now(), user);
        if (!closed) throw new HttpError(409, 'ce cycle est déjà clos');
        return closed;
      },
    );

    // ── Adverts ────────────────────────────────────────────────────────────────────────────────
    app.get(
      '/adverts',
      {
        schema: {
          tags: [TAG],
          summary:
            'Les annonces, avec filtres. Un demandeur connecté ne voit par défaut que celles auxquelles il est éligible (eligibleOnly=false : toutes, avec la raison) ; les agents voient aussi les annonces non publiées qui les concernent',
          querystring: z.object({
            epci: z
              .string()
              .regex(/^\d{9}$/)
              .optional(),
            communes: csv(
              z.string().regex(/^[0-9][0-9AB][0-9]{3}$/, 'code INSEE de commune attendu'),
            ).optional(),
            typologies: csv(
              z
                .string()
                .regex(/^[1-6]$/, 'typologie de 1 à 6 attendue')
                .transform(Number),
            ).optional(),
            maxTotalRentEur: z.coerce.number().min(0).optional(),
            accessible: boolParam.optional(),
            lift: boolParam.optional(),
            maxFloorWithoutLift: z.coerce.number().int().min(0).optional(),
            status: csv(z.enum(['draft', 'published', 'withdrawn', 'closed'])).optional(),
            cycleId: z.string().uuid().optional(),
            eligibleOnly: boolParam.optional(),
          }),
          response: { 200: z.object({ adverts: z.array(advertSchema) }), 400: errorSchema },
        },
      },
      async (request) => {
        const user = request.auth?.user;
        const q = request.query;
        const demand =
          user?.role === 'applicant' && user.sneNumber ? await demandOf(db, user.sneNumber) : null;
        const adverts = await listAdverts(db, {
          epci: q.epci ?? demand?.epci,
          statuses: q.status ?? ['published'],
          alsoVisible:
            user?.role === 'admin'
              ? { all: true }
              : {
                  landlordId: user?.role === 'landlord-agent' ? user.landlordId : null,
                  reservationHolderId:
                    user?.role === 'reservation-holder-agent' ? user.reservationHolderId : null,
                  epci: user?.role === 'epci-analyst' ? user.epciCode : null,
                },
          communes: q.communes,
          typologies: q.typologies,
          maxTotalRentEur: q.maxTotalRentEur,
          accessible: q.accessible,
          lift: q.lift,
          maxFloorWithoutLift: q.maxFloorWithoutLift,
          cycleId: q.cycleId,
        });
        const visible = user?.role === 'admin' ? adverts : adverts.filter((a) => seesAdvert(user, a));
        if (!demand) return { adverts: visible };
        const date = today();
        const judged = visible.map((a) => ({ ...a, eligibility: judge(demand, a, date) }));
        const eligibleOnly = q.eligibleOnly ?? true;
        return { adverts: eligibleOnly ? judged.filter((a) => a.eligibility.eligible !== false) : judged };
      },
    );

    app.get(
      '/adverts/:id',
      {
        schema: {
          tags: [TAG],
          summary:
            'Une annonce ; pour un demandeur connecté, son éligibilité (avec la raison) et sa chance : son rang parmi les candidats et « forte / moyenne / faible »',
          params: idParams,
          response: { 200: advertSchema, 404: errorSchema },
        },
      },
      async (request) => {
        const user = request.auth?.user;
        const advert = await advertOr404(request.params.id, user);
        if (user?.role !== 'applicant' || !user.sneNumber) return advert;
        const demand = await demandOf(db, user.sneNumber);
        if (!demand) return advert;
        const mine = (await applicationsOf(db, user.sneNumber)).find(
          (a) => a.advertId === advert.id && a.status !== 'withdrawn',
        );
        const chance =
          advert.status === 'published' ? await chanceFor(advert.epci, advert.id, user.sneNumber) : null;
        return {
          ...advert,
          eligibility: judge(demand, advert, today()),
          ...(chance ? { chance } : {}),
          myApplicationId: mine?.id ?? null,
        };
      },
    );

    app.post(
      '/adverts',
      {
        schema: {
          tags: [TAG],
          summary:
            'Crée l’annonce d’un logement vacant de votre bailleur (brouillon, ou publiée avec publish=true) dans un cycle ouvert',
          body: advertText.extend({
            homeId: z.string().trim().min(1).max(100),
            cycleId: z.string().uuid('identifiant de cycle invalide'),
            publish: z.boolean().default(false),
          }),
          response: {
            201: advertSchema,
            400: errorSchema,
            401: errorSchema,
            403: errorSchema,
            404: errorSchema,
            409: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const { user } = requireRole(request, 'landlord-agent');
        const body = request.body;
        const problems = advertTextProblems({
          description: body.description,
          energyLabel: body.energyLabel as never,
        });
        if (problems.length) return reply.status(400).send({ error: 'annonce invalide', details: problems });
        const id = await db.transaction(async (tx) => {
          const home = await homeForAdvert(tx, body.homeId);
          if (!home) throw new HttpError(404, `logement ${body.homeId} inconnu`);
          if (home.landlordId !== user.landlordId)
            throw new HttpError(403, 'ce logement n’appartient pas à votre bailleur');
          if (!home.vacant)
            throw new HttpError(409, 'ce logement est occupé : seul un logement vacant peut être proposé');
          if (home.liveAdvert) throw new HttpError(409, 'ce logement a déjà une annonce en cours');
          const cycle = await getCycle(tx, body.cycleId);
          if (!cycle) throw new HttpError(404, 'cycle introuvable');
          if (cycle.epci !== home.epci || (cycle.landlordId !== null && cycle.landlordId !== home.landlordId))
            throw new HttpError(
              403,
              'ce cycle n’est ni celui de votre bailleur ni celui de l’EPCI du logement',
            );
          if (cycle.status !== 'open') throw new HttpError(409, 'ce cycle est clos');
          const created = await createAdvert(tx, {
            epci: home.epci,
            homeId: home.id,
            landlordId: home.landlordId,
            cycleId: cycle.id,
            description: body.description,
            energyLabel: body.energyLabel,
            publish: body.publish,
            createdBy: user.id,
          });
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: body.publish ? 'advert.publish' : 'advert.create',
            entity: 'advert',
            entityId: created,
            epciCode: home.epci,
            details: { homeId: home.id, cycleId: cycle.id },
          });
          return created;
        });
        return reply.status(201).send((await getAdvert(db, id))!);
      },
    );

    app.patch(
      '/adverts/:id',
      {
        schema: {
          tags: [TAG],
          summary:
            'Modifie ou publie une annonce de votre bailleur ; impossible dès qu’une candidature existe (il reste à la retirer avec un motif)',
          params: idParams,
          body: advertText.partial().extend({
            cycleId: z.string().uuid().optional(),
            publish: z.literal(true).optional(),
          }),
          response: {
            200: advertSchema,
            400: errorSchema,
            401: errorSchema,
            403: errorSchema,
            404: errorSchema,
            409: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const { user } = requireRole(request, 'landlord-agent');
        const advert = await advertOr404(request.params.id, user);
        if (advert.landlordId !== user.landlordId)
          throw new HttpError(403, 'cette annonce n’est pas celle de votre bailleur');
        const body = request.body;
        const problems = advertTextProblems({
          description: body.description ?? advert.description,
          energyLabel: (body.energyLabel === undefined ? advert.energyLabel : body.energyLabel) as never,
        });
        if (problems.length) return reply.status(400).send({ error: 'annonce invalide', details: problems });
        await db.transaction(async (tx) => {
          const locked = (await lockAdvert(tx, advert.id))!;
          if (!advertEditable(locked.status, locked.applicationsEver))
            throw new HttpError(
              409,
              locked.applicationsEver > 0
                ? 'des candidatures existent : l’annonce ne peut plus être modifiée, seulement retirée avec un motif'
                : 'cette annonce est retirée ou close',
            );
          if (body.cycleId) {
            const cycle = await getCycle(tx, body.cycleId);
            if (
              !cycle ||
              cycle.epci !== advert.epci ||
              (cycle.landlordId !== null && cycle.landlordId !== advert.landlordId) ||
              cycle.status !== 'open'
            )
              throw new HttpError(409, 'ce cycle n’est pas un cycle ouvert de votre bailleur ou de l’EPCI');
          }
          const { publish, ...change } = body;
          await updateAdvert(tx, advert.id, { ...change, ...(publish ? { publish: true } : {}) });
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: publish && advert.status === 'draft' ? 'advert.publish' : 'advert.update',
            entity: 'advert',
            entityId: advert.id,
            epciCode: advert.epci,
            details: { fields: Object.keys(body) },
          });
        });
        return (await getAdvert(db, advert.id))!;
      },
    );

    app.post(
      '/adverts/:id/withdraw',
      {
        schema: {
          tags: [TAG],
          summary:
            'Retire une annonce de votre bailleur avec un motif ; ses candidatures actives sont retirées',
          params: idParams,
          body: z.object({
            reason: z.string().trim().min(5, 'motif requis (5 caractères au moins)').max(1000),
          }),
          response: {
            200: advertSchema,
            401: errorSchema,
            403: errorSchema,
            404: errorSchema,
            409: errorSchema,
          },
        },
      },
      async (request) => {
        const { user } = requireRole(request, 'landlord-agent');
        const advert = await advertOr404(request.params.id, user);
        if (advert.landlordId !== user.landlordId)
          throw new HttpError(403, 'cette annonce n’est pas celle de votre bailleur');
        await db.transaction(async (tx) => {
          const locked = (await lockAdvert(tx, advert.id))!;
          if (locked.status !== 'draft' && locked.status !== 'published')
            throw new HttpError(409, 'cette annonce est déjà retirée ou close');
          const withdrawn = await withdrawAdvert(tx, advert.id, request.body.reason, user.id);
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: 'advert.withdraw',
            entity: 'advert',
            entityId: advert.id,
            epciCode: advert.epci,
            details: { reason: request.body.reason, applicationsWithdrawn: withdrawn },
          });
        });
        return (await getAdvert(db, advert.id))!;
      },
    );

    app.get(
      '/adverts/:id/applications',
      {
        schema: {
          tags: [TAG],
          summary:
            'Les candidatures à une annonce, dans l’ordre de la liste (bailleur de l’annonce, analystes de l’EPCI)',
          params: idParams,
          response: {
            200: z.object({
              applications: z.array(applicationSchema.extend({ rank: z.number().nullable() })),
            }),
            401: errorSchema,
            404: errorSchema,
          },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const advert = await advertOr404(request.params.id, user);
        if (!isAgentOf(user, advert)) throw new HttpError(404, 'annonce introuvable');
        const applications = await applicationsOfAdvert(db, advert.id);
        const standings = await activeApplicantsOf(db, advert.epci, advert.id);
        const ranked = applications.map((a) => {
          const me = standings.find((s) => s.sneNumber === a.sneNumber);
          return {
            ...publicApplication(a),
            rank: a.status === 'active' && me ? chanceOf(me, standings, chanceSettings).rank : null,
          };
        });
        return { applications: ranked.sort((x, y) => (x.rank ?? 1e9) - (y.rank ?? 1e9)) };
      },
    );

    app.get(
      '/adverts/:id/shortlist',
      {
        schema: {
          tags: [TAG],
          summary:
            'La liste des candidats construite à la clôture du cycle : éligibles classés par cotation puis ancienneté, non éligibles exclus avec la règle',
          params: idParams,
          response: { 200: shortlistSchema, 401: errorSchema, 404: errorSchema },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const advert = await advertOr404(request.params.id, user);
        if (!isAgentOf(user, advert)) throw new HttpError(404, 'annonce introuvable');
        return { advertId: advert.id, entries: await shortlistOf(db, advert.id) };
      },
    );

    // ── Applications ───────────────────────────────────────────────────────────────────────────
    app.post(
      '/adverts/:id/applications',
      {
        schema: {
          tags: [TAG],
          summary:
            'Candidate à une annonce : le demandeur pour lui-même, ou un agent (bailleur, analyste) pour un demandeur sans accès à internet (sneNumber requis, candidature « assistée »)',
          params: idParams,
          body: z.object({ sneNumber: sneNumber.optional() }).default({}),
          response: {
            201: applicationSchema,
            401: errorSchema,
            403: errorSchema,
            404: errorSchema,
            409: errorSchema,
            422: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const { user } = requireRole(request, 'applicant', 'landlord-agent', 'epci-analyst');
        const assisted = user.role !== 'applicant';
        const sne = assisted ? request.body.sneNumber : user.sneNumber;
        if (!sne) throw new HttpError(400, 'numéro unique (sneNumber) du demandeur requis');
        if (!assisted && request.body.sneNumber !== undefined && request.body.sneNumber !== user.sneNumber)
          throw new HttpError(403, 'vous ne pouvez candidater que pour votre propre demande');
        const advert = await getAdvert(db, request.params.id);
        if (advert?.status !== 'published') throw new HttpError(404, 'annonce introuvable ou non publiée');
        const demand = await demandOf(db, sne);
        if (!demand) throw new HttpError(404, `demande ${sne} inconnue`);
        if (assisted && !(await mayServeEpci(db, user, demand.epci)))
          throw new HttpError(403, 'cette demande relève d’un territoire où vous n’intervenez pas');
        if (demand.epci !== advert.epci)
          throw new HttpError(422, 'cette annonce est hors du territoire de la demande');
        const at = now();
        if (!cycleTakesApplications(advert.cycle, at.toISOString()))
          throw new HttpError(409, 'le cycle de cette annonce ne prend pas de candidatures en ce moment');
        const judged = judge(demand, advert, at.toISOString().slice(0, 10));
        if (judged.eligible === false)
          return reply
            .status(422)
            .send({ error: 'demande non éligible à ce logement', details: judged.reasons });
        const outcome = await db
          .transaction(async (tx) => {
            const result = await insertApplication(tx, {
              epci: advert.epci,
              advertId: advert.id,
              cycleId: advert.cycle.id,
              sneNumber: sne,
              maxActive: advert.cycle.maxActiveApplications,
              assisted,
              createdBy: user.id,
            });
            if (result.ok)
              await appendAudit(tx, {
                actorUserId: user.id,
                actorRole: user.role,
                action: 'application.create',
                entity: 'application',
                entityId: result.id,
                epciCode: advert.epci,
                onBehalfOf: assisted ? sne : null,
                details: { advertId: advert.id, assisted },
              });
            return result;
          })
          .catch((error: { code?: string }) => {
            if (error.code === '23505') return { ok: false as const, reason: 'duplicate' as const };
            throw error;
          });
        if (!outcome.ok) {
          if (outcome.reason === 'limit')
            throw new HttpError(
              409,
              `limite atteinte : ${outcome.max} candidatures actives au plus par cycle (retirez-en une pour candidater ici)`,
            );
          if (outcome.reason === 'duplicate')
            throw new HttpError(409, 'une candidature active existe déjà pour cette annonce');
          if (outcome.reason === 'closed')
            throw new HttpError(409, 'cette annonce ne prend plus de candidatures (retirée, ou cycle clos)');
          throw new HttpError(422, 'la demande n’est plus active');
        }
        const created = (await getApplication(db, outcome.id))!;
        return reply
          .status(201)
          .send({ ...publicApplication(created), chance: await chanceFor(advert.epci, advert.id, sne) });
      },
    );

    app.get(
      '/applications',
      {
        schema: {
          tags: [TAG],
          summary:
            'Les candidatures d’un demandeur et leur statut : les siennes pour un demandeur ; pour un agent, celles de la demande sneNumber (candidature assistée)',
          querystring: z.object({ sneNumber: sneNumber.optional() }),
          response: {
            200: z.object({ applications: z.array(applicationSchema) }),
            401: errorSchema,
            403: errorSchema,
          },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        let sne: string;
        if (user.role === 'applicant') {
          if (request.query.sneNumber && request.query.sneNumber !== user.sneNumber)
            throw new HttpError(403, 'vous ne voyez que vos propres candidatures');
          sne = user.sneNumber!;
        } else {
          if (!['landlord-agent', 'epci-analyst', 'admin'].includes(user.role))
            throw new HttpError(403, 'action non autorisée pour votre rôle');
          if (!request.query.sneNumber) throw new HttpError(400, 'numéro unique (sneNumber) requis');
          sne = request.query.sneNumber;
          const demand = await demandOf(db, sne);
          if (!demand || !(await mayServeEpci(db, user, demand.epci)))
            throw new HttpError(403, 'cette demande relève d’un territoire où vous n’intervenez pas');
        }
        const applications = await applicationsOf(db, sne);
        const withChance = [];
        for (const a of applications)
          withChance.push({
            ...publicApplication(a),
            chance: a.status === 'active' ? await chanceFor(a.epci, a.advertId, sne) : null,
          });
        return { applications: withChance };
      },
    );

    app.get(
      '/applications/:id',
      {
        schema: {
          tags: [TAG],
          summary:
            'Une candidature et son statut (et la chance tant qu’elle est active) : visible du demandeur, du bailleur de l’annonce, des analystes de l’EPCI et de l’agent qui l’a faite ; 404 pour tout autre',
          params: idParams,
          response: { 200: applicationSchema, 401: errorSchema, 404: errorSchema },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const { application } = await applicationOr404(request.params.id, user);
        return {
          ...publicApplication(application),
          chance:
            application.status === 'active'
              ? await chanceFor(application.epci, application.advertId, application.sneNumber)
              : null,
        };
      },
    );

    app.delete(
      '/applications/:id',
      {
        schema: {
          tags: [TAG],
          summary:
            'Retire une candidature active : le demandeur, ou pour lui un agent du bailleur de l’annonce, un analyste de l’EPCI ou l’agent qui l’a faite',
          params: idParams,
          response: {
            200: applicationSchema,
            401: errorSchema,
            403: errorSchema,
            404: errorSchema,
            409: errorSchema,
          },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const { application } = await applicationOr404(request.params.id, user);
        if (user.role === 'admin') throw new HttpError(403, 'action non autorisée pour votre rôle');
        const onBehalf = user.role !== 'applicant';
        await db.transaction(async (tx) => {
          const done = await withdrawApplication(tx, application.id, user.id);
          if (!done) throw new HttpError(409, 'cette candidature n’est plus active');
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: 'application.withdraw',
            entity: 'application',
            entityId: application.id,
            epciCode: application.epci,
            onBehalfOf: onBehalf ? application.sneNumber : null,
            details: { advertId: application.advertId },
          });
        });
        return publicApplication((await getApplication(db, application.id))!);
      },
    );
  };

function publicApplication(a: StoredApplication) {
  return {
    id: a.id,
    advertId: a.advertId,
    cycleId: a.cycleId,
    sneNumber: a.sneNumber,
    status: a.status,
    assisted: a.assisted,
    createdAt: a.createdAt,
    withdrawnAt: a.withdrawnAt,
  };
}
