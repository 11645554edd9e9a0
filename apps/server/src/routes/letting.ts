import zlib from 'node:zlib';
import {
  type AdvertFilters,
  type AdvertView,
  type ApplicantStanding,
  activeApplicantsOf,
  activeApplicantsOfAdverts,
  advertActivity,
  advertCommunes,
  advertPhotoIds,
  advertPhotoImage,
  advertPlaces,
  appendAudit,
  applicationsOf,
  applicationsOfAdvert,
  createAdvert,
  createCycle,
  type Db,
  deleteAdvertPhoto,
  epciNamed,
  epcisOfLandlord,
  getAdvert,
  getApplication,
  getCycle,
  homeForAdvert,
  insertAdvertPhoto,
  insertApplication,
  listAdverts,
  listCycles,
  loadDemands,
  lockAdvert,
  ownApplicationsOn,
  reorderAdvertPhotos,
  type StoredApplication,
  shortlistOf,
  standingOf,
  type User,
  updateAdvert,
  vacantHomes,
  withdrawAdvert,
  withdrawApplication,
} from '@mosaique/db';
import type { Demand } from '@mosaique/domain/demand';
import { type EligibilityHome, eligibility } from '@mosaique/domain/eligibility';
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
  PHOTO_MAX_BYTES,
  PHOTO_MAX_PER_ADVERT,
  photoAltProblems,
} from '@mosaique/domain/letting';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError, requireRole, requireUser } from '../auth/plugin.ts';
import { closeCycle } from '../letting/close-cycles.ts';
import { processPhoto } from '../letting/photos.ts';
import { advertKey, keyedByAdvert, NO_CACHE, type ReadCache, userKey } from '../letting/read-cache.ts';
import { notifyAdvertPublished } from '../notifications/queue.ts';
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
/** The `response` entries of the error statuses a route may answer. */
const errorResponses = <C extends number>(...codes: C[]) =>
  Object.fromEntries(codes.map((code) => [code, errorSchema])) as Record<C, typeof errorSchema>;
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

/** The advert search's filters, shared by the list (GET /adverts) and the map (GET /advert-places). */
const advertFilterQuery = z.object({
  epci: z
    .string()
    .regex(/^\d{9}$/)
    .optional(),
  communes: csv(z.string().regex(/^[0-9][0-9AB][0-9]{3}$/, 'code INSEE de commune attendu')).optional(),
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
});
type AdvertFilterQuery = z.infer<typeof advertFilterQuery>;

