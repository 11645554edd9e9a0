/**
 * A short-lived, in-process cache of the reads behind the advert search (the busiest answer of the
 * platform): the page of adverts for a set of filters and the applicants of those adverts (shared
 * keys), and each signed-in applicant's demand, standing and own applications (keys of
 * `userKey(sne, …)`).
 *
 * Correctness rests on one rule: every successful write request through the API empties what it may
 * have changed before its answer leaves (hook in app.ts): a write by an applicant empties the shared
 * keys and that applicant's own; any other write empties everything; so does the closing of cycles
 * by the server's timer. A writer's next read always sees its write. Writes that bypass the server
 * (the command line on a running platform, a re-scoring job ending) are seen once an entry is older
 * than `ttlMs`: such an entry is still served while it is re-read in the background, so that
 * entries created together do not all go back to the database at the same instant. One platform
 * process serves a database (docs/decisions/0008), so no other process holds a copy.
 */
export class ReadCache {
  readonly #entries = new Map<string, Entry>();

  /** `ttlMs` 0 turns the cache off (every read goes to the database). */
  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 5000,
  ) {}

  /** The cached value of `key`, or `load()` (stored while it runs, so concurrent reads share it). */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const hit = this.#entries.get(key);
    if (hit) {
      if (hit.settled && !hit.refreshing && hit.expires <= Date.now()) this.#refresh(key, hit, load);
      return hit.value as Promise<T>;
    }
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    const entry = this.#entry(load());
    this.#entries.set(key, entry);
    entry.value.catch(() => {
      // A failed read is not kept.
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return entry.value as Promise<T>;
  }

  /**
   * The cached values of `keys`, reading the missing or expired ones with one `loadMissing` call
   * (which answers a value for each key it is given).
   */
  async getMany<T>(
    keys: readonly string[],
    loadMissing: (missing: string[]) => Promise<Map<string, T>>,
  ): Promise<Map<string, T>> {
    const now = Date.now();
    const missing = keys.filter((key) => {
      const hit = this.#entries.get(key);
      return this.ttlMs <= 0 || !hit || (hit.settled && hit.expires <= now);
    });
    if (missing.length) {
      const loaded = loadMissing(missing);
      if (this.ttlMs > 0) {
        if (this.#entries.size + missing.length > this.maxEntries) this.#entries.clear();
        for (const key of missing) {
          const entry = this.#entry(loaded.then((values) => values.get(key)));
          this.#entries.set(key, entry);
          entry.value.catch(() => {
            if (this.#entries.get(key) === entry) this.#entries.delete(key);
          });
        }
      } else {
        return loaded;
      }
    }
    const values = await Promise.all(keys.map((key) => this.#entries.get(key)!.value as Promise<T>));
    return new Map(keys.map((key, i) => [key, values[i]!]));
  }

  /** Empties everything. */
  clear(): void {
    this.#entries.clear();
  }

  /** Empties the shared keys and the keys of one applicant (what a write of theirs may change). */
  clearAfterWriteOf(sneNumber: string): void {
    const own = userKey(sneNumber, '');
    for (const key of this.#entries.keys()) {
      if (!key.startsWith(USER_PREFIX) || key.startsWith(own)) this.#entries.delete(key);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  #entry(value: Promise<unknown>): Entry {
    const entry: Entry = { expires: Date.now() + this.ttlMs, value, settled: false, refreshing: false };
    value.then(
      () => {
        entry.settled = true;
      },
      () => {},
    );
    return entry;
  }

  /**
   * Re-reads an expired entry in the background; the stale value is served meanwhile. The fresh
   * value replaces it only if the key still holds that entry: emptied meanwhile (a write), it
   * stays empty, since the re-read may have started before the write.
   */
  #refresh(key: string, stale: Entry, load: () => Promise<unknown>): void {
    stale.refreshing = true;
    const value = load();
    value.then(
      () => {
        if (this.#entries.get(key) !== stale) return;
        const fresh = this.#entry(value);
        fresh.settled = true;
        this.#entries.set(key, fresh);
      },
      () => {
        stale.refreshing = false;
      },
    );
  }
}

interface Entry {
  expires: number;
  value: Promise<unknown>;
  settled: boolean;
  refreshing: boolean;
}

const USER_PREFIX = 'user:';

/** The key of a read that belongs to one applicant (emptied by their writes and by agents'). */
export function userKey(sneNumber: string, what: string): string {
  return `${USER_PREFIX}${sneNumber}:${what}`;
}

/** The cache that caches nothing (tests and tools that write to the database directly). */
export const NO_CACHE = new ReadCache(0);
