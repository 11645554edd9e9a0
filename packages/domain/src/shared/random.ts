/**
 * Seeded pseudo-random numbers for everything that must be reproducible (demo population,
 * bootstrap intervals, generated benchmark instances): the same seed gives the same sequence on
 * every machine. xoshiro128** (Blackman & Vigna, 2018) seeded through splitmix32; 53-bit floats.
 * Not for anything secret.
 */
export interface Random {
  /** Uniform in [0, 1), 53 bits of precision. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** true with probability p. */
  bernoulli(p: number): boolean;
  /** Binomial(n, p); exact inversion for small n·p, normal approximation beyond. */
  binomial(n: number, p: number): number;
  /** Picks an index with probability proportional to weights[i]. */
  weighted(weights: ArrayLike<number>, total?: number): number;
  /** A new independent stream derived from this one (for sub-generators whose draws must not shift others). */
  fork(label: number): Random;
}

function splitmix32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x9e3779b9) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRandom(seed: number): Random {
  if (!Number.isFinite(seed)) throw new Error(`graine invalide : ${seed}`);
  const init = splitmix32(Math.floor(seed) ^ Math.floor(seed / 2 ** 32));
  let s0 = init();
  let s1 = init();
  let s2 = init();
  let s3 = init();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;

  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };

  let spareNormal: number | null = null;
  const random: Random = {
    next() {
      return ((nextU32() >>> 5) * 67108864 + (nextU32() >>> 6)) / 9007199254740992;
    },
    int(n) {
      return Math.floor(random.next() * n);
    },
    normal() {
      if (spareNormal !== null) {
        const v = spareNormal;
        spareNormal = null;
        return v;
      }
      let u = 0;
      while (u === 0) u = random.next();
      const v = random.next();
      const r = Math.sqrt(-2 * Math.log(u));
      spareNormal = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    bernoulli(p) {
      return random.next() < p;
    },
    binomial(n, p) {
      if (n <= 0 || p <= 0) return 0;
      if (p >= 1) return n;
      const mean = n * p;
      if (n < 64 || mean < 32 || n * (1 - p) < 32) {
        // Inversion by sequential search on the CDF (exact).
        if (p > 0.5) return n - random.binomial(n, 1 - p);
        const q = 1 - p;
        const ratio = p / q;
        let prob = q ** n;
        if (prob === 0) return Math.round(mean);
        let cdf = prob;
        const u = random.next();
        let k = 0;
        while (u > cdf && k < n) {
          prob *= (ratio * (n - k)) / (k + 1);
          cdf += prob;
          k++;
        }
        return k;
      }
      const k = Math.round(mean + Math.sqrt(mean * (1 - p)) * random.normal());
      return Math.min(n, Math.max(0, k));
    },
    weighted(weights, total) {
      let sum = total ?? 0;
      if (total === undefined) for (let i = 0; i < weights.length; i++) sum += weights[i]!;
      let u = random.next() * sum;
      for (let i = 0; i < weights.length; i++) {
        u -= weights[i]!;
        if (u < 0) return i;
      }
      for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
      throw new Error('tirage pondéré sur des poids tous nuls');
    },
    fork(label) {
      return createRandom((nextU32() ^ Math.imul(label + 1, 0x9e3779b1)) >>> 0);
    },
  };
  return random;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
