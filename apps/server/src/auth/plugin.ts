import { type Db, findSession, type Role, type User } from '@mosaique/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { readCookie, SESSION_COOKIE, tokenHash } from './session-cookie.ts';

export interface Auth {
  user: User;
  csrfToken: string;
  tokenHash: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user of this request, or null. */
    auth: Auth | null;
  }
  interface FastifyContextConfig {
    /**
     * false for the few state-changing routes used before a session exists (login, activation):
     * they are checked for a same-origin request instead of a CSRF token.
     */
    csrf?: boolean;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Resolves the session cookie into `request.auth`, and protects every state-changing request
 * against cross-site request forgery: the `x-csrf-token` header must carry the session's token
 * (which a page of another site cannot read), or, before a session exists, the request must come
 * from this site (Origin / Sec-Fetch-Site).
 */
export const authPlugin = fp(async (app: FastifyInstance, options: { db: Db }) => {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!token) return;
    const hash = tokenHash(token);
    const session = await findSession(options.db, hash);
    if (session) request.auth = { ...session, tokenHash: hash };
  });
  app.addHook('preHandler', async (request) => {
    if (!STATE_CHANGING.has(request.method) || !request.url.startsWith('/api/')) return;
    if (request.routeOptions.config.csrf === false) {
      if (!isSameOrigin(request)) throw new HttpError(403, 'requête refusée : elle ne vient pas de ce site');
      return;
    }
    if (!request.auth) throw new HttpError(401, 'connexion requise');
    if (request.headers['x-csrf-token'] !== request.auth.csrfToken) {
      throw new HttpError(403, 'jeton anti-falsification (x-csrf-token) manquant ou invalide');
    }
  });
});

function isSameOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true; // not a browser's cross-site request (curl, tests, same-origin GET-less clients)
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** The signed-in user, or a 401. */
export function requireUser(request: FastifyRequest): Auth {
  if (!request.auth) throw new HttpError(401, 'connexion requise');
  return request.auth;
}

/** The signed-in user if their role is one of `roles`, or a 401/403. */
export function requireRole(request: FastifyRequest, ...roles: Role[]): Auth {
  const auth = requireUser(request);
  if (!roles.includes(auth.user.role)) throw new HttpError(403, 'action non autorisée pour votre rôle');
  return auth;
}
