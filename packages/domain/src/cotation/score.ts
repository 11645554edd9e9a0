/**
 * The cotation engine (CCH L441-2-8): the score of a demand is the sum of its criteria's points,
 * where among the criteria of an exclusive group only the one with the most points counts.
 * `scoreDemands` scores a batch over typed arrays; `scoreDemand` gives one demand's breakdown, with
 * the same arithmetic (it scores a batch of one).
 */
import type { Demand } from '../demand/types.ts';
import { formatEur, formatNumber } from '../eligibility/format.ts';
import {
  CURRENT_HOUSING_CODES,
  type DemandColumns,
  demandColumns,
  FLAG_BITS,
  HOUSEHOLD_TYPE_CODES,
  monthIndex,
  PRIORITY_CRITERIA_MASK,
  PRIORITY_CRITERION_BITS,
} from './columns.ts';
import type { Condition, CotationGrid, Criterion, Measure } from './grid.ts';

type Test = (i: number) => boolean;
type Points = (i: number) => number;

/** Completed months from (month, day) to (nowMonth, nowDay), never negative. */
function completedMonths(fromMonth: number, fromDay: number, nowMonth: number, nowDay: number): number {
  const months = nowMonth - fromMonth - (nowDay < fromDay ? 1 : 0);
  return Math.max(months, 0);
}

function compileCondition(c: Condition, cols: DemandColumns): Test {
  if ('all' in c) {
    const parts = c.all.map((x) => compileCondition(x, cols));
    return (i) => parts.every((p) => p(i));
  }
  if ('any' in c) {
    const parts = c.any.map((x) => compileCondition(x, cols));
    return (i) => parts.some((p) => p(i));
  }
  if ('not' in c) {
    const part = compileCondition(c.not, cols);
    return (i) => !part(i);
  }
  const flags = cols.flags;
  const flag = (bit: number): Test => {
    const mask = 1 << bit;
    return (i) => (flags[i]! & mask) !== 0;
  };
  switch (c.fact) {
    case 'priority-criterion':
      return flag(PRIORITY_CRITERION_BITS[c.value]);
    case 'any-priority-criterion':
      return (i) => (flags[i]! & PRIORITY_CRITERIA_MASK) !== 0;
    case 'dalo':
      return flag(FLAG_BITS.dalo);
    case 'urban-renewal-relocation':
      return flag(FLAG_BITS.urbanRenewalRelocation);
    case 'social-tenant':
      return flag(FLAG_BITS.socialTenant);
    case 'wheelchair-access':
      return flag(FLAG_BITS.wheelchairAccess);
    case 'current-housing': {
      const code = CURRENT_HOUSING_CODES.indexOf(c.value);
      return (i) => cols.currentHousing[i] === code;
    }
    case 'household-type': {
      const code = HOUSEHOLD_TYPE_CODES.indexOf(c.value);
      return (i) => cols.householdType[i] === code;
    }
    case 'reason': {
      const code = cols.reasonDictionary.get(c.value);
      if (code === undefined) return () => false;
      const { reasonStart, reasonCodes } = cols;
      return (i) => {
        for (let k = reasonStart[i]!; k < reasonStart[i + 1]!; k++) if (reasonCodes[k] === code) return true;
        return false;
      };
    }
  }
}

function measureOf(measure: Measure, cols: DemandColumns, nowMonth: number, nowDay: number): Points {
  switch (measure) {
    case 'income-per-consumption-unit':
      return (i) => cols.incomePerConsumptionUnit[i]!;
    case 'persons':
      return (i) => cols.persons[i]!;
    case 'persons-under-14':
      return (i) => cols.personsUnder14[i]!;
    case 'applicant-age':
      return (i) =>
        Math.floor(completedMonths(cols.birthMonth[i]!, cols.birthDay[i]!, nowMonth, nowDay) / 12);
  }
}

function compileCriterion(c: Criterion, cols: DemandColumns, nowMonth: number, nowDay: number): Points {
  switch (c.kind) {
    case 'boolean': {
      const test = compileCondition(c.condition, cols);
      const points = c.points;
      return (i) => (test(i) ? points : 0);
    }
    case 'bands': {
      const measure = measureOf(c.measure, cols, nowMonth, nowDay);
      const mins = c.bands.map((b) => b.min ?? Number.NEGATIVE_INFINITY);
      const maxs = c.bands.map((b) => b.max ?? Number.POSITIVE_INFINITY);
      const points = c.bands.map((b) => b.points);
      return (i) => {
        const v = measure(i);
        for (let k = 0; k < points.length; k++) if (v >= mins[k]! && v < maxs[k]!) return points[k]!;
        return 0;
      };
    }
    case 'duration': {
      const { pointsPerMonth, maxPoints } = c;
      return (i) =>
        Math.min(
          maxPoints,
          pointsPerMonth *
            completedMonths(cols.registrationMonth[i]!, cols.registrationDay[i]!, nowMonth, nowDay),
        );
    }
  }
}

