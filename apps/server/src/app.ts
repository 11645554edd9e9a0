import { existsSync } from 'node:fs';
import path from 'node:path';
import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Db } from '@mosaique/db';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { authPlugin } from './auth/plugin.ts';
import type { ReadCache } from './letting/read-cache.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { commissionRoutes } from './routes/commission.ts';
import { cotationRoutes } from './routes/cotation.ts';
import { demandRoutes } from './routes/demands.ts';
import { healthRoutes } from './routes/health.ts';
import { lettingRoutes } from './routes/letting.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { observatoryRoutes } from './routes/observatory.ts';
import { openDataRoutes } from './routes/open-data.ts';
import { relocationRoutes } from './routes/relocation.ts';
import { resultRoutes } from './routes/results.ts';
import { reviewRoutes } from './routes/review.ts';
import { territoryRoutes } from './routes/territories.ts';

export interface AppOptions {
  db: Db;
  /** Folder of the built web app (served at /); none in API-only tests. */
  webRoot?: string | undefined;
  logger?: FastifyServerOptions['logger'];
  /** Requests per minute and client address (default 600). */
  rateLimitPerMinute?: number;
  /** Login and activation attempts per minute and client address (default 10). */
  loginPerMinute?: number;
  /** Secure flag of the session cookie (default true; false only for plain-HTTP testing on a network). */
  secureCookies?: boolean;
  /** 'smtp' when the notifier sends e-mail, 'demo' (default) when messages stay in the outbox. */
  mailDelivery?: 'smtp' | 'demo';
  /** Cache of the advert search's reads (none by default), emptied by every successful write. */
  readCache?: ReadCache;
}

export const WEB_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../web/dist');

/**
 * Structured JSON logs without personal data: requests are logged by method, route and status,
 * never with their query string, body, cookies or authorisation header.
 */
