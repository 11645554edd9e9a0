import { describe, expect, it } from 'vitest';
import {
  type ContingencyTable,
  localDiversity,
  localEntropy,
  localSimpsonConcentration,
  localSimpsonInteraction,
  locationQuotients,
  multigroupDissimilarity,
  multigroupDiversity,
  multigroupGini,
  multigroupNormalizedExposure,
  multigroupRelativeDiversity,
  multigroupSquaredCoefficientOfVariation,
  mutualInformation,
  SegregationInputError,
  simpsonConcentration,
  simpsonInteraction,
  singleGroupAtkinson,
  singleGroupCorrelationRatio,
  singleGroupCounts,
  singleGroupCountsFromColumns,
  singleGroupDissimilarity,
  singleGroupGini,
  singleGroupInteraction,
  singleGroupIsolation,
  singleGroupTheilEntropy,
} from '../../src/observatory/index.ts';
import { expectRelative, sacramentoColumns, sacramentoTable, schoolsTable } from './fixtures.ts';

/** The multigroup indices PySAL pins, by its class name. */
function multigroupIndices(table: ContingencyTable): Record<string, number> {
  const { M, H } = mutualInformation(table);
  return {
    MultiDissim: multigroupDissimilarity(table),
    MultiGini: multigroupGini(table),
    MultiNormExposure: multigroupNormalizedExposure(table),
    MultiRelativeDiversity: multigroupRelativeDiversity(table),
    MultiSquaredCoefVar: multigroupSquaredCoefficientOfVariation(table),
    MultiDiversity: multigroupDiversity(table),
    MultiDivergence: M,
    MultiInfoTheory: H,
  };
}

describe('PySAL indices on Sacramento tracts', () => {
  // Expected: fixtures/segregation/sacramento.expected.txt, the "got" column (PySAL run on
  // sacramento_tracts.csv, 15 digits; it reproduces the values PySAL's own tests pin).
  const columns = sacramentoColumns();
  const hisp = singleGroupCountsFromColumns(columns.HISP!, columns.TOT_POP!);
  const table = sacramentoTable();

  it('reads 403 tracts, 1,796,857 people of whom 277,574 Hispanic', () => {
    expect(columns.FIPS).toHaveLength(403);
    expect(hisp.total.reduce((s, t) => s + t, 0)).toBe(1796857);
    expect(hisp.group.reduce((s, t) => s + t, 0)).toBe(277574);
  });

  it('gives the single-group indices of Hispanic residents against the total population', () => {
    expectRelative(singleGroupDissimilarity(hisp), 0.321846560765669);
    expectRelative(singleGroupGini(hisp), 0.435065106768862);
    expectRelative(singleGroupTheilEntropy(hisp), 0.096267744799706);
    expectRelative(singleGroupAtkinson(hisp, 0.5), 0.150792593826677);
    expectRelative(singleGroupIsolation(hisp), 0.231961548645915);
    expectRelative(singleGroupInteraction(hisp), 0.768038451354085);
    expectRelative(singleGroupCorrelationRatio(hisp), 0.091640420129267);
  });

  it('gives the multigroup indices of WHITE, BLACK, ASIAN, HISP', () => {
    const got = multigroupIndices(table);
    const expected: Record<string, number> = {
      MultiDissim: 0.413408725731778,
      MultiGini: 0.545634999259808,
      MultiNormExposure: 0.188218790299942,
      MultiRelativeDiversity: 0.158200198782203,
      MultiDiversity: 0.973311224399791,
      MultiSquaredCoefVar: 0.118754846411275,
      MultiInfoTheory: 0.171016029785889,
      MultiDivergence: 0.166451821342894,
    };
    for (const [name, value] of Object.entries(expected)) expectRelative(got[name]!, value);
    expectRelative(multigroupDiversity(table, { normalized: true }), 0.702095638341572);
    expectRelative(simpsonConcentration(table), 0.491824131519579);
    expectRelative(simpsonInteraction(table), 0.508175868480421);
  });

  it('gives the location quotients of the first tracts (MultiLocationQuotient[0:3, 0:3], row-major)', () => {
    // The four values printed are [0,0], [0,1], [0,2], [1,0]; [1,1] is 0: the second tract,
    // 06061020106, has no BLACK resident (sacramento_tracts.csv).
    const lq = locationQuotients(table);
    expectRelative(lq[0]!, 1.365432210036869);
    expectRelative(lq[1]!, 0.074780490524601);
    expectRelative(lq[2]!, 0.162456507087403);
    expectRelative(lq[4]!, 1.18002163653776);
    expect(lq[5]).toBe(0);
  });

  it('gives the local diversity, entropy and Simpson measures of the first four tracts', () => {
    const expected = {
      diversity: [0.343323259231968, 0.561092289356729, 0.705632246604493, 0.297134715130112],
      entropy: [0.247655381757899, 0.404742531667994, 0.50900607143382, 0.214337389997084],
      concentration: [0.84564007464287, 0.666084054627583, 0.50090252657479, 0.870055100298293],
      interaction: [0.15435992535713, 0.333915945372417, 0.49909747342521, 0.129944899701707],
    };
    const got = {
      diversity: localDiversity(table),
      entropy: localEntropy(table),
      concentration: localSimpsonConcentration(table),
      interaction: localSimpsonInteraction(table),
    };
    for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
      expected[key].forEach((value, i) => {
        expectRelative(got[key][i]!, value);
      });
    }
  });

  it('rejects a tract whose group count exceeds its total', () => {
    expect(() => singleGroupCountsFromColumns([5, 1], [4, 10])).toThrow(SegregationInputError);
    expect(() => singleGroupCountsFromColumns([5, 1], [4, 10])).toThrow(/unité 1/);
    expect(() => singleGroupCountsFromColumns([0, 0], [4, 10])).toThrow(/deux groupes/);
  });
});

