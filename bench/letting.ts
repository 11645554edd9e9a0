/**
 * `npm run bench:letting`: advert search of the location choisie under load.
 *
 * Goal (issue « location choisie ») : with 10 000 published adverts and 50 000 applicants on
 * PostgreSQL, GET /api/v1/adverts answers at 200 requests/s with p99 ≤ 100 ms (autocannon or wrk against a
 * server on localhost).
 *
 * Set-up, in a throwaway database created on the PostgreSQL server of DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) and dropped at the end: the demo territory and demo
 * population (seed 1), demands cloned up to 50 000 active applicants, scored with the demo cotation
 * grid; 10 000 extra vacant homes spread over the demo residences, each published in one open cycle
 * of the EPCI; 0 to 3 active applications per applicant (≈ 100 000). Then, anonymous and as 100
 * distinct signed-in applicants (eligibility, chance and own application on each advert), each
 * request one of a dozen filter combinations with the headers a browser sends (Accept-Encoding: br,
 * gzip), with the platform's read cache (5 s; MOSAIQUE_BENCH_CACHE_MS) and MOSAIQUE_BENCH_WRITES
 * (default 2) writes per second (an application, then its withdrawal) that empty it:
 * - the measure: MOSAIQUE_BENCH_RATE (default 200) requests/s at a constant arrival rate for
 *   MOSAIQUE_BENCH_SECONDS (default 20), from a separate process, each latency counted from the
 *   moment its request was due (bench/paced-load.ts, the method of wrk2);
 * - for comparison, autocannon at the same overall rate (see `run` for how it spreads it).
 */
import os from 'node:os';
import {
  activateGridVersion,
  createCycle,
  createUser,
  type Db,
  DEMO_TERRITORY_DIR,
  importTerritory,
  migrate,
  openDb,
  readTerritoryFolder,
  replaceDemoPopulation,
  saveDraftGrid,
} from '@mosaique/db';
import { createTestDb } from '@mosaique/db/testing';
import { DEFAULT_COTATION_GRID } from '@mosaique/domain/cotation';
import { generateDemoPopulation } from '@mosaique/domain/demo';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app.ts';
import { hashPassword } from '../apps/server/src/auth/passwords.ts';
import { rescoreDemands } from '../apps/server/src/cotation/rescore.ts';
import { ReadCache } from '../apps/server/src/letting/read-cache.ts';
import { type PacedResult, runPacedLoad } from './paced-load.ts';

const EPCI = '200040715';
const ADVERTS = 10_000;
const APPLICANTS = 50_000;
const SECONDS = Number(process.env.MOSAIQUE_BENCH_SECONDS ?? 20);
const RATE = Number(process.env.MOSAIQUE_BENCH_RATE ?? 200);
const GOAL_P99_MS = 100;
/** Distinct signed-in applicants whose searches are mixed in the second run. */
const SIGNED_IN = 100;
/** Writes per second during the runs (an application then its withdrawal), each emptying the cache. */
const WRITES_PER_SECOND = Number(process.env.MOSAIQUE_BENCH_WRITES ?? 2);
const PASSWORD = 'mot de passe du banc d’essai';

process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const cpus = os.cpus();
console.log(
  `Node ${process.version} · ${cpus[0]?.model ?? 'CPU inconnu'} · ${cpus.length} cœurs · charge ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(
      ' ',
    )} · ${(os.totalmem() / 2 ** 30).toFixed(0)} Go · PostgreSQL ${new URL(process.env.DATABASE_URL).host}`,
);