export function loggerOptions(level = process.env.LOG_LEVEL ?? 'info'): FastifyServerOptions['logger'] {
  return {
    level,
    hooks: {
      // A client that goes away mid-answer (a closed tab) is not a server error: log it as debug.
      logMethod(args, method, methodLevel) {
        const [first] = args as unknown[];
        const aborted = first instanceof Error && first.message === 'premature close';
        if (aborted && methodLevel >= 50)
          return (this as { debug: (...a: unknown[]) => void }).debug(...args);
        return method.apply(this, args);
      },
    },
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    serializers: {
      req: (req: { method: string; routeOptions?: { url?: string }; url: string; id: string }) => ({
        id: req.id,
        method: req.method,
        route: req.routeOptions?.url ?? req.url.split('?')[0],
      }),
    },
  };
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // MapLibre draws with WebGL and runs its worker from a blob; images may be data URIs.
        imgSrc: ["'self'", 'data:', 'blob:'],
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, { max: options.rateLimitPerMinute ?? 600, timeWindow: '1 minute' });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'API Mosaïque',
        description:
          'Location choisie, attribution sous objectifs de mixité (CIA) et observatoire de la mixité sociale. ' +
          'Toutes les routes sont sous /api/v1.',
        version: '0.1.0',
        license: { name: 'AGPL-3.0-or-later' },
      },
      tags: [
        { name: 'système', description: 'État du service' },
        { name: 'territoire', description: 'EPCI, communes, IRIS, QPV, établissements scolaires' },
        { name: 'comptes', description: 'Connexion, session, activation des comptes des demandeurs' },
        { name: 'demandes', description: 'Registre des demandes : import, seuil du premier quartile' },
        { name: 'bilan', description: 'Bilan annuel de la convention intercommunale d’attribution' },
        {
          name: 'location choisie',
          description: 'Cycles de location, annonces, candidatures, chances, listes de candidats',
        },
        {
          name: 'cotation',
          description: 'Grilles de cotation, notes des demandes, transparence pour le demandeur',
        },
        {
          name: 'commission',
          description:
            'Commission d’attribution (CALEOL) : séances, proposition du moteur, décisions, baux signés',
        },
        { name: 'tâches', description: 'Avancement des travaux longs' },
        {
          name: 'relogement',
          description:
            'Renouvellement urbain (NPNRU) : opérations, dossiers de relogement, propositions, indicateurs de trajectoire',
        },
        {
          name: 'données ouvertes',
          description:
            'Données publiques agrégées, sans connexion, sous secret statistique (Licence Ouverte 2.0)',
        },
        {
          name: 'notifications',
          description:
            'Messages envoyés (boîte de démonstration), adresse de réception, alertes de nouvelles annonces',
        },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    if (error.validation) {
      return reply.status(400).send({ error: 'requête invalide', details: error.message });
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'erreur interne');
    return reply.status(status).send({ error: status >= 500 ? 'erreur interne du serveur' : error.message });
  });

  await app.register(
    async (api) => {
      // API answers are compressed on the fly, in this scope only: the web build ships
      // pre-compressed files (see apps/cli/src/web-build.ts).
      await api.register(compress, { threshold: 1024, encodings: ['br', 'gzip'] });
      await api.register(authPlugin, { db: options.db });
      const readCache = options.readCache;
      if (readCache) {
        // Every write may change what the cached reads answer: empty what it may have changed
        // before the answer leaves, so the writer's next read sees its write. A write that declares
        // it changed only applications empties those adverts' and applicants' reads; another
        // applicant's write, the shared reads and their own; any other, possibly anyone's. A
        // refused write (4xx) wrote nothing; a failed one (5xx) may have, and empties everything.
        // Signing in or out changes no cached read.
        api.addHook('onSend', async (request, reply) => {
          if (request.method === 'GET' || request.method === 'HEAD') return;
          if (reply.statusCode >= 400 && reply.statusCode < 500) return;
          if (request.url.startsWith('/api/v1/auth/')) return;
          const user = request.auth?.user;
          if (reply.statusCode >= 500) readCache.clear();
          else if (request.readCacheScope) readCache.clearAfterApplicationsOf(request.readCacheScope);
          else if (user?.role === 'applicant' && user.sneNumber) readCache.clearAfterWriteOf(user.sneNumber);
          else readCache.clear();
        });
      }
      await api.register(
        authRoutes({
          db: options.db,
          secureCookies: options.secureCookies ?? true,
          ...(options.loginPerMinute ? { loginPerMinute: options.loginPerMinute } : {}),
        }),
      );
      await api.register(healthRoutes(options.db));
      await api.register(cotationRoutes(options.db));
      await api.register(demandRoutes(options.db));
      await api.register(reviewRoutes(options.db));
      await api.register(auditRoutes(options.db, { readCache: options.readCache }));
      await api.register(lettingRoutes(options.db, { readCache: options.readCache }));
      await api.register(commissionRoutes(options.db));
      await api.register(notificationRoutes(options.db, { delivery: options.mailDelivery ?? 'demo' }));
      await api.register(resultRoutes(options.db));
      await api.register(relocationRoutes(options.db));
      await api.register(territoryRoutes(options.db));
      await api.register(observatoryRoutes(options.db));
      await api.register(openDataRoutes(options.db));
    },
    { prefix: '/api/v1' },
  );

  const webRoot = options.webRoot;
  if (webRoot && existsSync(path.join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: true,
      preCompressed: true,
      setHeaders(reply, file) {
        // Hashed assets never change; the page itself is always revalidated.
        reply.header(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const isPage =
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      !path.extname(request.url.split('?')[0]!);
    if (isPage && webRoot && existsSync(path.join(webRoot, 'index.html'))) {
      // Client-side routes: every page URL serves the single-page app.
      return reply.header('cache-control', 'no-cache').sendFile('index.html', webRoot);
    }
    return reply.status(404).send({ error: 'ressource introuvable' });
  });
  return app;
}
