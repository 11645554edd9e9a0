import { ciaReviewReport, communeFeatures, type Db, irisFeatures, NoLeasesError } from '@mosaique/db';
import {
  MIX_POPULATION_LABELS,
  MIX_SCALE_LABELS,
  MIX_VARIABLE_LABELS,
  type MixPopulation,
  type MixScale,
} from '@mosaique/domain/observatory';
import {
  DATASET_DESCRIPTIONS,
  GEOGRAPHIC_DATASETS,
  type PublishedCell,
  type PublishedTable,
  publishedShare,
  publishTables,
  type ReviewDatasetId,
  reviewTables,
  SECRECY_THRESHOLD,
  type TerritoryDatasetId,
  territoryTables,
} from '@mosaique/domain/open-data';
import { ciaSettingsOn } from '@mosaique/domain/review';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../auth/plugin.ts';
import { toCsv } from '../observatory/csv.ts';
import { type ObservatoryService, observatoryServiceFor } from '../observatory/observatory-service.ts';
import { reviewEpci } from '../reports/cia-review-xlsx.ts';

/**
 * The open data (docs/open-data.md): public, without a session, aggregated only. Counts of
 * households by IRIS, commune, landlord… under the secrecy rule of @mosaique/domain/open-data
 * (no published count from 1 to 10; secondary suppression so that no secret cell comes back from
 * the totals); the observatory's segregation indices; the CIA review's headline targets. Rate-limited
 * like every route. Derived data under the Licence Ouverte 2.0.
 */

export const OPEN_DATA_LICENCE = {
  name: 'Licence Ouverte / Open Licence 2.0 (Etalab)',
  url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
} as const;

const DATASET_IDS = [
  'menages-quartile',
  'parc-social-quartile',
  'attributions-quartile-qpv',
  'bilan-cia-bailleur',
  'bilan-cia-reservataire',
  'bilan-cia-commune',
  'bilan-cia-typologie',
  'bilan-cia-prioritaires',
] as const satisfies readonly (TerritoryDatasetId | ReviewDatasetId)[];
type DatasetId = (typeof DATASET_IDS)[number];

const params = z.object({ code: z.string().regex(/^\d{9}$/, 'code SIREN de 9 chiffres attendu') });
const yearQuery = z.coerce
  .number('année invalide')
  .int('année invalide')
  .min(2000, 'année invalide')
  .max(2100, 'année invalide')
  .optional()
  .describe('Année des baux (par défaut la plus récente)');
const errorBody = z.object({ error: z.string(), details: z.string().optional() });

const cellSchema = z.object({
  value: z.number().nullable().describe('Effectif ; null quand il est couvert par le secret statistique'),
  secret: z.boolean(),
});
const tableSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  year: z.number().nullable(),
  secrecyThreshold: z.number(),
  secretCells: z.number(),
  columns: z.array(z.object({ code: z.string(), label: z.string() })),
  rows: z.array(
    z.object({
      level: z.string(),
      code: z.string(),
      label: z.string(),
      parent: z.string().nullable(),
      cells: z.array(cellSchema),
      total: cellSchema,
    }),
  ),
});
const targetSchema = z.object({
  code: z.string(),
  label: z.string(),
  leases: cellSchema,
  qualifying: cellSchema,
  share: z.number().nullable(),
  target: z.number(),
  met: z.boolean().nullable().describe('null quand un effectif est secret'),
  missingHouseholds: z.number().nullable(),
});
const catalogueSchema = z.object({
  epci: z.object({ code: z.string(), name: z.string() }),
  generated: z.boolean().describe('Population de démonstration générée : ne décrit personne'),
  licence: z.object({ name: z.string(), url: z.string() }),
  secrecyThreshold: z.number(),
  years: z.array(z.number()).describe('Années avec des baux signés, la plus récente d’abord'),
  year: z.number().nullable(),
  datasets: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      description: z.string(),
      secretCells: z.number(),
      csv: z.string(),
      geojson: z.object({ iris: z.string(), commune: z.string() }).nullable(),
    }),
  ),
  indices: z.array(
    z.object({
      variable: z.string(),
      population: z.string(),
      scale: z.string(),
      year: z.number().nullable(),
      counted: z.number().describe('Ménages (ou attributions) comptés'),
      M: z.number(),
      H: z.number(),
      D: z.number(),
    }),
  ),
  review: z
    .object({
      year: z.number(),
      leases: cellSchema,
      targets: z.array(targetSchema),
      priorityByReservationHolder: z.array(targetSchema),
      threshold: z.object({
        used: z.number().nullable(),
        origin: z.enum(['official', 'computed']).nullable(),
      }),
    })
    .nullable(),
  sources: z.array(z.string()),
});