describe('PySAL indices on schools00 (school × race)', () => {
  const schools00 = schoolsTable('schools00.csv');

  it('gives the multigroup indices (README.md; sacramento.expected.txt, "PySAL on R schools00")', () => {
    const got = multigroupIndices(schools00);
    const expected: Record<string, number> = {
      MultiDivergence: 0.42553897587641965,
      MultiInfoTheory: 0.4188083146419447,
      MultiDissim: 0.619699898863552,
      MultiGini: 0.786154090128488,
      MultiNormExposure: 0.4331544544057683,
      MultiRelativeDiversity: 0.4216146987269122,
      MultiSquaredCoefVar: 0.24854092378767023,
      MultiDiversity: 1.0160709828319174,
    };
    for (const [name, value] of Object.entries(expected)) expectRelative(got[name]!, value);
  });

  it('gives the single-group indices of each race against all other pupils', () => {
    // sacramento.expected.txt, "single-group <race>" lines (README.md repeats D, Gini, Atkinson)
    const expected: Record<string, [number, number, number, number, number]> = {
      asian: [
        0.4491449328939695, 0.6024356426524307, 0.13521586182520834, 0.38165011237349467, 0.05608861938405918,
      ],
      black: [
        0.6876225634274971, 0.8559788204714553, 0.5010768187230987, 0.6808418035201067, 0.6119595745214216,
      ],
      hisp: [
        0.6111013050027426, 0.776998364215887, 0.3549231867514458, 0.541283815601824, 0.4426203359199896,
      ],
      native: [
        0.6052049130286205, 0.7847005145948293, 0.2514634972684351, 0.6372651129948411, 0.08919446175978099,
      ],
      white: [
        0.5962177505559856, 0.7625512036674682, 0.38902347846575325, 0.5264339608674785, 0.7943007035654297,
      ],
    };
    for (const [race, [D, gini, entropy, atkinson, isolation]] of Object.entries(expected)) {
      const counts = singleGroupCounts(schools00, race);
      expectRelative(singleGroupDissimilarity(counts), D);
      expectRelative(singleGroupGini(counts), gini);
      expectRelative(singleGroupTheilEntropy(counts), entropy);
      expectRelative(singleGroupAtkinson(counts), atkinson);
      expectRelative(singleGroupIsolation(counts), isolation);
    }
  });
});
