import { ciaReviewReport, type Db, NoLeasesError, reviewLeases } from '@mosaique/db';
import { lettingsCsv } from '@mosaique/domain/review';
import { RuleNotInForceError } from '@mosaique/domain/shared/dated.ts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError, requireRole } from '../auth/plugin.ts';
import { ciaReviewPdf } from '../reports/cia-review-pdf.ts';
import { ciaReviewXlsx, reviewEpci } from '../reports/cia-review-xlsx.ts';
import { mayServeEpci } from './auth.ts';

const params = z.object({ code: z.string().regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu') });
const querystring = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  until: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'date AAAA-MM-JJ attendue')
    .optional(),
});
const errorSchema = z.object({ error: z.string() });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

export const reviewRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    /** Only the territory's partners read its review and its leases. */
    async function requirePartner(request: FastifyRequest, code: string): Promise<void> {
      const auth = requireRole(
        request,
        'epci-analyst',
        'landlord-agent',
        'reservation-holder-agent',
        'admin',
      );
      // Reservation-holder agents follow their share of every EPCI they hold reservations in.
      if (auth.user.role !== 'reservation-holder-agent' && !(await mayServeEpci(db, auth.user, code))) {
        throw new HttpError(403, 'ce bilan relève d’un territoire où vous n’intervenez pas');
      }
    }

    /** The review of the request, after checking who asks and what. */
    async function reviewFor(request: FastifyRequest, code: string, year: number, until: string | undefined) {
      await requirePartner(request, code);
      if (until !== undefined && !until.startsWith(`${year}-`))
        throw new HttpError(400, `until doit être une date de ${year}`);
      try {
        return await ciaReviewReport(db, code, year, until);
      } catch (error) {
        if (error instanceof NoLeasesError) throw new HttpError(404, error.message);
        if (error instanceof RuleNotInForceError) throw new HttpError(400, error.message);
        throw error;
      }
    }

    app.get(
      '/territories/:code/cia-review',
      {
        schema: {
          tags: ['bilan'],
          summary:
            'Bilan de la CIA (CCH L441-1) : baux signés de l’année (ou à date, avec projection) contre les trois objectifs, par bailleur, réservataire, commune et typologie ; tendance ; seuil du premier quartile utilisé',
          params,
          querystring,
          response: { 200: z.unknown(), ...errors },
        },
      },
      async (request) => reviewFor(request, request.params.code, request.query.year, request.query.until),
    );

    app.get(
      '/territories/:code/cia-review.pdf',
      {
        schema: {
          tags: ['bilan'],
          summary:
            'Le bilan de la CIA en PDF, le document présenté à la conférence intercommunale du logement',
          params,
          querystring,
          produces: ['application/pdf'],
          response: { 200: z.unknown().describe('document PDF'), ...errors },
        },
      },
      async (request, reply) => {
        const { code } = request.params;
        const report = await reviewFor(request, code, request.query.year, request.query.until);
        const epci = await reviewEpci(db, code);
        const pdf = await ciaReviewPdf(report, epci.name, epci.generated);
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="bilan-cia-${code}-${report.year}.pdf"`)
          .send(pdf);
      },
    );

    app.get(
      '/territories/:code/cia-review.xlsx',
      {
        schema: {
          tags: ['bilan'],
          summary:
            'Le bilan de la CIA en classeur XLSX : objectifs, ventilations, tendance, projection, seuil et sources, en nombres',
          params,
          querystring,
          produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
          response: { 200: z.unknown().describe('classeur XLSX'), ...errors },
        },
      },
      async (request, reply) => {
        const { code } = request.params;
        const report = await reviewFor(request, code, request.query.year, request.query.until);
        const epci = await reviewEpci(db, code);
        const xlsx = await ciaReviewXlsx(report, epci.name, epci.generated);
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="bilan-cia-${code}-${report.year}.xlsx"`)
          .send(xlsx);
      },
    );

    app.get(
      '/territories/:code/lettings.csv',
      {
        schema: {
          tags: ['bilan'],
          summary: 'Les baux signés de l’année, un par ligne, pour recalculer le bilan',
          params,
          querystring: querystring.pick({ year: true }),
          produces: ['text/csv'],
          response: { 200: z.string().describe('CSV'), ...errors },
        },
      },
      async (request, reply) => {
        const { code } = request.params;
        await requirePartner(request, code);
        const leases = await reviewLeases(db, code, request.query.year);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="baux-${code}-${request.query.year}.csv"`)
          .send(lettingsCsv(leases));
      },
    );
  };
