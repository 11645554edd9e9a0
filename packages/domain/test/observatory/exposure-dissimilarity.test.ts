import { describe, expect, it } from 'vitest';
import {
  contingencyTableFromMatrix,
  dissimilarity,
  exposureMatrix,
  exposureOf,
  isolationByGroup,
  SegregationInputError,
  singleGroupCounts,
  singleGroupDissimilarity,
} from '../../src/observatory/index.ts';
import { expectRelative, schoolsTable } from './fixtures.ts';

// Expected values: fixtures/segregation/schools00.expected.txt (R package `segregation`).
const schools00 = schoolsTable('schools00.csv');

describe('index of dissimilarity on schools00', () => {
  it('gives D of white against all other pupils ("white vs non-white by school")', () => {
    expectRelative(singleGroupDissimilarity(singleGroupCounts(schools00, 'white')), 0.596217750555986);
  });

  it('gives D of black and white, and of hispanic and white pupils', () => {
    expectRelative(dissimilarity(schools00, 'black', 'white'), 0.728387884871103);
    expectRelative(dissimilarity(schools00, 'hisp', 'white'), 0.637071339193575);
  });

  it('gives D = 0.6 for both small tables of ?dissimilarity, where M differs', () => {
    // schools00.expected.txt, "small matrix examples from ?dissimilarity"
    const m1 = contingencyTableFromMatrix(
      ['1', '2', '3', '4'],
      ['1', '2'],
      [
        [100, 0],
        [60, 40],
        [40, 60],
        [0, 100],
      ],
    );
    const m2 = contingencyTableFromMatrix(
      ['1', '2', '3', '4'],
      ['1', '2'],
      [
        [80, 20],
        [80, 20],
        [20, 80],
        [20, 80],
      ],
    );
    expectRelative(dissimilarity(m1, '1', '2'), 0.6);
    expectRelative(dissimilarity(m2, '1', '2'), 0.6);
  });

  it('rejects a group that is not in the table, and the same group twice', () => {
    expect(() => dissimilarity(schools00, 'black', 'martian')).toThrow(SegregationInputError);
    expect(() => dissimilarity(schools00, 'black', 'martian')).toThrow(/groupe inconnu : « martian »/);
    expect(() => dissimilarity(schools00, 'black', 'black')).toThrow(/deux groupes différents/);
  });
});

describe('isolation and exposure on schools00', () => {
  it('gives the isolation of each race (isolation(race, school))', () => {
    const expected: Record<string, number> = {
      asian: 0.0560886193840592,
      black: 0.6119595745214216,
      hisp: 0.4426203359199896,
      white: 0.7943007035654296,
      native: 0.089194461759781,
    };
    const isolation = isolationByGroup(schools00);
    schools00.groups.forEach((g, i) => {
      expectRelative(isolation[i]!, expected[g]!);
    });
  });

  it('gives the exposure of each race to each race (exposure(race, school), 25 rows)', () => {
    const expected: [string, string, number][] = [
      ['asian', 'asian', 0.05608861938405918],
      ['asian', 'black', 0.11629704089765222],
      ['asian', 'hisp', 0.16299614318073974],
      ['asian', 'white', 0.65597456068209603],
      ['black', 'asian', 0.01379382045517683],
      ['black', 'black', 0.61195957452142158],
      ['black', 'hisp', 0.10549824400160386],
      ['black', 'white', 0.26563462056687553],
      ['hisp', 'asian', 0.02423335824563217],
      ['hisp', 'black', 0.13224084055843549],
      ['hisp', 'hisp', 0.44262033591998962],
      ['hisp', 'white', 0.3911031134354126],
      ['white', 'asian', 0.02355459613398629],
      ['white', 'black', 0.08041877203533579],
      ['white', 'hisp', 0.09445906964421466],
      ['white', 'white', 0.79430070356542959],
      ['native', 'native', 0.089194461759781],
      ['native', 'white', 0.60792510237245634],
      ['white', 'native', 0.00726685862103368],
      ['asian', 'native', 0.00864363585545277],
      ['black', 'native', 0.00311374045492224],
      ['hisp', 'native', 0.00980235184053009],
      ['native', 'asian', 0.02596500992329939],
      ['native', 'black', 0.07886032009217474],
      ['native', 'hisp', 0.19805510585228858],
    ];
    const matrix = exposureMatrix(schools00);
    const G = schools00.groups.length;
    for (const [of, to, value] of expected) {
      const g = schools00.groups.indexOf(of);
      const h = schools00.groups.indexOf(to);
      expectRelative(matrix[g * G + h]!, value);
      expectRelative(exposureOf(schools00, of, to), value);
    }
    // each row of the exposure matrix sums to 1 (a member's unit is made of all groups)
    for (let g = 0; g < G; g++) {
      let sum = 0;
      for (let h = 0; h < G; h++) sum += matrix[g * G + h]!;
      expect(sum).toBeCloseTo(1, 12);
    }
  });
});
