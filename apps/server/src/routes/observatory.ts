import type { Db } from '@mosaique/db';
import {
  type BootstrapEstimate,
  MIX_GROUPS,
  MIX_LEVEL_LABELS,
  MIX_POPULATION_LABELS,
  MIX_POPULATIONS,
  MIX_SCALE_LABELS,
  MIX_SCALE_LEVELS,
  MIX_SCALES,
  MIX_SEED,
  MIX_VARIABLE_LABELS,
  MIX_VARIABLES,
  type MixAnalysis,
  type MixPopulation,
  MixQueryError,
  type MixScale,
  STATISTICAL_SECRECY_MIN_HOUSEHOLDS,
} from '@mosaique/domain/observatory';
import { publishedMixUnits, publishedShare } from '@mosaique/domain/open-data';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CsvValue, toCsv } from '../observatory/csv.ts';
import { observatoryServiceFor, type Timed } from '../observatory/observatory-service.ts';

/**
 * The observatory API: segregation indices of the households in the database at every scale, with
 * their decomposition, uncertainty, reading and units, and the schools' IPS. Public and aggregated,
 * under the open data's statistical secrecy (docs/decisions/0006-observatory-data-path.md): no
 * published count, share or quotient reveals a count of 1 to 10 households — units whose total is
 * secret are withheld, a group's share and location quotient are null (flagged) when its count is
 * secret, a unit's local score when any of its counts is; the indices themselves use every
 * household. Every figure is also a CSV (`?format=csv`), a secret value empty with a `_secret` column.
 */

