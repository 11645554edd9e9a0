import { describe, expect, it } from 'vitest';
import { consumptionUnits } from '../../src/demand/consumption-units.ts';
import type { HouseholdType, Tenure } from '../../src/demand/types.ts';
import {
  ageBandIndex,
  analyseMix,
  buildMixSnapshot,
  contingencyTableFromRows,
  type MixHouseholdRecord,
  type MixLeaseRecord,
  MixQueryError,
  type MixSnapshot,
  mixBootstrap,
  mixColumnsFromRecords,
  mutualInformation,
  OUTSIDE_QPV,
  quartileCuts,
  quartileIndex,
} from '../../src/observatory/index.ts';
import { createRandom } from '../../src/shared/random.ts';

/**
 * A territory small enough to compute by hand: commune 38001 holds IRIS 380010001 and 380010002
 * (the latter approximating QPV QN001 and holding residence R1, in that QPV); commune 38002 holds
 * IRIS 380020001 with residence R2 (outside QPV).
 */
const territory = {
  epci: '200000001',
  version: '7',
  communes: [
    { code: '38001', name: 'Alpha' },
    { code: '38002', name: 'Bêta' },
  ],
  iris: [
    { code: '380010001', name: 'Alpha Nord', commune: '38001' },
    { code: '380010002', name: 'Alpha Sud', commune: '38001' },
    { code: '380020001', name: 'Bêta', commune: '38002' },
  ],
  qpvs: [{ code: 'QN001', name: 'Quartier Sud', commune: '38001', approximate: true }],
  qpvIris: [{ iris: '380010002', qpv: 'QN001' }],
  residences: [
    { id: 'R1', name: 'Les Tilleuls', iris: '380010002', qpv: 'QN001', longitude: 5.7, latitude: 45.1 },
    { id: 'R2', name: 'Le Parc', iris: '380020001', qpv: null, longitude: 5.8, latitude: 45.2 },
  ],
  consumptionUnitScale: { firstPerson: 1, otherPerson14OrMore: 0.5, personUnder14: 0.3 },
};

function household(
  id: string,
  iris: string,
  type: HouseholdType,
  tenure: Tenure,
  residence: string | null = null,
  income = 20_000,
  referenceAge = 40,
): MixHouseholdRecord {
  return {
    id,
    iris,
    residence,
    tenure,
    type,
    referenceAge,
    persons14OrMore: type === 'single' ? 1 : 2,
    personsUnder14: 0,
    annualDisposableIncomeEur: income,
  };
}

/** IRIS 380010001: 2 singles; 380010002: 2 couples (social, R1); 380020001: 1 couple, 1 single (social, R2). */
const households = [
  household('h1', '380010001', 'single', 'owner', null, 10_000, 25),
  household('h2', '380010001', 'single', 'private-tenant', null, 12_000, 35),
  household('h3', '380010002', 'couple', 'social-tenant', 'R1', 20_000, 50),
  household('h4', '380010002', 'couple', 'social-tenant', 'R1', 30_000, 65),
  household('h5', '380020001', 'couple', 'private-tenant', null, 40_000, 80),
  household('h6', '380020001', 'single', 'social-tenant', 'R2', 9_000, 29),
];
const leases: MixLeaseRecord[] = [
  { household: 'h3', residence: 'R1', signedOn: '2024-03-01' },
  { household: 'h6', residence: 'R2', signedOn: '2024-09-15' },
  { household: 'h4', residence: 'R1', signedOn: '2023-06-30' },
];

function snapshotOf(hh: readonly MixHouseholdRecord[], ll: readonly MixLeaseRecord[]): MixSnapshot {
  const columns = mixColumnsFromRecords(territory.iris, territory.residences, hh, ll);
  return buildMixSnapshot({ ...territory, ...columns });
}

const snapshot = snapshotOf(households, leases);
const ln = Math.log;

function queryError(f: () => unknown): MixQueryError {
  try {
    f();
  } catch (error) {
    if (error instanceof MixQueryError) return error;
    throw error;
  }
  throw new Error('no error thrown');
}

