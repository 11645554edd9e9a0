/**
 * Benchmark of the observatory API on the demo territory (216,000 generated households, 45,000
 * social homes, 12,000 leases). Goal: any variable × population × scale answered in ≤ 300 ms
 * uncached — no result reused: the result cache is emptied before every request.
 *
 * - warm: the columnar snapshot of the EPCI is in memory (the normal case: it is rebuilt only when
 *   the data version changes); every figure is computed from it, through the full Fastify stack
 *   (validation, serialisation, compression as a browser asks for it);
 * - cold: the snapshot is dropped too, so the request also reads the database (first request after
 *   a start or a data change).
 *
 * Database: a fresh PGlite in a temporary folder with the demo territory and population (seed
 * 2026, ≈ 40 s to generate and load), or an existing demo database with MOSAIQUE_DATA_DIR=<folder>
 * (not in use by a running server).
 * Run: npm run bench:observatory
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../apps/server/src/app.ts';
import { observatoryServiceFor } from '../apps/server/src/observatory/observatory-service.ts';
import { DEMO_SEED } from '../apps/server/src/start.ts';
import {
  countHouseholds,
  DEMO_TERRITORY_DIR,
  importTerritory,
  migrate,
  openDb,
  readTerritoryFolder,
  replaceDemoPopulation,
} from '../packages/db/src/index.ts';
import { generateDemoPopulation } from '../packages/domain/src/demo/index.ts';
import { MIX_POPULATIONS, MIX_SCALES, MIX_VARIABLES } from '../packages/domain/src/observatory/index.ts';

const EPCI = '200040715';
const GOAL_MS = 300;
const REPEATS = 3;
const COLD_RUNS = 5;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const fmt = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;
const load = () => loadavg()[0]!.toFixed(2);

const reused = process.env.MOSAIQUE_DATA_DIR;
const tempDir = reused ? null : mkdtempSync(join(tmpdir(), 'mosaique-bench-observatory-'));
const db = await openDb({ dataDir: reused ?? join(tempDir!, 'db') });
try {
  await migrate(db);
  if ((await countHouseholds(db, EPCI)) === 0) {
    process.stdout.write('Préparation : territoire et population de démonstration (graine 2026)… ');
    const started = performance.now();
    const territory = await readTerritoryFolder(DEMO_TERRITORY_DIR);
    if ((await db.query('SELECT 1 FROM epci WHERE code = $1', [EPCI])).length === 0) {
      await importTerritory(db, territory);
    }
    await replaceDemoPopulation(db, generateDemoPopulation(territory, { seed: DEMO_SEED }));
    console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  // No rate limit: the benchmark sends more than the 600 requests a minute a client may.
  const app = await buildApp({ db, rateLimitPerMinute: 1_000_000 });
  const service = observatoryServiceFor(db);
  const request = async (path: string) => {
    const started = performance.now();
    const res = await app.inject({
      url: `/api/v1/territories/${EPCI}/observatory/${path}`,
      headers: { 'accept-encoding': 'br, gzip, deflate' },
    });
    return { ms: performance.now() - started, status: res.statusCode };
  };

  const options = (await app.inject(`/api/v1/territories/${EPCI}/observatory`)).json() as {
    years: number[];
    households: number;
  };
  const year = options.years[0]!;
  const combos = MIX_VARIABLES.flatMap((variable) =>
    MIX_POPULATIONS.flatMap((population) =>
      MIX_SCALES.map((scale) => {
        const query = new URLSearchParams({ variable, population, scale });
        if (population === 'lettings') query.set('year', String(year));
        return { label: `${variable} × ${population} × ${scale}`, query: query.toString() };
      }),
    ),
  );

  // Warm the JIT on a few answers, then measure.
  for (const c of combos.slice(0, 12)) {
    service.clearResults();
    for (const figure of ['indices', 'units', 'uncertainty']) await request(`${figure}?${c.query}`);
  }

  const figures = ['indices', 'units', 'uncertainty'] as const;
  const perFigure: Record<(typeof figures)[number] | 'page', number[]> = {
    indices: [],
    units: [],
    uncertainty: [],
    page: [],
  };
  const refused: { label: string; ms: number }[] = [];
  let slowest = { label: '', figure: '', ms: 0 };
  for (const c of combos) {
    const runs: Record<string, number[]> = { indices: [], units: [], uncertainty: [], page: [] };
    let status = 200;
    for (let r = 0; r < REPEATS; r++) {
      for (const figure of figures) {
        service.clearResults();
        const { ms, status: s } = await request(`${figure}?${c.query}`);
        status = s;
        runs[figure]!.push(ms);
        if (s === 200 && ms > slowest.ms) slowest = { label: c.label, figure, ms };
      }
      // The page asks for the three at once, as the browser does: wall time until the last answer.
      service.clearResults();
      const started = performance.now();
      await Promise.all(figures.map((figure) => request(`${figure}?${c.query}`)));
      runs.page!.push(performance.now() - started);
    }
    if (status !== 200 && status !== 400) throw new Error(`${c.label} : statut ${status}`);
    if (status === 400) {
      refused.push({ label: c.label, ms: median(runs.indices!) });
      continue;
    }
    for (const key of Object.keys(perFigure) as (keyof typeof perFigure)[])
      perFigure[key].push(median(runs[key]!));
  }

  const measured = perFigure.indices.length;
  const cold: number[] = [];
  for (let r = 0; r < COLD_RUNS; r++) {
    service.clearSnapshots();
    const c = combos.filter((x) => !refused.some((f) => f.label === x.label))[(r * 7) % measured]!;
    const { ms, status } = await request(`indices?${c.query}`);
    if (status !== 200 && status !== 400) throw new Error(`${c.label} : statut ${status}`);
    cold.push(ms);
  }
  service.clearResults();
  const schools = (await request('schools/segregation')).ms;

  const warmMax = Math.max(...perFigure.indices, ...perFigure.units, ...perFigure.uncertainty);
  console.log('');
  console.log('Observatoire — API sans cache de résultats (Fastify inject, réponses compressées)');
  console.log(
    `Node ${process.version}, ${cpus()[0]?.model ?? 'CPU inconnu'} × ${cpus().length}, charge ${load()}`,
  );
  console.log(
    `Données : ${options.households} ménages, baux de ${year} pour la population « lettings » ; ` +
      `${measured} combinaisons variable × population × échelle mesurées (${REPEATS} fois chacune, médiane), ` +
      `${refused.length} refusées (400) en ${fmt(median(refused.map((r) => r.ms)))} médiane`,
  );
  console.log('');
  console.log('instantané en mémoire (chaud)         médiane        max');
  for (const [name, key] of [
    ['  /indices (chiffres, lecture)', 'indices'],
    ['  /units (unités, carte)', 'units'],
    ['  /uncertainty (bootstrap)', 'uncertainty'],
    ['  page (les trois à la fois)', 'page'],
  ] as const) {
    console.log(`${name.padEnd(34)} ${fmt(median(perFigure[key]))} ${fmt(Math.max(...perFigure[key]))}`);
  }
  console.log(`  la plus lente : ${slowest.figure} ${slowest.label} (${fmt(slowest.ms).trim()})`);
  console.log('');
  console.log('instantané à relire (froid)           médiane        max');
  console.log(`${'  /indices, base relue'.padEnd(34)} ${fmt(median(cold))} ${fmt(Math.max(...cold))}`);
  console.log(`${'  /schools/segregation'.padEnd(34)} ${fmt(schools)}`);
  console.log('');
  console.log(
    `Objectif ≤ ${GOAL_MS} ms sans cache (instantané chaud) : ${warmMax <= GOAL_MS ? 'ATTEINT' : 'NON ATTEINT'} ` +
      `(max ${warmMax.toFixed(1)} ms sur toutes les requêtes)`,
  );
  await app.close();
} finally {
  await db.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}
