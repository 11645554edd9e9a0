import { describe, expect, it } from 'vitest';
import {
  defaultYear,
  figurePath,
  formatIndex,
  formatShare,
  niceTicks,
  scaleApplies,
  sortUnits,
} from '../src/pages/observatory/observatory-lib.ts';
import type { MixUnit } from '../src/pages/observatory/types.ts';

const unit = (code: string, name: string, total: number, localScore: number, q1: number): MixUnit => ({
  level: 'iris',
  code,
  name,
  commune: { code: '38185', name: 'Grenoble' },
  iris: null,
  total,
  localScore,
  contribution: localScore / 10,
  localScoreSecret: false,
  shares: [q1, 1 - q1],
  sharesSecret: [false, false],
  locationQuotients: [q1 * 4, null],
  locationQuotientsSecret: [false, false],
  approximate: false,
  point: null,
});

describe('observatory page helpers', () => {
  it('builds the API paths, with the year for lettings only and format=csv for downloads', () => {
    const params = { variable: 'age-band', population: 'lettings', scale: 'residence', year: 2024 } as const;
    expect(figurePath('200040715', 'units', params, 'csv')).toBe(
      '/territories/200040715/observatory/units?variable=age-band&population=lettings&scale=residence&year=2024&format=csv',
    );
    expect(figurePath('200040715', 'indices', { ...params, population: 'households', scale: 'iris' })).toBe(
      '/territories/200040715/observatory/indices?variable=age-band&population=households&scale=iris',
    );
  });

  it('knows that households outside the social stock have no residence', () => {
    expect(scaleApplies('households', 'residence')).toBe(false);
    expect(scaleApplies('social-occupants', 'residence')).toBe(true);
    expect(scaleApplies('households', 'qpv')).toBe(true);
  });

  it('sorts units by any column, both ways, ties by name', () => {
    const units = [
      unit('a', 'Bastille', 30, 0.2, 0.5),
      unit('b', 'Arlequin', 12, 0.5, 0.7),
      unit('c', 'Abbaye', 12, 0.1, 0.1),
    ];
    expect(sortUnits(units, 'localScore', 'descending', 0).map((u) => u.code)).toEqual(['b', 'a', 'c']);
    expect(sortUnits(units, 'total', 'ascending', 0).map((u) => u.code)).toEqual(['c', 'b', 'a']);
    expect(sortUnits(units, 'name', 'ascending', 0).map((u) => u.name)).toEqual([
      'Abbaye',
      'Arlequin',
      'Bastille',
    ]);
    expect(sortUnits(units, 'quotient', 'descending', 0).map((u) => u.code)).toEqual(['b', 'a', 'c']);
  });

  it('shows first the latest year of leases whose number is published', () => {
    expect(
      defaultYear([
        { year: 2026, count: null },
        { year: 2025, count: 3824 },
        { year: 2024, count: 4167 },
      ]),
    ).toBe(2025);
    expect(defaultYear([{ year: 2026, count: null }])).toBe(2026);
    expect(defaultYear([])).toBeNull();
  });

  it('puts units whose value is secret last, whichever the direction', () => {
    const secret = {
      ...unit('s', 'Alpes', 40, 0.9, 0.3),
      localScore: null,
      contribution: null,
      localScoreSecret: true,
      shares: [null, 0.7],
      sharesSecret: [true, false],
      locationQuotients: [null, null],
      locationQuotientsSecret: [true, false],
    };
    const units = [secret, unit('a', 'Bastille', 30, 0.2, 0.5), unit('b', 'Arlequin', 12, 0.5, 0.7)];
    for (const direction of ['ascending', 'descending'] as const) {
      expect(sortUnits(units, 'localScore', direction, 0).at(-1)!.code).toBe('s');
      expect(sortUnits(units, 'share', direction, 0).at(-1)!.code).toBe('s');
      expect(sortUnits(units, 'quotient', direction, 0).at(-1)!.code).toBe('s');
    }
    expect(sortUnits(units, 'localScore', 'descending', 0).map((u) => u.code)).toEqual(['b', 'a', 's']);
  });

  it('formats indices and shares in French', () => {
    expect(formatIndex(0.063685)).toBe('0,0637');
    expect(formatShare(0.0459)).toBe('4,6\u00a0%');
  });

  it('gives round axis ticks that cover the data', () => {
    expect(niceTicks(75.2, 146.9, 6)).toEqual([60, 80, 100, 120, 140, 160]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