describe('observatory groups', () => {
  it('cuts quartiles as PostgreSQL percentile_cont does, a value on a cut falling in the lower quartile', () => {
    // Sorted 1…8: positions 1.75, 3.5, 5.25 (0-based) → 2.75, 4.5, 6.25.
    const cuts = quartileCuts([8, 1, 7, 2, 6, 3, 5, 4]);
    expect(cuts).toEqual([2.75, 4.5, 6.25]);
    expect([2.75, 2.76, 4.5, 6.25, 6.3].map((v) => quartileIndex(v, cuts))).toEqual([0, 1, 1, 2, 3]);
  });

  it('bands the age of the reference person: < 30, 30–44, 45–59, 60–74, 75 or more', () => {
    expect([14, 29, 30, 44, 45, 59, 60, 74, 75, 102].map(ageBandIndex)).toEqual([
      0, 0, 1, 1, 2, 2, 3, 3, 4, 4,
    ]);
  });
});

describe('observatory snapshot', () => {
  it('places social occupants in their residence, others in their IRIS, and QPV membership accordingly', () => {
    const h = snapshot.households;
    expect([...h.residence]).toEqual([-1, -1, 0, 0, -1, 1]);
    expect([...h.iris]).toEqual([0, 0, 1, 1, 2, 2]);
    expect([...h.commune]).toEqual([0, 0, 0, 0, 1, 1]);
    expect([...h.qpv]).toEqual([-1, -1, 0, 0, -1, -1]);
    // Placed through the IRIS (approximation) unless a residence says where they live.
    expect([...h.qpvApproximate]).toEqual([1, 1, 0, 0, 1, 0]);
    expect(snapshot.years).toEqual([2024, 2023]);
  });

  it('classes every household by quartile of income per consumption unit of the whole EPCI, leases too', () => {
    const perUnit = households.map(
      (h) => h.annualDisposableIncomeEur / consumptionUnits(h.persons14OrMore, 0),
    );
    const cuts = quartileCuts(perUnit);
    expect(snapshot.incomeQuartileCuts).toEqual(cuts);
    expect([...snapshot.households.groups['income-quartile']]).toEqual(
      perUnit.map((v) => quartileIndex(v, cuts)),
    );
    // Lease of h6 (9,000 € for one person: the poorest) is in the first quartile.
    expect(snapshot.lettings.groups['income-quartile'][1]).toBe(0);
    expect([...snapshot.lettings.groups['age-band']]).toEqual([2, 0, 3]);
  });
});

