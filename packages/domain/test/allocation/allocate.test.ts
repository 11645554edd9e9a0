import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AllocationInstance,
  allocate,
  checkAllocation,
  generateAllocationInstance,
} from '../../src/allocation/index.ts';
import { bruteForceOptimum, tinyInstance } from './helpers.ts';

const EPCI = '200000001';

/**
 * Two homes outside QPV, 50 % of them for the first quartile (CCH L441-1 target 1 at 0.5). Weights
 * score × (1 + 0.1 × (5 − rank)): a→h1 126, a→h2 117, b→h1 112, b→h2 104, c→h2 70.
 * Without the target: a→h1 + b→h2 = 230. With it, c (first quartile) must be housed: a→h1 + c→h2 = 196.
 */
function twoHomes(cFirstQuartile = true): AllocationInstance {
  return {
    targets: {
      firstQuartileOutsideQpv: 0.5,
      nonFirstQuartileInsideQpv: 0.5,
      priorityPerReservationHolder: 0,
    },
    homes: [
      { id: 'h1', epci: EPCI, qpv: false, reservationHolder: 'state' },
      { id: 'h2', epci: EPCI, qpv: false, reservationHolder: 'state' },
    ],
    applicants: [
      { id: 'a', score: 90, firstQuartile: false, urbanRenewalRelocation: false, priorityPublic: false },
      { id: 'b', score: 80, firstQuartile: false, urbanRenewalRelocation: false, priorityPublic: false },
      {
        id: 'c',
        score: 50,
        firstQuartile: cFirstQuartile,
        urbanRenewalRelocation: false,
        priorityPublic: false,
      },
    ],
    applications: [
      { applicant: 'a', home: 'h1', rank: 1 },
      { applicant: 'a', home: 'h2', rank: 2 },
      { applicant: 'b', home: 'h1', rank: 1 },
      { applicant: 'b', home: 'h2', rank: 2 },
      { applicant: 'c', home: 'h2', rank: 1 },
    ],
  };
}

function byHome(result: ReturnType<typeof allocate>): Record<string, string> {
  return Object.fromEntries(result.assignments.map((a) => [a.home, a.applicant]));
}

describe('allocate on hand-made instances', () => {
  it('houses a first-quartile household outside QPV when the target requires it, and prices the mix', () => {
    const result = allocate(twoHomes());
    expect(byHome(result)).toEqual({ h1: 'a', h2: 'c' });
    expect(result.objective).toBeCloseTo(196, 9);
    expect(result.upperBound).toBeCloseTo(196, 9);
    expect(result.gap).toBe(0);
    expect(result.status).toBe('optimal');
    expect(result.unconstrainedWeight).toBeCloseTo(230, 9);
    expect(result.priceOfMix).toBeCloseTo(34, 9);
    const row = result.constraints.find((c) => c.name === `firstQuartileOutsideQpv:${EPCI}`)!;
    expect(row).toMatchObject({ required: 1, achieved: 1, slack: 0, shortfall: 0, missingHouseholds: 0 });
    expect(row.multiplier).toBeGreaterThan(0);
    expect(result.explanations.h2).toContain('Sans les objectifs de la CIA, ce logement serait allé à « b »');
    expect(result.explanations.h2).toContain('premier quartile');
    expect(result.candidates.h2).toEqual(['c', 'b', 'a']);
    expect(checkAllocation(twoHomes(), result).problems).toEqual([]);
  });

  it('still answers when the pool cannot meet a target, with the exact shortfall in households', () => {
    const instance = twoHomes(false);
    const result = allocate(instance);
    expect(byHome(result)).toEqual({ h1: 'a', h2: 'b' });
    const row = result.constraints.find((c) => c.name === `firstQuartileOutsideQpv:${EPCI}`)!;
    expect(row).toMatchObject({ required: 1, achieved: 0, shortfall: 1, missingHouseholds: 1 });
    const penalty = result.settings.shortfallPenalty;
    expect(penalty).toBeCloseTo(100 * 126, 9);
    expect(result.penalty).toBeCloseTo(penalty, 9);
    expect(result.objective).toBeCloseTo(230 - penalty, 6);
    expect(result.upperBound).toBeCloseTo(230 - penalty, 6);
    expect(checkAllocation(instance, result).problems).toEqual([]);
  });

  it('counts the year-to-date leases: a target already met leaves the unconstrained allocation', () => {
    const instance = {
      ...twoHomes(),
      yearToDate: [
        {
          epci: EPCI,
          outsideQpv: 10,
          outsideQpvFirstQuartile: 10,
          insideQpv: 0,
          insideQpvNonFirstQuartile: 0,
        },
      ],
    };
    const result = allocate(instance);
    expect(byHome(result)).toEqual({ h1: 'a', h2: 'b' });
    expect(result.priceOfMix).toBe(0);
    const row = result.constraints.find((c) => c.kind === 'firstQuartileOutsideQpv')!;
    expect(row).toMatchObject({ counted: 12, required: 6, achieved: 10, slack: 4 });
  });

  it('never leaves a home empty to meet a target by default, but may under the `excluded` rule', () => {
    // Two homes outside QPV, no first-quartile applicant, 1 of 2 earlier leases qualified, target 50 %.
    const instance: AllocationInstance = {
      targets: { firstQuartileOutsideQpv: 0.5, priorityPerReservationHolder: 0 },
      homes: [
        { id: 'h1', epci: EPCI, qpv: false, reservationHolder: 'state' },
        { id: 'h2', epci: EPCI, qpv: false, reservationHolder: 'state' },
      ],
      applicants: [
        { id: 'a', score: 90, firstQuartile: false, urbanRenewalRelocation: false, priorityPublic: false },
        { id: 'b', score: 80, firstQuartile: false, urbanRenewalRelocation: false, priorityPublic: false },
      ],
      applications: [
        { applicant: 'a', home: 'h1', rank: 1 },
        { applicant: 'b', home: 'h2', rank: 1 },
      ],
      yearToDate: [
        { epci: EPCI, outsideQpv: 2, outsideQpvFirstQuartile: 1, insideQpv: 0, insideQpvNonFirstQuartile: 0 },
      ],
    };
    const prudent = allocate(instance);
    expect(prudent.unlet).toEqual([]);
    expect(prudent.constraints[0]).toMatchObject({
      counted: 4,
      required: 2,
      achieved: 1,
      missingHouseholds: 1,
    });
    const literal = allocate(instance, { unletHomes: 'excluded' });
    expect(literal.unlet).toEqual(['h1', 'h2']);
    expect(literal.constraints[0]).toMatchObject({ counted: 2, required: 1, achieved: 1, shortfall: 0 });
    expect(literal.explanations.h1).toContain('Non attribué');
  });

  it('gives at most three distinct candidates per home, the proposed applicant first', () => {
    const instance = generateAllocationInstance({
      homes: 60,
      applicants: 400,
      choices: 4,
      epcis: 2,
      seed: 3,
    });
    const result = allocate(instance);
    expect(checkAllocation(instance, result).problems).toEqual([]);
    const proposed = new Map(result.assignments.map((a) => [a.home, a.applicant]));
    for (const home of instance.homes) {
      const list = result.candidates[home.id]!;
      expect(list.length).toBeLessThanOrEqual(3);
      if (proposed.has(home.id)) expect(list[0]).toBe(proposed.get(home.id));
      expect(typeof result.explanations[home.id]).toBe('string');
    }
  });
});

