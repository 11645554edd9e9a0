import { randomInt } from 'node:crypto';
import {
  appendAudit,
  consumeActivationCode,
  createActivationCode,
  createSession,
  createUser,
  type Db,
  deleteSession,
  findUserByIdentifier,
  recordLoginFailure,
  recordLoginSuccess,
  setPassword,
  type User,
} from '@mosaique/db';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DUMMY_HASH, hashPassword, passwordWeakness, verifyPassword } from '../auth/passwords.ts';
import { HttpError, requireRole, requireUser } from '../auth/plugin.ts';
import { newToken, SESSION_HOURS, sessionCookie, tokenHash } from '../auth/session-cookie.ts';

export interface AuthRouteOptions {
  db: Db;
  /** Secure flag of the session cookie (false only for plain-HTTP testing on a network). */
  secureCookies: boolean;
  /** Logins per minute and client address (default 10). */
  loginPerMinute?: number;
}

/** Failed logins in a row before the account is locked, and for how long. */
const MAX_FAILURES = 10;
const LOCK_MINUTES = 15;
const ACTIVATION_CODE_DAYS = 14;

const userSchema = z.object({
  id: z.string(),
  identifier: z.string(),
  displayName: z.string(),
  role: z.enum([
    'applicant',
    'landlord-agent',
    'reservation-holder-agent',
    'epci-analyst',
    'relocation-officer',
    'admin',
  ]),
  landlordId: z.string().nullable(),
  reservationHolderId: z.string().nullable(),
  epciCode: z.string().nullable(),
  sneNumber: z.string().nullable(),
});
const sessionSchema = z.object({ user: userSchema, csrfToken: z.string() });
const errorSchema = z.object({ error: z.string() });

