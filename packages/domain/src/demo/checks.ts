/**
 * Checks of a generated population against what it was built to reproduce: the Filosofi deciles of
 * every published IRIS (persons-weighted, as Filosofi), the size of the register, the CIA outcomes.
 * Used by the tests, the benchmark and docs/demo-population.md.
 */
import type { ReservationHolderKind } from '../stock/types.ts';
import type { TerritoryData } from '../territory/types.ts';
import { isActiveOn } from './first-quartile.ts';
import { consumptionUnitsOf } from './households.ts';
import { weightedQuantiles } from './quantile.ts';
import type { DemoPopulation } from './types.ts';

export interface IrisCalibrationCheck {
  iris: string;
  households: number;
  persons: number;
  /** Published D1, median, D9. */
  published: [number, number, number];
  /** Generated D1, median, D9 of income per consumption unit, persons-weighted. */
  generated: [number, number, number];
  /** (generated − published) ÷ published. */
  relativeError: [number, number, number];
}

/** For every IRIS with published Filosofi deciles. */
export function calibrationChecks(
  territory: TerritoryData,
  population: DemoPopulation,
): IrisCalibrationCheck[] {
  const incomes = new Map<string, { values: number[]; weights: number[] }>();
  for (const h of population.households) {
    let entry = incomes.get(h.iris);
    if (!entry) {
      entry = { values: [], weights: [] };
      incomes.set(h.iris, entry);
    }
    entry.values.push(h.annualDisposableIncomeEur / consumptionUnitsOf(h.persons14OrMore, h.personsUnder14));
    entry.weights.push(h.persons14OrMore + h.personsUnder14);
  }
  const checks: IrisCalibrationCheck[] = [];
  for (const iris of [...territory.iris].sort((x, y) => (x.code < y.code ? -1 : 1))) {
    if (!iris.income) continue;
    const entry = incomes.get(iris.code) ?? { values: [], weights: [] };
    const d = iris.income.deciles;
    const published: [number, number, number] = [d[0]!, d[4]!, d[8]!];
    const g = weightedQuantiles(entry.values, entry.weights, [0.1, 0.5, 0.9]);
    const generated: [number, number, number] = [g[0]!, g[1]!, g[2]!];
    checks.push({
      iris: iris.code,
      households: entry.values.length,
      persons: entry.weights.reduce((x, y) => x + y, 0),
      published,
      generated,
      relativeError: [0, 1, 2].map((k) => (generated[k]! - published[k]!) / published[k]!) as [
        number,
        number,
        number,
      ],
    });
  }
  return checks;
}

export interface RegisterCheck {
  date: string;
  active: number;
  /** Share of active demands from social tenants (transfers). */
  socialTenantShare: number;
  priorityShare: number;
  daloShare: number;
}

export function registerChecks(population: DemoPopulation, dates: readonly string[]): RegisterCheck[] {
  return dates.map((date) => {
    let active = 0;
    let social = 0;
    let priority = 0;
    let dalo = 0;
    for (const d of population.demands) {
      if (!isActiveOn(d, date)) continue;
      active++;
      if (d.currentSocialTenant) social++;
      if (d.dalo || d.priorityCriteria.length > 0) priority++;
      if (d.dalo) dalo++;
    }
    return {
      date,
      active,
      socialTenantShare: social / active,
      priorityShare: priority / active,
      daloShare: dalo / active,
    };
  });
}

export interface CiaOutcome {
  year: number;
  leases: number;
  thresholdEur: number;
  outsideQpv: number;
  /** Target 1: share of leases outside QPV to first-quartile or urban-renewal households (≥ 25 % asked). */
  outsideQpvFirstQuartileOrRenewalShare: number;
  insideQpv: number;
  /** Target 2: share of leases inside QPV to households other than first-quartile (≥ 50 % asked). */
  insideQpvOtherQuartilesShare: number;
  transferShare: number;
  /** Share of leases to priority publics (DALO or L441-1 criteria), by reservation holder kind. */
  priorityShareByHolderKind: Partial<Record<ReservationHolderKind, { leases: number; share: number }>>;
}

export function ciaOutcomes(population: DemoPopulation): CiaOutcome[] {
  const qpvOfHome = new Map<string, boolean>();
  const residenceQpv = new Map(population.residences.map((r) => [r.id, r.qpv !== null]));
  for (const h of population.homes) qpvOfHome.set(h.id, residenceQpv.get(h.residence) ?? false);
  const kindOf = new Map(population.reservationHolders.map((r) => [r.id, r.kind]));
  const years = [...new Set(population.leases.map((l) => Number(l.signedOn.slice(0, 4))))].sort();
  return years.map((year) => {
    const leases = population.leases.filter((l) => Number(l.signedOn.slice(0, 4)) === year);
    const outside = leases.filter((l) => !qpvOfHome.get(l.home));
    const inside = leases.filter((l) => qpvOfHome.get(l.home));
    const byKind: CiaOutcome['priorityShareByHolderKind'] = {};
    for (const l of leases) {
      const kind = kindOf.get(l.reservationHolder)!;
      const entry = byKind[kind] ?? { leases: 0, share: 0 };
      entry.leases++;
      if (l.priorityPublic) entry.share++;
      byKind[kind] = entry;
    }
    for (const entry of Object.values(byKind)) entry.share /= entry.leases;
    return {
      year,
      leases: leases.length,
      thresholdEur: leases[0]?.firstQuartileThresholdEur ?? 0,
      outsideQpv: outside.length,
      outsideQpvFirstQuartileOrRenewalShare:
        outside.filter((l) => l.firstQuartile || l.urbanRenewalRelocation).length /
        Math.max(1, outside.length),
      insideQpv: inside.length,
      insideQpvOtherQuartilesShare:
        inside.filter((l) => !l.firstQuartile).length / Math.max(1, inside.length),
      transferShare: leases.filter((l) => l.transfer).length / Math.max(1, leases.length),
      priorityShareByHolderKind: byKind,
    };
  });
}