describe('allocate: properties', () => {
  it('is never better than the brute-force optimum, which never exceeds the reported upper bound', () => {
    let exact = 0;
    let runs = 0;
    fc.assert(
      fc.property(tinyInstance, (instance) => {
        const result = allocate(instance);
        const optimum = bruteForceOptimum(instance);
        const scale = Math.max(1, Math.abs(optimum));
        expect(result.objective).toBeLessThanOrEqual(optimum + 1e-9 * scale);
        expect(optimum).toBeLessThanOrEqual(result.upperBound + 1e-9 * scale);
        expect(result.objective).toBeGreaterThanOrEqual(
          optimum - result.gap * Math.max(1, Math.abs(result.upperBound)) - 1e-9 * scale,
        );
        expect(checkAllocation(instance, result).problems).toEqual([]);
        runs++;
        if (Math.abs(result.objective - optimum) <= 1e-9 * scale) exact++;
      }),
      { numRuns: 300, seed: 7 },
    );
    // On tiny instances the engine finds the optimum almost always.
    expect(exact / runs).toBeGreaterThan(0.95);
  });

  it('gives the same result for the same instance whatever the order of its entries (ties broken by ids)', () => {
    const instance = generateAllocationInstance({
      homes: 80,
      applicants: 600,
      choices: 4,
      epcis: 3,
      seed: 11,
    });
    const reversed: AllocationInstance = {
      ...instance,
      homes: [...instance.homes].reverse(),
      applicants: [...instance.applicants].reverse(),
      applications: [...instance.applications].reverse(),
    };
    const a = allocate(instance);
    const b = allocate(reversed);
    expect(b.assignments).toEqual(a.assignments);
    expect(b.candidates).toEqual(a.candidates);
    expect(b.objective).toBe(a.objective);
    expect(b.upperBound).toBe(a.upperBound);
  });

  it('respects the time limit and still returns a valid allocation', () => {
    const instance = generateAllocationInstance({
      homes: 2000,
      applicants: 20000,
      choices: 5,
      epcis: 100,
      seed: 1,
    });
    const result = allocate(instance, { timeLimitSeconds: 0.001 });
    expect(result.status).toBe('timeLimit');
    expect(result.seconds).toBeLessThan(5);
    expect(checkAllocation(instance, result).problems).toEqual([]);
    expect(result.upperBound).toBeGreaterThanOrEqual(result.objective);
  });
});
