/**
 * The lettings of the lettings years, as a stylised allocation process: homes are let in date order;
 * each goes to one of the demands active that day that want its commune and typology, chosen with a
 * probability proportional to a weight (priority, DALO, seniority, reservation holder's rules, the
 * commission's reluctance to house the poorest outside QPV). One place computes that weight, so a
 * known disparity can be planted for the equal-treatment audit (DemoOptions.allocationWeightByHouseholdType).
 */
import type { HouseholdType } from '../demand/types.ts';
import type { Random } from '../shared/random.ts';
import type { DemoAssumptions } from './assumptions.ts';
import { DAYS_PER_YEAR, dayOf } from './dates.ts';
import type { DemandDraft } from './demands.ts';
import type { StockDraft } from './stock.ts';

/**
 * The demands wanting a (commune, typology), with upper bounds on their weights for rejection
 * sampling, for four variants: home outside or inside QPV × not accessible or accessible (a home that
 * is not accessible gives wheelchair users no weight). As of the last refresh (day `refreshedOn`),
 * `combined` bounds the weights, seniority included, and `unit` their growth per day of seniority.
 */
interface Bucket {
  items: number[];
  combined: Float64Array;
  unit: Float64Array;
  refreshedOn: number;
  untilRefresh: number;
}

const REFRESH_EVERY = 32;
const MAX_ATTEMPTS = 20_000;

function newBucket(): Bucket {
  return {
    items: [],
    combined: new Float64Array(4),
    unit: new Float64Array(4),
    refreshedOn: 0,
    untilRefresh: 0,
  };
}

/**
 * The null model of the equal-treatment audit (docs/audit.md): a candidate's weight is proportional
 * to its cotation score plus NULL_MODEL_OFFSET (20), `base` (20 + the score without seniority) growing by `perDay` points
 * a day of seniority up to `capDays`; no reservation holder's rule, no QPV term. The chance of a let
 * then depends only on the score, the homes sought and the home's accessibility.
 */
export interface ScoreRule {
  /** NULL_MODEL_OFFSET + the demand's score without its seniority points, by demand. */
  base: Float64Array;
  /** Seniority points per day, and the seniority (days) after which they stop growing. */
  perDay: number;
  capDays: number;
}

export interface LettingResult {
  /** For each home let during the lettings years, the demand it went to (-1 if no demand fitted). */
  demandOfHome: Int32Array;
}

/*
 * Demands housed during the burn-in get `housedDay` (before the lettings years) and `housedHome` -1:
 * the caller drops them, like every demand closed before the lettings years.
 */