/** What a user may see besides published adverts, and the filters of the query (no page). */
function advertFilters(user: User | undefined, q: AdvertFilterQuery, demand: Demand | null): AdvertFilters {
  return {
    epci: q.epci ?? demand?.epci,
    statuses: q.status ?? ['published'],
    alsoVisible:
      user?.role === 'admin'
        ? { all: true }
        : {
            landlordId: user?.role === 'landlord-agent' ? user.landlordId : null,
            reservationHolderId: user?.role === 'reservation-holder-agent' ? user.reservationHolderId : null,
            epci: user?.role === 'epci-analyst' ? user.epciCode : null,
          },
    communes: q.communes,
    typologies: q.typologies,
    maxTotalRentEur: q.maxTotalRentEur,
    accessible: q.accessible,
    lift: q.lift,
    maxFloorWithoutLift: q.maxFloorWithoutLift,
    cycleId: q.cycleId,
  };
}

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
/** The cycle as an advert shows it. */
const advertCycleSchema = cycleSchema.pick({
  id: true,
  name: true,
  opensAt: true,
  closesAt: true,
  status: true,
  maxActiveApplications: true,
});
const advertSchema = z.object({
  id: z.string(),
  epci: z.string(),
  landlordId: z.string(),
  landlordName: z.string(),
  cycle: advertCycleSchema,
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
    iris: z.string(),
    qpv: z.string().nullable(),
    reservationHolderId: z.string(),
    reservationHolderName: z.string(),
  }),
  activeApplications: z.number(),
  applicationsEver: z.number(),
  /** In display order; images at /adverts/{id}/photos/{photoId}/{large|thumb}. */
  photos: z.array(
    z.object({
      id: z.string(),
      altText: z.string(),
      width: z.number(),
      height: z.number(),
      thumbnailWidth: z.number(),
      thumbnailHeight: z.number(),
    }),
  ),
  /** For a signed-in applicant only. */
  eligibility: z
    .object({
      eligible: z.boolean().nullable(),
      label: z.enum(['éligible', 'à vérifier', 'non éligible']),
      reasons: z.array(z.string()),
      /** Every rule checked: on the advert alone (GET /adverts/{id}); the list gives the reasons only. */
      checks: z.array(checkSchema).optional(),
    })
    .optional(),
  chance: chanceSchema.optional(),
  myApplicationId: z.string().nullable().optional(),
  /** The applicant's own application to the advert (not withdrawn), or null. */
  myApplication: z
    .object({ id: z.string(), status: z.enum(['active', 'withdrawn', 'shortlisted', 'excluded']) })
    .nullable()
    .optional(),
});
const advertSummarySchema = z.object({
  id: z.string(),
  status: z.enum(['draft', 'published', 'withdrawn', 'closed']),
  withdrawnReason: z.string().nullable(),
  landlordName: z.string(),
  cycle: advertCycleSchema,
  home: z.object({
    id: z.string(),
    typology: z.number(),
    surfaceM2: z.number(),
    floor: z.number(),
    lift: z.boolean(),
    rentEur: z.number(),
    chargesEur: z.number(),
    commune: z.string(),
    communeName: z.string(),
    residenceName: z.string(),
  }),
});
const vacantHomeSchema = z.object({
  id: z.string(),
  epci: z.string(),
  landlordId: z.string(),
  landlordName: z.string(),
  typology: z.number(),
  surfaceM2: z.number(),
  floor: z.number(),
  lift: z.boolean(),
  accessible: z.boolean(),
  financing: z.string(),
  rentEur: z.number(),
  chargesEur: z.number(),
  residenceName: z.string(),
  commune: z.string(),
  communeName: z.string(),
  qpv: z.string().nullable(),
});
const photoParams = z.object({
  id: z.string().uuid('identifiant invalide'),
  photoId: z.string().uuid('identifiant de photo invalide'),
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
  /** What was applied to, also once the advert is withdrawn or closed. */
  advert: advertSummarySchema,
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
  /** Cache of the advert search's reads, emptied by every write (none by default). */
  readCache?: ReadCache;
}

const isAgentOf = (user: User, advert: { landlordId: string; epci: string }) =>
  user.role === 'admin' ||
  (user.role === 'landlord-agent' && user.landlordId === advert.landlordId) ||
  (user.role === 'epci-analyst' && user.epciCode === advert.epci);

function seesAdvert(
  user: User | undefined,
  advert: Pick<AdvertView, 'status' | 'landlordId' | 'epci'> & { home: { reservationHolderId: string } },
): boolean {
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

function judge(demand: Demand, advert: { home: EligibilityHome }, date: string) {
  const result = eligibility(demand, advert.home, date);
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

type Verdict = Omit<ReturnType<typeof judge>, 'checks'>;

export const lettingRoutes =
  (db: Db, options: LettingRouteOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const chanceSettings = options.chance ?? DEFAULT_CHANCE_SETTINGS;
    const now = options.now ?? (() => new Date());
    const cache = options.readCache ?? NO_CACHE;
    const today = () => now().toISOString().slice(0, 10);

    /** A signed-in applicant's demand (cached), null for anyone else. */
    async function signedInDemand(user: User | undefined): Promise<Demand | null> {
      const sne = user?.role === 'applicant' ? user.sneNumber : null;
      return sne ? cache.get(userKey(sne, 'demand'), () => demandOf(db, sne)) : null;
    }

    /**
     * The applicant's eligibility to adverts, each judged once while their demand and the advert's
     * home are unchanged (any write that could change either empties this memo).
     */
    async function verdictsOf(
      demand: Demand,
    ): Promise<(advert: { id: string; home: EligibilityHome }) => Verdict> {
      const date = today();
      const seen = await cache.get(
        userKey(demand.sneNumber, `eligibility:${date}`),
        async () => new Map<string, Verdict>(),
      );
      return (advert) => {
        let verdict = seen.get(advert.id);
        if (!verdict) {
          const { checks: _checks, ...judged } = judge(demand, advert, date);
          verdict = judged;
          seen.set(advert.id, verdict);
        }
        return verdict;
      };
    }

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

    /** The advert if the user is an agent of its landlord (else 404 or 403). */
    async function ownAdvert(user: User, advertId: string) {
      const advert = await advertOr404(advertId, user);
      if (user.role !== 'landlord-agent' || advert.landlordId !== user.landlordId)
        throw new HttpError(403, 'cette annonce n’est pas celle de votre bailleur');
      return advert;
    }

    /**
     * In the transaction: locks the advert and checks that it may still change (no application yet);
     * `frozen` says, once someone has applied, what may no longer change.
     */
    async function lockEditable(tx: Db, advertId: string, frozen: string): Promise<void> {
      const locked = (await lockAdvert(tx, advertId))!;
      if (!advertEditable(locked.status, locked.applicationsEver))
        throw new HttpError(
          409,
          locked.applicationsEver > 0
            ? `des candidatures existent : ${frozen}`
            : 'cette annonce est retirée ou close',
        );
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
          summary:
            'Les cycles de location choisie d’un EPCI (publics). Sans epci : ceux des EPCI où l’agent intervient (agent de bailleur : les EPCI où son bailleur a des logements ; analyste : son EPCI), listés dans epcis',
          querystring: z.object({
            epci: z
              .string()
              .regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu')
              .optional(),
          }),
          response: {
            200: z.object({
              cycles: z.array(cycleSchema),
              /** The EPCIs of the answer: the user's own territories when epci is omitted. */
              epcis: z.array(z.object({ code: z.string(), name: z.string() })),
            }),
            400: errorSchema,
          },
        },
      },
      async (request) => {
        const user = request.auth?.user;
        const asked = request.query.epci;
        let epcis: { code: string; name: string }[];
        if (user?.role === 'landlord-agent' && user.landlordId) {
          const own = await epcisOfLandlord(db, user.landlordId);
          epcis = asked ? own.filter((e) => e.code === asked) : own;
          if (asked && epcis.length === 0) {
            const named = await epciNamed(db, asked);
            epcis = named ? [named] : [];
          }
        } else {
          const code = asked ?? (user?.role === 'epci-analyst' ? user.epciCode : null);
          if (!code) throw new HttpError(400, 'paramètre epci requis (code SIREN de 9 chiffres de l’EPCI)');
          const named = await epciNamed(db, code);
          epcis = named ? [named] : [];
        }
        return { cycles: await listCycles(db, asked ? [asked] : epcis.map((e) => e.code)), epcis };
      },
    );

    app.get(
      '/vacant-homes',
      {
        schema: {
          tags: [TAG],
          summary:
            'Les logements vacants sans annonce en cours, que l’on peut publier : agent de bailleur, ceux de son bailleur ; analyste, ceux de son EPCI ; administrateur, tous',
          querystring: z.object({
            landlordId: z.string().trim().min(1).max(100).optional(),
            epci: z
              .string()
              .regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu')
              .optional(),
          }),
          response: {
            200: z.object({ homes: z.array(vacantHomeSchema) }),
            401: errorSchema,
            403: errorSchema,
          },
        },
      },
      async (request) => {
        const { user } = requireRole(request, 'landlord-agent', 'epci-analyst', 'admin');
        const q = request.query;
        if (user.role === 'landlord-agent') {
          if (q.landlordId && q.landlordId !== user.landlordId)
            throw new HttpError(403, 'vous ne voyez que les logements de votre bailleur');
          return { homes: await vacantHomes(db, { landlordId: user.landlordId, epci: q.epci ?? null }) };
        }
        if (user.role === 'epci-analyst') {
          if (!user.epciCode || (q.epci && q.epci !== user.epciCode))
            throw new HttpError(403, 'vous ne voyez que les logements de votre EPCI');
          return {
            homes: await vacantHomes(db, { landlordId: q.landlordId ?? null, epci: user.epciCode }),
          };
        }
        return { homes: await vacantHomes(db, { landlordId: q.landlordId ?? null, epci: q.epci ?? null }) };
      },
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
        // The busiest answer: brotli at its fastest level (≈ 1 ms instead of ≈ 5 ms for 50 adverts at
        // level 4, for a few per cent more bytes), so that compressing does not hold the event loop.
        compress: {
          encodings: ['br', 'gzip'],
          brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } },
          zlibOptions: { level: 1 },
        },
        // The answer is built here from typed rows (AdvertView, no other key): it is written as is,
        // without re-checking every advert against the zod schema (which documents it).
        serializerCompiler: () => (data) => JSON.stringify(data),
        schema: {
          tags: [TAG],
          summary:
            'Les annonces, avec filtres. Un demandeur connecté ne voit par défaut que celles auxquelles il est éligible (eligibleOnly=false : toutes, avec la raison) ; les agents voient aussi les annonces non publiées qui les concernent',
          querystring: advertFilterQuery.extend({
            limit: z.coerce.number().int().min(1).max(200).default(50),
            offset: z.coerce.number().int().min(0).max(100_000).default(0),
          }),
          response: {
            200: z.object({
              adverts: z.array(advertSchema),
              /** The offset of the next page, or null when this one is the last. */
              nextOffset: z.number().nullable(),
            }),
            400: errorSchema,
          },
        },
      },
      async (request) => {
        const user = request.auth?.user;
        const q = request.query;
        const demand = await signedInDemand(user);
        // One row more than the page: whether another page follows (a full last page has none).
        const filters: AdvertFilters = {
          ...advertFilters(user, q, demand),
          limit: q.limit + 1,
          offset: q.offset,
        };
        const read = await cache.get(`adverts:${JSON.stringify(filters)}`, () => listAdverts(db, filters));
        const page = read.slice(0, q.limit);
        // The application counts change with every application: kept by advert, so that applying
        // empties only the entries of the advert applied to (read-cache.ts), not every search.
        const activity = await cache.getMany(
          page.map((a) => advertKey(a.id, 'activity')),
          async (keys) => keyedByAdvert(keys, 'activity', (ids) => advertActivity(db, ids)),
        );
        const adverts = page.map((a) => ({ ...a, ...activity.get(advertKey(a.id, 'activity')) }));
        // Counted before eligibility is judged: the next page starts after the rows read here.
        const nextOffset = read.length > q.limit ? q.offset + q.limit : null;
        const visible = user?.role === 'admin' ? adverts : adverts.filter((a) => seesAdvert(user, a));
        if (!demand) return { adverts: visible, nextOffset };
        const verdict = await verdictsOf(demand);
        const judged = visible.map((a) => ({ ...a, eligibility: verdict(a) }));
        const eligibleOnly = q.eligibleOnly ?? true;
        const listed = eligibleOnly ? judged.filter((a) => a.eligibility.eligible !== false) : judged;
        // Chance and own application for the whole list at once (not one request per advert).
        const open = listed.filter((a) => a.status === 'published').map((a) => a.id);
        const [me, applicants, mine] = await Promise.all([
          cache.get(userKey(demand.sneNumber, 'standing'), () =>
            standingOf(db, demand.epci, demand.sneNumber),
          ),
          // By advert, so that every search shares them.
          cache
            .getMany(
              open.map((id) => advertKey(id, 'applicants')),
              async (keys) =>
                keyedByAdvert(keys, 'applicants', (ids) => activeApplicantsOfAdverts(db, demand.epci, ids)),
            )
            .then((byKey) => new Map(open.map((id) => [id, byKey.get(advertKey(id, 'applicants'))]))),
          // All of the applicant's applications (a few): one entry whatever the page.
          cache.get(userKey(demand.sneNumber, 'applications'), () =>
            ownApplicationsOn(db, demand.sneNumber, null),
          ),
        ]);
        return {
          adverts: listed.map((a) => {
            const others = applicants.get(a.id);
            const own = mine.get(a.id) ?? null;
            return {
              ...a,
              ...(me && others ? { chance: chanceOf(me, others, chanceSettings) } : {}),
              myApplicationId: own?.id ?? null,
              myApplication: own,
            };
          }),
          nextOffset,
        };
      },
    );

    app.get(
      '/advert-communes',
      {
        schema: {
          tags: [TAG],
          summary: 'Les communes qui ont des annonces publiées, avec leur nombre (formulaire de recherche)',
          querystring: z.object({
            epci: z
              .string()
              .regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu')
              .optional(),
          }),
          response: {
            200: z.object({
              communes: z.array(z.object({ code: z.string(), name: z.string(), adverts: z.number() })),
            }),
            400: errorSchema,
          },
        },
      },
      async (request) => ({ communes: await advertCommunes(db, request.query.epci ?? null) }),
    );

    app.get(
      '/advert-places',
      {
        schema: {
          tags: [TAG],
          summary:
            'La carte des annonces : toutes celles qui correspondent aux filtres de GET /adverts (sans pagination), comptées par IRIS ; pour un demandeur connecté, celles auxquelles il est éligible, comme la liste',
          querystring: advertFilterQuery,
          response: {
            200: z.object({
              /** Every advert matching the filters that the user may see. */
              total: z.number(),
              places: z.array(
                z.object({
                  iris: z.string(),
                  commune: z.string(),
                  communeName: z.string(),
                  adverts: z.number(),
                }),
              ),
            }),
            400: errorSchema,
          },
        },
      },
      async (request) => {
        const user = request.auth?.user;
        const demand = await signedInDemand(user);
        const filters = advertFilters(user, request.query, demand);
        const all = await cache.get(`advert-places:${JSON.stringify(filters)}`, () =>
          advertPlaces(db, filters),
        );
        const visible = user?.role === 'admin' ? all : all.filter((a) => seesAdvert(user, a));
        let counted = visible;
        if (demand && (request.query.eligibleOnly ?? true)) {
          const verdict = await verdictsOf(demand);
          counted = visible.filter((a) => verdict(a).eligible !== false);
        }
        const byIris = new Map<
          string,
          { iris: string; commune: string; communeName: string; adverts: number }
        >();
        for (const { home } of counted) {
          const place = byIris.get(home.iris);
          if (place) place.adverts++;
          else
            byIris.set(home.iris, {
              iris: home.iris,
              commune: home.commune,
              communeName: home.communeName,
              adverts: 1,
            });
        }
        const places = [...byIris.values()].sort(
          (a, b) => a.communeName.localeCompare(b.communeName, 'fr') || a.iris.localeCompare(b.iris),
        );
        return { total: counted.length, places };
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
        const mine = (await ownApplicationsOn(db, user.sneNumber, [advert.id])).get(advert.id) ?? null;
        const chance =
          advert.status === 'published' ? await chanceFor(advert.epci, advert.id, user.sneNumber) : null;
        return {
          ...advert,
          eligibility: judge(demand, advert, today()),
          ...(chance ? { chance } : {}),
          myApplicationId: mine?.id ?? null,
          myApplication: mine,
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
          response: { 201: advertSchema, ...errorResponses(400, 401, 403, 404, 409) },
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
          if (body.publish) await notifyAdvertPublished(tx, created, now());
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
          response: { 200: advertSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const { user } = requireRole(request, 'landlord-agent');
        const advert = await ownAdvert(user, request.params.id);
        const body = request.body;
        const problems = advertTextProblems({
          description: body.description ?? advert.description,
          energyLabel: (body.energyLabel === undefined ? advert.energyLabel : body.energyLabel) as never,
        });
        if (problems.length) return reply.status(400).send({ error: 'annonce invalide', details: problems });
        await db.transaction(async (tx) => {
          await lockEditable(
            tx,
            advert.id,
            'l’annonce ne peut plus être modifiée, seulement retirée avec un motif',
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
          if (publish && advert.status === 'draft') await notifyAdvertPublished(tx, advert.id, now());
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
          response: { 200: advertSchema, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request) => {
        const { user } = requireRole(request, 'landlord-agent');
        const advert = await ownAdvert(user, request.params.id);
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

    // ── Photos ─────────────────────────────────────────────────────────────────────────────────
    const photosFrozen = 'les photos de l’annonce ne peuvent plus changer';

    app.post(
      '/adverts/:id/photos',
      {
        bodyLimit: Math.ceil((PHOTO_MAX_BYTES * 4) / 3) + 4096,
        schema: {
          tags: [TAG],
          summary:
            'Ajoute une photo à une annonce de votre bailleur (tant que personne n’a candidaté) : image JPEG, PNG ou WebP encodée en base64 (10 Mo au plus, 200 à 12 000 pixels de côté), texte alternatif obligatoire. Elle est redimensionnée (1 280 et 400 pixels au plus), réencodée en WebP et débarrassée de toutes ses métadonnées (EXIF, position GPS)',
          params: idParams,
          body: z.object({
            altText: z.string().max(1000).optional(),
            imageBase64: z
              .string()
              .min(1, 'image (imageBase64) requise')
              .max(Math.ceil((PHOTO_MAX_BYTES * 4) / 3) + 4, 'la photo (image) dépasse 10 Mo')
              .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'image (imageBase64) : base64 attendu'),
          }),
          response: { 201: advertSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const { user } = requireRole(request, 'landlord-agent');
        // Ownership first: nobody else gets an image decoded.
        const advert = await ownAdvert(user, request.params.id);
        const altProblems = photoAltProblems(request.body.altText);
        if (altProblems.length)
          return reply.status(400).send({ error: 'photo invalide', details: altProblems });
        const processed = await processPhoto(Buffer.from(request.body.imageBase64, 'base64'));
        if (!processed.ok)
          return reply.status(400).send({ error: 'photo invalide', details: processed.problems });
        await db.transaction(async (tx) => {
          await lockEditable(tx, advert.id, photosFrozen);
          const count = (await advertPhotoIds(tx, advert.id)).length;
          if (count >= PHOTO_MAX_PER_ADVERT)
            throw new HttpError(409, `une annonce compte au plus ${PHOTO_MAX_PER_ADVERT} photos`);
          const photoId = await insertAdvertPhoto(tx, {
            advertId: advert.id,
            epci: advert.epci,
            altText: request.body.altText!.trim(),
            ...processed.photo,
            createdBy: user.id,
          });
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: 'advert.photo.add',
            entity: 'advert',
            entityId: advert.id,
            epciCode: advert.epci,
            details: { photoId, width: processed.photo.width, height: processed.photo.height },
          });
        });
        return reply.status(201).send((await getAdvert(db, advert.id))!);
      },
    );

    app.get(
      '/adverts/:id/photos/:photoId/:size',
      {
        schema: {
          tags: [TAG],
          summary:
            'L’image d’une photo d’annonce (large : 1 280 pixels au plus ; thumb : 400 pixels au plus), en WebP, visible de qui voit l’annonce',
          params: photoParams.extend({ size: z.enum(['large', 'thumb']) }),
        },
      },
      async (request, reply) => {
        const user = request.auth?.user;
        const advert = await advertOr404(request.params.id, user);
        const image = await advertPhotoImage(db, advert.id, request.params.photoId, request.params.size);
        if (!image) throw new HttpError(404, 'photo introuvable');
        const etag = `"${request.params.photoId}-${request.params.size}"`;
        // A photo id never changes content; a published advert's photos are public.
        const publicAdvert = advert.status === 'published' || advert.status === 'closed';
        reply
          .header('content-type', image.contentType)
          .header('etag', etag)
          .header('x-content-type-options', 'nosniff')
          .header(
            'cache-control',
            publicAdvert ? 'public, max-age=86400, stale-while-revalidate=604800' : 'private, no-cache',
          );
        if (request.headers['if-none-match'] === etag) return reply.status(304).send();
        return reply.send(Buffer.from(image.bytes));
      },
    );

    app.delete(
      '/adverts/:id/photos/:photoId',
      {
        schema: {
          tags: [TAG],
          summary: 'Retire une photo d’une annonce de votre bailleur (tant que personne n’a candidaté)',
          params: photoParams,
          response: { 200: advertSchema, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request) => {
        const { user } = requireRole(request, 'landlord-agent');
        const a = await ownAdvert(user, request.params.id);
        await db.transaction(async (tx) => {
          await lockEditable(tx, a.id, photosFrozen);
          if (!(await deleteAdvertPhoto(tx, a.id, request.params.photoId)))
            throw new HttpError(404, 'photo introuvable');
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: 'advert.photo.remove',
            entity: 'advert',
            entityId: a.id,
            epciCode: a.epci,
            details: { photoId: request.params.photoId },
          });
        });
        return (await getAdvert(db, a.id))!;
      },
    );

    app.put(
      '/adverts/:id/photos/order',
      {
        schema: {
          tags: [TAG],
          summary:
            'Fixe l’ordre des photos d’une annonce de votre bailleur (toutes, chacune une fois), tant que personne n’a candidaté',
          params: idParams,
          body: z.object({ photoIds: z.array(z.string().uuid()).max(PHOTO_MAX_PER_ADVERT) }),
          response: { 200: advertSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const { user } = requireRole(request, 'landlord-agent');
        const a = await ownAdvert(user, request.params.id);
        await db.transaction(async (tx) => {
          await lockEditable(tx, a.id, photosFrozen);
          const current = await advertPhotoIds(tx, a.id);
          const asked = request.body.photoIds;
          if (
            asked.length !== current.length ||
            new Set(asked).size !== asked.length ||
            asked.some((id) => !current.includes(id))
          )
            throw new HttpError(400, 'photoIds doit donner chaque photo de l’annonce une fois');
          await reorderAdvertPhotos(tx, a.id, asked);
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: 'advert.photo.reorder',
            entity: 'advert',
            entityId: a.id,
            epciCode: a.epci,
            details: { photoIds: asked },
          });
        });
        return (await getAdvert(db, a.id))!;
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
          response: { 201: applicationSchema, ...errorResponses(401, 403, 404, 409, 422) },
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
        request.readCacheScope = { advertIds: [advert.id], sneNumbers: [sne] };
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
        // The chance on every active application at once (one demand: one EPCI).
        const active = applications.filter((a) => a.status === 'active');
        const me = active[0] ? await standingOf(db, active[0].epci, sne) : null;
        const applicants = me
          ? await activeApplicantsOfAdverts(
              db,
              active[0]!.epci,
              active.map((a) => a.advertId),
            )
          : new Map<string, ApplicantStanding[]>();
        return {
          applications: applications.map((a) => ({
            ...publicApplication(a),
            chance:
              me && a.status === 'active'
                ? chanceOf(me, applicants.get(a.advertId) ?? [], chanceSettings)
                : null,
          })),
        };
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
          response: { 200: applicationSchema, ...errorResponses(401, 403, 404, 409) },
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
        request.readCacheScope = { advertIds: [application.advertId], sneNumbers: [application.sneNumber] };
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
    advert: a.advert,
  };
}
