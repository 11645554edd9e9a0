// The CIA review of the demo territory (issue 8 goals: the review of one EPCI and year ≤ 500 ms;
// the PDF ≤ 10 s), on a fresh embedded database holding the whole demo population.
// Usage: npm run bench:review
import os from 'node:os';
import {
  ciaReviewReport,
  DEMO_TERRITORY_DIR,
  importTerritory,
  readTerritoryFolder,
  replaceDemoPopulation,
} from '@mosaique/db';
import { createTestDb } from '@mosaique/db/testing';
import { generateDemoPopulation } from '@mosaique/domain/demo';
import { ciaReviewPdf } from '../apps/server/src/reports/cia-review-pdf.ts';

console.log(`Node ${process.version}, ${os.cpus()[0]?.model} × ${os.cpus().length}`);
const territory = await readTerritoryFolder(DEMO_TERRITORY_DIR);
const db = await createTestDb('pglite');
await importTerritory(db, territory);
await replaceDemoPopulation(db, generateDemoPopulation(territory, { seed: 2026 }));
const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const times: number[] = [];
let report = await ciaReviewReport(db, '200040715', 2025);
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  report = await ciaReviewReport(db, '200040715', 2025);
  times.push(performance.now() - started);
}
console.log(
  `bilan 2025 (${report.leases} baux, tendance sur ${report.trend.length} ans) : médiane ${median(times).toFixed(0)} ms sur 5 (max ${Math.max(...times).toFixed(0)})  objectif ≤ 500 ms`,
);
const pdfTimes: number[] = [];
let bytes = 0;
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  bytes = (await ciaReviewPdf(await ciaReviewReport(db, '200040715', 2025), territory.epci.name, true))
    .length;
  pdfTimes.push(performance.now() - started);
}
console.log(
  `PDF du bilan (bilan compris) : médiane ${median(pdfTimes).toFixed(0)} ms sur 3, ${Math.round(bytes / 1024)} Kio  objectif ≤ 10 000 ms`,
);
await db.close();
