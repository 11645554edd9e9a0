import {
  type Db,
  DEMO_TERRITORY_DIR,
  importTerritory,
  readTerritoryFolder,
  replaceDemoPopulation,
} from '@mosaique/db';
import { createTestDb, testDbKinds, tinyPopulation } from '@mosaique/db/testing';
import type { DemoPopulation } from '@mosaique/domain/demo';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

const BASE = '/api/v1/territories/200040715/observatory';

/**
 * The tiny population (4 single-parent households in Grenoble, 2 of them social tenants), plus 12
 * households in a Grenoble IRIS (6 singles, 6 couples) and 6 singles in Échirolles: 22 households.
 */
function smallPopulation(echirollesIris: string): DemoPopulation {
  const population = tinyPopulation(9);
  const template = population.households[3]!;
  const extra = (id: string, iris: string, commune: string, type: 'single' | 'couple', income: number) => ({
    ...template,
    id,
    iris,
    commune,
    type,
    tenure: 'owner' as const,
    home: null,
    persons14OrMore: type === 'single' ? 1 : 2,
    personsUnder14: 0,
    annualDisposableIncomeEur: income,
  });
  for (let i = 0; i < 12; i++) {
    population.households.push(
      extra(`G${i}`, '381850101', '38185', i % 2 ? 'couple' : 'single', 15_000 + 1_000 * i),
    );
  }
  for (let i = 0; i < 6; i++)
    population.households.push(extra(`E${i}`, echirollesIris, '38151', 'single', 11_000 + i));
  return population;
}

/** M = Σ_u Σ_g (t_ug/T) ln(t_ug T / (t_u t_g)), from the counts, by hand. */
function mutualInformationByHand(counts: number[][]): number {
  const T = counts.flat().reduce((s, n) => s + n, 0);
  const groupTotals = counts[0]!.map((_, g) => counts.reduce((s, row) => s + row[g]!, 0));
  let m = 0;
  for (const row of counts) {
    const tu = row.reduce((s, n) => s + n, 0);
    row.forEach((n, g) => {
      if (n > 0) m += (n / T) * Math.log((n * T) / (tu * groupTotals[g]!));
    });
  }
  return m;
}

