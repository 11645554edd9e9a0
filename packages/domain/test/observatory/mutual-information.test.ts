import { describe, expect, it } from 'vitest';
import {
  contingencyTableFromMatrix,
  contingencyTableOfGroups,
  contingencyTableTranspose,
  groupEntropy,
  localScoresByGroup,
  localScoresByUnit,
  mutualInformation,
  mutualInformationDecomposition,
  mutualInformationNested,
  mutualInformationSplit,
  mutualInformationWithin,
  unitEntropy,
  unitPath,
} from '../../src/observatory/index.ts';
import { expectRelative, fixtureRecords, schoolsTable } from './fixtures.ts';

// Every expected value below comes from fixtures/segregation/schools00.expected.txt (R package
// `segregation` 1.1.0.9000) unless another file is named.
const schools00 = schoolsTable('schools00.csv');

describe('mutual information M and Theil H on schools00 (race by school)', () => {
  it('reads the table the R package reads: 877,739 pupils, 2,045 schools, 429 districts, 3 states', () => {
    // schools00.expected.txt header and race marginal
    expect(schools00.total).toBe(877739);
    expect(schools00.levels.map((l) => l.labels.length)).toEqual([3, 429, 2045]);
    expect(schools00.cellCount.length).toBe(8142);
    expect(Object.fromEntries(schools00.groups.map((g, i) => [g, schools00.groupTotals[i]]))).toEqual({
      asian: 19796,
      black: 166902,
      hisp: 133150,
      white: 551301,
      native: 6590,
    });
  });

  it('gives M and H in nats (mutual_total(race, school))', () => {
    const { M, H } = mutualInformation(schools00);
    expectRelative(M, 0.42553897587642);
    expectRelative(H, 0.418808314641945);
  });

  it('gives M in bits with base 2 and leaves H unchanged (mutual_total(…, base = 2))', () => {
    const { M, H } = mutualInformation(schools00, { base: 2 });
    expectRelative(M, 0.613922970201879);
    expectRelative(H, 0.418808314641945);
  });

  it('gives the entropies of race and of school (entropy(race), entropy(school))', () => {
    expectRelative(groupEntropy(schools00), 1.01607098283192);
    expectRelative(mutualInformation(schools00).entropy, 1.01607098283192);
    expectRelative(unitEntropy(schools00), 7.54101803752197);
  });

  it('divides H by the school entropy when schools are the groups (mutual_total(school, race))', () => {
    const { M, H } = mutualInformation(contingencyTableTranspose(schools00));
    expectRelative(M, 0.4255389758764196);
    expectRelative(H, 0.0564299108898902);
  });

  it('measures segregation between districts and between states', () => {
    // mutual_total(race, district) and mutual_total(race, state)
    const district = mutualInformation(schools00, { level: 'district' });
    expectRelative(district.M, 0.337952496788853);
    expectRelative(district.H, 0.33260717262778);
    const state = mutualInformation(schools00, { level: 'state' });
    expectRelative(state.M, 0.0992437012829429);
    expectRelative(state.H, 0.0976739843572132);
  });

  it('splits M into between and within districts, and between and within states', () => {
    // mutual_total(race, school, within = district) and within = state
    const byDistrict = mutualInformationSplit(schools00, 'district');
    expectRelative(byDistrict.between.M, 0.337952496788853);
    expectRelative(byDistrict.within.M, 0.0875864790875664);
    expectRelative(byDistrict.within.H, 0.086201142014165);
    const byState = mutualInformationSplit(schools00, 'state');
    expectRelative(byState.between.H, 0.0976739843572132);
    expectRelative(byState.within.M, 0.326295274593477);
    expectRelative(byState.within.H, 0.321134330284731);
  });

  it('decomposes M exactly over state > district > school (mutual_total_nested)', () => {
    const nested = mutualInformationNested(schools00);
    expect(nested.map((t) => t.level)).toEqual(['state', 'district', 'school']);
    const expected = [
      [0.0992437012829429, 0.0976739843572132],
      [0.2387087955059103, 0.2349331882705664],
      [0.0875864790875664, 0.086201142014165],
    ];
    nested.forEach((term, k) => {
      expectRelative(term.M, expected[k]![0]!);
      expectRelative(term.H, expected[k]![1]!);
    });
    expectRelative(
      nested.reduce((s, t) => s + t.M, 0),
      0.42553897587642,
    );
  });

  it('gives the same M, H, nested terms and local scores in one call (mutualInformationDecomposition)', () => {
    for (const base of [Math.E, 2]) {
      const together = mutualInformationDecomposition(schools00, { base });
      const { M, H, entropy } = mutualInformation(schools00, { base });
      expect([together.M, together.H, together.entropy]).toEqual([M, H, entropy]);
      expect(together.nested).toEqual(mutualInformationNested(schools00, { base }));
      expect(together.local).toEqual(localScoresByUnit(schools00, { base }));
    }
  });

  it('gives M, p, H and the entropy ratio of the schools within each state (mutual_within, wide)', () => {
    const within = mutualInformationWithin(schools00, 'state');
    const expected = {
      A: [0.408596522834574, 0.276881852122328, 0.496921569209236, 0.809250114633598],
      B: [0.254995859585263, 0.403542510928647, 0.268088400301113, 0.936118992735963],
      C: [0.345022055434215, 0.319575636949025, 0.361125742152516, 0.940295509022469],
    };
    expect(within.byUnit.map((r) => r.unit)).toEqual(['A', 'B', 'C']);
    for (const row of within.byUnit) {
      const [M, p, H, ratio] = expected[row.unit as keyof typeof expected];
      expectRelative(row.M, M!);
      expectRelative(row.p, p!);
      expectRelative(row.H, H!);
      expectRelative(row.entropyRatio, ratio!);
    }
    // Σ p_s M_s and Σ p_s ratio_s H_s are the within-state M and H
    expectRelative(within.M, 0.326295274593477);
    expectRelative(within.H, 0.321134330284731);
  });
});

