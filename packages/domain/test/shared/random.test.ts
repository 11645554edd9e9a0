import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/shared/random.ts';

describe('createRandom', () => {
  it('repeats the same sequence for the same seed and differs for another seed', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const xa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xa);
  });

  it('draws uniforms in [0, 1) with the right mean and normals with mean 0 and variance 1', () => {
    const r = createRandom(7);
    let sum = 0;
    let sumN = 0;
    let sumN2 = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      const z = r.normal();
      sumN += z;
      sumN2 += z * z;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumN / n).toBeCloseTo(0, 1);
    expect(sumN2 / n).toBeCloseTo(1, 1);
  });

  it('draws binomials with mean n·p in both the exact and the approximate regime', () => {
    const r = createRandom(3);
    for (const [n, p] of [
      [10, 0.3],
      [1000, 0.4],
      [50, 0.9],
    ] as const) {
      let s = 0;
      for (let i = 0; i < 20_000; i++) {
        const k = r.binomial(n, p);
        expect(k >= 0 && k <= n).toBe(true);
        s += k;
      }
      expect(s / 20_000 / (n * p)).toBeCloseTo(1, 1);
    }
  });

  it('picks weighted indices in proportion to their weights and never a zero weight', () => {
    const r = createRandom(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[r.weighted([1, 0, 3])]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeCloseTo(3, 0);
  });
});
