import {
  appendAudit,
  type Db,
  deleteAlert,
  getAlert,
  getNotification,
  getNotificationAddress,
  getNotificationPreferences,
  listNotifications,
  type StoredAlert,
  type StoredNotification,
  saveAlert,
  setNotificationAddress,
  setNotificationPreferences,
  type User,
} from '@mosaique/db';
import { criteriaProblems, describeCriteria, isEmailAddress } from '@mosaique/domain/notification';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError, requireRole, requireUser } from '../auth/plugin.ts';

/**
 * Notifications: the « E-mails envoyés » mailbox (an account reads the messages addressed to it; an
 * admin reads every message with its recipient), the address messages are sent to, and the
 * applicant's saved search (« M'alerter des nouvelles annonces »). See docs/notifications.md.
 * A message of another account answers 404, as if it did not exist.
 */

const TAG = 'notifications';
const errorSchema = z.object({
  error: z.string(),
  details: z.union([z.array(z.string()), z.string()]).optional(),
});

const KIND_LABELS = {
  'advert-match': 'nouvelle annonce correspondant à votre alerte',
  'cycle-closing': 'clôture prochaine d’un cycle',
  decision: 'décision de la commission d’attribution',
} as const;

const notificationSchema = z.object({
  id: z.string(),
  kind: z.enum(['advert-match', 'cycle-closing', 'decision']),
  kindLabel: z.string(),
  subject: z.string(),
  body: z.string(),
  createdAt: z.string(),
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number(),
  sentAt: z.string().nullable(),
  failedAt: z.string().nullable(),
  /** Admins only: to whom, and the last sending error (cleaned of addresses). */
  recipient: z.object({ name: z.string(), identifier: z.string() }).optional(),
  lastError: z.string().nullable().optional(),
});

const criteriaSchema = z.object({
  communes: z.array(z.string().max(5)).max(100).default([]),
  typologies: z.array(z.number().int()).max(6).default([]),
  maxTotalRentEur: z.number().nullable().default(null),
  accessible: z.boolean().nullable().default(null),
  lift: z.boolean().nullable().default(null),
  maxFloorWithoutLift: z.number().int().nullable().default(null),
});
const alertSchema = criteriaSchema.extend({
  epci: z.string(),
  description: z.string(),
  updatedAt: z.string(),
});

function view(n: StoredNotification, admin: boolean) {
  return {
    id: n.id,
    kind: n.kind,
    kindLabel: KIND_LABELS[n.kind],
    subject: n.subject,
    body: n.body,
    createdAt: n.createdAt,
    status: n.status,
    attempts: n.attempts,
    sentAt: n.sentAt,
    failedAt: n.failedAt,
    ...(admin
      ? { recipient: { name: n.recipientName, identifier: n.recipientIdentifier }, lastError: n.lastError }
      : {}),
  };
}

async function communeNames(db: Db, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.query<{ code: string; name: string }>(
    'SELECT code, name FROM commune WHERE code = ANY($1::text[])',
    [codes],
  );
  return new Map(rows.map((r) => [r.code, r.name]));
}

async function alertView(db: Db, a: StoredAlert) {
  const names = await communeNames(db, a.communes);
  return {
    epci: a.epci,
    communes: [...a.communes],
    typologies: [...a.typologies],
    maxTotalRentEur: a.maxTotalRentEur,
    accessible: a.accessible,
    lift: a.lift,
    maxFloorWithoutLift: a.maxFloorWithoutLift,
    description: describeCriteria(a, (c) => names.get(c) ?? c),
    updatedAt: a.updatedAt,
  };
}

/** The EPCI of an applicant's demand. */
async function epciOfApplicant(db: Db, user: User): Promise<string> {
  const [row] = await db.query<{ epci_code: string }>('SELECT epci_code FROM demand WHERE sne_number = $1', [
    user.sneNumber,
  ]);
  if (!row) throw new HttpError(404, 'demande introuvable');
  return row.epci_code;
}

export interface NotificationRouteOptions {
  /** 'smtp' when the server sends the messages, 'demo' when they stay in the outbox. */
  delivery?: 'smtp' | 'demo';
}

