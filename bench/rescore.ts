// Re-scoring the demo register end to end, database included (issue 5 goal: ≤ 10 s): read every
// active demand, score it under the demo grid, store the totals — on a fresh embedded database
// (PGlite) and, when DATABASE_URL is set, on that PostgreSQL server.
// Usage: npm run bench:cotation (after bench/cotation.ts), or tsx bench/rescore.ts
import os from 'node:os';
import {
  activateGridVersion,
  DEMO_TERRITORY_DIR,
  importTerritory,
  readTerritoryFolder,
  replaceDemoPopulation,
  saveDraftGrid,
} from '@mosaique/db';
import { createTestDb, type TestDbKind, testDbKinds } from '@mosaique/db/testing';
import { DEFAULT_COTATION_GRID } from '@mosaique/domain/cotation';
import { generateDemoPopulation } from '@mosaique/domain/demo';
import { rescoreDemands } from '../apps/server/src/cotation/rescore.ts';

console.log(`Node ${process.version}, ${os.cpus()[0]?.model} × ${os.cpus().length}`);
const territory = await readTerritoryFolder(DEMO_TERRITORY_DIR);
const population = generateDemoPopulation(territory, { seed: 2026 });
for (const kind of testDbKinds() as TestDbKind[]) {
  const db = await createTestDb(kind);
  await importTerritory(db, territory);
  await replaceDemoPopulation(db, population);
  const grid = await saveDraftGrid(db, territory.epci.code, DEFAULT_COTATION_GRID, null);
  await activateGridVersion(db, territory.epci.code, grid.id, grid.version);
  const times: number[] = [];
  let count = 0;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    count = await rescoreDemands(db, territory.epci.code, grid, '2026-01-01');
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(
    `re-notation de bout en bout (${kind}) : ${count} demandes actives, médiane ${times[1]!.toFixed(0)} ms sur 3 (min ${times[0]!.toFixed(0)}, max ${times[2]!.toFixed(0)})  objectif ≤ 10 000 ms`,
  );
  await db.close();
}
