import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MaxWeightMatcher } from '../../src/allocation/matching.ts';

interface Graph {
  homeCount: number;
  applicantCount: number;
  homeStart: Int32Array;
  edgeApplicant: Int32Array;
  edgeHome: Int32Array;
  weight: Float64Array;
}

function graph(homeCount: number, applicantCount: number, edges: Array<[number, number, number]>): Graph {
  const sorted = [...edges].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const homeStart = new Int32Array(homeCount + 1);
  for (const [h] of sorted) homeStart[h + 1]!++;
  for (let h = 0; h < homeCount; h++) homeStart[h + 1]! += homeStart[h]!;
  return {
    homeCount,
    applicantCount,
    homeStart,
    edgeHome: Int32Array.from(sorted, (e) => e[0]),
    edgeApplicant: Int32Array.from(sorted, (e) => e[1]),
    weight: Float64Array.from(sorted, (e) => e[2]),
  };
}

function bruteForce(g: Graph): number {
  const used = new Uint8Array(g.applicantCount);
  const visit = (h: number): number => {
    if (h === g.homeCount) return 0;
    let best = visit(h + 1);
    for (let e = g.homeStart[h]!; e < g.homeStart[h + 1]!; e++) {
      const a = g.edgeApplicant[e]!;
      if (used[a]) continue;
      used[a] = 1;
      best = Math.max(best, g.weight[e]! + visit(h + 1));
      used[a] = 0;
    }
    return best;
  };
  return visit(0);
}

const randomGraph = fc
  .record({ homes: fc.integer({ min: 1, max: 6 }), applicants: fc.integer({ min: 1, max: 6 }) })
  .chain(({ homes, applicants }) =>
    fc
      .uniqueArray(fc.tuple(fc.nat(homes - 1), fc.nat(applicants - 1), fc.integer({ min: -20, max: 100 })), {
        selector: (e) => `${e[0]},${e[1]}`,
        maxLength: homes * applicants,
      })
      .map((edges) => graph(homes, applicants, edges)),
  );

describe('MaxWeightMatcher', () => {
  it('finds the maximum-weight matching of small graphs (brute force), homes and applicants may stay unmatched', () => {
    fc.assert(
      fc.property(randomGraph, (g) => {
        const matcher = new MaxWeightMatcher(g);
        const value = matcher.solve(g.weight);
        expect(value).toBeCloseTo(bruteForce(g), 9);
        // The dual value certifies it.
        expect(matcher.dualValue()).toBeCloseTo(value, 9);
        // A valid matching.
        const seen = new Set<number>();
        for (let h = 0; h < g.homeCount; h++) {
          const e = matcher.homeEdge[h]!;
          if (e < 0) continue;
          expect(g.edgeHome[e]).toBe(h);
          expect(seen.has(g.edgeApplicant[e]!)).toBe(false);
          seen.add(g.edgeApplicant[e]!);
          expect(matcher.applicantEdge[g.edgeApplicant[e]!]).toBe(e);
        }
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('breaks ties towards the lower applicant index and never takes a negative edge', () => {
    const g = graph(1, 3, [
      [0, 0, -5],
      [0, 1, 10],
      [0, 2, 10],
    ]);
    const matcher = new MaxWeightMatcher(g);
    expect(matcher.solve(g.weight)).toBe(10);
    expect(g.edgeApplicant[matcher.homeEdge[0]!]).toBe(1);
    const negative = graph(1, 1, [[0, 0, -1]]);
    const m2 = new MaxWeightMatcher(negative);
    expect(m2.solve(negative.weight)).toBe(0);
    expect(m2.homeEdge[0]).toBe(-1);
  });
});