interface Publication {
  version: string;
  epci: { code: string; name: string };
  generated: boolean;
  years: number[];
  year: number | null;
  tables: Map<DatasetId, PublishedTable>;
  review: z.infer<typeof catalogueSchema>['review'];
}

/** Publications computed once per EPCI, year and state of the data. */
const publications = new WeakMap<Db, Map<string, Promise<Publication | null>>>();

async function publication(
  db: Db,
  service: ObservatoryService,
  code: string,
  askedYear: number | undefined,
): Promise<Publication | null> {
  const version = await service.version(code);
  if (version === null) return null;
  let cache = publications.get(db);
  if (!cache) publications.set(db, (cache = new Map()));
  const key = `${code}|${version}|${askedYear ?? ''}`;
  let flight = cache.get(key);
  if (!flight) {
    flight = build(db, service, code, askedYear).catch((error) => {
      cache.delete(key);
      throw error;
    });
    for (const k of cache.keys())
      if (k.startsWith(`${code}|`) && !k.startsWith(`${code}|${version}|`)) cache.delete(k);
    cache.set(key, flight);
  }
  return flight;
}

async function build(
  db: Db,
  service: ObservatoryService,
  code: string,
  askedYear: number | undefined,
): Promise<Publication | null> {
  const snapshot = await service.snapshot(code);
  if (!snapshot) return null;
  const epci = await reviewEpci(db, code);
  const years = [...snapshot.years];
  if (askedYear !== undefined && !years.includes(askedYear))
    throw new HttpError(
      404,
      `aucun bail signé en ${askedYear} pour l’EPCI ${code} (années disponibles : ${years.join(', ') || 'aucune'})`,
    );
  // By default the last complete year (the current one is only year to date), else the latest.
  const thisYear = new Date().getUTCFullYear();
  const year = askedYear ?? years.find((y) => y < thisYear) ?? years[0] ?? null;
  let report: Awaited<ReturnType<typeof ciaReviewReport>> | null = null;
  if (year !== null) {
    try {
      report = await ciaReviewReport(db, code, year);
    } catch (error) {
      if (!(error instanceof NoLeasesError)) throw error;
    }
  }
  const inputs = [
    ...territoryTables(snapshot, epci.name, year),
    ...(report ? reviewTables(report, epci.name, report.labels) : []),
  ];
  // The year's lettings by commune and the review by commune count the same leases (when every
  // signed lease counts): one figure, hidden alike in both.
  // The social stock's occupants are households of the same IRIS and quartile: the difference of the
  // two tables (the other households) is protected like a published count.
  const published = publishTables(
    inputs,
    SECRECY_THRESHOLD,
    [{ tables: ['attributions-quartile-qpv', 'bilan-cia-commune'], levels: ['epci', 'commune'] }],
    [],
    [{ whole: 'menages-quartile', part: 'parc-social-quartile' }],
  );
  const tables = new Map(published.map((t) => [t.id as DatasetId, t]));
  return {
    version: snapshot.version,
    epci: { code, name: epci.name },
    generated: epci.generated,
    years,
    year,
    tables,
    review: report && reviewHeadline(report, tables),
  };
}

/** The review's targets from the published counts only: a share or a gap only when its counts are. */
function reviewHeadline(
  report: Awaited<ReturnType<typeof ciaReviewReport>>,
  tables: Map<DatasetId, PublishedTable>,
): NonNullable<Publication['review']> {
  const targets = ciaSettingsOn(`${report.year}-12-31`).targets;
  const whole = tables.get('bilan-cia-commune')!.rows[0]!;
  const add = (a: PublishedCell, b: PublishedCell): PublishedCell =>
    a.value === null || b.value === null
      ? { value: null, secret: true }
      : { value: a.value + b.value, secret: false };
  const target = (
    code: string,
    label: string,
    qualifying: PublishedCell,
    leases: PublishedCell,
    rate: number,
  ) => {
    const share = publishedShare(qualifying, leases);
    const known = qualifying.value !== null && leases.value !== null;
    const required = known ? Math.ceil(rate * leases.value! - 1e-9) : 0;
    return {
      code,
      label,
      leases,
      qualifying,
      share,
      target: rate,
      met: known ? qualifying.value! >= required : null,
      missingHouseholds: known ? Math.max(0, required - qualifying.value!) : null,
    };
  };
  const [q1Outside, otherOutside, otherInside, q1Inside] = whole.cells as [
    PublishedCell,
    PublishedCell,
    PublishedCell,
    PublishedCell,
  ];
  return {
    year: report.year,
    leases: whole.total,
    targets: [
      target(
        'hors-qpv',
        'Hors QPV : premier quartile ou relogés',
        q1Outside,
        add(q1Outside, otherOutside),
        targets.firstQuartileOutsideQpv,
      ),
      target(
        'en-qpv',
        'En QPV : ménages des autres quartiles',
        otherInside,
        add(otherInside, q1Inside),
        targets.nonFirstQuartileInsideQpv,
      ),
    ],
    priorityByReservationHolder: tables
      .get('bilan-cia-prioritaires')!
      .rows.slice(1)
      .map((r) => target(r.code, r.label, r.cells[0]!, r.total, targets.priorityPerReservationHolder)),
    threshold: { used: report.threshold.used, origin: report.threshold.origin },
  };
}