describe('observatory analysis', () => {
  it('computes M, H and the nested decomposition of a table computed by hand', () => {
    // IRIS: (2 singles), (2 couples), (1 + 1): M = 2·(2/6)·ln 2 = (2/3) ln 2; communes (2 + 2), (1 + 1): M = 0.
    const a = analyseMix(snapshot, { variable: 'household-type', population: 'households', scale: 'iris' });
    expect(a.total).toBe(6);
    expect(a.M).toBeCloseTo((2 / 3) * ln(2), 12);
    expect(a.H).toBeCloseTo(2 / 3, 12);
    expect(a.decomposition.map((t) => [t.level, t.share])).toEqual([
      ['commune', 0],
      ['iris', 1],
    ]);
    expect(a.decomposition[1]!.M).toBeCloseTo((2 / 3) * ln(2), 12);
    expect(a.reading[0]).toBe(
      'Le type de ménage sépare davantage les ménages entre IRIS d’une même commune (100\u00a0% de M) ' +
        'qu’entre communes (0\u00a0% de M).',
    );
    const mixed = a.units.find((u) => u.code === '380020001')!;
    expect(mixed).toMatchObject({
      name: 'Bêta',
      total: 2,
      localScore: 0,
      commune: { code: '38002', name: 'Bêta' },
    });
    expect(mixed.shares).toEqual([0.5, 0.5, 0, 0, 0]);
    // Singles make half of the whole: a unit of singles only has a location quotient of 2.
    expect(a.units.find((u) => u.code === '380010001')!.locationQuotients).toEqual([2, 0, null, null, null]);
    expect(a.groups.map((g) => g.count)).toEqual([3, 3, 0, 0, 0]);
  });

  it('gives the QPV scale with « hors QPV » as a unit, flagged approximate when IRIS placed households', () => {
    const a = analyseMix(snapshot, { variable: 'household-type', population: 'households', scale: 'qpv' });
    // QN001: 2 couples (p = 1/3, L = ln 2); outside: 3 singles, 1 couple (p = 2/3).
    const outside = 0.75 * ln(1.5) + 0.25 * ln(0.5);
    expect(a.M).toBeCloseTo((1 / 3) * ln(2) + (2 / 3) * outside, 12);
    expect(a.units.map((u) => [u.code, u.total, u.approximate])).toEqual([
      ['QN001', 2, true],
      [OUTSIDE_QPV, 4, true],
    ]);
    expect(a.approximate).toBe(true);
    expect(a.decomposition.map((t) => t.level)).toEqual(['qpv-status', 'qpv']);
    expect(a.reading.at(-1)).toContain('approchés par des IRIS');
  });

  it('measures social occupants by residence, nested in IRIS and communes', () => {
    const a = analyseMix(snapshot, {
      variable: 'household-type',
      population: 'social-occupants',
      scale: 'residence',
    });
    // R1: 2 couples, R2: 1 single — fully separated: M = E(G), H = 1, all of it between communes.
    expect(a.total).toBe(3);
    expect(a.M).toBeCloseTo((2 / 3) * ln(1.5) + (1 / 3) * ln(3), 12);
    expect(a.H).toBeCloseTo(1, 12);
    expect(a.decomposition.map((t) => t.level)).toEqual(['commune', 'iris', 'residence']);
    expect(a.decomposition[0]!.share).toBeCloseTo(1, 12);
    expect(a.units.map((u) => [u.code, u.iris?.code, u.point?.longitude])).toEqual([
      ['R1', '380010002', 5.7],
      ['R2', '380020001', 5.8],
    ]);
  });

  it('counts the lettings of a year in the residence of the home let', () => {
    const a = analyseMix(snapshot, {
      variable: 'household-type',
      population: 'lettings',
      scale: 'residence',
      year: 2024,
    });
    expect(a.year).toBe(2024);
    expect(a.total).toBe(2);
    expect(a.M).toBeCloseTo(ln(2), 12);
    expect(a.reading[0]).toContain('les ménages logés en 2024');
  });

  it('refuses a scale, a year or a variable that does not apply, in French', () => {
    expect(
      queryError(() =>
        analyseMix(snapshot, { variable: 'household-type', population: 'households', scale: 'residence' }),
      ),
    ).toMatchObject({
      code: 'scale-not-applicable',
      message: expect.stringContaining('n’ont pas de résidence'),
    });
    expect(
      queryError(() =>
        analyseMix(snapshot, { variable: 'household-type', population: 'lettings', scale: 'iris' }),
      ),
    ).toMatchObject({ code: 'year-required', message: expect.stringContaining('2024, 2023') });
    expect(
      queryError(() =>
        analyseMix(snapshot, {
          variable: 'household-type',
          population: 'lettings',
          scale: 'iris',
          year: 2019,
        }),
      ),
    ).toMatchObject({ code: 'unknown-year' });
    expect(
      queryError(() =>
        analyseMix(snapshot, { variable: 'tenure', population: 'social-occupants', scale: 'iris' }),
      ),
    ).toMatchObject({
      code: 'not-measurable',
      message: expect.stringContaining('« Locataire du parc social »'),
    });
  });

  it('equals the engine on a table built row by row, for every variable, population and scale', () => {
    const random = createRandom(42);
    const types: HouseholdType[] = ['single', 'couple', 'single-parent', 'couple-with-children', 'other'];
    const many: MixHouseholdRecord[] = [];
    for (let k = 0; k < 2_000; k++) {
      const residence = random.bernoulli(0.3) ? territory.residences[random.int(2)]! : null;
      const iris = residence ? residence.iris : territory.iris[random.int(3)]!.code;
      const tenure: Tenure = residence ? 'social-tenant' : random.bernoulli(0.5) ? 'owner' : 'private-tenant';
      many.push(
        household(
          `m${k}`,
          iris,
          types[random.int(5)]!,
          tenure,
          residence?.id ?? null,
          5_000 + random.int(60_000),
          18 + random.int(80),
        ),
      );
    }
    const manyLeases = many
      .filter((h) => h.residence !== null && random.bernoulli(0.2))
      .map((h) => ({ household: h.id, residence: h.residence!, signedOn: `${2023 + random.int(3)}-05-01` }));
    const big = snapshotOf(many, manyLeases);
    const communeOf = new Map(territory.iris.map((i) => [i.code, i.commune]));
    const residenceIris = new Map(territory.residences.map((r) => [r.id, r.iris]));
    const qpvOf = (h: MixHouseholdRecord, residence: string | null) =>
      residence === 'R1'
        ? 'QN001'
        : residence === 'R2'
          ? OUTSIDE_QPV
          : h.iris === '380010002'
            ? 'QN001'
            : OUTSIDE_QPV;
    const cuts = big.incomeQuartileCuts;
    const groupOf = {
      'income-quartile': (h: MixHouseholdRecord) =>
        String(
          quartileIndex(
            h.annualDisposableIncomeEur / consumptionUnits(h.persons14OrMore, h.personsUnder14),
            cuts,
          ),
        ),
      'household-type': (h: MixHouseholdRecord) => h.type,
      'age-band': (h: MixHouseholdRecord) => String(ageBandIndex(h.referenceAge)),
      tenure: (h: MixHouseholdRecord) => h.tenure,
    };
    const byId = new Map(many.map((h) => [h.id, h]));
    for (const variable of ['income-quartile', 'household-type', 'age-band', 'tenure'] as const) {
      for (const population of ['households', 'social-occupants', 'lettings'] as const) {
        const members =
          population === 'lettings'
            ? manyLeases
                .filter((l) => l.signedOn.startsWith('2024'))
                .map((l) => ({ h: byId.get(l.household)!, r: l.residence }))
            : many
                .filter((h) => population === 'households' || h.residence !== null)
                .map((h) => ({ h, r: h.residence }));
        for (const scale of ['commune', 'iris', 'residence', 'qpv'] as const) {
          if (scale === 'residence' && population === 'households') continue;
          const query = { variable, population, scale, year: 2024 };
          const groups = new Set(members.map((m) => groupOf[variable](m.h)));
          if (groups.size < 2) {
            expect(() => analyseMix(big, query)).toThrow(MixQueryError);
            continue;
          }
          const rows = members.map(({ h, r }) => {
            const iris = r ? residenceIris.get(r)! : h.iris;
            const units = {
              commune: [communeOf.get(iris)!],
              iris: [communeOf.get(iris)!, iris],
              residence: [communeOf.get(iris)!, iris, r!],
              qpv: [qpvOf(h, r) === OUTSIDE_QPV ? 'out' : 'in', qpvOf(h, r)],
            }[scale];
            return { units, group: groupOf[variable](h), n: 1 };
          });
          const expected = mutualInformation(
            contingencyTableFromRows(['a', 'b', 'c'].slice(0, rows[0]!.units.length), rows),
          );
          const a = analyseMix(big, query);
          expect(a.M, `${variable} ${population} ${scale}`).toBeCloseTo(expected.M, 12);
          expect(a.H).toBeCloseTo(expected.H, 12);
          expect(a.total).toBe(rows.length);
          expect(a.decomposition.reduce((s, t) => s + t.M, 0)).toBeCloseTo(a.M, 12);
        }
      }
    }
  });
});

describe('observatory uncertainty', () => {
  it('gives the same seeded bootstrap twice, with the expected M under independence beside M', () => {
    const many = Array.from({ length: 400 }, (_, k) =>
      household(
        `b${k}`,
        territory.iris[k % 3]!.code,
        k % 3 === 0 ? 'single' : k % 2 ? 'couple' : 'other',
        'owner',
      ),
    );
    const s = snapshotOf(many, []);
    const query = { variable: 'household-type', population: 'households', scale: 'iris' } as const;
    const first = mixBootstrap(s, query);
    expect(mixBootstrap(s, query)).toEqual(first);
    expect(first.iterations).toBe(100);
    expect(first.M.ci[0]).toBeLessThanOrEqual(first.M.ci[1]);
    const a = analyseMix(s, query);
    expect(a.underIndependence.M.mean).toBeGreaterThan(0);
    expect(a.underIndependence.M.mean).toBeLessThan(a.M);
  });
});
