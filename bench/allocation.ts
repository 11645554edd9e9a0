/**
 * `npm run bench:allocation`: the allocation engine against HiGHS' full MIP on generated instances.
 *
 * Goals (issue « moteur d'attribution ») :
 *   2 000 logements × 20 000 candidats × 5 candidatures, 1 EPCI : écart ≤ 1e-4 en ≤ 1 s
 *   même taille, 100 EPCI : écart ≤ 1e-3 en ≤ 3 s
 *   10 000 × 100 000 × 5 : écart ≤ 1e-4 en ≤ 10 s, mémoire de pointe ≤ 2 Go
 *   sur chaque instance, les contraintes tiennent exactement ou le déficit annoncé est exact.
 *
 * Each solve runs in its own process (bench/allocation-worker.ts) so peak memories (maxRSS) do not
 * mix. The engine runs three times (median time; the machine is shared) with its gap tolerance set
 * ten times below the goal, then once with its default settings (tolerance 1e-6) for information;
 * HiGHS once, presolve off, symmetry detection off, mip_rel_gap 1e-4, with a time limit
 * (MOSAIQUE_BENCH_HIGHS_LIMIT seconds, default 120; MOSAIQUE_BENCH_SKIP_HIGHS=1 skips it).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateAllocationInstance } from '@mosaique/domain/allocation';

const worker = fileURLToPath(new URL('./allocation-worker.ts', import.meta.url));
const highsLimit = Number(process.env.MOSAIQUE_BENCH_HIGHS_LIMIT ?? 120);
const skipHighs = process.env.MOSAIQUE_BENCH_SKIP_HIGHS === '1';
const runs = Number(process.env.MOSAIQUE_BENCH_RUNS ?? 3);

interface Case {
  name: string;
  homes: number;
  applicants: number;
  choices: number;
  epcis: number;
  seed: number;
  goalGap: number;
  goalSeconds: number;
  goalPeakMb?: number;
}

const cases: Case[] = [
  { name: 'A', homes: 2000, applicants: 20000, choices: 5, epcis: 1, seed: 1, goalGap: 1e-4, goalSeconds: 1 },
  {
    name: 'B',
    homes: 2000,
    applicants: 20000,
    choices: 5,
    epcis: 100,
    seed: 1,
    goalGap: 1e-3,
    goalSeconds: 3,
  },
  {
    name: 'C',
    homes: 10000,
    applicants: 100000,
    choices: 5,
    epcis: 1,
    seed: 1,
    goalGap: 1e-4,
    goalSeconds: 10,
    goalPeakMb: 2048,
  },
];

type WorkerOutput = Record<string, unknown> & { error?: string };

function runWorker(args: string[], timeoutSeconds: number): Promise<WorkerOutput> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutSeconds * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as WorkerOutput);
      } catch {
        const why = signal ? `tué (${signal})` : `code ${code}`;
        const message = stderr.trim().split('\n').slice(-3).join(' | ');
        resolve({ error: `${why}${message ? ` : ${message}` : ''}` });
      }
    });
  });
}

const fmt = (x: unknown, digits = 2) => (typeof x === 'number' ? x.toFixed(digits) : '—');
const sci = (x: unknown) => (typeof x === 'number' ? x.toExponential(2) : '—');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const dir = mkdtempSync(join(os.tmpdir(), 'mosaique-bench-allocation-'));
try {
  const cpus = os.cpus();
  console.log('Mosaïque — bench:allocation');
  console.log(
    `Node ${process.version} · ${cpus[0]?.model ?? 'CPU inconnu'} · ${cpus.length} cœurs · charge ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `Moteur : ${runs} exécutions (temps médian), tolérance d’écart = objectif / 10 ; puis une exécution aux réglages par défaut (tolérance 1e-6). HiGHS ${skipHighs ? 'ignoré' : `MIP complet, presolve off, symétrie off, mip_rel_gap 1e-4, limite ${highsLimit} s`}.`,
  );
  console.log('');
  const verdicts: string[] = [];
  for (const c of cases) {
    const instance = generateAllocationInstance(c);
    const file = join(dir, `${c.name}.json`);
    writeFileSync(file, JSON.stringify(instance));
    console.log(
      `${c.name}. ${c.homes} logements × ${c.applicants} candidats × ${c.choices} candidatures, ${c.epcis} EPCI (graine ${c.seed}) — objectif : écart ≤ ${c.goalGap} en ≤ ${c.goalSeconds} s${c.goalPeakMb ? `, mémoire ≤ ${c.goalPeakMb} Mo` : ''}`,
    );
    const engineRuns: WorkerOutput[] = [];
    for (let i = 0; i < runs; i++)
      engineRuns.push(await runWorker(['engine', file, String(c.goalGap / 10)], 600));
    const defaults = await runWorker(['engine', file], 600);
    const failed = engineRuns.find((r) => r.error);
    if (failed) {
      console.log(`  moteur : échec ${failed.error}`);
      verdicts.push(`${c.name} : ÉCHEC (moteur)`);
      continue;
    }
    const engine = engineRuns[0]!;
    const seconds = median(engineRuns.map((r) => r.seconds as number));
    const peak = Math.max(...engineRuns.map((r) => r.peakMb as number));
    const problems = engine.problems as string[];
    console.log(
      `  moteur : ${fmt(seconds, 3)} s (min ${fmt(Math.min(...engineRuns.map((r) => r.seconds as number)), 3)}, lecture JSON ${fmt(engine.parseSeconds, 2)} s en plus) · objectif ${fmt(engine.objective)} · borne ${fmt(engine.upperBound)} · écart ${sci(engine.gap)} · ${engine.status} · ${engine.iterations} itérations · pointe ${fmt(peak, 0)} Mo`,
    );
    console.log(
      `           prix de la mixité ${fmt(engine.priceOfMix)} · ${engine.rows} objectifs, ${engine.rowsShort} hors d’atteinte (${engine.missingHouseholds} ménages manquants) · vérification indépendante : ${problems.length === 0 ? 'OK' : problems.slice(0, 3).join(' ; ')}`,
    );
    if (!defaults.error)
      console.log(
        `  moteur, réglages par défaut : ${fmt(defaults.seconds, 3)} s · objectif ${fmt(defaults.objective)} · borne ${fmt(defaults.upperBound)} · écart ${sci(defaults.gap)} · ${defaults.status} · pointe ${fmt(defaults.peakMb, 0)} Mo · vérification ${(defaults.problems as string[]).length === 0 ? 'OK' : 'KO'}`,
      );
    let highs: WorkerOutput | null = null;
    if (skipHighs) console.log('  HiGHS : ignoré (MOSAIQUE_BENCH_SKIP_HIGHS=1)');
    else {
      highs = await runWorker(['highs', file, String(highsLimit)], highsLimit + 600);
      if (highs.error) console.log(`  HiGHS : pas de résultat — ${highs.error}`);
      else {
        const bestBound = Math.min(
          engine.upperBound as number,
          defaults.error ? Number.POSITIVE_INFINITY : (defaults.upperBound as number),
          (highs.dualBound as number | null) ?? Number.POSITIVE_INFINITY,
        );
        const toBest =
          typeof highs.objective === 'number' ? (bestBound - highs.objective) / Math.abs(bestBound) : null;
        console.log(
          `  HiGHS  : ${fmt(highs.seconds, 1)} s (+ ${fmt(highs.buildSeconds, 1)} s de construction) · ${highs.status} · objectif ${fmt(highs.objective)} · borne ${fmt(highs.dualBound)} · écart ${sci(highs.gap)} · pointe ${fmt(highs.peakMb, 0)} Mo`,
        );
        if (highs.status === 'timeLimit' && highs.objective === null)
          console.log(`           HiGHS n’a trouvé aucune solution entière en ${highsLimit} s.`);
        const engineToBest = (bestBound - (engine.objective as number)) / Math.abs(bestBound);
        const defaultsToBest = defaults.error
          ? null
          : (bestBound - (defaults.objective as number)) / Math.abs(bestBound);
        console.log(
          `  meilleure borne connue ${fmt(bestBound)} : moteur à ${sci(engineToBest)} (réglages par défaut ${sci(defaultsToBest)}), HiGHS à ${sci(toBest)}`,
        );
      }
    }
    const ok =
      (engine.gap as number) <= c.goalGap &&
      seconds <= c.goalSeconds &&
      problems.length === 0 &&
      (c.goalPeakMb === undefined || peak <= c.goalPeakMb);
    verdicts.push(
      `${c.name} : ${ok ? 'atteint' : 'NON ATTEINT'} (écart ${sci(engine.gap)} ≤ ${c.goalGap}, ${fmt(seconds, 3)} s ≤ ${c.goalSeconds} s${c.goalPeakMb ? `, ${fmt(peak, 0)} Mo ≤ ${c.goalPeakMb} Mo` : ''}, contraintes vérifiées ${problems.length === 0 ? 'OK' : 'KO'})`,
    );
    console.log('');
  }
  console.log('Objectifs :');
  for (const v of verdicts) console.log(`  ${v}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