export function simulateLettings(
  stock: StockDraft,
  demands: DemandDraft[],
  a: DemoAssumptions,
  random: Random,
  weightByType: Partial<Record<HouseholdType, number>> = {},
  scoreRule: ScoreRule | null = null,
): LettingResult {
  const l = a.lettings;
  const n = demands.length;
  const communeIndex = new Map<string, number>();
  for (const c of stock.homeCommune) if (!communeIndex.has(c)) communeIndex.set(c, communeIndex.size);
  const communeCount = communeIndex.size;

  // Static part of each demand's weight, inside and outside QPV.
  const outside = new Float64Array(n);
  const inside = new Float64Array(n);
  const registered = new Int32Array(n);
  const lapse = new Int32Array(n);
  const priority = new Uint8Array(n);
  const transfer = new Uint8Array(n);
  const wheelchair = new Uint8Array(n);
  const current = new Int32Array(n);
  const housed = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const d = demands[i]!;
    const isPriority = d.dalo || d.priorityCriteria.length > 0;
    let w = isPriority ? l.weightPriority : 1;
    if (d.dalo) w *= l.weightDalo;
    if (d.urbanRenewalRelocation) w *= l.weightUrbanRenewal;
    if (d.currentHousing === 'social-tenant') w *= l.weightTransfer;
    w *= weightByType[d.type] ?? 1;
    if (d.wheelchairAccess) w *= 5; // an accessible home goes first to those who need it
    if (scoreRule) {
      // The null model: the score alone (and the wheelchair match), the planted factor if any.
      w = (weightByType[d.type] ?? 1) * (d.wheelchairAccess ? 5 : 1);
      outside[i] = w;
      inside[i] = w;
    } else {
      outside[i] = w * Math.exp(-l.povertyAversionOutsideQpv * d.propensity);
      inside[i] = w * Math.exp(l.povertyPreferenceInsideQpv * d.propensity);
    }
    registered[i] = d.registeredDay;
    lapse[i] = d.lapseDay;
    priority[i] = isPriority ? 1 : 0;
    transfer[i] = d.currentHousing === 'social-tenant' ? 1 : 0;
    wheelchair[i] = d.wheelchairAccess ? 1 : 0;
    current[i] = communeIndex.get(d.currentCommune) ?? -1;
  }

  // Candidates by (commune, typology) and, as a fallback, by typology alone.
  const buckets: Bucket[] = Array.from({ length: communeCount * 7 }, newBucket);
  const byTypology: Bucket[] = Array.from({ length: 7 }, newBucket);

  // Lettings in date order: those of the lettings years, preceded by the burn-in's, drawn on the
  // same stock with the same turnover but kept nowhere (they only shape the register).
  const eventHome: number[] = [];
  const eventDay: number[] = [];
  const eventVirtual: number[] = [];
  for (let h = 0; h < stock.homes.length; h++) {
    if (stock.homeLetDay[h]! < 0) continue;
    eventHome.push(h);
    eventDay.push(stock.homeLetDay[h]!);
    eventVirtual.push(0);
  }
  const burnInYears = a.demand.burnInYears;
  if (burnInYears > 0) {
    const cumulative = new Float64Array(stock.homes.length);
    let sum = 0;
    for (let h = 0; h < stock.homes.length; h++) {
      sum +=
        a.lettings.turnoverByTypology[stock.homes[h]!.typology - 1]! *
        (stock.homeQpv[h] ? a.lettings.turnoverQpv : 1);
      cumulative[h] = sum;
    }
    const from = dayOf(`${a.lettingYears[0]! - burnInYears}-01-01`);
    const to = dayOf(`${a.lettingYears[0]}-01-01`);
    for (let k = 0; k < a.lettings.perYear * burnInYears; k++) {
      const u = random.next() * sum;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > u) hi = mid;
        else lo = mid + 1;
      }
      eventHome.push(lo);
      eventDay.push(from + random.int(to - from));
      eventVirtual.push(1);
    }
  }
  const events = eventHome.map((_, k) => k);
  events.sort(
    (x, y) =>
      eventDay[x]! - eventDay[y]! || eventVirtual[y]! - eventVirtual[x]! || eventHome[x]! - eventHome[y]!,
  );

  const demandOfHome = new Int32Array(stock.homes.length).fill(-1);
  let next = 0; // demands are sorted by registration day
  const candidates = new Int32Array(n);
  const cumulated = new Float64Array(n);
  const seniority = l.weightSeniorityPerYear / DAYS_PER_YEAR;
  // Holder modes: 0 other, 1 State (priority publics), 2 commune (its residents), 3 landlord (transfers).
  const isGone = (i: number, day: number) => housed[i] === 1 || lapse[i]! <= day;
  // Holder modes: 0 other, 1 State (priority publics), 2 commune (its residents), 3 landlord (transfers).
  const weightOf = (i: number, day: number, qpv: boolean, mode: number, ci: number, accessible: boolean) => {
    if (wheelchair[i] && !accessible) return 0;
    if (scoreRule) {
      const age = Math.min(scoreRule.capDays, Math.max(0, day - registered[i]!));
      return outside[i]! * (scoreRule.base[i]! + scoreRule.perDay * age);
    }
    let w = (qpv ? inside[i]! : outside[i]!) * (1 + seniority * (day - registered[i]!));
    if (mode === 1) {
      if (!priority[i]) w *= l.stateNonPriorityWeight;
    } else if (mode === 2) {
      if (current[i] === ci) w *= l.communeResidentWeight;
    } else if (mode === 3 && transfer[i]) w *= l.landlordTransferWeight;
    return w;
  };
  const modeBound = [1, 1, l.communeResidentWeight, l.landlordTransferWeight];

  /** Raises the bucket's bounds to cover demand i (its weight on the refresh day, and its growth). */
  const bound = (bucket: Bucket, i: number) => {
    if (scoreRule) {
      const w =
        outside[i]! *
        (scoreRule.base[i]! +
          scoreRule.perDay * Math.min(scoreRule.capDays, Math.max(0, bucket.refreshedOn - registered[i]!)));
      const g = outside[i]! * scoreRule.perDay;
      for (let v = wheelchair[i] ? 1 : 0; v < 4; v += wheelchair[i] ? 2 : 1) {
        if (g > bucket.unit[v]!) bucket.unit[v] = g;
        if (w > bucket.combined[v]!) bucket.combined[v] = w;
      }
      return;
    }
    const age = 1 + seniority * Math.max(0, bucket.refreshedOn - registered[i]!);
    for (let v = 0; v < 4; v++) {
      if (wheelchair[i] && (v & 1) === 0) continue; // variants 0 and 2: the home is not accessible
      const weight = v < 2 ? outside[i]! : inside[i]!;
      if (weight * seniority > bucket.unit[v]!) bucket.unit[v] = weight * seniority;
      if (weight * age > bucket.combined[v]!) bucket.combined[v] = weight * age;
    }
  };
  /** Drops the demands gone for good and recomputes the bounds as of this day. */
  const refresh = (bucket: Bucket, day: number) => {
    const items = bucket.items;
    let write = 0;
    bucket.combined.fill(0);
    bucket.unit.fill(0);
    bucket.refreshedOn = day;
    for (let k = 0; k < items.length; k++) {
      const i = items[k]!;
      if (isGone(i, day)) continue;
      items[write++] = i;
      bound(bucket, i);
    }
    items.length = write;
    bucket.untilRefresh = REFRESH_EVERY;
  };

  /**
   * A candidate drawn with probability proportional to its weight, or -1 if none has a positive
   * weight. Rejection sampling: a uniform active entry is accepted with probability weight ÷ bound
   * (exact, and far cheaper than summing the weights of thousands of candidates); after too many
   * rejections, an exhaustive weighted draw.
   */
  const sample = (
    bucket: Bucket,
    day: number,
    qpv: boolean,
    mode: number,
    ci: number,
    accessible: boolean,
  ) => {
    if (--bucket.untilRefresh <= 0) refresh(bucket, day);
    const items = bucket.items;
    const v = (qpv ? 2 : 0) + (accessible ? 1 : 0);
    // Slightly above the bound so that rounding never makes a weight exceed it.
    const limit =
      (bucket.combined[v]! + bucket.unit[v]! * (day - bucket.refreshedOn)) * modeBound[mode]! * (1 + 1e-9);
    for (let attempt = 0; attempt < MAX_ATTEMPTS && items.length > 0; attempt++) {
      const k = random.int(items.length);
      const i = items[k]!;
      if (isGone(i, day)) {
        items[k] = items[items.length - 1]!;
        items.pop();
        continue;
      }
      if (random.next() * limit < weightOf(i, day, qpv, mode, ci, accessible)) return i;
    }
    let total = 0;
    let count = 0;
    for (const i of items) {
      if (isGone(i, day)) continue;
      const w = weightOf(i, day, qpv, mode, ci, accessible);
      if (w <= 0) continue;
      total += w;
      candidates[count] = i;
      cumulated[count++] = total;
    }
    if (total === 0) return -1;
    const u = random.next() * total;
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulated[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return candidates[lo]!;
  };

  for (const e of events) {
    const h = eventHome[e]!;
    const day = eventDay[e]!;
    const virtual = eventVirtual[e] === 1;
    while (next < n && registered[next]! < day) {
      const d = demands[next]!;
      for (const t of d.desiredTypologies) {
        byTypology[t]!.items.push(next);
        bound(byTypology[t]!, next);
        for (const c of d.desiredCommunes) {
          const ci = communeIndex.get(c);
          if (ci === undefined) continue;
          buckets[ci * 7 + t]!.items.push(next);
          bound(buckets[ci * 7 + t]!, next);
        }
      }
      next++;
    }
    const home = stock.homes[h]!;
    const ci = communeIndex.get(stock.homeCommune[h]!)!;
    const qpv = stock.homeQpv[h] === 1;
    const holder = home.reservationHolder;
    const mode = scoreRule
      ? 0
      : holder === 'rh-state'
        ? 1
        : holder.startsWith('rh-commune-')
          ? 2
          : holder.startsWith('rh-landlord-')
            ? 3
            : 0;
    let chosen = sample(buckets[ci * 7 + home.typology]!, day, qpv, mode, ci, home.accessible);
    if (chosen < 0) chosen = sample(byTypology[home.typology]!, day, qpv, mode, ci, home.accessible);
    for (let step = 1; chosen < 0 && step < 6; step++) {
      for (const t of [home.typology - step, home.typology + step]) {
        if (chosen < 0 && t >= 1 && t <= 6)
          chosen = sample(byTypology[t]!, day, qpv, mode, ci, home.accessible);
      }
    }
    if (chosen < 0) continue;
    housed[chosen] = 1;
    demands[chosen]!.housedDay = day;
    if (virtual) continue;
    demands[chosen]!.housedHome = h;
    demandOfHome[h] = chosen;
  }
  return { demandOfHome };
}
