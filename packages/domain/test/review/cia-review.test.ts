import { describe, expect, it } from 'vitest';
import { ciaReview, projectToYearEnd, type ReviewLease } from '../../src/review/cia-review.ts';
import { ciaSettingsOn } from '../../src/review/targets.ts';

const settings = ciaSettingsOn('2025-06-30');
let n = 0;
function lease(overrides: Partial<ReviewLease>): ReviewLease {
  n++;
  return {
    leaseId: `B${n}`,
    signedOn: '2025-03-01',
    homeId: `M${n}`,
    commune: '38185',
    qpv: false,
    landlord: 'll-1',
    reservationHolder: 'rh-state',
    typology: 3,
    householdId: `H${n}`,
    firstQuartile: false,
    urbanRenewalRelocation: false,
    priorityPublic: false,
    transfer: false,
    ...overrides,
  };
}

describe('ciaReview (CCH L441-1 targets)', () => {
  it('uses the legal default targets: 25 %, 50 %, 25 %', () => {
    expect(settings.targets).toEqual({
      firstQuartileOutsideQpv: 0.25,
      nonFirstQuartileInsideQpv: 0.5,
      priorityPerReservationHolder: 0.25,
    });
  });

  it('measures target 1 on leases outside QPV and says how many households were missing', () => {
    const leases = [
      ...Array.from({ length: 2 }, () => lease({ firstQuartile: true })),
      ...Array.from({ length: 10 }, () => lease({})),
    ];
    const review = ciaReview('200040715', 2025, leases, settings);
    // 12 leases outside QPV need ⌈0.25 × 12⌉ = 3 qualifying households; 2 → 1 missing.
    expect(review.outsideQpv).toEqual({
      leases: 12,
      qualifying: 2,
      share: 2 / 12,
      target: 0.25,
      met: false,
      missingHouseholds: 1,
    });
  });

  it('counts a relocated household housed outside QPV toward target 1 exactly once, even if also first quartile', () => {
    const review = ciaReview(
      '200040715',
      2025,
      [
        lease({ urbanRenewalRelocation: true, firstQuartile: true }),
        lease({ urbanRenewalRelocation: true }),
        lease({}),
        lease({}),
      ],
      settings,
    );
    expect(review.outsideQpv).toMatchObject({ leases: 4, qualifying: 2, met: true, missingHouseholds: 0 });
  });

  it('measures target 2 on leases inside QPV: households other than first quartile', () => {
    const review = ciaReview(
      '200040715',
      2025,
      [
        lease({ qpv: true, firstQuartile: true }),
        lease({ qpv: true }),
        lease({ qpv: true, firstQuartile: true }),
      ],
      settings,
    );
    // 3 leases in QPV need ⌈1.5⌉ = 2 non-first-quartile households; 1 → 1 missing.
    expect(review.insideQpv).toMatchObject({ leases: 3, qualifying: 1, met: false, missingHouseholds: 1 });
  });

  it('measures each reservation holder’s priority share and breaks everything down', () => {
    const review = ciaReview(
      '200040715',
      2025,
      [
        lease({ reservationHolder: 'rh-state', priorityPublic: true }),
        lease({ reservationHolder: 'rh-state' }),
        lease({ reservationHolder: 'rh-commune', landlord: 'll-2', commune: '38151', typology: 2 }),
      ],
      settings,
    );
    expect(review.priorityByReservationHolder).toEqual([
      {
        reservationHolder: 'rh-commune',
        leases: 1,
        qualifying: 0,
        share: 0,
        target: 0.25,
        met: false,
        missingHouseholds: 1,
      },
      {
        reservationHolder: 'rh-state',
        leases: 2,
        qualifying: 1,
        share: 0.5,
        target: 0.25,
        met: true,
        missingHouseholds: 0,
      },
    ]);
    expect(review.byLandlord.map((r) => [r.key, r.outsideQpv.leases])).toEqual([
      ['ll-1', 2],
      ['ll-2', 1],
    ]);
    expect(review.byTypology.map((r) => r.key)).toEqual(['T2', 'T3']);
    expect(review.byCommune.map((r) => r.key)).toEqual(['38151', '38185']);
  });

  it('counts only the leases of the year up to the date, and transfers only when the setting says so', () => {
    const leases = [
      lease({ signedOn: '2024-12-31' }),
      lease({ signedOn: '2025-01-01' }),
      lease({ signedOn: '2025-07-01' }),
      lease({ transfer: true }),
    ];
    expect(ciaReview('200040715', 2025, leases, settings).leases).toBe(3);
    expect(ciaReview('200040715', 2025, leases, settings, '2025-06-30').leases).toBe(2);
    expect(ciaReview('200040715', 2025, leases, { ...settings, countTransfers: false }).leases).toBe(2);
  });

  it('projects the year-to-date pace to 31 December', () => {
    const leases = [
      lease({ signedOn: '2025-02-01', firstQuartile: true }),
      lease({ signedOn: '2025-03-01' }),
    ];
    const ytd = ciaReview('200040715', 2025, leases, settings, '2025-06-30');
    const projection = projectToYearEnd(ytd);
    expect(projection.yearElapsed).toBeCloseTo(181 / 365, 6);
    expect(projection.outsideQpv.leases).toBe(4);
    expect(projection.outsideQpv.qualifying).toBe(2);
  });
});
