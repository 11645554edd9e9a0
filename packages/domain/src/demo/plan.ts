/**
 * The planned sizes of the demo population, before any random draw: households per commune and per
 * IRIS, social homes per commune and per IRIS, and the income distribution of every IRIS (published
 * or a documented fallback). Deterministic: depends on the territory and the assumptions only.
 */
import type { TerritoryData } from '../territory/types.ts';
import type { DemoAssumptions } from './assumptions.ts';
import { pooledDeciles } from './quantile.ts';
import type { CommunePlan, DemoPlan, IncomeSource, IrisPlan } from './types.ts';

/** Largest-remainder apportionment of an integer total in proportion to weights (ties: lowest index). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (sum <= 0) throw new Error('répartition sur des poids tous nuls');
  const exact = weights.map((w) => (total * w) / sum);
  const result = exact.map(Math.floor);
  let left = total - result.reduce((a, b) => a + b, 0);
  const order = exact
    .map((_, i) => i)
    .sort((a, b) => exact[b]! - result[b]! - (exact[a]! - result[a]!) || a - b);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) result[order[k]!]!++;
  return result;
}

export function householdSizeOf(commune: string, population: number, a: DemoAssumptions): number {
  return (
    a.households.sizeByCommune[commune] ??
    (population >= a.households.largeCommuneMinPopulation
      ? a.households.sizeLargeCommune
      : a.households.sizeSmallCommune)
  );
}

function median(deciles: readonly number[]): number {
  return deciles[4]!;
}

/**
 * Splits `total` over items in proportion to weights, no item above its cap (water-filling), then
 * rounds with the largest remainders. Returns integers summing to min(total, Σ caps rounded).
 */
function cappedApportion(total: number, weights: readonly number[], caps: readonly number[]): number[] {
  const n = weights.length;
  const share = new Array<number>(n).fill(0);
  const capped = new Array<boolean>(n).fill(false);
  let remaining = total;
  for (let round = 0; round < n + 1 && remaining > 1e-9; round++) {
    let sum = 0;
    for (let i = 0; i < n; i++) if (!capped[i]) sum += weights[i]!;
    if (sum <= 0) break;
    let overflow = 0;
    let any = false;
    for (let i = 0; i < n; i++) {
      if (capped[i]) continue;
      const proposed = share[i]! + (remaining * weights[i]!) / sum;
      if (proposed >= caps[i]!) {
        overflow += proposed - caps[i]!;
        share[i] = caps[i]!;
        capped[i] = true;
        any = true;
      } else share[i] = proposed;
    }
    remaining = overflow;
    if (!any) break;
  }
  const target = Math.round(share.reduce((a, b) => a + b, 0));
  return apportion(
    target,
    share.map((s) => Math.max(s, 0)),
  );
}

