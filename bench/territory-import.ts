// Import of the demo territory into a fresh embedded database (reading and validating the files
// included), then a second, idempotent import. Usage: npm run bench:territory
import os from 'node:os';
import { DEMO_TERRITORY_DIR, importTerritory, readTerritoryFolder } from '@mosaique/db';
import { createTestDb } from '@mosaique/db/testing';

const db = await createTestDb('pglite');
console.log(`Node ${process.version}, ${os.cpus()[0]?.model} × ${os.cpus().length}`);
for (const label of ['premier import (base vide)', 'second import (rien ne change)']) {
  const started = performance.now();
  const report = await importTerritory(db, await readTerritoryFolder(DEMO_TERRITORY_DIR));
  const ms = performance.now() - started;
  const rows = Object.values(report).reduce((n, r) => n + r.inserted + r.updated + r.unchanged, 0);
  console.log(`${label.padEnd(32)} ${ms.toFixed(0).padStart(6)} ms  (${rows} lignes)  objectif < 5 000 ms`);
}
await db.close();
