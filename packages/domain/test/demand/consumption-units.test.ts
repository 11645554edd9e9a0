import { describe, expect, it } from 'vitest';
import { consumptionUnitScaleOn, consumptionUnits } from '../../src/demand/consumption-units.ts';
import { valueOn } from '../../src/shared/dated.ts';

describe('consumptionUnits (OECD-modified scale, INSEE)', () => {
  it('counts 1 for the first person, 0.5 per other person of 14 or more, 0.3 per child under 14', () => {
    expect(consumptionUnits(1, 0)).toBe(1);
    // INSEE's worked example: a couple with two children under 14 = 1 + 0.5 + 2 × 0.3 = 2.1 UC.
    expect(consumptionUnits(2, 2)).toBeCloseTo(2.1, 12);
    expect(consumptionUnits(3, 1)).toBeCloseTo(2.3, 12);
  });

  it('refuses a household without anyone aged 14 or more', () => {
    expect(() => consumptionUnits(0, 2)).toThrow(/au moins une personne/);
  });

  it('finds the scale in force on a date, and says when none is', () => {
    expect(consumptionUnitScaleOn('2025-12-31').personUnder14).toBe(0.3);
    expect(() =>
      valueOn(
        'test',
        [{ validFrom: '2024-01-01', validUntil: '2024-12-31', source: '', value: 1 }],
        '2025-01-01',
      ),
    ).toThrow(/aucune valeur de « test » en vigueur le 2025-01-01/);
  });
});