/** The grid's criteria compiled against a batch of demands at a date. */
interface CompiledGrid {
  points: Points[];
  /** Index of the criterion's exclusive group, −1 when none. */
  groupOf: Int32Array;
  groups: number;
}

function compile(grid: CotationGrid, cols: DemandColumns, date: string): CompiledGrid {
  const nowMonth = monthIndex(date);
  const nowDay = Number(date.slice(8, 10));
  const groupIds = Object.keys(grid.groups);
  return {
    points: grid.criteria.map((c) => compileCriterion(c, cols, nowMonth, nowDay)),
    groupOf: Int32Array.from(grid.criteria.map((c) => (c.group ? groupIds.indexOf(c.group) : -1))),
    groups: groupIds.length,
  };
}

/**
 * Totals of a batch of demands (encoded with demandColumns) on an ISO date, as a Float64Array in the
 * batch's order. The grid is assumed valid (parseCotationGrid).
 */
export function scoreColumns(cols: DemandColumns, grid: CotationGrid, date: string): Float64Array {
  const { points, groupOf, groups } = compile(grid, cols, date);
  const totals = new Float64Array(cols.count);
  const best = new Float64Array(groups);
  const seen = new Uint8Array(groups);
  const m = points.length;
  for (let i = 0; i < cols.count; i++) {
    let total = 0;
    seen.fill(0);
    for (let k = 0; k < m; k++) {
      const p = points[k]!(i);
      if (p === 0) continue;
      const g = groupOf[k]!;
      if (g < 0) total += p;
      else if (seen[g] === 0 || p > best[g]!) {
        best[g] = p;
        seen[g] = 1;
      }
    }
    for (let g = 0; g < groups; g++) if (seen[g] === 1) total += best[g]!;
    totals[i] = total;
  }
  return totals;
}

/** Totals of demands on an ISO date (encodes them, then scoreColumns). */
export function scoreDemands(demands: readonly Demand[], grid: CotationGrid, date: string): Float64Array {
  return scoreColumns(demandColumns(demands, date), grid, date);
}

export interface ScoreLine {
  criterion: string;
  label: string;
  group: string | null;
  points: number;
  /** false when a criterion of the same exclusive group earned more (or as much, earlier in the grid). */
  counted: boolean;
  /** How the points were earned, in French (« 37 mois × 1 point, plafond 60 »). */
  detail: string;
}

export interface DemandScore {
  total: number;
  gridId: string;
  gridVersion: number;
  date: string;
  /** Every criterion that earned points, in the grid's order. */
  breakdown: ScoreLine[];
}

const pointsText = (p: number) =>
  `${formatNumber(p, Number.isInteger(p) ? 0 : 2)} point${Math.abs(p) >= 2 ? 's' : ''}`;

/** One demand's score on an ISO date with its breakdown, criterion by criterion. */
export function scoreDemand(demand: Demand, grid: CotationGrid, date: string): DemandScore {
  const cols = demandColumns([demand], date);
  const { points, groupOf, groups } = compile(grid, cols, date);
  const earned = points.map((p) => p(0));
  const winner = new Int32Array(groups).fill(-1);
  earned.forEach((p, k) => {
    const g = groupOf[k]!;
    if (p !== 0 && g >= 0 && (winner[g] === -1 || p > earned[winner[g]!]!)) winner[g] = k;
  });
  const breakdown: ScoreLine[] = [];
  let total = 0;
  grid.criteria.forEach((c, k) => {
    const p = earned[k]!;
    if (p === 0) return;
    const counted = groupOf[k]! < 0 || winner[groupOf[k]!] === k;
    if (counted) total += p;
    breakdown.push({
      criterion: c.id,
      label: c.label,
      group: c.group ?? null,
      points: p,
      counted,
      detail: detailOf(c, p, cols, date),
    });
  });
  return { total, gridId: grid.id, gridVersion: grid.version, date, breakdown };
}

function detailOf(c: Criterion, p: number, cols: DemandColumns, date: string): string {
  switch (c.kind) {
    case 'boolean':
      return pointsText(p);
    case 'duration': {
      const months = completedMonths(
        cols.registrationMonth[0]!,
        cols.registrationDay[0]!,
        monthIndex(date),
        Number(date.slice(8, 10)),
      );
      return `${months} mois × ${pointsText(c.pointsPerMonth)}${p >= c.maxPoints ? `, plafond ${formatNumber(c.maxPoints)} atteint` : ''}`;
    }
    case 'bands': {
      const v = measureOf(c.measure, cols, monthIndex(date), Number(date.slice(8, 10)))(0);
      const shown =
        c.measure === 'income-per-consumption-unit'
          ? `${formatEur(v)} par UC et par an`
          : c.measure === 'applicant-age'
            ? `${v} ans`
            : c.measure === 'persons'
              ? `${v} personne${v > 1 ? 's' : ''}`
              : `${v} enfant${v > 1 ? 's' : ''} de moins de 14 ans`;
      return `${shown} : ${pointsText(p)}`;
    }
  }
}
