import { type Db, isMigrated } from '@mosaique/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

export const healthRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/health',
      {
        schema: {
          tags: ['système'],
          summary: 'État du service : ok une fois la base migrée',
          response: {
            200: z.object({ status: z.literal('ok') }),
            503: z.object({ status: z.literal('indisponible'), reason: z.string() }),
          },
        },
      },
      async (_request, reply) => {
        const ready = await isMigrated(db).catch(() => false);
        return ready
          ? { status: 'ok' as const }
          : reply.status(503).send({ status: 'indisponible' as const, reason: 'base de données non migrée' });
      },
    );
  };