/** Households and social homes per commune and IRIS; income distribution of every IRIS. */
export function planDemoPopulation(territory: TerritoryData, a: DemoAssumptions): DemoPlan {
  const irisByCommune = new Map<string, TerritoryData['iris']>();
  for (const iris of [...territory.iris].sort((x, y) => (x.code < y.code ? -1 : 1))) {
    const list = irisByCommune.get(iris.commune) ?? [];
    list.push(iris);
    irisByCommune.set(iris.commune, list);
  }
  const qpvOfIris = new Map<string, string>();
  for (const qpv of territory.qpvs) for (const code of qpv.irisCodes) qpvOfIris.set(code, qpv.code);
  const communes = [...territory.communes].sort((x, y) => (x.code < y.code ? -1 : 1));

  // Fallback distributions: a commune's published IRIS pooled; for communes without any, the
  // published IRIS of the suburbs (outside the ville-centre and outside QPV) pooled.
  const published = territory.iris.filter((i) => i.income !== null);
  const suburban = published.filter((i) => i.commune !== '38185' && !qpvOfIris.has(i.code));
  const epciPool = pooledDeciles(
    (suburban.length ? suburban : published).map((i) => i.income!.deciles),
    a.incomeTails,
  );
  const communePools = new Map<string, number[]>();
  for (const [commune, list] of irisByCommune) {
    const withIncome = list.filter((i) => i.income !== null);
    if (withIncome.length) {
      communePools.set(
        commune,
        pooledDeciles(
          withIncome.map((i) => i.income!.deciles),
          a.incomeTails,
        ),
      );
    }
  }

  const communePlans: CommunePlan[] = communes.map((c) => {
    const householdSize = householdSizeOf(c.code, c.population, a);
    return {
      commune: c.code,
      population: c.population,
      householdSize,
      households: Math.round(c.population / householdSize),
      socialHomes: 0,
    };
  });
  const homesByCommune = apportion(
    a.stock.total,
    communePlans.map((c) => c.households * (a.stock.rateByCommune[c.commune] ?? a.stock.defaultRate)),
  );
  communePlans.forEach((c, k) => {
    c.socialHomes = homesByCommune[k]!;
  });

  const irisPlans: IrisPlan[] = [];
  for (const c of communePlans) {
    const list = irisByCommune.get(c.commune) ?? [];
    if (list.length === 0) throw new Error(`la commune ${c.commune} n'a aucun IRIS`);
    const communeHasData = communePools.has(c.commune);
    const weights = list.map((i) =>
      communeHasData && i.income === null ? a.households.withheldIrisWeight : 1,
    );
    const households = apportion(c.households, weights);
    const plans: IrisPlan[] = list.map((iris, k) => {
      let incomeSource: IncomeSource = 'published';
      let deciles: number[];
      if (iris.income) deciles = iris.income.deciles.slice();
      else if (communeHasData) {
        incomeSource = 'commune-pool';
        deciles = communePools.get(c.commune)!.slice();
      } else {
        incomeSource = 'epci-pool';
        deciles = epciPool.slice();
      }
      return {
        iris: iris.code,
        commune: c.commune,
        households: households[k]!,
        socialHomes: 0,
        qpv: qpvOfIris.get(iris.code) ?? null,
        incomeSource,
        deciles,
      };
    });

    // Social homes: QPV IRIS first (a fixed share of their households), the rest of the commune's
    // homes over the other IRIS, more where incomes are low, capped.
    const inQpv = plans.filter((p) => p.qpv !== null);
    let qpvHomes = inQpv.map((p) => a.stock.qpvIrisShare * p.households);
    const qpvSum = qpvHomes.reduce((x, y) => x + y, 0);
    if (qpvSum > 0.9 * c.socialHomes) qpvHomes = qpvHomes.map((h) => (h * 0.9 * c.socialHomes) / qpvSum);
    const qpvRounded = inQpv.length
      ? apportion(Math.round(qpvHomes.reduce((x, y) => x + y, 0)), qpvHomes)
      : [];
    inQpv.forEach((p, k) => {
      p.socialHomes = qpvRounded[k]!;
    });
    const others = plans.filter((p) => p.qpv === null);
    const left = c.socialHomes - qpvRounded.reduce((x, y) => x + y, 0);
    if (others.length) {
      const communeMedian = median(communePools.get(c.commune) ?? epciPool);
      const k = a.stock.incomeConcentrationExponent;
      const w = others.map((p) => p.households * (communeMedian / median(p.deciles)) ** k);
      const caps = others.map((p) => a.stock.maxIrisShare * p.households);
      const placed = cappedApportion(left, w, caps);
      others.forEach((p, i) => {
        p.socialHomes = placed[i]!;
      });
    }
    // Whatever the caps could not take goes to the QPV IRIS (or, failing that, to the first IRIS).
    let missing = c.socialHomes - plans.reduce((x, p) => x + p.socialHomes, 0);
    const sink = inQpv.length ? inQpv : plans;
    for (let k = 0; missing !== 0; k = (k + 1) % sink.length) {
      const step = Math.sign(missing);
      sink[k]!.socialHomes += step;
      missing -= step;
    }
    irisPlans.push(...plans);
  }
  return { communes: communePlans, iris: irisPlans };
}

/** Deciles of every published IRIS of the EPCI pooled (incomes of applicants outside ordinary housing). */
export function epciPooledDeciles(territory: TerritoryData, a: DemoAssumptions): number[] {
  return pooledDeciles(
    territory.iris.filter((i) => i.income !== null).map((i) => i.income!.deciles),
    a.incomeTails,
  );
}
