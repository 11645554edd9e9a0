import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applicantsRanges,
  comparablePublication,
  type LetToPublish,
  RESULT_PUBLICATION_RULES,
  typologyClass,
} from '../../src/notification/index.ts';

const let_ = (cycleId: string, commune: string, typology: number): LetToPublish => ({
  cycleId,
  commune,
  typology,
});

describe('comparable lets (k-anonymity of the published results)', () => {
  it('is a rule of 3 lets since 2024', () => {
    expect(RESULT_PUBLICATION_RULES[0]).toMatchObject({ validFrom: '2024-01-01', minComparableLets: 3 });
  });

  it('publishes commune and typology when k lets of the cycle share them', () => {
    const lets = [let_('c', '38185', 3), let_('c', '38185', 3), let_('c', '38185', 3)];
    expect(comparablePublication(lets, 3)).toEqual(
      lets.map(() => ({ commune: true, typology: 'exact', comparable: true })),
    );
  });

  it('publishes the typology as its class, then drops it, then drops the commune, step by step', () => {
    const lets = [
      // Commune A: a T1 and two T2 → « T1–T2 » at A.
      let_('c', 'A', 1),
      let_('c', 'A', 2),
      let_('c', 'A', 2),
      // Commune B: a T3, a T5 and a T6 → B without typology.
      let_('c', 'B', 3),
      let_('c', 'B', 5),
      let_('c', 'B', 6),
      // Communes C, D, E: a T3 and two T4 → « T3–T4 » without commune.
      let_('c', 'C', 3),
      let_('c', 'D', 4),
      let_('c', 'E', 4),
    ];
    expect(comparablePublication(lets, 3)).toEqual([
      ...[0, 1, 2].map(() => ({ commune: true, typology: 'class', comparable: true })),
      ...[3, 4, 5].map(() => ({ commune: true, typology: 'hidden', comparable: true })),
      ...[6, 7, 8].map(() => ({ commune: false, typology: 'class', comparable: true })),
    ]);
  });

  it('never mixes cycles, and withholds what is left under k in a cycle', () => {
    const result = comparablePublication([let_('c1', 'A', 3), let_('c1', 'A', 3), let_('c2', 'A', 3)], 3);
    expect(result).toEqual([0, 1, 2].map(() => ({ commune: false, typology: 'hidden', comparable: false })));
  });

  it('leaves every published combination shared by at least k published rows (property)', () => {
    const lets = fc.array(
      fc.record({
        cycleId: fc.constantFrom('c1', 'c2', 'c3'),
        commune: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
        typology: fc.integer({ min: 1, max: 6 }),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(lets, fc.integer({ min: 2, max: 5 }), (sample, k) => {
        const published = comparablePublication(sample, k);
        const rows = new Map<string, number>();
        const withheld = new Map<string, number>();
        sample.forEach((l, i) => {
          const p = published[i]!;
          if (!p.comparable) {
            expect(p).toEqual({ commune: false, typology: 'hidden', comparable: false });
            withheld.set(l.cycleId, (withheld.get(l.cycleId) ?? 0) + 1);
            return;
          }
          const typology =
            p.typology === 'exact'
              ? `T${l.typology}`
              : p.typology === 'class'
                ? typologyClass(l.typology)
                : '';
          const key = `${l.cycleId}|${p.commune ? l.commune : ''}|${typology}`;
          rows.set(key, (rows.get(key) ?? 0) + 1);
        });
        for (const n of rows.values()) expect(n).toBeGreaterThanOrEqual(k);
        // What is withheld in a cycle is what could not make a group of k there.
        for (const n of withheld.values()) expect(n).toBeLessThan(k);
      }),
    );
  });

  it('publishes the number of applicants as the range of its group, the same on each of its rows', () => {
    const ranges = applicantsRanges(['a', 'b', 'a', 'a', 'c'], [12, 4, 6, 9, 1]);
    expect(ranges.map((r) => r.label)).toEqual([
      'de 6 à 12 candidats',
      '4 candidats',
      'de 6 à 12 candidats',
      'de 6 à 12 candidats',
      '1 candidat',
    ]);
    expect(ranges[0]).toEqual({ min: 6, max: 12, label: 'de 6 à 12 candidats' });
    // Whatever the counts, rows of one group publish the same range, which holds each row's count.
    fc.assert(
      fc.property(
        fc.array(fc.record({ group: fc.constantFrom('x', 'y', 'z'), n: fc.nat(80) }), { maxLength: 30 }),
        (rows) => {
          const out = applicantsRanges(
            rows.map((r) => r.group),
            rows.map((r) => r.n),
          );
          rows.forEach((r, i) => {
            expect(out[i]!.min).toBeLessThanOrEqual(r.n);
            expect(out[i]!.max).toBeGreaterThanOrEqual(r.n);
            const same = rows.findIndex((o) => o.group === r.group);
            expect(out[i]).toEqual(out[same]);
          });
        },
      ),
    );
  });
});
