import { communeFeatures, type Db, getEpciSummary, irisFeatures, listSchools } from '@mosaique/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const epciParams = z.object({ code: z.string().regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu') });
const notFound = z.object({ error: z.string() });
const qpvRef = z.object({ code: z.string(), name: z.string(), approximate: z.boolean() });
const geometry = z.unknown().describe('Géométrie GeoJSON (WGS84)');
const featureCollection = <P extends z.ZodType>(properties: P) =>
  z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.object({ type: z.literal('Feature'), id: z.string(), geometry, properties })),
  });

const source = z.object({
  id: z.string(),
  title: z.string(),
  producer: z.string(),
  year: z.string(),
  licence: z.string(),
  generated: z.boolean(),
});

export const territoryRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    const requireEpci = async (code: string) => {
      const summary = await getEpciSummary(db, code);
      if (!summary) throw Object.assign(new Error(`EPCI ${code} inconnu`), { statusCode: 404 });
      return summary;
    };

    app.get(
      '/territories/:code',
      {
        schema: {
          tags: ['territoire'],
          summary: "L'EPCI, ses effectifs (communes, IRIS, QPV, écoles) et ses sources",
          params: epciParams,
          response: {
            200: z.object({
              code: z.string(),
              name: z.string(),
              populationTotal: z.number(),
              populationMunicipal: z.number(),
              counts: z.object({
                communes: z.number(),
                iris: z.number(),
                irisWithIncome: z.number(),
                qpv: z.number(),
                schools: z.number(),
              }),
              sources: z.array(source),
            }),
            404: notFound,
          },
        },
      },
      async (request) => requireEpci(request.params.code),
    );

    app.get(
      '/territories/:code/communes',
      {
        schema: {
          tags: ['territoire'],
          summary: "Communes de l'EPCI (GeoJSON) avec leurs QPV",
          params: epciParams,
          response: {
            200: featureCollection(
              z.object({ code: z.string(), name: z.string(), population: z.number(), qpvs: z.array(qpvRef) }),
            ),
            404: notFound,
          },
        },
      },
      async (request) => {
        await requireEpci(request.params.code);
        return communeFeatures(db, request.params.code);
      },
    );

    app.get(
      '/territories/:code/iris',
      {
        schema: {
          tags: ['territoire'],
          summary: 'IRIS (GeoJSON) avec les revenus Filosofi, null là où l’INSEE ne les diffuse pas',
          params: epciParams,
          response: {
            200: featureCollection(
              z.object({
                code: z.string(),
                name: z.string(),
                commune: z.string(),
                communeName: z.string(),
                incomeYear: z.string().nullable(),
                medianIncome: z.number().nullable().describe('Revenu disponible médian par UC, €/an'),
                povertyRate: z.number().nullable().describe('Taux de pauvreté à 60 %, en %'),
                incomeDeciles: z.array(z.number()).nullable(),
                gini: z.number().nullable(),
                qpvs: z.array(qpvRef),
              }),
            ),
            404: notFound,
          },
        },
      },
      async (request) => {
        await requireEpci(request.params.code);
        return irisFeatures(db, request.params.code);
      },
    );

    app.get(
      '/territories/:code/schools',
      {
        schema: {
          tags: ['territoire'],
          summary: 'Collèges et écoles avec leur indice de position sociale (IPS) par année scolaire',
          params: epciParams,
          response: {
            200: z.object({
              schools: z.array(
                z.object({
                  uai: z.string(),
                  name: z.string(),
                  level: z.enum(['college', 'ecole']),
                  sector: z.enum(['public', 'private']),
                  commune: z.string(),
                  communeName: z.string(),
                  years: z.array(
                    z.object({
                      schoolYear: z.string(),
                      pupils: z.number().nullable(),
                      ips: z.number().nullable(),
                      ipsStandardDeviation: z.number().nullable(),
                    }),
                  ),
                }),
              ),
            }),
            404: notFound,
          },
        },
      },
      async (request) => {
        await requireEpci(request.params.code);
        return { schools: await listSchools(db, request.params.code) };
      },
    );
  };
