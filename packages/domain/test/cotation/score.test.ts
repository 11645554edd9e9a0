import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COTATION_GRID } from '../../src/cotation/default-grid.ts';
import { type CotationGrid, type Criterion, cotationGridOn } from '../../src/cotation/grid.ts';
import { scoreDemand, scoreDemands } from '../../src/cotation/score.ts';
import { parseCotationGrid } from '../../src/cotation/validate-grid.ts';
import type { Demand, PriorityCriterion } from '../../src/demand/types.ts';
import { aDemand } from './factory.ts';

const grid = (criteria: Criterion[], groups: Record<string, string> = {}): CotationGrid =>
  parseCotationGrid({
    id: 'test',
    version: 1,
    label: 'Grille de test',
    validFrom: '2020-01-01',
    validUntil: null,
    source: 'test',
    groups,
    criteria,
  });

const seniority: Criterion = {
  id: 'anciennete',
  label: 'Ancienneté',
  kind: 'duration',
  from: 'registration',
  pointsPerMonth: 2,
  maxPoints: 24,
};
const dalo: Criterion = {
  id: 'dalo',
  label: 'DALO',
  kind: 'boolean',
  priority: true,
  condition: { fact: 'dalo' },
  points: 30,
};
const housing: Criterion[] = [
  {
    id: 'sans-logement',
    label: 'Sans logement',
    group: 'logement',
    kind: 'boolean',
    condition: { fact: 'current-housing', value: 'homeless' },
    points: 17,
  },
  {
    id: 'heberge',
    label: 'Hébergé',
    group: 'logement',
    kind: 'boolean',
    condition: { fact: 'priority-criterion', value: 'hosted-or-temporary' },
    points: 8,
  },
  {
    id: 'trop-petit',
    label: 'Trop petit',
    group: 'logement',
    kind: 'boolean',
    condition: { fact: 'reason', value: 'too-small' },
    points: 5,
  },
];
const TEST_GRID = grid([seniority, dalo, ...housing], { logement: 'Situation de logement' });

describe('cotationGridOn', () => {
  it('picks the highest version in force on the date', () => {
    const v1 = { ...TEST_GRID, validUntil: '2025-12-31' };
    const v2 = { ...TEST_GRID, version: 2, validFrom: '2026-01-01' };
    const v3 = { ...TEST_GRID, version: 3, validFrom: '2026-06-01' };
    expect(cotationGridOn([v1, v2, v3], '2025-12-31')).toBe(v1);
    expect(cotationGridOn([v3, v2, v1], '2026-03-01')).toBe(v2);
    expect(cotationGridOn([v1, v2, v3], '2026-06-01')).toBe(v3);
    expect(cotationGridOn([v1, v2, v3], '2019-01-01')).toBeNull();
  });
});

describe('scoreDemand', () => {
  it('counts completed months since registration, capped', () => {
    const d = aDemand({ registeredOn: '2025-01-15' });
    expect(scoreDemand(d, TEST_GRID, '2025-01-14').total).toBe(0);
    expect(scoreDemand(d, TEST_GRID, '2025-02-14').total).toBe(0);
    expect(scoreDemand(d, TEST_GRID, '2025-02-15').total).toBe(2);
    expect(scoreDemand(d, TEST_GRID, '2025-12-31').total).toBe(22);
    const capped = scoreDemand(d, TEST_GRID, '2030-01-01');
    expect(capped.total).toBe(24);
    expect(capped.breakdown[0]!.detail).toBe('59 mois × 2 points, plafond 24 atteint');
  });

  it('counts only the highest criterion of an exclusive group, and shows the others as not counted', () => {
    const d = aDemand({
      registeredOn: '2026-01-01',
      currentHousing: 'homeless',
      priorityCriteria: ['hosted-or-temporary'],
      reasons: ['too-small'],
      dalo: true,
    });
    const s = scoreDemand(d, TEST_GRID, '2026-01-01');
    expect(s.total).toBe(30 + 17);
    expect(s.breakdown.map((l) => [l.criterion, l.points, l.counted])).toEqual([
      ['dalo', 30, true],
      ['sans-logement', 17, true],
      ['heberge', 8, false],
      ['trop-petit', 5, false],
    ]);
    expect(s).toMatchObject({ gridId: 'test', gridVersion: 1, date: '2026-01-01' });
  });

  it('scores numeric bands, min inclusive and max exclusive', () => {
    const g = grid([
      { ...dalo },
      {
        id: 'ressources',
        label: 'Ressources',
        kind: 'bands',
        measure: 'income-per-consumption-unit',
        bands: [
          { min: null, max: 6_000, points: 6 },
          { min: 6_000, max: 9_000, points: 3 },
        ],
      },
    ]);
    const at = (monthly: number) => scoreDemand(aDemand({ monthlyResourcesEur: monthly }), g, '2026-01-01');
    expect(at(499).total).toBe(6); // 5,988 € per UC
    expect(at(500).total).toBe(3); // 6,000 €
    expect(at(749).total).toBe(3); // 8,988 €
    expect(at(750).total).toBe(0); // 9,000 €
    expect(at(499).breakdown[0]!.detail.replace(/[\u202f\u00a0]/g, ' ')).toBe(
      '5 988 € par UC et par an : 6 points',
    );
  });

  it('describes the measure of a band in the breakdown', () => {
    const g = grid([
      dalo,
      {
        id: 'age',
        label: 'Âge',
        kind: 'bands',
        measure: 'applicant-age',
        bands: [{ min: 65, max: null, points: 4 }],
      },
      {
        id: 'taille',
        label: 'Taille',
        kind: 'bands',
        measure: 'persons',
        bands: [{ min: 5, max: null, points: 2 }],
      },
    ]);
    const s = scoreDemand(
      aDemand({ applicantBirthDate: '1955-06-01', persons14OrMore: 2, personsUnder14: 3 }),
      g,
      '2026-01-01',
    );
    expect(s.breakdown.map((l) => l.detail)).toEqual(['70 ans : 4 points', '5 personnes : 2 points']);
  });

  it('evaluates all / any / not conditions', () => {
    const g = grid([
      dalo,
      {
        id: 'mutation-sous-occupation',
        label: 'Sous-occupation',
        kind: 'boolean',
        condition: { all: [{ fact: 'social-tenant' }, { fact: 'reason', value: 'too-large' }] },
        points: 10,
      },
      {
        id: 'non-dalo',
        label: 'Non DALO',
        kind: 'boolean',
        condition: { not: { fact: 'dalo' } },
        points: 1,
      },
    ]);
    expect(
      scoreDemand(aDemand({ currentSocialTenant: true, reasons: ['too-large'] }), g, '2026-01-01').total,
    ).toBe(11);
    expect(
      scoreDemand(aDemand({ currentSocialTenant: false, reasons: ['too-large'] }), g, '2026-01-01').total,
    ).toBe(1);
    expect(scoreDemand(aDemand({ dalo: true }), g, '2026-01-01').total).toBe(30);
  });
});

