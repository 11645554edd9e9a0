import { type Db, pastLets } from '@mosaique/db';
import {
  type Comparability,
  comparablePublication,
  publicationRuleOn,
  publishLet,
  RESULT_PUBLICATION_RULES,
  typologyClass,
} from '@mosaique/domain/notification';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * Published results of past lets, public without login: for each home let through a closed cycle
 * and a commission decision (lease signed), the cycle, commune, typology, number of applicants, and
 * the score and seniority bands of the household housed — coarser, or withheld, when the home had
 * few applicants (RESULT_PUBLICATION_RULES, docs/notifications.md). No identifier is published, nor
 * the decision date; the commune and the typology are published only as precisely as at least
 * `minComparableLets` lets of the cycle share them (comparablePublication).
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
                minComparableLets: z.number(),
                text: z.string(),
              }),
              results: z.array(
                z.object({
                  cycle: z.object({ name: z.string(), closedOn: z.string() }),
                  /** null when fewer than minComparableLets lets of the cycle share it. */
                  commune: z.string().nullable(),
                  communeName: z.string().nullable(),
                  /** « T3 », or its class « T3–T4 », or null (same rule). */
                  typology: z.string().nullable(),
                  applicants: z.number(),
                  precision: z.enum(['fine', 'coarse', 'suppressed']),
                  scoreBand: bandSchema.nullable(),
                  seniorityBand: bandSchema.nullable(),
                  note: z.string().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const rule = publicationRuleOn(new Date().toISOString().slice(0, 10), RESULT_PUBLICATION_RULES);
        const lets = await pastLets(db, { epci: request.query.epci });
        const comparability = comparablePublication(lets, rule.minComparableLets);
        const results = lets.map((l, i) => {
          const c = comparability[i]!;
          const bands = publishLet({
            applicants: l.applicants,
            score: l.score,
            registeredOn: l.registeredOn,
            closedOn: l.builtOn,
            decidedOn: l.decidedOn,
          });
          const withheld = c.comparable
            ? bands
            : { ...bands, precision: 'suppressed' as const, scoreBand: null, seniorityBand: null };
          const few = `moins de ${rule.minComparableLets} attributions comparables dans ce cycle`;
          const notes = c.comparable
            ? [bands.note, placeNote(c) && `${placeNote(c)} : ${few}`].filter((n): n is string => Boolean(n))
            : [`${few} : note et ancienneté non publiées`];
          return {
            cycle: { name: l.cycleName, closedOn: l.cycleClosedOn },
            commune: c.commune ? l.commune : null,
            communeName: c.commune ? l.communeName : null,
            typology:
              c.typology === 'exact'
                ? `T${l.typology}`
                : c.typology === 'class'
                  ? typologyClass(l.typology)
                  : null,
            ...withheld,
            note: notes.length ? notes.join(' ; ') : null,
          };
        });
        // Within a cycle, rows in the order of what is published (never of the decisions).
        const order = (r: (typeof results)[number]) =>
          `${r.communeName ?? '\uffff'}\u0000${r.typology ?? '\uffff'}\u0000${String(1e6 - r.applicants).padStart(7, '0')}`;
        const sorted = results
          .map((r, i) => ({ r, cycle: lets[i]!.cycleId, closed: lets[i]!.cycleClosedOn }))
          .sort((a, b) =>
            a.closed !== b.closed
              ? b.closed.localeCompare(a.closed)
              : a.cycle !== b.cycle
                ? a.cycle.localeCompare(b.cycle)
                : order(a.r).localeCompare(order(b.r)),
          )
          .map((x) => x.r);
        const { limit, offset } = request.query;
        return {
          total: sorted.length,
          rule: {
            validFrom: rule.validFrom,
            minApplicants: rule.minApplicants,
            fineFromApplicants: rule.fineFromApplicants,
            minComparableLets: rule.minComparableLets,
            text:
              `Les notes et anciennetés sont publiées par tranches : de ${rule.scoreBandWidth.fine} points et fines ` +
              `à partir de ${rule.fineFromApplicants} candidats, de ${rule.scoreBandWidth.coarse} points et larges ` +
              `entre ${rule.minApplicants} et ${rule.fineFromApplicants - 1} candidats ; en dessous de ${rule.minApplicants} ` +
              'candidats, elles ne sont pas publiées. La commune et la typologie ne sont publiées que si au moins ' +
              `${rule.minComparableLets} logements du même cycle les partagent (sinon regroupées ou omises), et la date ` +
              'de décision ne l’est pas : ainsi le ménage logé ne peut pas être reconnu.',
          },
          results: sorted.slice(offset, offset + limit),
        };
      },
    );
  };

/** What the row leaves out of the place and the home, in French; null when it publishes both. */
function placeNote(c: Comparability): string | null {
  const typology =
    c.typology === 'class' ? 'typologie regroupée' : c.typology === 'hidden' ? 'typologie non publiée' : null;
  if (c.commune) return typology;
  return typology ? `commune non publiée, ${typology}` : 'commune non publiée';
}