const epciParams = z.object({ code: z.string().regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu') });
const errorBody = z.object({ error: z.string(), details: z.string().optional() });
const format = z
  .enum(['json', 'csv'], 'format inconnu (attendu : json ou csv)')
  .default('json')
  .describe('json (défaut) ou csv (téléchargement)');
const mixQuerystring = z.object({
  variable: z
    .enum(MIX_VARIABLES, `variable inconnue (attendu : ${MIX_VARIABLES.join(', ')})`)
    .describe('Ce qui répartit les ménages en groupes'),
  population: z
    .enum(MIX_POPULATIONS, `population inconnue (attendu : ${MIX_POPULATIONS.join(', ')})`)
    .describe('Qui est compté'),
  scale: z.enum(MIX_SCALES, `échelle inconnue (attendu : ${MIX_SCALES.join(', ')})`).describe('Les unités'),
  year: z.coerce
    .number('année invalide')
    .int('année invalide')
    .min(1900, 'année invalide')
    .max(2100, 'année invalide')
    .optional()
    .describe('Année des baux (population lettings seulement)'),
  format,
});
type MixQuerystring = z.infer<typeof mixQuerystring>;

const coded = z.object({ code: z.string(), label: z.string() });
const estimate = z.object({
  est: z.number().describe('Estimation corrigée du biais'),
  se: z.number().describe('Erreur type'),
  ci: z.tuple([z.number(), z.number()]).describe('Intervalle de confiance à 95 % (percentiles du bootstrap)'),
  bias: z.number(),
});
const meanSd = z.object({ mean: z.number(), sd: z.number() });
const term = z.object({
  level: z.string(),
  label: z.string(),
  M: z.number(),
  H: z.number(),
  share: z.number().describe('Part de M'),
});
const figureHeader = {
  epci: z.string(),
  dataVersion: z.string().describe('Version des données de l’EPCI sur laquelle la figure est calculée'),
  cached: z.boolean(),
  variable: coded,
  population: coded,
  scale: coded,
  year: z.number().nullable(),
};
const indicesResponse = z.object({
  ...figureHeader,
  total: z.number().nullable().describe('Ménages (ou attributions) comptés ; null quand secret'),
  unitCount: z.number(),
  groups: z.array(
    coded.extend({
      count: z.number().nullable().describe('Ménages du groupe ; null quand secret'),
      share: z.number().nullable(),
      secret: z
        .boolean()
        .describe('Effectif couvert par le secret statistique (1 à 10 ménages, ou secret secondaire)'),
    }),
  ),
  indices: z.object({
    M: z.number().describe('Indice d’information mutuelle (nats)'),
    H: z.number().describe('Indice de Theil, M / E(G), entre 0 et 1'),
    entropy: z.number().describe('Entropie des groupes E(G), nats'),
    dissimilarity: z.number().describe('Dissimilarité multigroupe D, entre 0 et 1'),
  }),
  underIndependence: z
    .object({ iterations: z.number(), M: meanSd, H: meanSd })
    .describe('M et H attendus sans ségrégation (mêmes tailles d’unités, groupes tirés au hasard)'),
  decomposition: z.array(term),
  reading: z.array(z.string()).describe('Lecture en français'),
  approximate: z.boolean().describe('Appartenance aux QPV approchée par les IRIS'),
  incomeQuartileCuts: z
    .array(z.number())
    .nullable()
    .describe('Bornes des quartiles de revenu par UC de tous les ménages de l’EPCI, €/an'),
});
const uncertaintyResponse = z.object({
  ...figureHeader,
  iterations: z.number(),
  seed: z.number(),
  confidence: z.number(),
  M: estimate,
  H: estimate,
});
const unitSchema = z.object({
  level: z.string(),
  code: z.string(),
  name: z.string(),
  commune: z.object({ code: z.string(), name: z.string() }).nullable(),
  iris: z.object({ code: z.string(), name: z.string() }).nullable(),
  total: z.number(),
  localScore: z.number().nullable().describe('Score local L_u (nats) ; null quand secret'),
  contribution: z.number().nullable().describe('Part de M due à l’unité ; null quand secret'),
  localScoreSecret: z
    .boolean()
    .describe(
      'Score local et part de M non diffusés : un effectif de l’unité est secret (ils le révéleraient)',
    ),
  shares: z
    .array(z.number().nullable())
    .describe('Part de chaque groupe, dans l’ordre de `groups` ; null quand l’effectif est secret'),
  sharesSecret: z.array(z.boolean()).describe('Effectif du groupe couvert par le secret statistique'),
  locationQuotients: z
    .array(z.number().nullable())
    .describe('Quotient de localisation de chaque groupe ; null pour un groupe absent de l’EPCI ou secret'),
  locationQuotientsSecret: z
    .array(z.boolean())
    .describe('Quotient non diffusé : l’effectif du groupe dans l’unité ou dans l’EPCI est secret'),
  approximate: z.boolean(),
  point: z.object({ longitude: z.number(), latitude: z.number() }).nullable(),
});
const unitsResponse = z.object({
  ...figureHeader,
  groups: z.array(coded),
  secrecyThreshold: z.number().describe('Ménages en dessous desquels un effectif n’est pas diffusé'),
  withheld: z.number().describe('Unités non diffusées : leur total est secret (secret statistique)'),
  units: z.array(unitSchema),
});
const decompositionResponse = z.object({
  ...figureHeader,
  M: z.number(),
  H: z.number(),
  terms: z.array(term),
});
const schoolYear = z.object({
  schoolYear: z.string(),
  pupils: z.number().nullable(),
  ips: z.number().nullable(),
  ipsStandardDeviation: z.number().nullable(),
});
const schoolsResponse = z.object({
  epci: z.string(),
  schoolYears: z.array(z.string()),
  schools: z.array(
    z.object({
      uai: z.string(),
      name: z.string(),
      level: z.enum(['college', 'ecole']),
      sector: z.enum(['public', 'private']),
      commune: z.string(),
      communeName: z.string(),
      years: z.array(schoolYear),
    }),
  ),
});
const segregationResponse = z.object({
  epci: z.string(),
  schoolYears: z.array(z.string()),
  rows: z.array(
    z.object({
      schoolYear: z.string(),
      level: z.enum(['college', 'ecole']),
      commune: z.string().nullable(),
      communeName: z.string(),
      schools: z.number(),
      pupils: z.number().nullable(),
      meanIps: z.number(),
      ipsSpread: z.number().describe('Écart-type (non pondéré) des IPS des établissements'),
      betweenVariance: z.number().nullable(),
      withinVariance: z.number().nullable(),
      eta2: z.number().nullable().describe('Part de la variance des IPS des élèves entre établissements'),
    }),
  ),
  notes: z.array(z.string()),
});

const POPULATION_SCALES: Record<MixPopulation, readonly MixScale[]> = {
  households: ['commune', 'iris', 'qpv'],
  'social-occupants': MIX_SCALES,
  lettings: MIX_SCALES,
};

const SCHOOL_NOTES = [
  'Collèges : le Ministère publie l’effectif et l’écart-type des IPS des élèves ; η² est la part de la variance des IPS des élèves qui sépare les collèges (0 : chaque collège reflète l’ensemble ; 1 : les collèges ne se mélangent pas).',
  'Écoles : ni l’effectif ni l’écart-type ne sont publiés ; η² ne peut pas être calculé, seule la dispersion des IPS moyens des écoles est donnée.',
  'η² n’a pas de sens pour une commune à un seul établissement.',
];

export const observatoryRoutes =
  (db: Db, service = observatoryServiceFor(db)): FastifyPluginAsyncZod =>
  async (app) => {
    const notFound = (code: string) => Object.assign(new Error(`EPCI ${code} inconnu`), { statusCode: 404 });

    /** A figure of a query; 404 for an unknown EPCI, 400 (French message) for a query that does not apply. */
    const figure = async <T>(
      code: string,
      reply: FastifyReply,
      compute: () => Promise<Timed<T> | null>,
      timing = true,
    ): Promise<Timed<T>> => {
      let result: Timed<T> | null;
      try {
        result = await compute();
      } catch (error) {
        if (error instanceof MixQueryError)
          throw Object.assign(new Error(error.message), { statusCode: 400 });
        throw error;
      }
      if (!result) throw notFound(code);
      if (timing)
        reply.header(
          'server-timing',
          `snapshot;dur=${result.snapshotMs.toFixed(1)}, compute;dur=${result.computeMs.toFixed(1)}`,
        );
      return result;
    };
    const analysis = (code: string, q: MixQuerystring, reply: FastifyReply) =>
      figure(code, reply, () => service.analysis(code, q));
    const bootstrap = (code: string, q: MixQuerystring, reply: FastifyReply) =>
      figure(code, reply, () => service.bootstrap(code, q));
    /** The published counts of the query (one system for every scale of its variable and population). */
    const secrecy = async (code: string, q: MixQuerystring, reply: FastifyReply) =>
      (await figure(code, reply, () => service.secrecy(code, q), false)).value;
    const header = (a: MixAnalysis, cached: boolean) => ({
      epci: a.epci,
      dataVersion: a.dataVersion,
      cached,
      variable: { code: a.variable, label: MIX_VARIABLE_LABELS[a.variable] },
      population: { code: a.population, label: MIX_POPULATION_LABELS[a.population] },
      scale: { code: a.scale, label: MIX_SCALE_LABELS[a.scale] },
      year: a.year,
    });
    const csv = (reply: FastifyReply, name: string, content: string) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.csv"`)
        .serializer((payload: unknown) => payload as string)
        .send(content) as unknown as never;
    const fileName = (figure: string, a: MixAnalysis) =>
      ['mosaique', a.epci, figure, a.variable, a.population, a.year, a.scale]
        .filter((p) => p !== null)
        .join('-');
    const figureColumns = (a: MixAnalysis): CsvValue[] => [
      a.epci,
      a.variable,
      a.population,
      a.scale,
      a.year,
      a.dataVersion,
    ];
    const figureHeaderColumns = ['epci', 'variable', 'population', 'echelle', 'annee', 'version_donnees'];

    app.get(
      '/territories/:code/observatory',
      {
        schema: {
          tags: ['observatoire'],
          summary: 'Ce que l’observatoire peut mesurer : variables, populations, échelles, années',
          params: epciParams,
          response: {
            200: z.object({
              epci: z.string(),
              dataVersion: z.string(),
              variables: z.array(coded.extend({ groups: z.array(coded) })),
              populations: z.array(coded.extend({ scales: z.array(z.string()) })),
              scales: z.array(coded.extend({ levels: z.array(coded) })),
              years: z.array(z.number()).describe('Années avec des baux signés, la plus récente d’abord'),
              households: z.number(),
              lettings: z.array(
                z.object({
                  year: z.number(),
                  count: z.number().nullable().describe('Baux signés ; null quand secret (1 à 10)'),
                }),
              ),
              secrecyThreshold: z.number(),
              incomeQuartileCuts: z.array(z.number()),
              seed: z.number(),
            }),
            404: errorBody,
          },
        },
      },
      async (request) => {
        const snapshot = await service.snapshot(request.params.code);
        if (!snapshot) throw notFound(request.params.code);
        const lettingsByYear = new Map<number, number>();
        for (const y of snapshot.lettings.year ?? []) lettingsByYear.set(y, (lettingsByYear.get(y) ?? 0) + 1);
        return {
          epci: snapshot.epci,
          dataVersion: snapshot.version,
          variables: MIX_VARIABLES.map((code) => ({
            code,
            label: MIX_VARIABLE_LABELS[code],
            groups: MIX_GROUPS[code].map((g) => ({ code: g.code, label: g.label })),
          })),
          populations: MIX_POPULATIONS.map((code) => ({
            code,
            label: MIX_POPULATION_LABELS[code],
            scales: [...POPULATION_SCALES[code]],
          })),
          scales: MIX_SCALES.map((code) => ({
            code,
            label: MIX_SCALE_LABELS[code],
            levels: MIX_SCALE_LEVELS[code].map((level) => ({ code: level, label: MIX_LEVEL_LABELS[level] })),
          })),
          years: [...snapshot.years],
          households: snapshot.households.length,
          lettings: snapshot.years.map((year) => {
            const count = lettingsByYear.get(year) ?? 0;
            return { year, count: count > 0 && count < STATISTICAL_SECRECY_MIN_HOUSEHOLDS ? null : count };
          }),
          secrecyThreshold: STATISTICAL_SECRECY_MIN_HOUSEHOLDS,
          incomeQuartileCuts: [...snapshot.incomeQuartileCuts],
          seed: MIX_SEED,
        };
      },
    );

    app.get(
      '/territories/:code/observatory/indices',
      {
        schema: {
          tags: ['observatoire'],
          summary:
            'Indices de ségrégation (M, H, D) avec intervalles de confiance, valeur attendue sans ségrégation, ' +
            'décomposition emboîtée et lecture ; ?format=csv pour le tableau des indices',
          params: epciParams,
          querystring: mixQuerystring,
          response: { 200: indicesResponse, 400: errorBody, 404: errorBody },
        },
      },
      async (request, reply) => {
        const { value: a, cached } = await analysis(request.params.code, request.query, reply);
        const whole = (await secrecy(request.params.code, request.query, reply)).whole;
        if (request.query.format === 'csv') {
          const { value: b } = await bootstrap(request.params.code, request.query, reply);
          const row = (name: string, value: number, e?: BootstrapEstimate, expected?: number): CsvValue[] => [
            ...figureColumns(a),
            name,
            value,
            e?.ci[0],
            e?.ci[1],
            e?.est,
            e?.se,
            expected,
            whole.total.value,
            a.unitCount,
          ];
          return csv(
            reply,
            fileName('indices', a),
            toCsv(
              [
                ...figureHeaderColumns,
                'indice',
                'valeur',
                'ic95_bas',
                'ic95_haut',
                'estimation_corrigee',
                'erreur_type',
                'attendu_sans_segregation',
                'menages',
                'unites',
              ],
              [
                row('M', a.M, b.M, a.underIndependence.M.mean),
                row('H', a.H, b.H, a.underIndependence.H.mean),
                row('D', a.dissimilarity),
              ],
            ),
          );
        }
        return {
          ...header(a, cached),
          total: whole.total.value,
          unitCount: a.unitCount,
          groups: a.groups.map((g, i) => {
            const cell = whole.cells[i]!;
            return {
              code: g.code,
              label: g.label,
              count: cell.value,
              share: publishedShare(cell, whole.total),
              secret: cell.secret,
            };
          }),
          indices: { M: a.M, H: a.H, entropy: a.entropy, dissimilarity: a.dissimilarity },
          underIndependence: a.underIndependence,
          decomposition: a.decomposition.map((t) => ({ ...t })),
          reading: [...a.reading],
          approximate: a.approximate,
          incomeQuartileCuts: a.variable === 'income-quartile' ? [...a.incomeQuartileCuts] : null,
        };
      },
    );

    app.get(
      '/territories/:code/observatory/uncertainty',
      {
        schema: {
          tags: ['observatoire'],
          summary:
            'Intervalles de confiance de M et H (bootstrap, 100 tirages, graine fixe) : la partie coûteuse, ' +
            'demandée à part pour que les indices répondent vite',
          params: epciParams,
          querystring: mixQuerystring,
          response: { 200: uncertaintyResponse, 400: errorBody, 404: errorBody },
        },
      },
      async (request, reply) => {
        // The bootstrap alone: the header is built from the query, not from an analysis.
        const q = request.query;
        const { value: b, cached, version } = await bootstrap(request.params.code, q, reply);
        const copy = (e: BootstrapEstimate) => ({ ...e, ci: [e.ci[0], e.ci[1]] as [number, number] });
        return {
          epci: request.params.code,
          dataVersion: version,
          cached,
          variable: { code: q.variable, label: MIX_VARIABLE_LABELS[q.variable] },
          population: { code: q.population, label: MIX_POPULATION_LABELS[q.population] },
          scale: { code: q.scale, label: MIX_SCALE_LABELS[q.scale] },
          year: q.population === 'lettings' ? (q.year ?? null) : null,
          iterations: b.iterations,
          seed: MIX_SEED,
          confidence: 0.95,
          M: copy(b.M),
          H: copy(b.H),
        };
      },
    );

    app.get(
      '/territories/:code/observatory/decomposition',
      {
        schema: {
          tags: ['observatoire'],
          summary:
            'Décomposition emboîtée de M et H par niveau (EPCI > commune > IRIS > résidence) ; ?format=csv',
          params: epciParams,
          querystring: mixQuerystring,
          response: { 200: decompositionResponse, 400: errorBody, 404: errorBody },
        },
      },
      async (request, reply) => {
        const { value: a, cached } = await analysis(request.params.code, request.query, reply);
        if (request.query.format === 'csv') {
          return csv(
            reply,
            fileName('decomposition', a),
            toCsv(
              [...figureHeaderColumns, 'niveau', 'libelle', 'M', 'H', 'part_de_M'],
              a.decomposition.map((t) => [...figureColumns(a), t.level, t.label, t.M, t.H, t.share]),
            ),
          );
        }
        return { ...header(a, cached), M: a.M, H: a.H, terms: a.decomposition.map((t) => ({ ...t })) };
      },
    );

    app.get(
      '/territories/:code/observatory/units',
      {
        schema: {
          tags: ['observatoire'],
          summary:
            'Unités de l’échelle avec leur score local, leurs parts et quotients de localisation ; ' +
            'unités de moins de 11 ménages non diffusées ; ?format=csv',
          params: epciParams,
          querystring: mixQuerystring,
          response: { 200: unitsResponse, 400: errorBody, 404: errorBody },
        },
      },
      async (request, reply) => {
        const { value: a, cached } = await analysis(request.params.code, request.query, reply);
        const { units, withheld } = publishedMixUnits(
          a.units,
          await secrecy(request.params.code, request.query, reply),
        );
        if (request.query.format === 'csv') {
          const codes = a.groups.map((g) => g.code);
          return csv(
            reply,
            fileName('unites', a),
            toCsv(
              [
                ...figureHeaderColumns,
                'code',
                'nom',
                'commune',
                'nom_commune',
                'iris',
                'nom_iris',
                'menages',
                'score_local',
                'part_de_M',
                'score_local_secret',
                ...codes.flatMap((c) => [`part_${c}`, `part_${c}_secret`]),
                ...codes.flatMap((c) => [`quotient_localisation_${c}`, `quotient_localisation_${c}_secret`]),
                'approche',
                'longitude',
                'latitude',
              ],
              units.map((u) => [
                ...figureColumns(a),
                u.code,
                u.name,
                u.commune?.code,
                u.commune?.name,
                u.iris?.code,
                u.iris?.name,
                u.total,
                u.localScore,
                u.contribution,
                u.localScoreSecret,
                ...u.shares.flatMap((v, g) => [v, u.sharesSecret[g]!]),
                ...u.locationQuotients.flatMap((v, g) => [v, u.locationQuotientsSecret[g]!]),
                u.approximate,
                u.point?.longitude,
                u.point?.latitude,
              ]),
            ),
          );
        }
        return {
          ...header(a, cached),
          groups: a.groups.map((g) => ({ code: g.code, label: g.label })),
          secrecyThreshold: STATISTICAL_SECRECY_MIN_HOUSEHOLDS,
          withheld,
          units,
        };
      },
    );

    app.get(
      '/territories/:code/observatory/schools',
      {
        schema: {
          tags: ['observatoire'],
          summary: 'IPS des collèges et écoles par année scolaire (DEPP) ; ?format=csv',
          params: epciParams,
          querystring: z.object({ format }),
          response: { 200: schoolsResponse, 404: errorBody },
        },
      },
      async (request, reply) => {
        const view = await service.schools(request.params.code);
        if (!view) throw notFound(request.params.code);
        if (request.query.format === 'csv') {
          return csv(
            reply,
            `mosaique-${request.params.code}-ips-etablissements`,
            toCsv(
              [
                'uai',
                'nom',
                'niveau',
                'secteur',
                'commune',
                'nom_commune',
                'annee_scolaire',
                'eleves',
                'ips',
                'ecart_type_ips',
              ],
              view.schools.flatMap((s) =>
                s.years.map((y) => [
                  s.uai,
                  s.name,
                  s.level === 'college' ? 'collège' : 'école',
                  s.sector === 'public' ? 'public' : 'privé',
                  s.commune,
                  s.communeName,
                  y.schoolYear,
                  y.pupils,
                  y.ips,
                  y.ipsStandardDeviation,
                ]),
              ),
            ),
          );
        }
        return { epci: request.params.code, schoolYears: [...view.schoolYears], schools: [...view.schools] };
      },
    );

    app.get(
      '/territories/:code/observatory/schools/segregation',
      {
        schema: {
          tags: ['observatoire'],
          summary: 'Ségrégation scolaire : η² des IPS par commune et année scolaire ; ?format=csv',
          params: epciParams,
          querystring: z.object({ format }),
          response: { 200: segregationResponse, 404: errorBody },
        },
      },
      async (request, reply) => {
        const view = await service.schools(request.params.code);
        if (!view) throw notFound(request.params.code);
        if (request.query.format === 'csv') {
          return csv(
            reply,
            `mosaique-${request.params.code}-segregation-scolaire`,
            toCsv(
              [
                'annee_scolaire',
                'niveau',
                'commune',
                'nom_commune',
                'etablissements',
                'eleves',
                'ips_moyen',
                'dispersion_ips',
                'variance_inter',
                'variance_intra',
                'eta2',
              ],
              view.segregation.map((r) => [
                r.schoolYear,
                r.level === 'college' ? 'collège' : 'école',
                r.commune,
                r.communeName,
                r.schools,
                r.pupils,
                r.meanIps,
                r.ipsSpread,
                r.betweenVariance,
                r.withinVariance,
                r.eta2,
              ]),
            ),
          );
        }
        return {
          epci: request.params.code,
          schoolYears: [...view.schoolYears],
          rows: view.segregation.map((r) => ({ ...r })),
          notes: SCHOOL_NOTES,
        };
      },
    );
  };
