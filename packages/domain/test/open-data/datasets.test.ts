import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildMixSnapshot,
  type MixHouseholdRecord,
  type MixLeaseRecord,
  mixColumnsFromRecords,
} from '../../src/observatory/index.ts';
import { publishTables, REVIEW_COLUMNS, reviewTables, territoryTables } from '../../src/open-data/index.ts';
import { ciaReview, type ReviewLease } from '../../src/review/cia-review.ts';
import { ciaSettingsOn } from '../../src/review/targets.ts';

const LANDLORDS = ['ll-1', 'll-2', 'll-3'];
const HOLDERS = ['state', 'commune-38185', 'action-logement'];
const COMMUNES = ['38185', '38421', '38151', '38057'];

type LeaseDraw = Omit<ReviewLease, 'leaseId' | 'signedOn' | 'homeId' | 'householdId' | 'transfer'>;

const leaseArb: fc.Arbitrary<LeaseDraw> = fc.record({
  qpv: fc.boolean(),
  landlord: fc.constantFrom(...LANDLORDS),
  reservationHolder: fc.constantFrom(...HOLDERS),
  commune: fc.constantFrom(...COMMUNES),
  typology: fc.constantFrom(1, 2, 3, 4, 5) as fc.Arbitrary<1 | 2 | 3 | 4 | 5>,
  firstQuartile: fc.boolean(),
  urbanRenewalRelocation: fc.boolean(),
  priorityPublic: fc.boolean(),
});

function leases(drawn: LeaseDraw[]): ReviewLease[] {
  return drawn.map((d, k) => ({
    leaseId: `B${k}`,
    signedOn: '2025-05-01',
    homeId: `M${k}`,
    householdId: `H${k}`,
    transfer: false,
    ...d,
  }));
}

describe('open data of the CIA review', () => {
  it('partitions the leases by the first two targets, and the tables sharing the EPCI row hide the same cells', () => {
    fc.assert(
      fc.property(fc.array(leaseArb, { minLength: 1, maxLength: 120 }), (drawn) => {
        const review = ciaReview('200040715', 2025, leases(drawn), ciaSettingsOn('2025-12-31'));
        const inputs = reviewTables(review, 'EPCI', {});
        const published = publishTables(inputs);
        const breakdowns = published.filter((t) => t.columns === REVIEW_COLUMNS);
        expect(breakdowns.length).toBe(4);
        for (const t of breakdowns) {
          // Every lease in exactly one column; the units add up to the review's leases.
          expect(t.rows[0]).toEqual(breakdowns[0]!.rows[0]);
          const leaves = inputs.find((i) => i.id === t.id)!.units;
          expect(leaves.reduce((s, u) => s + u.counts!.reduce((a, b) => a + b, 0), 0)).toBe(review.leases);
        }
        const whole = breakdowns[0]!.rows[0]!;
        if (whole.cells[0]!.value !== null) expect(whole.cells[0]!.value).toBe(review.outsideQpv.qualifying);
        if (whole.total.value !== null) expect(whole.total.value).toBe(review.leases);
      }),
      { numRuns: 100 },
    );
  });
});

describe('open data of the territory', () => {
  // Commune 38001: IRIS 380010001 and 380010002 (with residence R1, in QPV QN001); commune 38002:
  // IRIS 380020001 (residence R2, outside QPV).
  const territory = {
    epci: '200000001',
    version: '1',
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
  const irisCodes = territory.iris.map((i) => i.code);
  const households: MixHouseholdRecord[] = Array.from({ length: 400 }, (_, k) => {
    const iris = irisCodes[k % 3]!;
    const residence = k % 5 === 0 ? (iris === '380010002' ? 'R1' : iris === '380020001' ? 'R2' : null) : null;
    return {
      id: `h${k}`,
      iris,
      residence,
      tenure: residence ? 'social-tenant' : 'owner',
      type: 'single',
      referenceAge: 40,
      persons14OrMore: 1,
      personsUnder14: 0,
      annualDisposableIncomeEur: 8_000 + ((k * 7919) % 40_000),
    };
  });
  const leases: MixLeaseRecord[] = households
    .filter((h) => h.residence)
    .map((h, k) => ({
      household: h.id,
      residence: h.residence!,
      signedOn: k % 2 ? '2024-05-01' : '2025-05-01',
    }));
  const snapshot = buildMixSnapshot({
    ...territory,
    ...mixColumnsFromRecords(territory.iris, territory.residences, households, leases),
  });

  it('counts every household once by IRIS and quartile, social occupants at their residence, the year’s lettings by QPV', () => {
    const [all, social, lettings] = territoryTables(snapshot, 'EPCI test', 2025);
    const leafTotal = (t: typeof all) =>
      t!.units.filter((u) => u.counts).reduce((s, u) => s + u.counts!.reduce((a, b) => a + b, 0), 0);
    expect(all!.units.map((u) => [u.level, u.code, u.parent])).toEqual([
      ['commune', '38001', null],
      ['commune', '38002', null],
      ['iris', '380010001', '38001'],
      ['iris', '380010002', '38001'],
      ['iris', '380020001', '38002'],
    ]);
    expect(leafTotal(all)).toBe(400);
    // Quartiles of all the EPCI's households: a quarter each (up to ties).
    const byQuartile = [0, 1, 2, 3].map((q) =>
      all!.units.filter((u) => u.counts).reduce((s, u) => s + u.counts![q]!, 0),
    );
    for (const n of byQuartile) expect(Math.abs(n - 100)).toBeLessThanOrEqual(1);
    expect(leafTotal(social)).toBe(households.filter((h) => h.residence).length);
    expect(social!.units.find((u) => u.code === '380010001')!.counts).toEqual([0, 0, 0, 0]);
    const lettings2025 = leases.filter((l) => l.signedOn.startsWith('2025'));
    expect(leafTotal(lettings)).toBe(lettings2025.length);
    // R1 is in QPV: its lettings are in the four « en QPV » columns, R2's in the « hors QPV » ones.
    const south = lettings!.units.find((u) => u.code === '380010002')!.counts!;
    expect(south.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(south.slice(4).reduce((a, b) => a + b, 0)).toBe(
      lettings2025.filter((l) => l.residence === 'R1').length,
    );
    expect(lettings!.columns.map((c) => c.code)).toEqual([
      'q1_hors_qpv',
      'q2_hors_qpv',
      'q3_hors_qpv',
      'q4_hors_qpv',
      'q1_qpv',
      'q2_qpv',
      'q3_qpv',
      'q4_qpv',
    ]);
    expect(territoryTables(snapshot, 'EPCI test', null).map((t) => t.id)).toEqual([
      'menages-quartile',
      'parc-social-quartile',
    ]);
  });
});
