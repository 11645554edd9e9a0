import { describe, expect, it } from 'vitest';
import type { CotationGrid } from '../../src/cotation/grid.ts';
import {
  type AllocationRecord,
  averageWaitingTime,
  positionAmongSimilar,
  priorityCase,
} from '../../src/cotation/transparency.ts';
import { parseCotationGrid } from '../../src/cotation/validate-grid.ts';
import { aDemand } from './factory.ts';

const GRID: CotationGrid = parseCotationGrid({
  id: 'test',
  version: 1,
  label: 'Grille de test',
  validFrom: '2020-01-01',
  validUntil: null,
  source: 'test',
  groups: {},
  criteria: [
    {
      id: 'anciennete',
      label: 'Ancienneté',
      kind: 'duration',
      from: 'registration',
      pointsPerMonth: 1,
      maxPoints: 100,
    },
    { id: 'dalo', label: 'DALO', kind: 'boolean', priority: true, condition: { fact: 'dalo' }, points: 30 },
  ],
});
// On 2026-01-01: A 24, B 42, C 6, D 36 points; E is in another EPCI.
const A = aDemand({ sneNumber: 'A', registeredOn: '2024-01-01', desiredTypologies: [2] });
const B = aDemand({ sneNumber: 'B', registeredOn: '2025-01-01', dalo: true, desiredTypologies: [2, 3] });
const C = aDemand({ sneNumber: 'C', registeredOn: '2025-07-01', desiredTypologies: [3] });
const D = aDemand({ sneNumber: 'D', registeredOn: '2023-01-01', desiredTypologies: [3] });
const E = aDemand({ sneNumber: 'E', epci: '200000000', registeredOn: '2015-01-01', desiredTypologies: [3] });
const ALL = [A, B, C, D, E];

describe('positionAmongSimilar', () => {
  it('ranks the demand among those of its EPCI wishing the same typology', () => {
    expect(positionAmongSimilar(D, ALL, GRID, '2026-01-01')).toEqual([{ typology: 3, position: 2, of: 3 }]);
    expect(positionAmongSimilar(C, ALL, GRID, '2026-01-01')).toEqual([{ typology: 3, position: 3, of: 3 }]);
  });

  it('gives one position per desired typology', () => {
    expect(positionAmongSimilar(B, ALL, GRID, '2026-01-01')).toEqual([
      { typology: 2, position: 1, of: 2 },
      { typology: 3, position: 1, of: 3 },
    ]);
  });

  it('counts the demand once, whether or not it is in the list', () => {
    expect(positionAmongSimilar(A, [B, C, D], GRID, '2026-01-01')).toEqual([
      { typology: 2, position: 2, of: 2 },
    ]);
  });
});

describe('averageWaitingTime', () => {
  const records: AllocationRecord[] = [
    { epci: 'X', typology: 3, registeredOn: '2024-01-01', signedOn: '2025-01-01' }, // 366 days
    { epci: 'X', typology: 3, registeredOn: '2025-01-01', signedOn: '2025-07-01' }, // 181 days
    { epci: 'X', typology: 3, registeredOn: '2020-01-01', signedOn: '2024-12-31' }, // before the window
    { epci: 'X', typology: 2, registeredOn: '2020-01-01', signedOn: '2025-06-01' }, // other typology
    { epci: 'Y', typology: 3, registeredOn: '2020-01-01', signedOn: '2025-06-01' }, // other EPCI
  ];

  it('averages registration-to-lease times of the last 12 months, in months of 30.4375 days', () => {
    const w = averageWaitingTime(records, 'X', 3, '2025-12-31');
    expect(w).toMatchObject({ from: '2025-01-01', to: '2025-12-31', allocations: 2 });
    expect(w.months).toBeCloseTo((366 + 181) / 2 / 30.4375, 10);
  });

  it('has no average without allocations', () => {
    expect(averageWaitingTime(records, 'X', 5, '2025-12-31')).toMatchObject({ allocations: 0, months: null });
  });

  it('clamps the window start to the month’s length', () => {
    expect(averageWaitingTime([], 'X', 3, '2025-03-31', 1).from).toBe('2025-03-01');
  });
});

describe('priorityCase', () => {
  it('is a priority case with DALO or an L441-1 criterion', () => {
    expect(priorityCase(aDemand())).toEqual({ priority: false, dalo: false, criteria: [] });
    expect(priorityCase(aDemand({ dalo: true }))).toMatchObject({ priority: true, dalo: true });
    expect(priorityCase(aDemand({ priorityCriteria: ['disability'] }))).toEqual({
      priority: true,
      dalo: false,
      criteria: ['disability'],
    });
  });
});
