import { type Db, pastLets } from '@mosaique/db';
import { publicationRuleOn, publishLet, RESULT_PUBLICATION_RULES } from '@mosaique/domain/notification';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * Published results of past lets, public without login: for each home let through a closed cycle
 * and a commission decision (lease signed), the cycle, commune, typology, number of applicants, and
 * the score and seniority bands of the household housed — coarser, or withheld, when the home had
 * few applicants (RESULT_PUBLICATION_RULES, docs/notifications.md). No identifier is published.
 */

const bandSchema = z.object({ min: z.number(), max: z.number().nullable(), label: z.string() });

export const resultRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/letting-results',
      {
        schema: {
          tags: ['location choisie'],
          summary:
            'Résultats publiés des attributions passées (anonymisés) : par logement attribué, le cycle, la commune, la typologie, le nombre de candidats, la tranche de note et d’ancienneté du ménage logé',
          querystring: z.object({
            epci: z
              .string()
              .regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu')
              .optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
            offset: z.coerce.number().int().min(0).default(0),
          }),
          response: {
            200: z.object({
              total: z.number(),
              rule: z.object({
                validFrom: z.string(),
                minApplicants: z.number(),
                fineFromApplicants: z.number(),
                text: z.string(),
              }),
              results: z.array(
                z.object({
                  cycle: z.object({ name: z.string(), closedOn: z.string() }),
                  commune: z.string(),
                  communeName: z.string(),
                  typology: z.number(),
                  applicants: z.number(),
                  precision: z.enum(['fine', 'coarse', 'suppressed']),
                  scoreBand: bandSchema.nullable(),
                  seniorityBand: bandSchema.nullable(),
                  note: z.string().nullable(),
                  decidedOn: z.string(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const { total, lets } = await pastLets(db, {
          epci: request.query.epci,
          limit: request.query.limit,
          offset: request.query.offset,
        });
        const rule = publicationRuleOn(new Date().toISOString().slice(0, 10), RESULT_PUBLICATION_RULES);
        return {
          total,
          rule: {
            validFrom: rule.validFrom,
            minApplicants: rule.minApplicants,
            fineFromApplicants: rule.fineFromApplicants,
            text:
              `Les notes et anciennetés sont publiées par tranches : de ${rule.scoreBandWidth.fine} points et fines ` +
              `à partir de ${rule.fineFromApplicants} candidats, de ${rule.scoreBandWidth.coarse} points et larges ` +
              `entre ${rule.minApplicants} et ${rule.fineFromApplicants - 1} candidats ; en dessous de ${rule.minApplicants} ` +
              'candidats, elles ne sont pas publiées, pour que le ménage logé ne puisse pas être reconnu.',
          },
          results: lets.map((l) => {
            const published = publishLet({
              applicants: l.applicants,
              score: l.score,
              registeredOn: l.registeredOn,
              closedOn: l.builtOn,
              decidedOn: l.decidedOn,
            });
            return {
              cycle: { name: l.cycleName, closedOn: l.cycleClosedOn },
              commune: l.commune,
              communeName: l.communeName,
              typology: l.typology,
              ...published,
              decidedOn: l.decidedOn,
            };
          }),
        };
      },
    );
  };
