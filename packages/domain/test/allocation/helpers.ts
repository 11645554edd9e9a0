import fc from 'fast-check';
import {
  type AllocationInstance,
  compileAllocationModel,
  penalisedObjective,
} from '../../src/allocation/index.ts';

/** Exact optimum of the penalised objective by enumerating every matching (tiny instances only). */
export function bruteForceOptimum(instance: AllocationInstance): number {
  const model = compileAllocationModel(instance);
  const homeEdge = new Int32Array(model.homeCount).fill(-1);
  const used = new Uint8Array(model.applicantCount);
  let best = Number.NEGATIVE_INFINITY;
  const visit = (h: number) => {
    if (h === model.homeCount) {
      best = Math.max(best, penalisedObjective(model, homeEdge));
      return;
    }
    homeEdge[h] = -1;
    visit(h + 1);
    for (let e = model.homeStart[h]!; e < model.homeStart[h + 1]!; e++) {
      const a = model.edgeApplicant[e]!;
      if (used[a]) continue;
      used[a] = 1;
      homeEdge[h] = e;
      visit(h + 1);
      used[a] = 0;
    }
    homeEdge[h] = -1;
  };
  visit(0);
  return best;
}

/** Tiny random instances: up to 5 homes, 6 applicants, 3 applications each, 2 EPCIs, 2 holders. */
export const tinyInstance: fc.Arbitrary<AllocationInstance> = fc
  .record({
    homes: fc.array(
      fc.record({
        epci: fc.constantFrom('200000001', '200000002'),
        qpv: fc.boolean(),
        holder: fc.constantFrom('state', 'commune'),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    applicants: fc.array(
      fc.record({
        score: fc.integer({ min: 0, max: 100 }),
        firstQuartile: fc.boolean(),
        urbanRenewalRelocation: fc.boolean(),
        priorityPublic: fc.boolean(),
        choices: fc.array(fc.nat(4), { minLength: 1, maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    targets: fc.record({
      firstQuartileOutsideQpv: fc.constantFrom(0, 0.25, 0.5),
      nonFirstQuartileInsideQpv: fc.constantFrom(0, 0.5, 0.75),
      priorityPerReservationHolder: fc.constantFrom(0, 0.25, 0.5),
    }),
    ytdOutside: fc.nat(4),
    ytdOutsideQualifying: fc.nat(4),
    ytdHolder: fc.nat(4),
    unletHomes: fc.constantFrom('nonQualifying' as const, 'excluded' as const),
  })
  .map((r) => {
    const homes = r.homes.map((h, i) => ({
      id: `h${i}`,
      epci: h.epci,
      qpv: h.qpv,
      reservationHolder: h.holder,
    }));
    const applications: AllocationInstance['applications'] = [];
    const applicants = r.applicants.map((a, i) => {
      const chosen = [...new Set(a.choices.map((c) => c % homes.length))];
      chosen.forEach((h, k) => {
        applications.push({ applicant: `a${i}`, home: `h${h}`, rank: k + 1 });
      });
      return {
        id: `a${i}`,
        score: a.score,
        firstQuartile: a.firstQuartile,
        urbanRenewalRelocation: a.urbanRenewalRelocation,
        priorityPublic: a.priorityPublic,
      };
    });
    return {
      targets: r.targets,
      homes,
      applicants,
      applications,
      yearToDate: [
        {
          epci: '200000001',
          outsideQpv: r.ytdOutside,
          outsideQpvFirstQuartile: Math.min(r.ytdOutside, r.ytdOutsideQualifying),
          insideQpv: 2,
          insideQpvNonFirstQuartile: 1,
        },
      ],
      reservationYearToDate: [{ reservationHolder: 'state', total: r.ytdHolder, priority: 0 }],
      settings: { unletHomes: r.unletHomes },
    };
  });
