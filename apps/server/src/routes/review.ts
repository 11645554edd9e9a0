import { ciaReviewReport, type Db, NoLeasesError } from '@mosaique/db';
import { RuleNotInForceError } from '@mosaique/domain/shared/dated.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError, requireRole } from '../auth/plugin.ts';
import { mayServeEpci } from './auth.ts';

export const reviewRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/territories/:code/cia-review',
      {
        schema: {
          tags: ['bilan'],
          summary:
            'Bilan de la CIA (CCH L441-1) : baux signés de l’année (ou à date, avec projection) contre les trois objectifs, par bailleur, réservataire, commune et typologie ; tendance ; seuil du premier quartile utilisé',
          params: z.object({ code: z.string().regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu') }),
          querystring: z.object({
            year: z.coerce.number().int().min(2000).max(2100),
            until: z
              .string()
              .regex(/^\d{4}-\d{2}-\d{2}$/, 'date AAAA-MM-JJ attendue')
              .optional(),
          }),
          response: {
            200: z.unknown(),
            400: z.object({ error: z.string() }),
            401: z.object({ error: z.string() }),
            403: z.object({ error: z.string() }),
            404: z.object({ error: z.string() }),
          },
        },
      },
      async (request) => {
        const auth = requireRole(
          request,
          'epci-analyst',
          'landlord-agent',
          'reservation-holder-agent',
          'admin',
        );
        const { code } = request.params;
        const { year, until } = request.query;
        // Reservation-holder agents follow their share of every EPCI they hold reservations in.
        if (auth.user.role !== 'reservation-holder-agent' && !(await mayServeEpci(db, auth.user, code))) {
          throw new HttpError(403, 'ce bilan relève d’un territoire où vous n’intervenez pas');
        }
        if (until !== undefined && !until.startsWith(`${year}-`))
          throw new HttpError(400, `until doit être une date de ${year}`);
        try {
          return await ciaReviewReport(db, code, year, until);
        } catch (error) {
          if (error instanceof NoLeasesError) throw new HttpError(404, error.message);
          if (error instanceof RuleNotInForceError) throw new HttpError(400, error.message);
          throw error;
        }
      },
    );
  };