/** The observatory's indices shown in the catalogue (income quartiles), computed by its service. */
async function catalogueIndices(service: ObservatoryService, code: string, year: number | null) {
  const indices = [];
  const queries: { population: MixPopulation; scale: MixScale }[] = [
    { population: 'households', scale: 'commune' },
    { population: 'households', scale: 'iris' },
    { population: 'social-occupants', scale: 'iris' },
    ...(year !== null ? [{ population: 'lettings' as const, scale: 'iris' as const }] : []),
  ];
  for (const q of queries) {
    const result = await service.analysis(code, {
      variable: 'income-quartile',
      population: q.population,
      scale: q.scale,
      year: q.population === 'lettings' ? year : null,
    });
    if (!result) continue;
    const a = result.value;
    indices.push({
      variable: MIX_VARIABLE_LABELS[a.variable],
      population: MIX_POPULATION_LABELS[a.population],
      scale: MIX_SCALE_LABELS[a.scale],
      year: a.year,
      counted: a.total,
      M: a.M,
      H: a.H,
      D: a.dissimilarity,
    });
  }
  return indices;
}

/**
 * Computes the default catalogue of an EPCI ahead of its first visitor (the server calls it at
 * start, after the observatory's snapshot): the publication under secrecy (cached per EPCI, year
 * and data version) and the observatory's indices it shows (cached by the observatory's service).
 */
export async function warmOpenData(db: Db, code: string, service = observatoryServiceFor(db)): Promise<void> {
  const p = await publication(db, service, code, undefined);
  if (p) await catalogueIndices(service, code, p.year);
}

const SOURCES = [
  'Territoire : INSEE/DGCL (COG 2026), IGN (Admin Express, Contours IRIS 2020), ANCT (QPV 2024) — Licence Ouverte 2.0',
  'Revenus : INSEE Filosofi 2018 (calage de la population de démonstration)',
  'Ménages, parc social, demandes et baux : Mosaïque (population générée sur le territoire de démonstration)',
];