export const notificationRoutes =
  (db: Db, options: NotificationRouteOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const delivery = options.delivery ?? 'demo';

    app.get(
      '/notifications',
      {
        schema: {
          tags: [TAG],
          summary:
            'Les messages envoyés (ou, sans serveur SMTP, mis en file) : à soi-même ; un administrateur les voit tous, avec leur destinataire',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(200).default(50),
            offset: z.coerce.number().int().min(0).default(0),
          }),
          response: {
            200: z.object({
              delivery: z.enum(['smtp', 'demo']),
              total: z.number(),
              notifications: z.array(notificationSchema),
            }),
            401: errorSchema,
          },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const admin = user.role === 'admin';
        const page = await listNotifications(db, {
          userId: admin ? null : user.id,
          limit: request.query.limit,
          offset: request.query.offset,
        });
        return { delivery, total: page.total, notifications: page.notifications.map((n) => view(n, admin)) };
      },
    );

    app.get(
      '/notifications/:id',
      {
        schema: {
          tags: [TAG],
          summary: 'Un message : son destinataire, ou un administrateur ; 404 pour tout autre',
          params: z.object({ id: z.string().uuid('identifiant invalide') }),
          response: { 200: notificationSchema, 401: errorSchema, 404: errorSchema },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const n = await getNotification(db, request.params.id);
        const admin = user.role === 'admin';
        if (!n || (!admin && n.userId !== user.id)) throw new HttpError(404, 'message introuvable');
        return view(n, admin);
      },
    );

    app.get(
      '/notifications/address',
      {
        schema: {
          tags: [TAG],
          summary: 'L’adresse électronique où vos messages sont envoyés (la vôtre seulement)',
          response: { 200: z.object({ email: z.string().nullable() }), 401: errorSchema },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const own = await getNotificationAddress(db, user.id);
        return { email: own ?? (isEmailAddress(user.identifier) ? user.identifier : null) };
      },
    );

    app.put(
      '/notifications/address',
      {
        schema: {
          tags: [TAG],
          summary: 'Enregistre (ou, avec null, efface) l’adresse électronique où vos messages sont envoyés',
          body: z.object({ email: z.string().trim().max(254).nullable() }),
          response: { 200: z.object({ email: z.string().nullable() }), 400: errorSchema, 401: errorSchema },
        },
      },
      async (request, reply) => {
        const { user } = requireUser(request);
        const email = request.body.email === '' ? null : request.body.email;
        if (email !== null && !isEmailAddress(email))
          return reply.status(400).send({
            error: 'adresse invalide',
            details: ['adresse électronique : une adresse de la forme nom@domaine.fr est attendue'],
          });
        await db.transaction(async (tx) => {
          await setNotificationAddress(tx, user.id, email);
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: email === null ? 'notification-address.delete' : 'notification-address.set',
            entity: 'app-user',
            entityId: user.id,
          });
        });
        return { email };
      },
    );

    const preferencesSchema = z.object({
      cycleReminders: z.boolean({ error: 'cycleReminders : vrai ou faux attendu' }),
    });

    app.get(
      '/notifications/preferences',
      {
        schema: {
          tags: [TAG],
          summary:
            'Ce que vous choisissez de recevoir : les rappels de clôture de cycle (48 h avant) ; les décisions de commission sont toujours envoyées, les nouvelles annonces suivent votre alerte',
          response: { 200: preferencesSchema, 401: errorSchema },
        },
      },
      async (request) => getNotificationPreferences(db, requireUser(request).user.id),
    );

    app.put(
      '/notifications/preferences',
      {
        schema: {
          tags: [TAG],
          summary: 'Enregistre ce que vous choisissez de recevoir',
          body: preferencesSchema,
          response: { 200: preferencesSchema, 400: errorSchema, 401: errorSchema },
        },
      },
      async (request) => {
        const { user } = requireUser(request);
        const preferences = { cycleReminders: request.body.cycleReminders };
        await db.transaction(async (tx) => {
          await setNotificationPreferences(tx, user.id, preferences);
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: 'notification-preference.set',
            entity: 'app-user',
            entityId: user.id,
            details: preferences,
          });
        });
        return preferences;
      },
    );

    app.get(
      '/advert-alert',
      {
        schema: {
          tags: [TAG],
          summary: 'Votre alerte « nouvelles annonces » (demandeurs), ou null',
          response: {
            200: z.object({ alert: alertSchema.nullable() }),
            401: errorSchema,
            403: errorSchema,
          },
        },
      },
      async (request) => {
        const { user } = requireRole(request, 'applicant');
        const alert = await getAlert(db, user.id);
        return { alert: alert ? await alertView(db, alert) : null };
      },
    );

    app.put(
      '/advert-alert',
      {
        schema: {
          tags: [TAG],
          summary:
            'Enregistre votre alerte avec les filtres de GET /adverts : chaque nouvelle annonce qui y correspond et à laquelle vous êtes éligible vous est signalée',
          body: criteriaSchema,
          response: {
            200: z.object({ alert: alertSchema }),
            400: errorSchema,
            401: errorSchema,
            403: errorSchema,
            404: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const { user } = requireRole(request, 'applicant');
        const criteria = request.body;
        const problems = criteriaProblems(criteria);
        if (problems.length) return reply.status(400).send({ error: 'alerte invalide', details: problems });
        const epci = await epciOfApplicant(db, user);
        const saved = await db.transaction(async (tx) => {
          const stored = await saveAlert(tx, user.id, epci, criteria);
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: 'advert-alert.save',
            entity: 'app-user',
            entityId: user.id,
            epciCode: epci,
            details: { criteria },
          });
          return stored;
        });
        return { alert: await alertView(db, saved) };
      },
    );

    app.delete(
      '/advert-alert',
      {
        schema: {
          tags: [TAG],
          summary: 'Supprime votre alerte',
          response: { 204: z.null(), 401: errorSchema, 403: errorSchema, 404: errorSchema },
        },
      },
      async (request, reply) => {
        const { user } = requireRole(request, 'applicant');
        await db.transaction(async (tx) => {
          if (!(await deleteAlert(tx, user.id))) throw new HttpError(404, 'aucune alerte enregistrée');
          await appendAudit(tx, {
            actorUserId: user.id,
            actorRole: user.role,
            action: 'advert-alert.delete',
            entity: 'app-user',
            entityId: user.id,
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