const step = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const out = await run();
  console.log(`  ${label} : ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return out;
};

/** MOSAIQUE_BENCH_DB=name keeps the prepared database under that name and reuses it (for profiling). */
async function benchDb(): Promise<{ db: Db; prepared: boolean }> {
  const name = process.env.MOSAIQUE_BENCH_DB;
  if (!name) return { db: await createTestDb('postgres'), prepared: false };
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error('MOSAIQUE_BENCH_DB : nom de base invalide');
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  if (!exists) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  const db = await openDb({ databaseUrl: url.toString() });
  await migrate(db);
  const [row] = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM app_user WHERE identifier LIKE 'demandeur-banc-%'",
  );
  return { db, prepared: row!.n > 0 };
}

const { db, prepared } = await benchDb();
try {
  if (!prepared) await prepare(db);
  await measure(db);
} finally {
  await db.close();
}

async function prepare(db: Db): Promise<void> {
  console.log('Préparation (base jetable) :');
  const territory = await readTerritoryFolder(DEMO_TERRITORY_DIR);
  await step('territoire et population de démonstration', async () => {
    await importTerritory(db, territory);
    await replaceDemoPopulation(db, generateDemoPopulation(territory, { seed: 1 }));
  });
  await step(`demandes portées à ${APPLICANTS} demandeurs actifs`, async () => {
    const [{ n }] = (await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM demand WHERE epci_code = $1 AND status = 'active'",
      [EPCI],
    )) as [{ n: number }];
    const missing = APPLICANTS - n;
    if (missing > 0)
      // Copies of active demands (no household: they are not in the population's dwellings).
      await db.query(
        `INSERT INTO demand (sne_number, epci_code, household_id, registered_on, applicant_birth_date, household_type,
           persons_14_or_more, persons_under_14, monthly_resources_eur, reference_tax_income_eur, current_housing,
           current_commune_code, reasons, desired_communes, desired_typologies, max_rent_eur, priority_criteria, dalo,
           urban_renewal_relocation, current_social_tenant, wheelchair_access, status, closed_on, generated)
         SELECT 'BENCH' || lpad(g::text, 6, '0'), d.epci_code, NULL,
                d.registered_on - ((g % 700) || ' days')::interval, d.applicant_birth_date - interval '800 days',
                d.household_type, d.persons_14_or_more, d.persons_under_14, d.monthly_resources_eur * (0.8 + (g % 5) / 10.0),
                d.reference_tax_income_eur, d.current_housing, d.current_commune_code, d.reasons, d.desired_communes,
                d.desired_typologies, d.max_rent_eur, d.priority_criteria, d.dalo, d.urban_renewal_relocation,
                d.current_social_tenant, d.wheelchair_access, 'active', NULL, true
         FROM generate_series(1, $2::int) g
         JOIN (
           SELECT *, row_number() OVER (ORDER BY sne_number) AS i FROM demand WHERE epci_code = $1 AND status = 'active'
         ) d ON d.i = 1 + g % $3::int`,
        [EPCI, missing, n],
      );
  });
  await step('notes de cotation (grille de démonstration)', async () => {
    const grid = await saveDraftGrid(db, EPCI, DEFAULT_COTATION_GRID, null);
    await activateGridVersion(db, EPCI, grid.id, grid.version);
    await rescoreDemands(db, EPCI, grid, new Date().toISOString().slice(0, 10));
  });
  const cycle = await createCycle(db, {
    epci: EPCI,
    landlordId: null,
    name: 'Cycle du banc d’essai',
    opensAt: new Date(Date.now() - 86_400_000).toISOString(),
    closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    maxActiveApplications: 3,
    createdBy: null,
  });
  await step(`${ADVERTS} logements vacants publiés`, async () => {
    await db.query(
      `WITH r AS (SELECT id, row_number() OVER (ORDER BY id) AS i, count(*) OVER () AS n FROM residence WHERE epci_code = $1),
            rh AS (SELECT array_agg(id ORDER BY id) AS ids FROM reservation_holder)
       INSERT INTO home (id, epci_code, residence_id, typology, surface_m2, floor, lift, accessible, financing, rent_eur,
                         charges_eur, reservation_holder_id)
       SELECT 'bench-' || g, $1, r.id, 1 + (g * 7) % 5, 25 + ((g * 7) % 5) * 17 + g % 9, g % 8, g % 3 <> 0, g % 11 = 0,
              (ARRAY['PLAI', 'PLUS', 'PLS'])[1 + g % 3], 220 + (g * 37) % 480, 40 + (g * 13) % 110,
              rh.ids[1 + g % cardinality(rh.ids)]
       FROM generate_series(1, $2::int) g JOIN r ON r.i = 1 + g % r.n CROSS JOIN rh`,
      [EPCI, ADVERTS],
    );
    await db.query(
      `INSERT INTO advert (id, epci_code, home_id, landlord_id, cycle_id, description, energy_label, status, published_at)
       SELECT gen_random_uuid()::text, m.epci_code, m.id, r.landlord_id, $2,
              'Logement du banc d’essai, lumineux, proche des transports et des écoles.',
              (ARRAY['A', 'B', 'C', 'D', 'E', 'F', 'G'])[1 + length(m.id) % 7], 'published',
              now() - ((substr(m.id, 7)::int % 997) || ' minutes')::interval
       FROM home m JOIN residence r ON r.id = m.residence_id WHERE m.id LIKE 'bench-%' AND m.epci_code = $1`,
      [EPCI, cycle.id],
    );
  });
  await step('candidatures (0 à 3 par demandeur)', async () => {
    await db.query(
      `WITH a AS (SELECT id, row_number() OVER (ORDER BY id) AS i FROM advert WHERE cycle_id = $2),
            d AS (SELECT sne_number, row_number() OVER (ORDER BY sne_number) AS i FROM demand WHERE epci_code = $1 AND status = 'active')
       INSERT INTO application (id, epci_code, advert_id, cycle_id, sne_number, status)
       SELECT gen_random_uuid()::text, $1, a.id, $2, d.sne_number, 'active'
       FROM d CROSS JOIN generate_series(1, (d.i % 4)::int) k
       JOIN a ON a.i = 1 + (d.i * 7919 + k * 3331) % $3`,
      [EPCI, cycle.id, ADVERTS],
    );
    // As autovacuum leaves a database at rest (statistics, visibility map for index-only scans).
    await db.query('VACUUM ANALYZE');
  });
  const counts = (
    await db.query<{ adverts: number; applicants: number; applications: number }>(
      `SELECT (SELECT count(*)::int FROM advert WHERE status = 'published') AS adverts,
              (SELECT count(*)::int FROM demand WHERE status = 'active') AS applicants,
              (SELECT count(*)::int FROM application WHERE status = 'active') AS applications`,
    )
  )[0]!;
  console.log(
    `  ${counts.adverts} annonces publiées, ${counts.applicants} demandeurs actifs, ${counts.applications} candidatures actives`,
  );

  // The signed-in applicants: demands with applications (their chance is computed on each advert).
  const applicants = await db.query<{ sne: string }>(
    `SELECT DISTINCT d.sne_number AS sne FROM demand d JOIN application ap ON ap.sne_number = d.sne_number
     WHERE d.status = 'active' AND d.household_id IS NOT NULL ORDER BY d.sne_number LIMIT $1`,
    [SIGNED_IN],
  );
  const passwordHash = await hashPassword(PASSWORD);
  for (const [i, a] of applicants.entries()) {
    await createUser(db, {
      identifier: `demandeur-banc-${i}`,
      displayName: 'Demandeur du banc d’essai',
      role: 'applicant',
      landlordId: null,
      reservationHolderId: null,
      epciCode: EPCI,
      sneNumber: a.sne,
      passwordHash,
    });
  }
}

async function measure(db: Db): Promise<void> {
  // The platform's configuration (apps/server/src/start.ts): search reads cached 5 s at most,
  // emptied by every write.
  const app = await buildApp({
    db,
    readCache: new ReadCache(Number(process.env.MOSAIQUE_BENCH_CACHE_MS ?? 5000)),
    secureCookies: false,
    rateLimitPerMinute: 1_000_000,
    loginPerMinute: 1000,
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const sessions: { cookie: string; csrf: string }[] = [];
    for (let i = 0; i < SIGNED_IN; i++) {
      const login = await fetch(`${address}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: address },
        body: JSON.stringify({ identifier: `demandeur-banc-${i}`, password: PASSWORD }),
      });
      if (!login.ok) throw new Error(`connexion refusée : ${login.status} ${await login.text()}`);
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      sessions.push({ cookie: login.headers.getSetCookie()[0]!.split(';')[0]!, csrf: csrfToken });
    }
    const cookie = sessions[0]!.cookie;

    const communes = (
      await db.query<{ code: string }>(
        "SELECT r.commune_code AS code, count(*) FROM advert a JOIN home m ON m.id = a.home_id JOIN residence r ON r.id = m.residence_id WHERE a.status = 'published' GROUP BY 1 ORDER BY 2 DESC LIMIT 6",
      )
    ).map((r) => r.code);
    const queries = [
      '',
      'typologies=2',
      'typologies=2,3',
      'typologies=3,4&maxTotalRentEur=650',
      'maxTotalRentEur=500',
      `communes=${communes[0]}`,
      `communes=${communes.slice(1, 4).join(',')}&typologies=2,3`,
      'accessible=true',
      'lift=true&typologies=1,2',
      'maxFloorWithoutLift=1',
      `communes=${communes[4]},${communes[5]}&maxTotalRentEur=600`,
      'typologies=5&accessible=true',
    ];
    const sizes: number[] = [];
    for (const q of queries) {
      const r = await fetch(`${address}/api/v1/adverts?epci=${EPCI}${q ? `&${q}` : ''}`, {
        headers: { cookie },
      });
      sizes.push(((await r.json()) as { adverts: unknown[] }).adverts.length);
    }
    console.log(
      `  ${queries.length} recherches, de ${Math.min(...sizes)} à ${Math.max(...sizes)} annonces par réponse`,
    );

    // Writes during the measured runs: one applicant applies to an advert, then withdraws, and again.
    // The advert: the first one of the list they are eligible for and have not applied to.
    const writer = sessions[1]!;
    const eligible = (await (
      await fetch(`${address}/api/v1/adverts?epci=${EPCI}&limit=200`, { headers: { cookie: writer.cookie } })
    ).json()) as { adverts: { id: string; myApplication: unknown }[] };
    const target = eligible.adverts.find((a) => a.myApplication === null);
    if (!target) throw new Error('aucune annonce à laquelle le demandeur du banc puisse candidater');
    const writeHeaders = { cookie: writer.cookie, 'x-csrf-token': writer.csrf, origin: address };
    let writes = 0;
    let failedWrites = 0;
    const write = async () => {
      const applied = await fetch(`${address}/api/v1/adverts/${target.id}/applications`, {
        method: 'POST',
        headers: { ...writeHeaders, 'content-type': 'application/json' },
        body: '{}',
      });
      if (!applied.ok) return void failedWrites++;
      const { id } = (await applied.json()) as { id: string };
      const withdrawn = await fetch(`${address}/api/v1/applications/${id}`, {
        method: 'DELETE',
        headers: writeHeaders,
      });
      if (withdrawn.ok) writes += 2;
      else failedWrites++;
    };

    /** Runs `measureOnce` with the writes going on; the writes are counted for that run only. */
    const withWrites = async <T>(measureOnce: () => Promise<T>): Promise<T> => {
      writes = 0;
      failedWrites = 0;
      const writing =
        WRITES_PER_SECOND > 0
          ? setInterval(() => void write().catch(() => failedWrites++), 2000 / WRITES_PER_SECOND)
          : undefined;
      try {
        return await measureOnce();
      } finally {
        clearInterval(writing);
      }
    };
    const line = (label: string, r: PacedResult) => {
      const ok = r.p99 <= GOAL_P99_MS && r.non2xx === 0 && r.errors === 0;
      console.log(
        `  ${label.padEnd(34)} ${r.requests} requêtes, ${r.served.toFixed(0)} req/s ; ` +
          `latence p50 ${r.p50} ms, p90 ${r.p90} ms, p99 ${r.p99} ms, max ${r.max} ms ; ` +
          `erreurs ${r.errors}, non-2xx ${r.non2xx} ; ${writes} écritures${failedWrites ? ` (${failedWrites} refusées)` : ''}` +
          `  objectif p99 ≤ ${GOAL_P99_MS} ms ${ok ? '✓' : '✗'}`,
      );
      return ok;
    };
    const run = async (label: string, headerSets: Record<string, string>[]) => {
      console.log(`${label} :`);
      const requests = requestsFor(headerSets);
      // Warm-up (JIT, plans, caches), not measured.
      await autocannon({ url: address, connections: 10, amount: 200, requests });
      // The measure: constant arrival rate from a separate process (bench/paced-load.ts).
      const paced = await withWrites(() =>
        runPacedLoad({
          address,
          requests: requests.map(({ path, headers }) => ({ path, headers })),
          rate: RATE,
          seconds: SECONDS,
        }),
      );
      const ok = line('débit constant (processus séparé)', paced);
      // For comparison, autocannon in a worker thread: each of its 20 connections sends its share of
      // the second's requests one after the other at the start of each second (bursts of 200), and
      // its own « coordinated omission » correction assumes 1 ms between requests (Math.ceil(1 / rate)
      // with a rate per second), counting an answer of n ms about n times: it is turned off.
      const cannon = await withWrites(() =>
        autocannon({
          url: address,
          workers: 1,
          connections: 20,
          overallRate: RATE,
          duration: SECONDS,
          ignoreCoordinatedOmission: true,
          requests,
        }),
      );
      line('autocannon (rafales, comparaison)', {
        requests: cannon.requests.total,
        served: cannon.requests.average,
        ...cannon.latency,
        errors: cannon.errors,
        non2xx: cannon.non2xx,
      });
      return ok;
    };
    // Every search of every header set (one per signed-in applicant), interleaved.
    const requestsFor = (headerSets: Record<string, string>[]) =>
      headerSets.flatMap((headers, i) =>
        queries.map((_, k) => {
          const q = queries[(k + i) % queries.length];
          return {
            method: 'GET' as const,
            path: `/api/v1/adverts?epci=${EPCI}${q ? `&${q}` : ''}`,
            headers: { 'accept-encoding': 'br, gzip', accept: 'application/json', ...headers },
          };
        }),
      );
    console.log(`GET /api/v1/adverts à ${RATE} requêtes/s pendant ${SECONDS} s :`);
    console.log(
      `  lectures mises en cache 5 s au plus, ce qu’une écriture change vidé à l’instant ; ${WRITES_PER_SECOND} écritures/s pendant la mesure (MOSAIQUE_BENCH_WRITES)`,
    );
    const anonymous = await run('anonyme', [{}]);
    const signedIn = await run(
      `${SIGNED_IN} demandeurs connectés`,
      sessions.map((x) => ({ cookie: x.cookie })),
    );
    if (!anonymous || !signedIn) process.exitCode = 1;

    // The map counts every advert matching the filters (GET /advert-places), one request at a time.
    const timed = async (label: string, path: string, headers: Record<string, string> = {}) => {
      const started = performance.now();
      const r = await fetch(`${address}/api/v1${path}`, { headers });
      const { total } = (await r.json()) as { total: number };
      console.log(`  ${label} : ${(performance.now() - started).toFixed(0)} ms (${total} annonces)`);
    };
    console.log('GET /api/v1/advert-places (la carte : toutes les annonces, comptées par IRIS) :');
    await timed('anonyme, première lecture', `/advert-places?epci=${EPCI}`);
    await timed('anonyme, en cache', `/advert-places?epci=${EPCI}`);
    // Another filter (same adverts): not the anonymous answer's cached rows.
    const all = '/advert-places?typologies=1,2,3,4,5,6';
    await timed('demandeur connecté, première lecture (éligibilité à chaque annonce)', all, { cookie });
    await timed('demandeur connecté, en cache', all, { cookie });
  } finally {
    await app.close();
  }
}