describe.each(testDbKinds())('observatory API on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await createTestDb(kind);
    const territory = await readTerritoryFolder(DEMO_TERRITORY_DIR);
    await importTerritory(db, territory);
    await replaceDemoPopulation(db, smallPopulation(territory.iris.find((i) => i.commune === '38151')!.code));
    app = await buildApp({ db });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const get = (path: string) => app.inject(`${BASE}${path}`);

  it('lists what can be measured: variables with their groups, populations with their scales, years', async () => {
    const res = await get('');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.variables.map((v: { code: string }) => v.code)).toEqual([
      'income-quartile',
      'household-type',
      'age-band',
      'tenure',
    ]);
    expect(body.populations.find((p: { code: string }) => p.code === 'households').scales).toEqual([
      'commune',
      'iris',
      'qpv',
    ]);
    expect(body).toMatchObject({
      years: [2024],
      households: 22,
      secrecyThreshold: 11,
      // One lease: a count from 1 to 10, secret.
      lettings: [{ year: 2024, count: null }],
    });
  });

  it('computes M and H at the commune scale as by hand, with a reading in French', async () => {
    const res = await get('/indices?variable=household-type&population=households&scale=commune');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // Grenoble: 6 singles, 6 couples, 4 single-parent families; Échirolles: 6 singles.
    const m = mutualInformationByHand([
      [6, 6, 4],
      [6, 0, 0],
    ]);
    const entropy = -[12, 6, 4].reduce((s, n) => s + (n / 22) * Math.log(n / 22), 0);
    expect(body.total).toBe(22);
    expect(body.indices.M).toBeCloseTo(m, 12);
    expect(body.indices.H).toBeCloseTo(m / entropy, 12);
    expect(body.decomposition).toEqual([expect.objectContaining({ level: 'commune', share: 1 })]);
    expect(body.reading[0]).toMatch(
      /^Le type de ménage sépare les ménages entre communes\u00a0: connaître la commune/,
    );
    expect(body.underIndependence.iterations).toBe(100);
    expect(body.cached).toBe(false);
    expect(res.headers['server-timing']).toMatch(/compute;dur=/);
    expect(
      (await get('/indices?variable=household-type&population=households&scale=commune')).json().cached,
    ).toBe(true);
  });

  it('gives bootstrap intervals in a separate answer, seeded: the same twice', async () => {
    const query = '/uncertainty?variable=household-type&population=households&scale=iris';
    const first = (await get(query)).json();
    expect(first).toMatchObject({ iterations: 100, confidence: 0.95 });
    expect(first.M.ci[0]).toBeLessThanOrEqual(first.M.ci[1]);
    const { cached: _, ...again } = (await get(query)).json();
    const { cached: __, ...firstWithoutCache } = first;
    expect(again).toEqual(firstWithoutCache);
  });

  it('withholds units whose total is secret: under 11 households, or giving one back from the EPCI’s', async () => {
    const units = (await get('/units?variable=household-type&population=households&scale=commune')).json();
    // Échirolles (6 households) is secret; Grenoble (16) would give it back as 22 − 16: secret too.
    expect(units.withheld).toBe(2);
    expect(units.units).toEqual([]);
    const indices = (
      await get('/indices?variable=household-type&population=households&scale=commune')
    ).json();
    expect(indices.total).toBe(22);
    // EPCI: 12 singles, 6 couples, 4 single-parent families: 6 and 4 are secret, and 12 with them
    // (the two alone would hide 10 households, which 22 − 12 would give back).
    expect(indices.groups.map((g: { count: number | null; secret: boolean }) => [g.count, g.secret])).toEqual(
      [
        [null, true],
        [null, true],
        [null, true],
        [0, false],
        [0, false],
      ],
    );
    const csv = await get('/units?variable=household-type&population=households&scale=commune&format=csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="mosaique-200040715-unites-household-type-households-commune.csv"',
    );
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^epci,variable,population,echelle,annee,version_donnees,code,nom,/);
    expect(lines[0]).toContain(',score_local,part_de_M,score_local_secret,part_single,part_single_secret,');
    expect(lines).toHaveLength(1);
    expect(csv.body).not.toContain('Échirolles');
  });

  it('downloads the indices and the decomposition as CSV', async () => {
    const indices = await get(
      '/indices?variable=income-quartile&population=households&scale=iris&format=csv',
    );
    expect(indices.statusCode).toBe(200);
    const lines = indices.body.trim().split('\r\n');
    expect(lines.map((l) => l.split(',')[6])).toEqual(['indice', 'M', 'H', 'D']);
    const decomposition = await get(
      '/decomposition?variable=income-quartile&population=households&scale=iris&format=csv',
    );
    expect(decomposition.body.split('\r\n')[0]).toBe(
      'epci,variable,population,echelle,annee,version_donnees,niveau,libelle,M,H,part_de_M',
    );
    expect(decomposition.body).toContain('Entre IRIS d’une même commune');
  });

  it('refuses in French what does not apply: residence scale for all households, a missing year, one group', async () => {
    const residence = await get('/indices?variable=age-band&population=households&scale=residence');
    expect(residence.statusCode).toBe(400);
    expect(residence.json().error).toContain(
      'ne s’applique qu’aux occupants du parc social et aux attributions',
    );
    const noYear = await get('/indices?variable=age-band&population=lettings&scale=iris');
    expect(noYear.statusCode).toBe(400);
    expect(noYear.json().error).toBe('Choisissez l’année des attributions (années disponibles : 2024).');
    const oneGroup = await get('/indices?variable=tenure&population=social-occupants&scale=iris');
    expect(oneGroup.statusCode).toBe(400);
    expect(oneGroup.json().error).toContain('appartiennent au même groupe');
    const badVariable = await get('/indices?variable=colour&population=households&scale=iris');
    expect(badVariable.statusCode).toBe(400);
    expect(badVariable.json().details).toContain('variable inconnue');
    expect(
      (
        await app.inject(
          '/api/v1/territories/123456789/observatory/indices?variable=tenure&population=households&scale=iris',
        )
      ).json(),
    ).toEqual({ error: 'EPCI 123456789 inconnu' });
  });

  it('recomputes once the data changed, and only then', async () => {
    const query = '/indices?variable=tenure&population=households&scale=iris';
    const before = (await get(query)).json();
    expect((await get(query)).json().cached).toBe(true);
    await db.query("UPDATE household SET tenure = 'private-tenant' WHERE id LIKE 'E%'");
    const after = (await get(query)).json();
    expect(after.cached).toBe(false);
    expect(after.dataVersion).not.toBe(before.dataVersion);
    expect(after.indices.M).not.toBe(before.indices.M);
  });

  it('gives the schools with their IPS and η² per commune and year, as JSON and CSV', async () => {
    const schools = (await get('/schools')).json();
    expect(schools.schools.filter((s: { level: string }) => s.level === 'college')).toHaveLength(41);
    expect(schools.schoolYears[0]).toMatch(/^\d{4}-\d{4}$/);
    const segregation = (await get('/schools/segregation')).json();
    const grenoble = segregation.rows.find(
      (r: { level: string; commune: string | null }) => r.level === 'college' && r.commune === '38185',
    );
    expect(grenoble.eta2).toBeGreaterThan(0);
    expect(grenoble.eta2).toBeLessThan(1);
    expect(
      segregation.rows
        .filter((r: { level: string }) => r.level === 'ecole')
        .every((r: { eta2: null }) => r.eta2 === null),
    ).toBe(true);
    const csv = await get('/schools/segregation?format=csv');
    expect(csv.body.split('\r\n')[0]).toBe(
      'annee_scolaire,niveau,commune,nom_commune,etablissements,eleves,ips_moyen,dispersion_ips,variance_inter,variance_intra,eta2',
    );
    expect((await get('/schools?format=csv')).body.split('\r\n')[0]).toBe(
      'uai,nom,niveau,secteur,commune,nom_commune,annee_scolaire,eleves,ips,ecart_type_ips',
    );
  });

  it('documents the observatory routes in the OpenAPI document', async () => {
    const doc = (await app.inject('/api/docs/json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/territories/{code}/observatory',
        '/api/v1/territories/{code}/observatory/indices',
        '/api/v1/territories/{code}/observatory/uncertainty',
        '/api/v1/territories/{code}/observatory/decomposition',
        '/api/v1/territories/{code}/observatory/units',
        '/api/v1/territories/{code}/observatory/schools',
        '/api/v1/territories/{code}/observatory/schools/segregation',
      ]),
    );
  });
});
