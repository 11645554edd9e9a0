import { createRandom, type Random } from '../shared/random.ts';
import type { ContingencyTable } from './contingency-table.ts';
import { type LogarithmOptions, logarithmScale } from './mutual-information.ts';
import { SegregationInputError } from './segregation-input-error.ts';

/**
 * Sampling uncertainty of M and H: bootstrap intervals and the value expected with no
 * segregation at all. Both need integer counts (people, not weights) and a seed, so that the same
 * call gives the same figures on every machine (`shared/random.ts`).
 */

export interface BootstrapOptions extends LogarithmOptions {
  readonly seed: number;
  /** Number of redrawn tables (default 100, as R). */
  readonly iterations?: number;
  /** Level of the percentile interval (default 0.95). */
  readonly confidence?: number;
}

export interface BootstrapEstimate {
  /** Bias-corrected estimate: mean of the debiased draws, 2·est − boot_est. */
  readonly est: number;
  /** Standard deviation of the debiased draws. */
  readonly se: number;
  /** Percentile interval of the debiased draws (R `quantile`, type 7). */
  readonly ci: readonly [number, number];
  /** Estimated upward bias: mean of the draws − estimate on the table (already removed from est). */
  readonly bias: number;
}

export interface MutualInformationBootstrap {
  readonly iterations: number;
  readonly M: BootstrapEstimate;
  readonly H: BootstrapEstimate;
}

export interface IndependenceOptions extends LogarithmOptions {
  readonly seed: number;
  /** Number of simulated tables (default 100). */
  readonly iterations?: number;
}

export interface MutualInformationUnderIndependence {
  readonly iterations: number;
  /** Mean and standard deviation of M over tables drawn with no segregation. */
  readonly M: { readonly mean: number; readonly sd: number };
  readonly H: { readonly mean: number; readonly sd: number };
}

/**
 * Bootstrap of M and H as R `segregation::mutual_total(se = TRUE)` does (`bootstrap_summary`):
 * each iteration redraws the T people into the cells, multinomial with probabilities t_ug / T
 * (drawn as successive binomials), and recomputes M and H; each draw b gives a debiased value
 * 2·est − b; reported: est = mean of the debiased values, se = their standard deviation, ci =
 * their percentiles, bias = est(table) − est. Small units bias M upward, so est < M(table).
 */
export function mutualInformationBootstrap(
  table: ContingencyTable,
  options: BootstrapOptions,
): MutualInformationBootstrap {
  const scale = logarithmScale(options);
  const iterations = positiveInteger(options.iterations ?? 100, 'nombre d’itérations du bootstrap');
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) {
    throw new SegregationInputError('invalid-option', `niveau de confiance invalide : ${confidence}`);
  }
  const total = integerTotal(table.total, 'le bootstrap');
  const random = createRandom(options.seed);
  const cells = table.cellCount.length;
  const drawn = new Float64Array(cells);
  const original = mutualInformationOfCells(table, table.cellCount);
  const drawsM = new Float64Array(iterations);
  const drawsH = new Float64Array(iterations);
  for (let b = 0; b < iterations; b++) {
    let remainingPeople = total;
    let remainingMass = table.total;
    for (let c = 0; c < cells; c++) {
      const n = table.cellCount[c]!;
      let x = 0;
      if (remainingPeople > 0) {
        x =
          c === cells - 1
            ? remainingPeople
            : random.binomial(remainingPeople, Math.min(1, n / remainingMass));
      }
      drawn[c] = x;
      remainingPeople -= x;
      remainingMass -= n;
    }
    const result = mutualInformationOfCells(table, drawn);
    drawsM[b] = result.m;
    // A draw of a single group has no entropy: H is taken as 0 there, as under independence.
    drawsH[b] = result.entropy > 0 ? result.m / result.entropy : 0;
  }
  return {
    iterations,
    M: bootstrapSummary(original.m, drawsM, confidence, scale),
    H: bootstrapSummary(original.m / original.entropy, drawsH, confidence, 1),
  };
}

/**
 * M and H expected when there is no segregation (cf. R `segregation::mutual_expected`): each
 * unit keeps its total t_u, and its people are drawn into groups with the overall proportions P_g
 * (multinomial); M is averaged over the draws. M is biased upward in small units — a table of
 * 10 people per unit shows M > 0 even when groups are spread at random — so this is the floor
 * below which an observed M says nothing. (R draws tables with both margins fixed, `r2dtable`;
 * fixing only the unit totals differs little when T is large.)
 */
