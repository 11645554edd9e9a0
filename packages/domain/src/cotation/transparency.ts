/**
 * What the applicant must be told (CCH L441-2-8; docs/RULES.md §2): their score and its breakdown
 * (score.ts), their position among similar demands, the average waiting time of recent allocations
 * for similar demands, and whether they are a priority case. « Similar » = same EPCI and same desired
 * typology; a demand wishing several typologies gets one position per typology.
 */
import type { Demand, PriorityCriterion } from '../demand/types.ts';
import type { Lease } from '../letting/types.ts';
import type { Home, Residence, Typology } from '../stock/types.ts';
import { demandColumns } from './columns.ts';
import type { CotationGrid } from './grid.ts';
import { rankingOrder } from './ranking.ts';
import { scoreColumns } from './score.ts';

export interface SimilarPosition {
  typology: Typology;
  /** 1 = first among the similar demands. */
  position: number;
  /** Number of similar demands, the applicant's included. */
  of: number;
}

/**
 * Position of `demand` among the demands of its EPCI wishing each of its typologies, ranked by score
 * under `grid` on `date` (ties: older registration first). `demands` are the demands competing (the
 * active ones); `demand` is counted once whether or not it is among them.
 */
export function positionAmongSimilar(
  demand: Demand,
  demands: readonly Demand[],
  grid: CotationGrid,
  date: string,
): SimilarPosition[] {
  const pool = demands.filter(
    (d) =>
      d.sneNumber !== demand.sneNumber &&
      d.epci === demand.epci &&
      d.desiredTypologies.some((t) => demand.desiredTypologies.includes(t)),
  );
  pool.push(demand);
  const cols = demandColumns(pool, date);
  const order = rankingOrder(cols, scoreColumns(cols, grid, date));
  const self = pool.length - 1;
  return [...new Set(demand.desiredTypologies)]
    .sort((a, b) => a - b)
    .map((t) => {
      const bit = 1 << t;
      let position = 0;
      let of = 0;
      for (const i of order) {
        if ((cols.desiredTypologies[i]! & bit) === 0) continue;
        of++;
        if (i === self) position = of;
      }
      return { typology: t, position, of };
    });
}

/** One allocation followed by a lease, with what the waiting time needs. */
export interface AllocationRecord {
  epci: string;
  typology: Typology;
  /** ISO dates. */
  registeredOn: string;
  signedOn: string;
}

/** Joins leases with their demand (registration) and home (typology, EPCI of its residence). */
export function allocationRecords(
  leases: readonly Lease[],
  demands: readonly Demand[],
  homes: readonly Home[],
  residences: readonly Residence[],
): AllocationRecord[] {
  const demandOf = new Map(demands.map((d) => [d.sneNumber, d]));
  const homeOf = new Map(homes.map((h) => [h.id, h]));
  const residenceOf = new Map(residences.map((r) => [r.id, r]));
  const records: AllocationRecord[] = [];
  for (const l of leases) {
    const d = demandOf.get(l.sneNumber);
    const h = homeOf.get(l.home);
    const r = h && residenceOf.get(h.residence);
    if (!d || !h || !r) continue;
    records.push({ epci: r.epci, typology: h.typology, registeredOn: d.registeredOn, signedOn: l.signedOn });
  }
  return records;
}

export interface AverageWaitingTime {
  epci: string;
  typology: Typology;
  /** Leases signed in [from, to] (ISO, inclusive). */
  from: string;
  to: string;
  allocations: number;
  /** Mean time from registration to lease, in months (days ÷ 30.4375); null without allocations. */
  months: number | null;
}

const DAY_MS = 86_400_000;
const DAYS_PER_MONTH = 365.25 / 12;

/** ISO date `months` months before `date` (day clamped to the month's length), plus one day. */
function windowStart(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return new Date(d.getTime() + DAY_MS).toISOString().slice(0, 10);
}

/**
 * Average waiting time of the allocations of the `windowMonths` months up to `date` (default 12) for
 * demands similar to one wishing `typology` in `epci`.
 */
export function averageWaitingTime(
  allocations: readonly AllocationRecord[],
  epci: string,
  typology: Typology,
  date: string,
  windowMonths = 12,
): AverageWaitingTime {
  const from = windowStart(date, windowMonths);
  let days = 0;
  let count = 0;
  for (const a of allocations) {
    if (a.epci !== epci || a.typology !== typology || a.signedOn < from || a.signedOn > date) continue;
    days += (Date.parse(`${a.signedOn}T00:00:00Z`) - Date.parse(`${a.registeredOn}T00:00:00Z`)) / DAY_MS;
    count++;
  }
  return {
    epci,
    typology,
    from,
    to: date,
    allocations: count,
    months: count > 0 ? days / count / DAYS_PER_MONTH : null,
  };
}

export interface PriorityCase {
  /** DALO, or at least one L441-1 criterion. */
  priority: boolean;
  dalo: boolean;
  criteria: PriorityCriterion[];
}

/** Whether the demand is a priority case (CCH L441-1; DALO households come first). */
export function priorityCase(demand: Pick<Demand, 'dalo' | 'priorityCriteria'>): PriorityCase {
  return {
    priority: demand.dalo || demand.priorityCriteria.length > 0,
    dalo: demand.dalo,
    criteria: [...demand.priorityCriteria],
  };
}