export const authRoutes =
  (options: AuthRouteOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = options;

    /** Opens a session for `user`: a random token in an HttpOnly cookie, its hash in the database. */
    async function openSession(reply: FastifyReply, user: User) {
      const token = newToken();
      const csrfToken = newToken();
      await createSession(db, {
        tokenHash: tokenHash(token),
        userId: user.id,
        csrfToken,
        expiresAt: new Date(Date.now() + SESSION_HOURS * 3600_000),
      });
      reply.header('set-cookie', sessionCookie(token, SESSION_HOURS * 3600, options.secureCookies));
      return { user, csrfToken };
    }

    app.post(
      '/auth/login',
      {
        config: { csrf: false, rateLimit: { max: options.loginPerMinute ?? 10, timeWindow: '1 minute' } },
        schema: {
          tags: ['comptes'],
          summary: 'Connexion : ouvre une session (cookie HttpOnly) et renvoie le jeton anti-falsification',
          body: z.object({
            identifier: z.string().trim().min(1).max(200),
            password: z.string().min(1).max(500),
          }),
          response: { 200: sessionSchema, 401: errorSchema, 423: errorSchema },
        },
      },
      async (request, reply) => {
        const { identifier, password } = request.body;
        const found = await findUserByIdentifier(db, identifier);
        // Verify even when the account does not exist, so the answer time does not reveal accounts.
        const ok = await verifyPassword(found?.passwordHash ?? DUMMY_HASH, password);
        if (found?.lockedUntil && found.lockedUntil > new Date()) {
          throw new HttpError(423, 'compte verrouillé après trop d’essais : réessayez dans quelques minutes');
        }
        if (!found?.passwordHash || !ok) {
          if (found) await recordLoginFailure(db, found.id, MAX_FAILURES, LOCK_MINUTES);
          await appendAudit(db, {
            actorUserId: found?.id ?? null,
            actorRole: found?.role ?? null,
            action: 'auth.login-failed',
          });
          throw new HttpError(401, 'identifiant ou mot de passe incorrect');
        }
        const { passwordHash: _h, failedLogins: _f, lockedUntil: _l, ...user } = found;
        await recordLoginSuccess(db, user.id);
        await appendAudit(db, { actorUserId: user.id, actorRole: user.role, action: 'auth.login' });
        return openSession(reply, user);
      },
    );

    app.post(
      '/auth/logout',
      {
        schema: {
          tags: ['comptes'],
          summary: 'Déconnexion : ferme la session',
          response: { 204: z.null(), 401: errorSchema, 403: errorSchema },
        },
      },
      async (request, reply) => {
        const auth = requireUser(request);
        await deleteSession(db, auth.tokenHash);
        await appendAudit(db, {
          actorUserId: auth.user.id,
          actorRole: auth.user.role,
          action: 'auth.logout',
        });
        reply.header('set-cookie', sessionCookie('', 0, options.secureCookies));
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/auth/session',
      {
        schema: {
          tags: ['comptes'],
          summary:
            'La session en cours : utilisateur et jeton anti-falsification ; sans session (ou expirée), user et csrfToken valent null',
          response: {
            200: z.object({ user: userSchema.nullable(), csrfToken: z.string().nullable() }),
          },
        },
      },
      // Not an error without a session: the pages ask on every load whether someone is signed in,
      // and a 401 there would be logged as an error in every visitor's browser console.
      async (request) => {
        const auth = request.auth;
        return auth ? { user: auth.user, csrfToken: auth.csrfToken } : { user: null, csrfToken: null };
      },
    );

    app.post(
      '/activation-codes',
      {
        schema: {
          tags: ['comptes'],
          summary:
            'Crée un code à usage unique avec lequel un demandeur active son compte (à lui transmettre ; affiché ici dans la démonstration)',
          body: z.object({ sneNumber: z.string().trim().min(1).max(40) }),
          response: {
            201: z.object({ sneNumber: z.string(), code: z.string(), expiresAt: z.string() }),
            401: errorSchema,
            403: errorSchema,
            404: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const auth = requireRole(request, 'landlord-agent', 'epci-analyst', 'admin');
        const { sneNumber } = request.body;
        const [demand] = await db.query<{ epci_code: string }>(
          'SELECT epci_code FROM demand WHERE sne_number = $1',
          [sneNumber],
        );
        if (!demand) throw new HttpError(404, `demande ${sneNumber} inconnue`);
        if (!(await mayServeEpci(db, auth.user, demand.epci_code))) {
          throw new HttpError(403, 'cette demande relève d’un territoire où vous n’intervenez pas');
        }
        // 10 digits in groups, easy to read out on the phone; stored hashed, valid 14 days, once.
        const code = String(randomInt(0, 10 ** 10)).padStart(10, '0');
        const expiresAt = new Date(Date.now() + ACTIVATION_CODE_DAYS * 86_400_000);
        await db.transaction(async (tx) => {
          await createActivationCode(tx, {
            sneNumber,
            codeHash: tokenHash(code),
            createdBy: auth.user.id,
            expiresAt,
          });
          await appendAudit(tx, {
            actorUserId: auth.user.id,
            actorRole: auth.user.role,
            action: 'activation-code.create',
            entity: 'demand',
            entityId: sneNumber,
            epciCode: demand.epci_code,
          });
        });
        return reply.status(201).send({ sneNumber, code, expiresAt: expiresAt.toISOString() });
      },
    );

    app.post(
      '/auth/activate',
      {
        config: { csrf: false, rateLimit: { max: options.loginPerMinute ?? 10, timeWindow: '1 minute' } },
        schema: {
          tags: ['comptes'],
          summary:
            'Activation du compte d’un demandeur avec son numéro unique et le code reçu ; ouvre une session',
          body: z.object({
            sneNumber: z.string().trim().min(1).max(40),
            code: z
              .string()
              .trim()
              .transform((c) => c.replaceAll(/\s/g, '')),
            password: z.string().max(500),
          }),
          response: { 200: sessionSchema, 400: errorSchema, 401: errorSchema },
        },
      },
      async (request, reply) => {
        const { sneNumber, code, password } = request.body;
        const weakness = passwordWeakness(password);
        if (weakness) throw new HttpError(400, weakness);
        const passwordHash = await hashPassword(password);
        const user = await db.transaction(async (tx) => {
          if (!(await consumeActivationCode(tx, sneNumber, tokenHash(code)))) return null;
          const existing = await findUserByIdentifier(tx, sneNumber);
          let account: User;
          if (existing) {
            await setPassword(tx, existing.id, passwordHash);
            const { passwordHash: _h, failedLogins: _f, lockedUntil: _l, ...rest } = existing;
            account = rest;
          } else {
            const [demand] = await tx.query<{ epci_code: string }>(
              'SELECT epci_code FROM demand WHERE sne_number = $1',
              [sneNumber],
            );
            account = await createUser(tx, {
              identifier: sneNumber,
              displayName: `Demande ${sneNumber}`,
              role: 'applicant',
              landlordId: null,
              reservationHolderId: null,
              epciCode: demand?.epci_code ?? null,
              sneNumber,
              passwordHash,
            });
          }
          await appendAudit(tx, {
            actorUserId: account.id,
            actorRole: 'applicant',
            action: 'auth.activate',
            entity: 'demand',
            entityId: sneNumber,
          });
          return account;
        });
        if (!user)
          throw new HttpError(401, 'numéro unique ou code d’activation incorrect, expiré ou déjà utilisé');
        return openSession(reply, user);
      },
    );
  };

/** Whether an agent or analyst acts on the territory of `epci` (admins everywhere). */
export async function mayServeEpci(db: Db, user: User, epci: string): Promise<boolean> {
  if (user.role === 'admin') return true;
  if (user.role === 'epci-analyst') return user.epciCode === epci;
  if (user.role === 'landlord-agent') {
    const rows = await db.query('SELECT 1 FROM residence WHERE landlord_id = $1 AND epci_code = $2 LIMIT 1', [
      user.landlordId,
      epci,
    ]);
    return rows.length > 0;
  }
  return false;
}
