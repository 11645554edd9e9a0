import { describe, expect, it } from 'vitest';
import type { CotationGrid, Criterion } from '../../src/cotation/grid.ts';
import { simulateGrid } from '../../src/cotation/simulation.ts';
import { parseCotationGrid } from '../../src/cotation/validate-grid.ts';
import { aDemand } from './factory.ts';

const grid = (version: number, criteria: Criterion[]): CotationGrid =>
  parseCotationGrid({
    id: 'test',
    version,
    label: 'Grille de test',
    validFrom: '2020-01-01',
    validUntil: null,
    source: 'test',
    groups: {},
    criteria,
  });
const base: Criterion[] = [
  {
    id: 'anciennete',
    label: 'Ancienneté',
    kind: 'duration',
    from: 'registration',
    pointsPerMonth: 1,
    maxPoints: 100,
  },
  { id: 'dalo', label: 'DALO', kind: 'boolean', priority: true, condition: { fact: 'dalo' }, points: 30 },
];
const ACTIVE = grid(1, base);
const DRAFT = grid(2, [
  ...base,
  {
    id: 'sans-logement',
    label: 'Sans logement',
    kind: 'boolean',
    priority: true,
    condition: { fact: 'priority-criterion', value: 'homeless' },
    points: 50,
  },
]);

// On 2026-01-01: A 24 months; B 12 months + DALO; C 6 months, homeless; D 36 months.
// Active grid: B 42, D 36, A 24, C 6. Draft: C 56, B 42, D 36, A 24.
const DEMANDS = [
  aDemand({ sneNumber: 'A', registeredOn: '2024-01-01', monthlyResourcesEur: 3_000, desiredTypologies: [2] }),
  aDemand({
    sneNumber: 'B',
    registeredOn: '2025-01-01',
    dalo: true,
    monthlyResourcesEur: 500,
    desiredTypologies: [2, 3],
  }),
  aDemand({
    sneNumber: 'C',
    registeredOn: '2025-07-01',
    priorityCriteria: ['homeless'],
    monthlyResourcesEur: 600,
    desiredTypologies: [3],
  }),
  aDemand({ sneNumber: 'D', registeredOn: '2023-01-01', monthlyResourcesEur: 2_000, desiredTypologies: [3] }),
];

describe('simulateGrid', () => {
  const r = simulateGrid(DEMANDS, ACTIVE, DRAFT, '2026-01-01', { topN: 2, firstQuartileThresholdEur: 8_000 });

  it('scores both grids and gives every demand its rank shift', () => {
    expect(Array.from(r.activeTotals)).toEqual([24, 42, 6, 36]);
    expect(Array.from(r.draftTotals)).toEqual([24, 42, 56, 36]);
    expect(Array.from(r.activeRanks)).toEqual([3, 1, 4, 2]);
    expect(Array.from(r.draftRanks)).toEqual([4, 2, 1, 3]);
    expect(Array.from(r.shifts)).toEqual([-1, -1, 3, -1]);
    expect({ moved: r.moved, maxRise: r.maxRise, maxFall: r.maxFall }).toEqual({
      moved: 4,
      maxRise: 3,
      maxFall: 1,
    });
  });

  it('compares the best N: priority publics and first-quartile applicants, overall and per typology', () => {
    expect(r.byTypology.map((o) => o.typology)).toEqual(['all', 2, 3]);
    const [all, t2, t3] = r.byTypology;
    // Best 2: active {B, D}, draft {C, B}; B is DALO, C homeless; B (6,000 €/UC) and C (7,200) are Q1.
    expect(all).toEqual({
      typology: 'all',
      demands: 4,
      active: { demands: 2, priorityShare: 0.5, firstQuartileShare: 0.5 },
      draft: { demands: 2, priorityShare: 1, firstQuartileShare: 1 },
      entering: 1,
      meanAbsoluteShift: 1.5,
    });
    // T2 wished by A and B: B then A under both grids.
    expect(t2).toMatchObject({ demands: 2, entering: 0, meanAbsoluteShift: 0 });
    // T3 wished by B, C, D: B, D, C → C, B, D.
    expect(t3).toMatchObject({ demands: 3, entering: 1, meanAbsoluteShift: 4 / 3 });
    expect(t3!.draft.priorityShare).toBe(1);
  });

  it('leaves the first-quartile shares out without a threshold', () => {
    const s = simulateGrid(DEMANDS, ACTIVE, DRAFT, '2026-01-01', {
      topN: 2,
      firstQuartileThresholdEur: null,
    });
    expect(s.byTypology[0]!.active.firstQuartileShare).toBeNull();
  });

  it('breaks ties by seniority, then national number', () => {
    const twins = [
      aDemand({ sneNumber: 'Z', registeredOn: '2025-01-10' }),
      aDemand({ sneNumber: 'Y', registeredOn: '2025-01-05' }),
      aDemand({ sneNumber: 'X', registeredOn: '2025-01-10' }),
    ];
    // All three have 11 completed months on 2026-01-01: Y is older; X and Z tie on the date, X has the smaller number.
    const s = simulateGrid(twins, ACTIVE, ACTIVE, '2026-01-01', { topN: 3, firstQuartileThresholdEur: null });
    expect(Array.from(s.activeTotals)).toEqual([11, 11, 11]);
    expect(Array.from(s.activeRanks)).toEqual([3, 1, 2]);
    expect(s.moved).toBe(0);
  });
});
