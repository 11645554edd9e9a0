import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildShortlist,
  chanceOf,
  compareCandidates,
  type RankedCandidate,
} from '../../src/letting/index.ts';

const candidate = fc.record({
  score: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
  registeredOn: fc.constantFrom('2019-01-01', '2020-06-30', '2021-03-15', '2023-12-31'),
});
const candidates = fc
  .array(candidate, { maxLength: 30 })
  .map((list) =>
    list.map((c, i): RankedCandidate => ({ ...c, sneNumber: `S${String(i).padStart(3, '0')}` })),
  );

describe('letting properties', () => {
  it('the chance of an applicant is their place in the shortlist order', () => {
    fc.assert(
      fc.property(candidates, (list) => {
        const sorted = [...list].sort(compareCandidates);
        sorted.forEach((c, i) => {
          const chance = chanceOf(c, list);
          expect(chance.rank).toBe(i + 1);
          expect(chance.applicants).toBe(list.length);
        });
      }),
    );
  });

  it('the shortlist ranks every kept applicant once, 1…k, in order, and gives every exclusion a reason', () => {
    fc.assert(
      fc.property(
        candidates,
        fc.array(fc.constantFrom(true, null, false), { minLength: 30 }),
        (list, verdicts) => {
          const shortlist = buildShortlist(
            list.map((c, i) => ({
              ...c,
              eligibility: {
                eligible: verdicts[i]!,
                failures: verdicts[i] === false ? [{ message: 'règle' }] : [],
              },
            })),
          );
          expect(shortlist).toHaveLength(list.length);
          const kept = shortlist.filter((e) => e.rank !== null);
          expect(kept.map((e) => e.rank)).toEqual(kept.map((_, i) => i + 1));
          for (let i = 1; i < kept.length; i++)
            expect(compareCandidates(kept[i - 1]!, kept[i]!)).toBeLessThan(0);
          for (const e of shortlist.filter((x) => x.rank === null)) {
            expect(e.eligible).toBe(false);
            expect(e.excludedReasons.length).toBeGreaterThan(0);
          }
        },
      ),
    );
  });
});
