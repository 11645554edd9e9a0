import { describe, expect, it } from 'vitest';
import { incomeCeilingOn } from '../../src/eligibility/income-ceilings.ts';
import type { CeilingArea } from '../../src/eligibility/zones.ts';

// Every figure below is pinned from docs/RULES.md §5, which takes them from the arrêté du 29 juillet
// 1987 as revised on 1 January (PLUS 2026) and from secondary sources (PLAI 2025, PLI 2025: uncertain).
const eur = (r: ReturnType<typeof incomeCeilingOn>) => ('unknown' in r ? r : r.eur);

describe('income ceilings (docs/RULES.md §5)', () => {
  it('gives the PLUS 2026 ceilings of categories 1 to 6 and per extra person, for the three areas', () => {
    const published: Record<CeilingArea, number[]> = {
      'paris-adjacent': [26_920, 40_233, 52_740, 62_968, 74_919, 84_304, 9_394],
      'rest-of-ile-de-france': [26_920, 40_233, 48_362, 57_930, 68_577, 77_171, 8_598],
      'other-regions': [23_403, 31_254, 37_584, 45_374, 53_376, 60_156, 6_710],
    };
    for (const [area, values] of Object.entries(published) as [CeilingArea, number[]][]) {
      for (let category = 1; category <= 6; category++)
        expect(eur(incomeCeilingOn('PLUS', area, category, '2026-06-30'))).toBe(values[category - 1]);
      // Category 6 + 2 persons = category 6 + 2 × the extra-person amount.
      expect(eur(incomeCeilingOn('PLUS', area, 8, '2026-06-30'))).toBe(values[5]! + 2 * values[6]!);
    }
  });

  it('gives the PLAI 2025 ceilings of categories 1 to 4 (secondary sources, uncertain) and says so', () => {
    const published: Record<CeilingArea, number[]> = {
      'paris-adjacent': [14_683, 23_931, 31_369, 34_338],
      'rest-of-ile-de-france': [14_683, 23_931, 28_767, 31_585],
      'other-regions': [12_759, 18_591, 22_356, 24_875],
    };
    for (const [area, values] of Object.entries(published) as [CeilingArea, number[]][])
      values.forEach((v, k) => {
        expect(eur(incomeCeilingOn('PLAI', area, k + 1, '2025-03-01'))).toBe(v);
      });
    const c = incomeCeilingOn('PLAI', 'other-regions', 1, '2025-03-01');
    expect('source' in c && c.source).toMatch(/INCERTAIN/);
  });

  it('estimates PLAI 2026 as PLAI 2025 + 0.87 %, marked as an estimate', () => {
    const c = incomeCeilingOn('PLAI', 'other-regions', 3, '2026-01-01');
    expect(eur(c)).toBe(Math.round(22_356 * 1.0087));
    expect('source' in c && c.source).toMatch(/ESTIMATION/);
  });

  it('derives PLS from PLUS × 1.30', () => {
    expect(eur(incomeCeilingOn('PLS', 'other-regions', 3, '2026-05-01'))).toBe(Math.round(37_584 * 1.3));
    expect(eur(incomeCeilingOn('PLS', 'paris-adjacent', 1, '2026-05-01'))).toBe(34_996);
  });

  it('gives the PLI 2025 single-person ceilings by zone (uncertain)', () => {
    expect(eur(incomeCeilingOn('PLI', 'A-bis-A', 1, '2025-07-01'))).toBe(43_475);
    expect(eur(incomeCeilingOn('PLI', 'B1', 1, '2025-07-01'))).toBe(35_435);
    expect(eur(incomeCeilingOn('PLI', 'B2-C', 1, '2025-07-01'))).toBe(31_892);
  });

  it('says why a ceiling is unknown instead of inventing one', () => {
    expect(incomeCeilingOn('PLUS', 'other-regions', 1, '2025-07-01')).toEqual({
      unknown: 'aucun plafond PLUS enregistré pour 2025',
    });
    expect(incomeCeilingOn('PLAI', 'other-regions', 5, '2025-07-01')).toEqual({
      unknown: 'plafond PLAI 2025 non renseigné pour la catégorie 5',
    });
    expect(incomeCeilingOn('PLI', 'B1', 2, '2025-07-01')).toEqual({
      unknown: 'plafond PLI 2025 non renseigné pour la catégorie 2',
    });
  });
});