export function mutualInformationUnderIndependence(
  table: ContingencyTable,
  options: IndependenceOptions,
): MutualInformationUnderIndependence {
  const scale = logarithmScale(options);
  const iterations = positiveInteger(options.iterations ?? 100, 'nombre de tirages');
  const groups = table.groups.length;
  const units = table.unitTotals.length;
  const unitPeople = new Float64Array(units);
  let unitTerm = 0;
  for (let u = 0; u < units; u++) {
    const t = integerTotal(table.unitTotals[u]!, 'le calcul de l’indice attendu sans ségrégation');
    unitPeople[u] = t;
    unitTerm += t * Math.log(t);
  }
  const total = integerTotal(table.total, 'le calcul de l’indice attendu sans ségrégation');
  const shares = Float64Array.from(table.groupTotals, (t) => t / table.total);
  const random: Random = createRandom(options.seed);
  const drawnGroups = new Float64Array(groups);
  const ms = new Float64Array(iterations);
  const hs = new Float64Array(iterations);
  for (let b = 0; b < iterations; b++) {
    drawnGroups.fill(0);
    let cellTerm = 0;
    for (let u = 0; u < units; u++) {
      let remaining = unitPeople[u]!;
      let remainingShare = 1;
      for (let g = 0; g < groups && remaining > 0; g++) {
        const x =
          g === groups - 1 ? remaining : random.binomial(remaining, Math.min(1, shares[g]! / remainingShare));
        remaining -= x;
        remainingShare -= shares[g]!;
        if (x > 0) {
          drawnGroups[g]! += x;
          cellTerm += x * Math.log(x);
        }
      }
    }
    let groupTerm = 0;
    for (let g = 0; g < groups; g++) {
      const x = drawnGroups[g]!;
      if (x > 0) groupTerm += x * Math.log(x);
    }
    // T·M = Σ t_ug ln t_ug − Σ t_u ln t_u − Σ t_g ln t_g + T ln T; T·E(G) = T ln T − Σ t_g ln t_g.
    const tEntropy = total * Math.log(total) - groupTerm;
    const m = Math.max(0, (cellTerm - unitTerm + tEntropy) / total);
    ms[b] = m / scale;
    hs[b] = tEntropy > 0 ? (m * total) / tEntropy : 0;
  }
  return { iterations, M: meanAndSd(ms), H: meanAndSd(hs) };
}

/** M (nats) and E(G) of the table's units and groups with other cell counts (zero cells skipped). */
function mutualInformationOfCells(
  table: ContingencyTable,
  counts: Float64Array,
): { m: number; entropy: number } {
  const groupTotals = new Float64Array(table.groups.length);
  let total = 0;
  let cellTerm = 0;
  let unitTerm = 0;
  for (let u = 0; u < table.unitTotals.length; u++) {
    let tu = 0;
    for (let c = table.cellStart[u]!; c < table.cellStart[u + 1]!; c++) {
      const n = counts[c]!;
      if (n > 0) {
        tu += n;
        groupTotals[table.cellGroup[c]!]! += n;
        cellTerm += n * Math.log(n);
      }
    }
    if (tu > 0) unitTerm += tu * Math.log(tu);
    total += tu;
  }
  let groupTerm = 0;
  for (let g = 0; g < groupTotals.length; g++) {
    const t = groupTotals[g]!;
    if (t > 0) groupTerm += t * Math.log(t);
  }
  const tLogT = total * Math.log(total);
  return { m: (cellTerm - unitTerm - groupTerm + tLogT) / total, entropy: (tLogT - groupTerm) / total };
}

function bootstrapSummary(
  estimate: number,
  draws: Float64Array,
  confidence: number,
  scale: number,
): BootstrapEstimate {
  const debiased = draws.map((b) => (2 * estimate - b) / scale);
  const { mean, sd } = meanAndSd(debiased);
  const sorted = debiased.slice().sort();
  const alpha = (1 - confidence) / 2;
  return {
    est: mean,
    se: sd,
    ci: [quantile(sorted, alpha), quantile(sorted, 1 - alpha)],
    bias: estimate / scale - mean,
  };
}

/** Mean and sample standard deviation (divisor n − 1, as R `sd`; 0 for one value). */
function meanAndSd(values: Float64Array): { mean: number; sd: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { mean, sd: values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0 };
}

/** Quantile of sorted values, linear interpolation between order statistics (R type 7). */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new SegregationInputError(
      'invalid-option',
      `${what} invalide : ${value} (attendu : un entier ≥ 1)`,
    );
  }
  return value;
}

/** A count of people as an integer; weights that are not whole numbers cannot be redrawn. */
function integerTotal(total: number, what: string): number {
  const rounded = Math.round(total);
  if (Math.abs(total - rounded) > 1e-8 * Math.max(1, total)) {
    throw new SegregationInputError(
      'invalid-count',
      `${what} demande des effectifs entiers (personnes), pas des poids : total ${total}`,
    );
  }
  return rounded;
}
