/**
 * Benchmark of the segregation-indices engine (`packages/domain/src/observatory`) and of
 * `mosaique indices`, on a seeded table of 500,000 units × 4 groups nested in 1,000 higher units
 * (about 1.95 million non-zero cells: the size at which R `segregation` takes 0.71 s for
 * `mutual_total` and 4.1 s for `mutual_within` on 2 cores — reference README.md).
 * Goals: M + H + nested decomposition + local scores ≤ 150 ms in process; the command, end to end
 * as a child process, ≤ 3 s. The machine may be shared: the load average is printed with the
 * figures, and medians of several runs are reported.
 * Run: npm run bench:indices
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  contingencyTableFromIds,
  localScoresByUnit,
  mutualInformation,
  mutualInformationDecomposition,
  mutualInformationNested,
} from '../packages/domain/src/observatory/index.ts';
import { createRandom } from '../packages/domain/src/shared/random.ts';

const UNITS = 500_000;
const HIGHER = 1_000;
const GROUPS = ['a', 'b', 'c', 'd'];
const RUNS_IN_PROCESS = 9;
const RUNS_COMMAND = 3;

/**
 * The cells, unit by unit: each higher unit has its own group mix, each unit 10–70 people drawn
 * from that mix tilted towards one group (so that there is segregation at both levels).
 */
function generatedCells(seed: number) {
  const random = createRandom(seed);
  const mixes = Array.from({ length: HIGHER }, () => {
    const w = GROUPS.map(() => 0.2 + random.next());
    const sum = w.reduce((s, x) => s + x, 0);
    return w.map((x) => x / sum);
  });
  const capacity = UNITS * GROUPS.length;
  const unit = new Int32Array(capacity);
  const group = new Int32Array(capacity);
  const count = new Float64Array(capacity);
  let cells = 0;
  for (let u = 0; u < UNITS; u++) {
    const mix = mixes[Math.floor((u * HIGHER) / UNITS)]!;
    const lean = random.int(GROUPS.length);
    let remaining = 10 + random.int(61);
    let remainingShare = 1.5;
    for (let g = 0; g < GROUPS.length; g++) {
      const share = mix[g]! + (g === lean ? 0.5 : 0);
      const n =
        g === GROUPS.length - 1 ? remaining : random.binomial(remaining, Math.min(1, share / remainingShare));
      remaining -= n;
      remainingShare -= share;
      if (n > 0) {
        unit[cells] = u;
        group[cells] = g;
        count[cells] = n;
        cells++;
      }
    }
  }
  return { unit: unit.subarray(0, cells), group: group.subarray(0, cells), count: count.subarray(0, cells) };
}

const higherOf = (u: number) => Math.floor((u * HIGHER) / UNITS);
const higherLabel = (h: number) => `E${String(h).padStart(4, '0')}`;
const unitLabel = (u: number) => `U${String(u).padStart(6, '0')}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const load = () => loadavg()[0]!.toFixed(2);

console.log(`node ${process.version} · ${cpus()[0]?.model ?? 'CPU inconnu'} · ${cpus().length} cœurs`);

const cells = generatedCells(2024);
let start = performance.now();
const table = contingencyTableFromIds({
  levels: [
    {
      name: 'epci',
      labels: Array.from({ length: HIGHER }, (_, h) => higherLabel(h)),
      parent: new Int32Array(0),
    },
    {
      name: 'iris',
      labels: Array.from({ length: UNITS }, (_, u) => unitLabel(u)),
      parent: Int32Array.from({ length: UNITS }, (_, u) => higherOf(u)),
    },
  ],
  groups: GROUPS,
  cellUnit: cells.unit,
  cellGroup: cells.group,
  cellCount: cells.count,
});
console.log(
  `table : ${cells.count.length.toLocaleString('fr-FR')} cellules, ${UNITS.toLocaleString('fr-FR')} unités × ` +
    `${GROUPS.length} groupes dans ${HIGHER.toLocaleString('fr-FR')} unités supérieures ` +
    `(contingencyTableFromIds en ${fmt(performance.now() - start)})`,
);

const times: number[] = [];
let check = '';
for (let run = 0; run < RUNS_IN_PROCESS; run++) {
  start = performance.now();
  const result = mutualInformationDecomposition(table);
  times.push(performance.now() - start);
  check = `M = ${result.M.toFixed(6)}, H = ${result.H.toFixed(6)}, emboîtement ${result.nested
    .map((t) => `${t.level} ${t.M.toFixed(6)}`)
    .join(' + ')}, L(0) = ${result.local.ls[0]!.toFixed(6)}`;
}
console.log(check);
console.log(
  `en mémoire, M + H + décomposition emboîtée + scores locaux (mutualInformationDecomposition) : ` +
    `médiane ${fmt(median(times))} sur ${RUNS_IN_PROCESS} (min ${fmt(Math.min(...times))}, ` +
    `max ${fmt(Math.max(...times))}) — objectif ≤ 150 ms — charge ${load()}`,
);
const separate: number[] = [];
for (let run = 0; run < RUNS_IN_PROCESS; run++) {
  start = performance.now();
  mutualInformation(table);
  mutualInformationNested(table);
  localScoresByUnit(table);
  separate.push(performance.now() - start);
}
console.log(
  `  mêmes calculs par trois appels (mutualInformation, mutualInformationNested, localScoresByUnit) : ` +
    `médiane ${fmt(median(separate))}`,
);

async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  let buffer = 'epci,iris,group,n\n';
  for (let c = 0; c < cells.count.length; c++) {
    const u = cells.unit[c]!;
    buffer += `${higherLabel(higherOf(u))},${unitLabel(u)},${GROUPS[cells.group[c]!]},${cells.count[c]}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      buffer = '';
    }
  }
  out.end(buffer);
  await new Promise<void>((resolve) => out.on('finish', () => resolve()));
}

const dir = mkdtempSync(join(tmpdir(), 'mosaique-bench-indices-'));
try {
  const csv = join(dir, 'table.csv');
  await writeCsv(csv);
  const bin = fileURLToPath(new URL('../apps/cli/bin/mosaique.js', import.meta.url));
  const commandTimes: number[] = [];
  for (let run = 0; run < RUNS_COMMAND; run++) {
    start = performance.now();
    const child = spawnSync(
      process.execPath,
      [bin, 'indices', csv, '--group', 'group', '--units', 'epci,iris', '--json'],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    commandTimes.push(performance.now() - start);
    if (child.status !== 0) throw new Error(`mosaique indices a échoué : ${child.stderr}`);
    if (run === 0) {
      const result = JSON.parse(child.stdout) as { M: number; H: number; rows: number };
      console.log(
        `commande sur ${result.rows.toLocaleString('fr-FR')} lignes CSV : ` +
          `M = ${result.M.toFixed(6)}, H = ${result.H.toFixed(6)}`,
      );
    }
  }
  const startup: number[] = [];
  for (let run = 0; run < RUNS_COMMAND; run++) {
    start = performance.now();
    spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    startup.push(performance.now() - start);
  }
  console.log(
    `mosaique indices de bout en bout (processus enfant) : médiane ${fmt(median(commandTimes))} sur ` +
      `${RUNS_COMMAND} (${commandTimes.map(fmt).join(', ')}) — objectif ≤ 3 s — charge ${load()}`,
  );
  console.log(`  dont démarrage de la commande (mosaique --help) : médiane ${fmt(median(startup))}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
