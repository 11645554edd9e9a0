// Import of 100,000 demands (docs/formats/demands.md): a seeded file of realistic rows on the demo
// territory, then (1) validation alone, streamed from disk, of that file and of a variant with 1,000
// bad rows; (2) the whole import as `mosaique demands import` runs it (importDemandFile: read,
// validate and upsert in one transaction, batches written while the file is read) into a fresh PGlite and,
// when DATABASE_URL is set, into a fresh PostgreSQL database, then a second, idempotent import.
// Goals: PostgreSQL ≤ 15 s, PGlite ≤ 60 s, errors of the 1,000-bad-row file found in ≤ 5 s.
// Usage: npm run bench:demands (DATABASE_URL=postgres://… for PostgreSQL too).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type Db,
  DEMO_TERRITORY_DIR,
  demandImportContext,
  importDemandFile,
  importTerritory,
  readDemandFile,
  readTerritoryFolder,
} from '@mosaique/db';
import { createTestDb, type TestDbKind } from '@mosaique/db/testing';
import { csvLine } from '@mosaique/domain/shared/csv.ts';
import { createRandom } from '@mosaique/domain/shared/random.ts';

const N = 100_000;
const BAD = 1_000;
const SEED = 20_260_101;
const TODAY = '2026-01-15';

console.log(
  `Node ${process.version}, ${os.cpus()[0]?.model} × ${os.cpus().length}, charge ${os.loadavg()[0]!.toFixed(1)}`,
);
const territory = await readTerritoryFolder(DEMO_TERRITORY_DIR);
const epci = territory.epci.code;
const communes = territory.communes.map((c) => c.code);
const weights = territory.communes.map((c) => Math.max(1, c.population));

const COLUMNS = [
  'sne_number',
  'registered_on',
  'epci',
  'applicant_birth_date',
  'household_type',
  'persons_14_or_more',
  'persons_under_14',
  'monthly_resources_eur',
  'reference_tax_income_eur',
  'current_housing',
  'current_commune',
  'reasons',
  'desired_communes',
  'desired_typologies',
  'max_rent_eur',
  'priority_criteria',
  'dalo',
  'urban_renewal_relocation',
  'current_social_tenant',
  'wheelchair_access',
  'status',
  'closed_on',
];
const PRIORITIES = ['homeless', 'hosted-or-temporary', 'domestic-violence', 'disability', 'eviction-threat'];
const REASONS = ['too-small', 'too-expensive', 'divorce', 'health', 'unfit', 'far-from-work'];
const HOUSINGS = [
  'private-tenant',
  'hosted-by-family',
  'hosted-by-third-party',
  'temporary-housing',
  'owner',
];

const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** 100,000 valid rows, as CSV lines (header first). */
function generate(): string[] {
  const r = createRandom(SEED);
  const lines = [csvLine(COLUMNS)];
  const start = dayOf('2017-01-01');
  const span = dayOf('2025-12-31') - start;
  for (let i = 0; i < N; i++) {
    const registered = start + r.int(span);
    const reg = iso(registered);
    const age = 18 + (Math.floor(-Math.log(1 - r.next()) * 18) % 70);
    const adults = r.bernoulli(0.55) ? 1 : r.bernoulli(0.85) ? 2 : 3;
    const children = r.bernoulli(0.45) ? 0 : 1 + r.int(4);
    const resources = Math.round(Math.max(0, 1_300 * Math.exp(0.55 * r.normal())) * 100) / 100;
    const socialTenant = r.bernoulli(0.3);
    const desired = new Set([communes[r.weighted(weights)]!]);
    for (let k = r.int(4); k > 0; k--) desired.add(communes[r.weighted(weights)]!);
    const typology = Math.min(6, Math.max(1, adults + Math.ceil(children / 2) - (r.bernoulli(0.5) ? 1 : 0)));
    const closed = r.bernoulli(0.2) ? Math.min(registered + 30 + r.int(1_500), dayOf(TODAY) - 1) : null;
    const priorities = r.bernoulli(0.25) ? [PRIORITIES[r.int(PRIORITIES.length)]!] : [];
    lines.push(
      csvLine([
        `038${reg.slice(2, 4)}${reg.slice(5, 7)}${String(i + 1).padStart(7, '0')}`,
        reg,
        epci,
        iso(registered - age * 365 - r.int(365)),
        adults === 1
          ? children
            ? 'single-parent'
            : 'single'
          : adults === 2
            ? children
              ? 'couple-with-children'
              : 'couple'
            : 'other',
        adults,
        children,
        resources.toFixed(2),
        Math.round(resources * 12 * 0.9),
        socialTenant ? 'social-tenant' : HOUSINGS[r.int(HOUSINGS.length)],
        communes[r.weighted(weights)],
        REASONS[r.int(REASONS.length)],
        [...desired].join('|'),
        typology === 6 ? 'T5|T6' : `T${typology}|T${typology + 1}`,
        r.bernoulli(0.5) ? '' : Math.round(250 + r.int(800)),
        priorities.join('|'),
        r.bernoulli(0.03),
        r.bernoulli(0.02),
        socialTenant,
        r.bernoulli(0.04),
        closed === null ? 'active' : r.bernoulli(0.7) ? 'housed' : 'cancelled',
        closed === null ? '' : iso(closed),
      ]),
    );
  }
  return lines;
}

