import { type Db, pastLets } from '@mosaique/db';
import {
  applicantsRanges,
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
 * `minComparableLets` lets of the cycle share them (comparablePublication), and the number of
 * applicants as the range over the rows publishing the same group (applicantsRanges).
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
                  /** The range over the rows of the same cycle, commune and typology as published. */
                  applicants: z.object({ min: z.number(), max: z.number(), label: z.string() }),
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
        const typologyOf = (i: number) => {
          const c = comparability[i]!;
          const t = lets[i]!.typology;
          return c.typology === 'exact' ? `T${t}` : c.typology === 'class' ? typologyClass(t) : null;
        };
        const applicants = applicantsRanges(
          lets.map(
            (l, i) =>
              `${l.cycleId}\u0000${comparability[i]!.commune ? l.commune : ''}\u0000${typologyOf(i) ?? ''}`,
          ),
          lets.map((l) => l.applicants),
        );
        const results = lets.map((l, i) => {
          const c = comparability[i]!;
          // Bands as precise as the group's fewest applicants allow: the same precision on every row.
          const bands = publishLet({
            applicants: applicants[i]!.min,
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
            typology: typologyOf(i),
            ...withheld,
            applicants: applicants[i]!,
            note: notes.length ? notes.join(' ; ') : null,
          };
        });
        // Within a cycle, rows in the order of what is published (never of the decisions).
        // Rows that publish the same thing are alike: their order tells nothing.
        const band = (b: { min: number } | null) => String(b ? b.min : 99_999).padStart(5, '0');
        const order = (r: (typeof results)[number]) =>
          [r.communeName ?? '\uffff', r.typology ?? '\uffff', band(r.scoreBand), band(r.seniorityBand)].join(
            '\u0000',
          );
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