export const openDataRoutes =
  (db: Db, service = observatoryServiceFor(db)): FastifyPluginAsyncZod =>
  async (app) => {
    const load = async (code: string, year: number | undefined) => {
      const p = await publication(db, service, code, year);
      if (!p) throw new HttpError(404, `EPCI ${code} inconnu`);
      return p;
    };
    const base = (code: string) => `/api/v1/open-data/territories/${code}`;
    const yearSuffix = (p: Publication, id: DatasetId) =>
      p.year !== null && (id.startsWith('bilan-cia') || id === 'attributions-quartile-qpv')
        ? `&year=${p.year}`
        : '';

    app.get(
      '/open-data/territories/:code',
      {
        schema: {
          tags: ['données ouvertes'],
          summary:
            'Données ouvertes d’un EPCI, sans connexion : jeux de données (CSV, GeoJSON) sous secret statistique, indices de ségrégation, objectifs du bilan de la CIA',
          params,
          querystring: z.object({ year: yearQuery }),
          response: { 200: catalogueSchema, 404: errorBody },
        },
      },
      async (request) => {
        const { code } = request.params;
        const p = await load(code, request.query.year);
        const indices = await catalogueIndices(service, code, p.year);
        return {
          epci: p.epci,
          generated: p.generated,
          licence: { ...OPEN_DATA_LICENCE },
          secrecyThreshold: SECRECY_THRESHOLD,
          years: p.years,
          year: p.year,
          datasets: [...p.tables.values()].map((t) => {
            const id = t.id as DatasetId;
            const url = `${base(code)}/tables/${id}`;
            const geo = (GEOGRAPHIC_DATASETS as readonly string[]).includes(id);
            return {
              id,
              title: t.title,
              description: DATASET_DESCRIPTIONS[id],
              secretCells: t.secretCells,
              csv: `${url}?format=csv${yearSuffix(p, id)}`,
              geojson: geo
                ? {
                    iris: `${url}?format=geojson&level=iris${yearSuffix(p, id)}`,
                    commune: `${url}?format=geojson&level=commune${yearSuffix(p, id)}`,
                  }
                : null,
            };
          }),
          indices,
          review: p.review,
          sources: SOURCES,
        };
      },
    );

    app.get(
      '/open-data/territories/:code/tables/:table',
      {
        schema: {
          tags: ['données ouvertes'],
          summary:
            'Un jeu de données sous secret statistique (effectifs de moins de 11 ménages masqués, secret secondaire) : JSON, CSV ou GeoJSON (par IRIS ou par commune)',
          params: params.extend({
            table: z.enum(DATASET_IDS, `jeu de données inconnu (attendu : ${DATASET_IDS.join(', ')})`),
          }),
          querystring: z.object({
            year: yearQuery,
            format: z
              .enum(['json', 'csv', 'geojson'], 'format inconnu (attendu : json, csv ou geojson)')
              .default('json'),
            level: z
              .enum(['iris', 'commune'], 'niveau inconnu (attendu : iris ou commune)')
              .default('iris')
              .describe('GeoJSON : IRIS ou communes'),
          }),
          response: { 200: tableSchema, 400: errorBody, 404: errorBody },
        },
      },
      async (request, reply) => {
        const { code, table: id } = request.params;
        const { format, level } = request.query;
        const p = await load(code, request.query.year);
        const table = p.tables.get(id);
        if (!table) throw new HttpError(404, `pas de ${id} pour l’EPCI ${code} : aucun bail signé`);
        const yearOf = id.startsWith('bilan-cia') || id === 'attributions-quartile-qpv' ? p.year : null;
        const name = ['mosaique', code, id, yearOf].filter((x) => x !== null).join('-');
        if (format === 'csv') return csv(reply, name, table);
        if (format === 'geojson') {
          if (!(GEOGRAPHIC_DATASETS as readonly string[]).includes(id))
            throw new HttpError(400, `${id} n’a pas de forme cartographique : format csv ou json`);
          const features = level === 'iris' ? await irisFeatures(db, code) : await communeFeatures(db, code);
          const rows = new Map(table.rows.filter((r) => r.level === level).map((r) => [r.code, r]));
          const body = {
            type: 'FeatureCollection',
            name,
            licence: OPEN_DATA_LICENCE.name,
            secrecyThreshold: table.secrecyThreshold,
            features: features.features.flatMap((f) => {
              const row = rows.get(f.properties.code);
              if (!row) return [];
              return [
                {
                  type: 'Feature',
                  id: row.code,
                  geometry: f.geometry,
                  properties: rowProperties(table, row),
                },
              ];
            }),
          };
          return geoJson(reply, `${name}-${level}`, body);
        }
        return {
          ...table,
          description: DATASET_DESCRIPTIONS[id],
          year: yearOf,
          columns: [...table.columns],
          rows: table.rows.map((r) => ({ ...r, cells: [...r.cells] })),
        };
      },
    );
  };

/** The columns of a row in a download: each count followed by its secret flag. */
function rowProperties(table: PublishedTable, row: PublishedTable['rows'][number]) {
  const out: Record<string, string | number | boolean | null> = {
    niveau: row.level,
    code: row.code,
    libelle: row.label,
    parent: row.parent,
  };
  table.columns.forEach((c, k) => {
    out[c.code] = row.cells[k]!.value;
    out[`${c.code}_secret`] = row.cells[k]!.secret;
  });
  out.total = row.total.value;
  out.total_secret = row.total.secret;
  return out;
}

function geoJson(reply: FastifyReply, name: string, body: unknown): never {
  return reply
    .type('application/geo+json; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.geojson"`)
    .serializer((payload: unknown) => payload as string)
    .send(JSON.stringify(body)) as unknown as never;
}

function csv(reply: FastifyReply, name: string, table: PublishedTable): never {
  const header = [
    'niveau',
    'code',
    'libelle',
    'parent',
    ...table.columns.flatMap((c) => [c.code, `${c.code}_secret`]),
    'total',
    'total_secret',
  ];
  const rows = table.rows.map((r) => Object.values(rowProperties(table, r)));
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .serializer((payload: unknown) => payload as string)
    .send(toCsv(header, rows)) as unknown as never;
}
