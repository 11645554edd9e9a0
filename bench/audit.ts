// The equal-treatment audit validated like a statistical test (issue 8; docs/audit.md): generated
// populations of the demo territory under the null model (lettings drawn from the cotation score
// alone) and with a known disparity planted (single parents' odds ratio of being housed × 0.7, other
// things equal); the audit of 2024–2025 run on each. Goals: the planted group flagged in ≥ 90 % of the
// planted populations, any flag in ≤ 5 % of the null ones.
// Usage: npm run bench:audit [-- --populations 50]
import os from 'node:os';
import {
  DEMO_TERRITORY_DIR,
  equalTreatmentReport,
  importTerritory,
  readTerritoryFolder,
  replaceDemoPopulation,
} from '@mosaique/db';
import { createTestDb } from '@mosaique/db/testing';
import { equalTreatmentAudit } from '@mosaique/domain/audit';
import {
  type DemoOptions,
  generateDemoPopulation,
  NULL_MODEL_GRID,
  type PlantedDisparity,
} from '@mosaique/domain/demo';

const argIndex = process.argv.indexOf('--populations');
const count = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 50;
// Two years: the cohort active on 1 January 2024 and its leases until the end of 2025, and the
// demands registered in 2023–2024 followed 12 months.
const FROM = '2024-01-01';
const TO = '2025-12-31';
const planted: PlantedDisparity = { householdType: 'single-parent', oddsRatio: 0.7, from: FROM, to: TO };

console.log(
  `Node ${process.version}, ${os.cpus()[0]?.model} × ${os.cpus().length}, charge ${os.loadavg()[0]!.toFixed(1)}`,
);
const territory = await readTerritoryFolder(DEMO_TERRITORY_DIR);

// The weight factor giving the planted odds ratio, calibrated once on a population outside the bench.
let started = performance.now();
const factor = calibrateFactor();
console.log(
  `facteur de poids calibré pour un rapport de cotes de ${planted.oddsRatio} (familles monoparentales, 2024–2025, graine 1) : ${factor.toFixed(3)} en ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

function calibrateFactor(): number {
  const population = generateDemoPopulation(territory, {
    seed: 1,
    lettingsRule: 'score',
    plantedDisparity: planted,
  });
  return population.plantedDisparity!.factor;
}

interface Run {
  flagged: string[];
  plantedOr: number | null;
  plantedFlagged: boolean;
  ms: number;
}

function run(options: DemoOptions): Run {
  const t0 = performance.now();
  const population = generateDemoPopulation(territory, options);
  const housedOn = new Map<string, string>();
  for (const l of population.leases) if (!housedOn.has(l.sneNumber)) housedOn.set(l.sneNumber, l.signedOn);
  const audit = equalTreatmentAudit({
    demands: population.demands,
    housedOn,
    grid: NULL_MODEL_GRID,
    from: FROM,
    to: TO,
  });
  const flagged: string[] = [];
  let plantedOr: number | null = null;
  let plantedFlagged = false;
  for (const o of audit.outcomes)
    for (const g of o.groups) {
      if (g.flagged) flagged.push(`${o.outcome}:${g.group}`);
      if (g.variable === 'household-type' && g.group === planted.householdType) {
        if (o.outcome === 'housed') plantedOr = g.oddsRatio;
        if (g.flagged) plantedFlagged = true;
      }
    }
  return { flagged, plantedOr, plantedFlagged, ms: performance.now() - t0 };
}

const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)]!;
started = performance.now();
const nulls: Run[] = [];
for (let k = 0; k < count; k++) nulls.push(run({ seed: 1001 + k, lettingsRule: 'score' }));
const plantedRuns: Run[] = [];
for (let k = 0; k < count; k++)
  plantedRuns.push(run({ seed: 2001 + k, lettingsRule: 'score', plantedDisparity: { ...planted, factor } }));
const elapsed = (performance.now() - started) / 1000;

const falseAlarms = nulls.filter((r) => r.flagged.length > 0);
const detected = plantedRuns.filter((r) => r.plantedFlagged);
const otherFlags = plantedRuns.filter((r) => r.flagged.some((f) => !f.endsWith(`:${planted.householdType}`)));
const ors = plantedRuns.map((r) => r.plantedOr).filter((x): x is number => x !== null);
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)} %`;
console.log(
  `populations sans disparité : ${count}, fausses alertes (au moins un groupe signalé) ${falseAlarms.length} = ${pct(falseAlarms.length, count)}  objectif ≤ 5 %`,
);
for (const r of falseAlarms) console.log(`  signalé à tort : ${r.flagged.join(', ')}`);
console.log(
  `populations avec disparité plantée (rapport de cotes ${planted.oddsRatio}) : ${count}, détections ${detected.length} = ${pct(detected.length, count)}  objectif ≥ 90 %`,
);
console.log(
  `  rapport de cotes estimé (être logé en 2024–2025) : médiane ${median(ors).toFixed(3)}, de ${Math.min(...ors).toFixed(3)} à ${Math.max(...ors).toFixed(3)} ; autres groupes signalés dans ${otherFlags.length} populations`,
);
const others = new Map<string, number>();
for (const r of plantedRuns)
  for (const f of r.flagged)
    if (!f.endsWith(`:${planted.householdType}`)) others.set(f, (others.get(f) ?? 0) + 1);
if (others.size > 0)
  console.log(
    `  (groupes liés au groupe planté, signalés aussi : ${[...others].map(([f, n]) => `${f} ${n}`).join(', ')})`,
  );
console.log(
  `temps : ${elapsed.toFixed(0)} s pour ${2 * count} populations (génération et audit : médiane ${median([...nulls, ...plantedRuns].map((r) => r.ms)).toFixed(0)} ms par population)`,
);

// The audit as the API computes it, on an embedded database holding the demo population.
const db = await createTestDb('pglite');
await importTerritory(db, territory);
await replaceDemoPopulation(db, generateDemoPopulation(territory, { seed: 2026 }));
const apiTimes: number[] = [];
let report = await equalTreatmentReport(db, '200040715', '2025-01-01', '2025-12-31');
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  report = await equalTreatmentReport(db, '200040715', '2025-01-01', '2025-12-31');
  apiTimes.push(performance.now() - t0);
}
await db.close();
console.log(
  `audit 2025 de la population de démonstration (graine 2026) comme l’API le calcule, sur PGlite (demandes, baux et candidatures lus, ${report.tests} tests, ${report.flagged} groupes signalés) : médiane ${median(apiTimes).toFixed(0)} ms sur 3`,
);
if (falseAlarms.length > 0.05 * count || detected.length < 0.9 * count) process.exitCode = 1;
