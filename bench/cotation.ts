// Cotation of 100,000 demands in process: the demo population's demands (seed 1), repeated up to
// 100,000, scored with the default grid. Goal: ≤ 1 s for encoding and scoring together.
// Usage: npm run bench:cotation.
import os from 'node:os';
import { DEMO_TERRITORY_DIR, readTerritoryFolder } from '@mosaique/db';
import {
  DEFAULT_COTATION_GRID,
  demandColumns,
  parseCotationGrid,
  scoreColumns,
  scoreDemand,
  simulateGrid,
} from '@mosaique/domain/cotation';
import { type Demand, firstQuartileThreshold } from '@mosaique/domain/demand';
import { generateDemoPopulation } from '@mosaique/domain/demo';

const N = 100_000;
const RUNS = 7;
const DATE = '2026-01-01';
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;

console.log(
  `Node ${process.version}, ${os.cpus()[0]?.model} × ${os.cpus().length}, charge ${os.loadavg()[0]!.toFixed(1)}`,
);
const population = generateDemoPopulation(await readTerritoryFolder(DEMO_TERRITORY_DIR), { seed: 1 });
const demands: Demand[] = [];
for (let i = 0; i < N; i++) {
  const d = population.demands[i % population.demands.length]!;
  demands.push({ ...d, sneNumber: `${d.sneNumber}-${Math.floor(i / population.demands.length)}` });
}
console.log(
  `${N} demandes (les ${population.demands.length} demandes de la démo répétées), grille « ${DEFAULT_COTATION_GRID.id} » v${DEFAULT_COTATION_GRID.version}, ${DEFAULT_COTATION_GRID.criteria.length} critères`,
);

const encode: number[] = [];
const score: number[] = [];
let checksum = 0;
for (let run = 0; run < RUNS; run++) {
  const t0 = performance.now();
  const cols = demandColumns(demands, DATE);
  const t1 = performance.now();
  const totals = scoreColumns(cols, DEFAULT_COTATION_GRID, DATE);
  const t2 = performance.now();
  encode.push(t1 - t0);
  score.push(t2 - t1);
  checksum = totals.reduce((s, x) => s + x, 0);
}
const total = encode.map((e, k) => e + score[k]!);
console.log(
  `encodage ${median(encode).toFixed(1)} ms + notation ${median(score).toFixed(1)} ms = ${median(total).toFixed(1)} ms ` +
    `(médiane de ${RUNS}, premier passage ${total[0]!.toFixed(1)} ms)  objectif ≤ 1 000 ms  [somme des points ${checksum}]`,
);

const t3 = performance.now();
for (let i = 0; i < 10_000; i++) scoreDemand(demands[i]!, DEFAULT_COTATION_GRID, DATE);
console.log(`détail (scoreDemand) : ${((performance.now() - t3) / 10).toFixed(1)} µs par demande`);

const draft = parseCotationGrid({
  ...DEFAULT_COTATION_GRID,
  version: 2,
  criteria: DEFAULT_COTATION_GRID.criteria.map((c) =>
    c.id === 'anciennete' && c.kind === 'duration' ? { ...c, maxPoints: 36 } : c,
  ),
});
const threshold = firstQuartileThreshold(population.demands, population.epci, 2026).used;
const t4 = performance.now();
const simulation = simulateGrid(demands, DEFAULT_COTATION_GRID, draft, DATE, {
  topN: 1_000,
  firstQuartileThresholdEur: threshold,
});
const all = simulation.byTypology[0]!;
console.log(
  `simulation (ancienneté plafonnée à 36) : ${(performance.now() - t4).toFixed(0)} ms, ${simulation.moved} rangs changés, ` +
    `1 000 premiers : prioritaires ${(100 * all.active.priorityShare).toFixed(1)} % → ${(100 * all.draft.priorityShare).toFixed(1)} %, ` +
    `premier quartile ${(100 * all.active.firstQuartileShare!).toFixed(1)} % → ${(100 * all.draft.firstQuartileShare!).toFixed(1)} %`,
);
