// Generation of the whole demo population (stock, households, register, lettings, thresholds) and its
// serialisation to files, for three seeds (the first run includes the JIT's warm-up).
// Then loads one population into a fresh embedded database (PGlite), as the first `npm start` does.
// Usage: npm run bench:demo. Goals: < 30 s for generation and files; < 30 s for loading into PGlite.
import { createHash } from 'node:crypto';
import os from 'node:os';
import {
  DEMO_TERRITORY_DIR,
  importTerritory,
  readTerritoryFolder,
  replaceDemoPopulation,
} from '@mosaique/db';
import { createTestDb } from '@mosaique/db/testing';
import {
  calibrationChecks,
  ciaOutcomes,
  demoPopulationFiles,
  generateDemoPopulation,
} from '@mosaique/domain/demo';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const territory = await readTerritoryFolder(DEMO_TERRITORY_DIR);
console.log(`Node ${process.version}, ${os.cpus()[0]?.model} × ${os.cpus().length}`);

for (const seed of [1, 2, 3]) {
  const started = performance.now();
  const population = generateDemoPopulation(territory, { seed });
  const generated = performance.now();
  const files = demoPopulationFiles(population, sha256);
  const done = performance.now();
  const bytes = Object.values(files).reduce((n, text) => n + Buffer.byteLength(text), 0);
  console.log(
    `graine ${seed} : génération ${(generated - started).toFixed(0).padStart(5)} ms, fichiers ${(
      done - generated
    )
      .toFixed(0)
      .padStart(
        5,
      )} ms, total ${(done - started).toFixed(0).padStart(5)} ms (${(bytes / 1e6).toFixed(1)} Mo)  objectif < 30 000 ms`,
  );
  if (seed === 1) {
    console.log(
      `  ${population.households.length} ménages, ${population.homes.length} logements, ${population.residences.length} résidences, ` +
        `${population.demands.length} demandes, ${population.leases.length} baux`,
    );
    const checks = calibrationChecks(territory, population);
    const worst = (k: 0 | 1 | 2) => Math.max(...checks.map((c) => Math.abs(c.relativeError[k]))) * 100;
    console.log(
      `  calage Filosofi (${checks.length} IRIS) : écart max D1 ${worst(0).toFixed(2)} %, médiane ${worst(1).toFixed(2)} %, D9 ${worst(2).toFixed(2)} %`,
    );
    for (const o of ciaOutcomes(population)) {
      console.log(
        `  ${o.year} : ${o.leases} baux, seuil Q1 ${o.thresholdEur} €, hors QPV Q1 ou relogés ${(100 * o.outsideQpvFirstQuartileOrRenewalShare).toFixed(1)} % (objectif ≥ 25 %), en QPV hors Q1 ${(100 * o.insideQpvOtherQuartilesShare).toFixed(1)} % (objectif ≥ 50 %)`,
      );
    }
  }
}

{
  const population = generateDemoPopulation(territory, { seed: 1 });
  const db = await createTestDb('pglite');
  await importTerritory(db, territory);
  const started = performance.now();
  await replaceDemoPopulation(db, population);
  const ms = performance.now() - started;
  const rows =
    population.households.length +
    population.homes.length +
    population.demands.length +
    population.leases.length;
  console.log(`chargement dans PGlite : ${ms.toFixed(0)} ms (${rows} lignes)  objectif < 30 000 ms`);
  await db.close();
}
