import { describe, expect, it } from 'vitest';
import type { MixUnit } from '../../src/observatory/index.ts';
import { type MixSecrecy, mixSecrecyKey, publishedMixUnits } from '../../src/open-data/index.ts';

const unit = (code: string, counts: number[]): MixUnit => {
  const total = counts.reduce((s, n) => s + n, 0);
  return {
    level: 'iris',
    code,
    name: code,
    commune: null,
    iris: null,
    total,
    localScore: 0.1,
    contribution: 0.2,
    shares: counts.map((n) => n / total),
    locationQuotients: counts.map(() => 1),
    approximate: false,
    point: null,
  };
};
const cell = (value: number, secret = false) => ({ value: secret ? null : value, secret });

describe('observatory units under statistical secrecy', () => {
  // Whole: 60 / 40 / 20, nothing secret. U1: 40 / 5 / 15 (5 hidden with 15); U2 published; U3 absent.
  const secrecy = (wholeSecret = false): MixSecrecy => ({
    threshold: 11,
    whole: { cells: [cell(60), cell(40, wholeSecret), cell(20, wholeSecret)], total: cell(120) },
    units: new Map([
      [mixSecrecyKey('iris', 'U1'), { cells: [cell(40), cell(5, true), cell(15, true)], total: cell(60) }],
      [mixSecrecyKey('iris', 'U2'), { cells: [cell(20), cell(35), cell(0)], total: cell(55) }],
    ]),
  });
  const units = [unit('U1', [40, 5, 15]), unit('U2', [20, 35, 0]), unit('U3', [0, 0, 12])];

  it('hides the shares and quotients of secret counts, and the local score of a unit with any', () => {
    const { units: published, withheld } = publishedMixUnits(units, secrecy());
    expect(withheld).toBe(1);
    const [u1, u2] = published;
    expect(u1).toMatchObject({
      code: 'U1',
      shares: [40 / 60, null, null],
      sharesSecret: [false, true, true],
      locationQuotients: [1, null, null],
      locationQuotientsSecret: [false, true, true],
      localScore: null,
      contribution: null,
      localScoreSecret: true,
    });
    expect(u2).toMatchObject({
      code: 'U2',
      shares: [20 / 55, 35 / 55, 0],
      localScore: 0.1,
      localScoreSecret: false,
    });
  });

  it('hides every quotient and local score that leans on a secret count of the EPCI', () => {
    const [, u2] = publishedMixUnits(units, secrecy(true)).units;
    expect(u2).toMatchObject({
      shares: [20 / 55, 35 / 55, 0],
      locationQuotients: [1, null, null],
      locationQuotientsSecret: [false, true, true],
      localScore: null,
    });
  });

  it('withholds a unit unknown to the system or whose counts differ (fail closed)', () => {
    const changed = [unit('U2', [20, 36, 0])];
    expect(publishedMixUnits(changed, secrecy())).toEqual({ units: [], withheld: 1 });
  });
});
