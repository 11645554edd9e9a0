/**
 * Simulation of a draft grid against the active one, before the PPGD partners adopt it (CCH
 * L441-2-8: the grid is evaluated periodically): how every demand's rank moves, and who the best N
 * demands are under each grid — the share of priority publics (DALO or an L441-1 criterion) and of
 * first-quartile applicants among them, overall and per desired typology.
 */
import type { Demand } from '../demand/types.ts';
import type { Typology } from '../stock/types.ts';
import { type DemandColumns, demandColumns, FLAG_BITS, PRIORITY_CRITERIA_MASK } from './columns.ts';
import type { CotationGrid } from './grid.ts';
import { rankingOrder, ranksOf } from './ranking.ts';
import { scoreColumns } from './score.ts';

export interface SimulationOptions {
  /** Size of the head of the ranking compared (per typology too). */
  topN: number;
  /** € per UC per year; null to leave the first-quartile shares out. */
  firstQuartileThresholdEur: number | null;
}

/** Who the best N are under one grid. */
export interface TopComposition {
  /** Demands in the head (≤ topN). */
  demands: number;
  priorityShare: number;
  firstQuartileShare: number | null;
}

export interface TypologyOutcome {
  /** 'all' for the whole ranking, else the desired typology. */
  typology: Typology | 'all';
  /** Demands ranked (wishing this typology). */
  demands: number;
  active: TopComposition;
  draft: TopComposition;
  /** Demands in the draft's head that were not in the active one's. */
  entering: number;
  /** Mean of |rank shift| within this ranking. */
  meanAbsoluteShift: number;
}

export interface SimulationResult {
  activeTotals: Float64Array;
  draftTotals: Float64Array;
  /** Overall ranks (1 = best), in the demands' order. */
  activeRanks: Int32Array;
  draftRanks: Int32Array;
  /** activeRank − draftRank: positive when the demand moves up under the draft. */
  shifts: Int32Array;
  /** Demands whose overall rank changes. */
  moved: number;
  maxRise: number;
  maxFall: number;
  byTypology: TypologyOutcome[];
}

const TYPOLOGIES: readonly Typology[] = [1, 2, 3, 4, 5, 6];

/** Compares a draft grid with the active one on the same demands and date. */
export function simulateGrid(
  demands: readonly Demand[],
  active: CotationGrid,
  draft: CotationGrid,
  date: string,
  options: SimulationOptions,
): SimulationResult {
  const cols = demandColumns(demands, date);
  const activeTotals = scoreColumns(cols, active, date);
  const draftTotals = scoreColumns(cols, draft, date);
  const activeOrder = rankingOrder(cols, activeTotals);
  const draftOrder = rankingOrder(cols, draftTotals);
  const activeRanks = ranksOf(activeOrder);
  const draftRanks = ranksOf(draftOrder);
  const shifts = new Int32Array(cols.count);
  let moved = 0;
  let maxRise = 0;
  let maxFall = 0;
  for (let i = 0; i < cols.count; i++) {
    const s = activeRanks[i]! - draftRanks[i]!;
    shifts[i] = s;
    if (s !== 0) moved++;
    if (s > maxRise) maxRise = s;
    if (-s > maxFall) maxFall = -s;
  }
  const byTypology = [
    outcome('all', cols, activeOrder, draftOrder, options, () => true),
    ...TYPOLOGIES.map((t) =>
      outcome(
        t,
        cols,
        activeOrder,
        draftOrder,
        options,
        (i) => (cols.desiredTypologies[i]! & (1 << t)) !== 0,
      ),
    ),
  ].filter((o) => o.demands > 0);
  return { activeTotals, draftTotals, activeRanks, draftRanks, shifts, moved, maxRise, maxFall, byTypology };
}

function outcome(
  typology: Typology | 'all',
  cols: DemandColumns,
  activeOrder: Uint32Array,
  draftOrder: Uint32Array,
  options: SimulationOptions,
  included: (i: number) => boolean,
): TypologyOutcome {
  const activeList = Array.from(activeOrder).filter(included);
  const draftList = Array.from(draftOrder).filter(included);
  const activeHead = activeList.slice(0, options.topN);
  const draftHead = draftList.slice(0, options.topN);
  const rankInActive = new Int32Array(cols.count).fill(-1);
  activeList.forEach((i, r) => {
    rankInActive[i] = r;
  });
  let shiftSum = 0;
  draftList.forEach((i, r) => {
    shiftSum += Math.abs(rankInActive[i]! - r);
  });
  return {
    typology,
    demands: activeList.length,
    active: composition(activeHead, cols, options),
    draft: composition(draftHead, cols, options),
    entering: draftHead.filter((i) => rankInActive[i]! >= options.topN).length,
    meanAbsoluteShift: activeList.length > 0 ? shiftSum / activeList.length : 0,
  };
}

const PRIORITY_PUBLIC = PRIORITY_CRITERIA_MASK | (1 << FLAG_BITS.dalo);

function composition(
  head: readonly number[],
  cols: DemandColumns,
  options: SimulationOptions,
): TopComposition {
  const n = head.length;
  let priority = 0;
  let firstQuartile = 0;
  const threshold = options.firstQuartileThresholdEur;
  for (const i of head) {
    if ((cols.flags[i]! & PRIORITY_PUBLIC) !== 0) priority++;
    if (threshold !== null && cols.incomePerConsumptionUnit[i]! <= threshold) firstQuartile++;
  }
  return {
    demands: n,
    priorityShare: n > 0 ? priority / n : 0,
    firstQuartileShare: threshold === null ? null : n > 0 ? firstQuartile / n : 0,
  };
}