const PRIORITIES: PriorityCriterion[] = [
  'disability',
  'homeless',
  'hosted-or-temporary',
  'eviction-threat',
  'domestic-violence',
  'overcrowded-with-minors',
  'unfit-housing',
  'poorly-housed',
];
const arbitraryDemand: fc.Arbitrary<Demand> = fc
  .record({
    registered: fc.integer({ min: 0, max: 4_000 }),
    monthly: fc.integer({ min: 0, max: 5_000 }),
    adults: fc.integer({ min: 1, max: 4 }),
    children: fc.integer({ min: 0, max: 4 }),
    priorities: fc.subarray(PRIORITIES),
    dalo: fc.boolean(),
    housing: fc.constantFrom(
      'private-tenant',
      'homeless',
      'temporary-housing',
      'hosted-by-family',
      'social-tenant' as const,
    ),
    reasons: fc.subarray(['too-small', 'too-expensive', 'too-large', 'eviction', 'unfit-housing']),
    type: fc.constantFrom('single', 'couple', 'single-parent', 'couple-with-children', 'other' as const),
  })
  .map((r) =>
    aDemand({
      registeredOn: new Date(Date.UTC(2014, 0, 1) + r.registered * 86_400_000).toISOString().slice(0, 10),
      monthlyResourcesEur: r.monthly,
      persons14OrMore: r.adults,
      personsUnder14: r.children,
      priorityCriteria: r.priorities,
      dalo: r.dalo,
      currentHousing: r.housing,
      currentSocialTenant: r.housing === 'social-tenant',
      reasons: r.reasons,
      householdType: r.type,
    }),
  );

describe('cotation properties', () => {
  it('gives the same totals one by one (with breakdown) and in batch', () => {
    fc.assert(
      fc.property(fc.array(arbitraryDemand, { minLength: 1, maxLength: 30 }), (demands) => {
        const batch = scoreDemands(demands, DEFAULT_COTATION_GRID, '2026-01-01');
        demands.forEach((d, i) => {
          const one = scoreDemand(d, DEFAULT_COTATION_GRID, '2026-01-01');
          expect(batch[i]).toBe(one.total);
          expect(one.breakdown.filter((l) => l.counted).reduce((s, l) => s + l.points, 0)).toBe(one.total);
        });
      }),
    );
  });

  it('never lowers a score when the demand is older (seniority is monotone)', () => {
    fc.assert(
      fc.property(arbitraryDemand, fc.integer({ min: 1, max: 3_000 }), (d, days) => {
        const older = {
          ...d,
          registeredOn: new Date(Date.parse(d.registeredOn) - days * 86_400_000).toISOString().slice(0, 10),
        };
        expect(scoreDemand(older, DEFAULT_COTATION_GRID, '2026-01-01').total).toBeGreaterThanOrEqual(
          scoreDemand(d, DEFAULT_COTATION_GRID, '2026-01-01').total,
        );
      }),
    );
  });

  it('counts exactly the maximum of the matched criteria of an exclusive group', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 3, maxLength: 3 }),
        fc.subarray([0, 1, 2]),
        (points, matched) => {
          const criteria = housing.map((c, k) => ({ ...c, points: points[k]! }) as Criterion);
          const g = grid([dalo, ...criteria], { logement: 'Logement' });
          const d = aDemand({
            currentHousing: matched.includes(0) ? 'homeless' : 'private-tenant',
            priorityCriteria: matched.includes(1) ? ['hosted-or-temporary'] : [],
            reasons: matched.includes(2) ? ['too-small'] : [],
          });
          const expected = matched.length === 0 ? 0 : Math.max(...matched.map((k) => points[k]!));
          expect(scoreDemand(d, g, '2026-01-01').total).toBe(expected);
          expect(scoreDemands([d], g, '2026-01-01')[0]).toBe(expected);
        },
      ),
    );
  });

  it('never exceeds the cap of a duration criterion', () => {
    fc.assert(
      fc.property(arbitraryDemand, fc.integer({ min: 0, max: 10_000 }), (d, days) => {
        const date = new Date(Date.UTC(2014, 0, 1) + days * 86_400_000).toISOString().slice(0, 10);
        const s = scoreDemand(d, grid([seniority, dalo]), date);
        const line = s.breakdown.find((l) => l.criterion === 'anciennete');
        expect(line?.points ?? 0).toBeLessThanOrEqual(24);
        expect(line?.points ?? 0).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
