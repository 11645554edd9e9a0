/**
 * A short-lived, in-process cache of the reads behind the advert search (the busiest answer of the
 * platform): the page of adverts for a set of filters, the applicants of those adverts, and the
 * signed-in applicant's demand, standing and own applications.
 *
 * Correctness rests on one rule: every successful write request through the API empties it (hook
 * in app.ts, before the answer leaves), and so does every background write that changes adverts
 * (cycles closing). Writes that bypass the server (the command line on a running platform, a
 * re-scoring job finishing) are seen after at most `ttlMs`. One platform process serves a
 * database (docs/decisions/0008), so no other process holds a copy.
 */
export class ReadCache {
  readonly #entries = new Map<string, { expires: number; value: Promise<unknown> }>();

  /** `ttlMs` 0 turns the cache off (every read goes to the database). */
  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 2000,
  ) {}

  /** The cached value of `key`, or `load()` (stored while it runs, so concurrent reads share it). */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    const value = load();
    const entry = { expires: now + this.ttlMs, value };
    this.#entries.set(key, entry);
    // A failed read is not kept.
    value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return value;
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** The cache that caches nothing (tests and tools that write to the database directly). */
export const NO_CACHE = new ReadCache(0);
