import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ContingencyTable,
  contingencyTableFromRows,
  dissimilarity,
  localScoresByGroup,
  localScoresByUnit,
  multigroupDissimilarity,
  multigroupGini,
  mutualInformation,
  mutualInformationNested,
  mutualInformationWithin,
  singleGroupCounts,
  singleGroupGini,
} from '../../src/observatory/index.ts';

/** A random table: counts[u][g], each unit with a grandparent and a parent (3 nested levels). */
interface RandomTable {
  counts: number[][];
  parentOf: number[];
  grandparentOf: number[];
}

const randomTable: fc.Arbitrary<RandomTable> = fc
  .record({ groups: fc.integer({ min: 2, max: 5 }), units: fc.integer({ min: 1, max: 25 }) })
  .chain(({ groups, units }) =>
    fc.record({
      counts: fc.array(fc.array(fc.nat(40), { minLength: groups, maxLength: groups }), {
        minLength: units,
        maxLength: units,
      }),
      parentOf: fc.array(fc.nat(5), { minLength: units, maxLength: units }),
      grandparentOf: fc.array(fc.nat(2), { minLength: 6, maxLength: 6 }),
    }),
  )
  .filter(({ counts }) => counts[0]!.filter((_, g) => counts.some((row) => row[g]! > 0)).length >= 2);

function build(
  t: RandomTable,
  unitOrder: readonly number[] = t.counts.map((_, u) => u),
  groupOrder: readonly number[] = t.counts[0]!.map((_, g) => g),
): ContingencyTable {
  const rows = unitOrder.flatMap((u) =>
    groupOrder.map((g) => ({
      units: [`r${t.grandparentOf[t.parentOf[u]!]}`, `p${t.parentOf[u]}`, `u${u}`],
      group: `g${g}`,
      n: t.counts[u]![g]!,
    })),
  );
  return contingencyTableFromRows(['region', 'parent', 'unit'], rows);
}

const permutation = (n: number) =>
  fc.shuffledSubarray(
    Array.from({ length: n }, (_, i) => i),
    { minLength: n, maxLength: n },
  );

describe('properties of the indices on random tables', () => {
  it('decomposes M exactly: the nested terms sum to M, the within term is Σ p_s M_s', () => {
    fc.assert(
      fc.property(randomTable, (t) => {
        const table = build(t);
        const { M } = mutualInformation(table);
        const nested = mutualInformationNested(table);
        expect(nested.reduce((s, term) => s + term.M, 0)).toBeCloseTo(M, 12);
        expect(nested.every((term) => term.M > -1e-12)).toBe(true);
        const within = mutualInformationWithin(table, 'parent');
        expect(within.M).toBeCloseTo(nested[2]!.M, 12);
      }),
    );
  });

  it('gives M = Σ p_u L_u = Σ_g P_g L_g', () => {
    fc.assert(
      fc.property(randomTable, (t) => {
        const table = build(t);
        const { M } = mutualInformation(table);
        for (const local of [localScoresByUnit(table), localScoresByGroup(table)]) {
          let sum = 0;
          local.ls.forEach((ls, i) => {
            sum += local.p[i]! * ls;
          });
          expect(sum).toBeCloseTo(M, 12);
        }
      }),
    );
  });

  it('gives zero segregation when all units have the same group proportions', () => {
    const proportional = fc.record({
      weights: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 5 }),
      sizes: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 20 }),
      parentOf: fc.array(fc.nat(5), { minLength: 20, maxLength: 20 }),
    });
    fc.assert(
      fc.property(proportional, ({ weights, sizes, parentOf }) => {
        const table = build({
          counts: sizes.map((k) => weights.map((w) => k * w)),
          parentOf,
          grandparentOf: [0, 1, 0, 1, 0, 1],
        });
        const zero = (x: number) => expect(Math.abs(x)).toBeLessThan(1e-12);
        zero(mutualInformation(table).M);
        zero(mutualInformation(table).H);
        for (const term of mutualInformationNested(table)) zero(term.M);
        for (const ls of localScoresByUnit(table).ls) zero(ls);
        zero(dissimilarity(table, 'g0', 'g1'));
        zero(multigroupDissimilarity(table));
        zero(multigroupGini(table));
        zero(singleGroupGini(singleGroupCounts(table, 'g0')));
      }),
    );
  });

  it('sums repeated rows of a cell, in any order', () => {
    const withSplits = randomTable.chain((t) =>
      fc.record({
        t: fc.constant(t),
        splits: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
          minLength: t.counts.length * t.counts[0]!.length,
          maxLength: t.counts.length * t.counts[0]!.length,
        }),
        order: permutation(2 * t.counts.length * t.counts[0]!.length),
      }),
    );
    fc.assert(
      fc.property(withSplits, ({ t, splits, order }) => {
        const whole = build(t);
        const groups = t.counts[0]!.length;
        const halves = t.counts.flatMap((row, u) =>
          row.flatMap((n, g) => {
            const first = Math.floor(n * splits[u * groups + g]!);
            const units = [`r${t.grandparentOf[t.parentOf[u]!]}`, `p${t.parentOf[u]}`, `u${u}`];
            return [
              { units, group: `g${g}`, n: first },
              { units, group: `g${g}`, n: n - first },
            ];
          }),
        );
        const split = contingencyTableFromRows(
          ['region', 'parent', 'unit'],
          order.map((i) => halves[i]!),
        );
        expect(mutualInformation(split).M).toBeCloseTo(mutualInformation(whole).M, 12);
        expect(split.total).toBe(whole.total);
        expect(split.cellCount.length).toBe(whole.cellCount.length);
      }),
    );
  });

  it('leaves M, H and D unchanged when units or groups are listed in another order', () => {
    const withOrders = randomTable.chain((t) =>
      fc.record({
        t: fc.constant(t),
        unitOrder: permutation(t.counts.length),
        groupOrder: permutation(t.counts[0]!.length),
      }),
    );
    fc.assert(
      fc.property(withOrders, ({ t, unitOrder, groupOrder }) => {
        const a = build(t);
        const b = build(t, unitOrder, groupOrder);
        const ma = mutualInformation(a);
        const mb = mutualInformation(b);
        expect(mb.M).toBeCloseTo(ma.M, 12);
        expect(mb.H).toBeCloseTo(ma.H, 12);
        expect(multigroupDissimilarity(b)).toBeCloseTo(multigroupDissimilarity(a), 12);
        const [g, h] = a.groups;
        expect(dissimilarity(b, g!, h!)).toBeCloseTo(dissimilarity(a, g!, h!), 12);
      }),
    );
  });
});
