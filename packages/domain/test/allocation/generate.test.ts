import { describe, expect, it } from 'vitest';
import { generateAllocationInstance, validateAllocationInstance } from '../../src/allocation/index.ts';

describe('generateAllocationInstance', () => {
  const options = { homes: 1000, applicants: 10000, choices: 5, epcis: 4, seed: 9 };
  const instance = generateAllocationInstance(options);

  it('is reproducible from its seed and valid', () => {
    expect(generateAllocationInstance(options)).toEqual(instance);
    expect(generateAllocationInstance({ ...options, seed: 10 })).not.toEqual(instance);
    expect(() => validateAllocationInstance(instance)).not.toThrow();
  });

  it('draws realistic shares (RULES.md §1): ~30 % first quartile, ~20 % priority, ~3 % relocated, ~30 % of homes in QPV', () => {
    const share = <T>(list: T[], pred: (x: T) => boolean) => list.filter(pred).length / list.length;
    expect(share(instance.applicants, (a) => a.firstQuartile)).toBeGreaterThan(0.25);
    expect(share(instance.applicants, (a) => a.firstQuartile)).toBeLessThan(0.35);
    expect(share(instance.applicants, (a) => a.priorityPublic)).toBeGreaterThan(0.17);
    expect(share(instance.applicants, (a) => a.priorityPublic)).toBeLessThan(0.23);
    expect(share(instance.applicants, (a) => a.urbanRenewalRelocation)).toBeLessThan(0.05);
    expect(share(instance.homes, (h) => h.qpv)).toBeGreaterThan(0.26);
    expect(share(instance.homes, (h) => h.qpv)).toBeLessThan(0.34);
    expect(new Set(instance.homes.map((h) => h.reservationHolder))).toEqual(
      new Set(['state', 'action-logement', 'commune', 'landlord']),
    );
    expect(new Set(instance.homes.map((h) => h.epci)).size).toBe(4);
  });

  it('gives each applicant K distinct homes ranked 1…K, concentrated on popular homes', () => {
    const byApplicant = new Map<string, Array<{ home: string; rank: number }>>();
    for (const a of instance.applications) {
      const list = byApplicant.get(a.applicant) ?? [];
      list.push(a);
      byApplicant.set(a.applicant, list);
    }
    expect(byApplicant.size).toBe(options.applicants);
    for (const list of byApplicant.values()) {
      expect(list.map((a) => a.rank)).toEqual([1, 2, 3, 4, 5]);
      expect(new Set(list.map((a) => a.home)).size).toBe(5);
    }
    const perHome = new Map<string, number>();
    for (const a of instance.applications) perHome.set(a.home, (perHome.get(a.home) ?? 0) + 1);
    const counts = [...perHome.values()].sort((x, y) => y - x);
    const top10 = counts.slice(0, counts.length / 10).reduce((s, x) => s + x, 0);
    // The 10 % most sought-after homes draw far more than 10 % of the applications.
    expect(top10 / instance.applications.length).toBeGreaterThan(0.25);
  });
});