/** The same file with 1,000 rows spoiled, each by one of the rules of the format. */
function spoil(lines: string[]): string[] {
  const out = lines.slice();
  const spoilers: ((fields: string[]) => void)[] = [
    (f) => (f[12] = `${f[12]}|99999`), // unknown commune
    (f) => (f[1] = '2031-02-01'), // date in the future
    (f) => (f[3] = '2025-12-31'), // registered before birth
    (f) => (f[5] = '0'), // no one aged 14 or more
    (f) => (f[7] = '-120.00'), // negative resources
    (f) => (f[0] = lines[2]!.split(',')[0]!), // duplicate SNE number
    (f) => (f[15] = 'rich'), // unknown priority code
  ];
  const step = Math.floor(N / BAD);
  for (let k = 0; k < BAD; k++) {
    const at = 10 + k * step; // lines[at] is file line at + 1
    const fields = out[at]!.split(',');
    spoilers[k % spoilers.length]!(fields);
    out[at] = fields.join(',');
  }
  return out;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'mosaique-bench-demands-'));
const t0 = performance.now();
const good = generate();
const goodFile = path.join(tmp, 'demandes.csv');
writeFileSync(goodFile, `${good.join('\n')}\n`);
const badFile = path.join(tmp, 'demandes-1000-erreurs.csv');
writeFileSync(badFile, `${spoil(good).join('\n')}\n`);
console.log(`${N} demandes générées (graine ${SEED}) en ${(performance.now() - t0).toFixed(0)} ms`);

const seconds = (ms: number) => `${(ms / 1000).toFixed(2).padStart(6)} s`;
const context = {
  knownEpcis: new Set([epci]),
  knownCommunes: new Map(communes.map((c) => [c, epci])),
  today: TODAY,
};

for (const [label, file] of [
  ['validation seule, fichier valide', goodFile],
  ['validation seule, 1 000 lignes en erreur', badFile],
] as const) {
  const started = performance.now();
  const v = await readDemandFile(file, context);
  const ms = performance.now() - started;
  console.log(
    `${label.padEnd(44)} ${seconds(ms)}  (${v.demands.length} valides, ${v.rejected.length} rejetées, ${v.issues.length} erreur(s))  objectif ≤ 5 s`,
  );
  if (file === badFile && v.rejected.length !== BAD) throw new Error(`attendu ${BAD} lignes rejetées`);
}

async function importInto(kind: TestDbKind, goalS: number): Promise<void> {
  const db: Db = await createTestDb(kind);
  try {
    await importTerritory(db, territory);
    for (const label of ['premier import (base vide)', 'second import (rien ne change)']) {
      const started = performance.now();
      const { report } = await importDemandFile(db, goodFile, {
        ...(await demandImportContext(db)),
        today: TODAY,
      });
      const ms = performance.now() - started;
      if (report === null) throw new Error('import refusé');
      console.log(
        `${`${kind}, ${label}`.padEnd(44)} ${seconds(ms)}  (${report.inserted} créée(s), ${report.updated} modifiée(s), ${report.unchanged} inchangée(s))  objectif ≤ ${goalS} s`,
      );
    }
  } finally {
    await db.close();
  }
}

await importInto('pglite', 60);
if (process.env.DATABASE_URL) await importInto('postgres', 15);
else console.log('PostgreSQL : DATABASE_URL absente, import non mesuré');
rmSync(tmp, { recursive: true, force: true });