describe('local segregation scores on schools00', () => {
  it('gives the local score and weight of each race (mutual_local(school, race))', () => {
    const local = localScoresByGroup(schools00);
    const expected: Record<string, [number, number]> = {
      asian: [0.628767251748377, 0.02255340140975848],
      black: [0.880541305150669, 0.1901499192812442],
      hisp: [0.776632742882373, 0.15169657494995664],
      white: [0.183639285365455, 0.62809217774304205],
      native: [1.434264391938699, 0.00750792661599861],
    };
    schools00.groups.forEach((g, i) => {
      expectRelative(local.ls[i]!, expected[g]![0]);
      expectRelative(local.p[i]!, expected[g]![1]);
    });
    // the same scores read as the units of the transposed table
    const transposed = localScoresByUnit(contingencyTableTranspose(schools00));
    schools00.groups.forEach((g, i) => {
      expectRelative(transposed.ls[i]!, expected[g]![0]);
    });
  });

  it('gives the local score and weight of all 2,045 schools (schools00.local-by-school.expected.csv)', () => {
    const [header, ...rows] = fixtureRecords('schools00.local-by-school.expected.csv');
    expect(header).toEqual(['school', 'ls', 'p']);
    expect(rows).toHaveLength(2045);
    const local = localScoresByUnit(schools00);
    const schoolIndex = new Map(schools00.levels[2]!.labels.map((label, i) => [label, i]));
    for (const [school, ls, p] of rows) {
      const u = schoolIndex.get(school!)!;
      expectRelative(local.ls[u]!, Number(ls));
      expectRelative(local.p[u]!, Number(p));
    }
    // sum(p*ls) = 0.42553897587642 (schools00.expected.txt)
    let m = 0;
    local.ls.forEach((ls, u) => {
      m += ls * local.p[u]!;
    });
    expectRelative(m, 0.42553897587642);
  });

  it('gives the first schools in the R order with their path', () => {
    // first 10 schools of mutual_local(race, school)
    expect(unitPath(schools00, 0)).toEqual(['A', 'A1', 'A1_1']);
    expectRelative(localScoresByUnit(schools00).ls[0]!, 0.182671008654349);
  });
});

describe('M and H of sub-tables', () => {
  it('gives M and H of black and white pupils only (M,H black vs white by school)', () => {
    const { M, H } = mutualInformation(contingencyTableOfGroups(schools00, ['black', 'white']));
    expectRelative(M, 0.301065123514522);
    expectRelative(H, 0.555320987044635);
  });

  it('gives M and H of the two small tables of ?dissimilarity', () => {
    // schools00.expected.txt, "small matrix examples from ?dissimilarity": m1 and m2
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
    expectRelative(mutualInformation(m1).M, 0.356641347055317);
    expectRelative(mutualInformation(m1).H, 0.514524702772666);
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
    expectRelative(mutualInformation(m2).M, 0.192744757021758);
    expectRelative(mutualInformation(m2).H, 0.278071905112638);
  });
});

describe('schools05', () => {
  it('gives M and H of 2005 (schools00.expected.txt, "schools05 mutual_total"; README.md)', () => {
    const { M, H } = mutualInformation(schoolsTable('schools05.csv'));
    expectRelative(M, 0.413385092019674);
    expectRelative(H, 0.389284843308532);
  });

  it('gives M1 and M2 as mutual_difference prints them (schools00.expected.txt)', () => {
    expectRelative(mutualInformation(schools00).M, 0.4255389758764197);
    expectRelative(mutualInformation(schoolsTable('schools05.csv')).M, 0.41338509201967433);
  });
});
