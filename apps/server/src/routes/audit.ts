import { type Db, equalTreatmentReport, lastLeaseYear } from '@mosaique/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError, requireRole } from '../auth/plugin.ts';
import { NO_CACHE, type ReadCache } from '../letting/read-cache.ts';
import { mayServeEpci } from './auth.ts';

const params = z.object({ code: z.string().regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu') });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date AAAA-MM-JJ attendue');
/** A real calendar day (2025-02-30 is not). */
const exists = (s: string) => {
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
};
const querystring = z.object({
  from: isoDate
    .optional()
    .describe(
      'début de la période auditée (par défaut : 1er janvier de la dernière année achevée ayant des baux)',
    ),
  to: isoDate.optional().describe('fin de la période (par défaut : 31 décembre de la même année)'),
  waitingMonths: z.coerce
    .number()
    .int()
    .min(1, 'waitingMonths : au moins 1 mois')
    .max(60, 'waitingMonths : au plus 60 mois')
    .optional()
    .describe('délai de « logé dans les N mois suivant la demande » (12 par défaut)'),
});
const errorSchema = z.object({ error: z.string() });

const groupSchema = z.object({
  variable: z.string(),
  group: z.string(),
  label: z.string(),
  persons: z.number(),
  rate: z.number(),
  othersRate: z.number(),
  tested: z.boolean(),
  note: z.string().nullable(),
  oddsRatio: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  strata: z.number(),
  flagged: z.boolean(),
});
const reportSchema = z.object({
  epci: z.string(),
  from: z.string(),
  to: z.string(),
  grid: z.object({ id: z.string(), version: z.number(), label: z.string(), active: z.boolean() }),
  settings: z.object({
    vulnerabilityEurPerUcMonth: z.number(),
    waitingMonths: z.number(),
    alpha: z.number(),
    threshold: z.number(),
    scoreQuantiles: z.number(),
    ageBands: z.array(z.number()),
    minGroup: z.number(),
    minCommune: z.number(),
    strata: z.array(z.string()),
  }),
  tests: z.number(),
  flagged: z.number(),
  unavailable: z.array(z.object({ what: z.string(), reason: z.string() })),
  outcomes: z.array(
    z.object({
      outcome: z.string(),
      label: z.string(),
      definition: z.string(),
      persons: z.number(),
      events: z.number(),
      strata: z.number(),
      tests: z.number(),
      level: z.number(),
      groups: z.array(groupSchema),
    }),
  ),
});

/**
 * How long an audit is kept (at most; any write through the API that may change it empties it at
 * once — read-cache.ts): it takes 1–4 s to compute on the demo and changes with leases, shortlists
 * and commission agendas, not from one minute to the next.
 */
export const AUDIT_CACHE_MS = 10 * 60_000;

export const auditRoutes =
  (db: Db, options: { readCache?: ReadCache } = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const cache = options.readCache ?? NO_CACHE;
    app.get(
      '/territories/:code/audit',
      {
        schema: {
          tags: ['bilan'],
          summary:
            'Audit d’égalité de traitement : rapport de cotes ajusté (Mantel–Haenszel, strates décile de cotation × typologies × éligibilité × commune demandée) d’être logé, logé dans le délai, retenu, présenté, par variable licite ; groupes signalés',
          params,
          querystring,
          response: {
            200: reportSchema,
            400: errorSchema,
            401: errorSchema,
            403: errorSchema,
            404: errorSchema,
          },
        },
      },
      async (request) => {
        const { code } = request.params;
        const auth = requireRole(request, 'epci-analyst', 'admin');
        if (!(await mayServeEpci(db, auth.user, code)))
          throw new HttpError(403, 'cet audit relève d’un territoire où vous n’intervenez pas');
        let { from, to } = request.query;
        for (const [name, value] of [
          ['from', from],
          ['to', to],
        ] as const)
          if (value !== undefined && !exists(value))
            throw new HttpError(400, `${name} : date inexistante (${value})`);
        if (from === undefined || to === undefined) {
          const year =
            from?.slice(0, 4) ??
            to?.slice(0, 4) ??
            (await lastLeaseYear(db, code, new Date().toISOString().slice(0, 10)));
          if (year === null || year === undefined)
            throw new HttpError(404, `aucun bail signé pour l'EPCI ${code} : précisez la période (from, to)`);
          from ??= `${year}-01-01`;
          to ??= `${year}-12-31`;
        }
        if (from > to) throw new HttpError(400, `from (${from}) doit précéder to (${to})`);
        const waitingMonths = request.query.waitingMonths;
        return cache.get(
          `audit:${code}:${from}:${to}:${waitingMonths ?? ''}`,
          () => equalTreatmentReport(db, code, from, to, waitingMonths ? { waitingMonths } : {}),
          AUDIT_CACHE_MS,
        );
      },
    );
  };
