/**
 * A short-lived, in-process cache of the reads behind the advert search (the busiest answer of the
 * platform): the page of adverts for a set of filters (shared keys), each advert's application
 * counts and applicants (keys of `advertKey(id, …)`), and each signed-in applicant's demand,
 * standing and own applications (keys of `userKey(sne, …)`). The equal-treatment audit is kept here
 * too, longer (routes/audit.ts).
 *
 * Correctness rests on one rule: every successful write request through the API empties what it may
 * have changed before its answer leaves (hook in app.ts). A write that declares it changed only
 * applications (applying, withdrawing: `request.readCacheScope`) empties the keys of those adverts
 * and applicants; any other write by an applicant empties the shared keys and that applicant's own;
 * any other write empties everything; so does the closing of cycles by the server's timer. A
 * writer's next read always sees its write. Writes that bypass the server (the command line on a
 * running platform, a re-scoring job ending) are seen once an entry is older than `ttlMs`: such an
 * entry is still served while it is re-read in the background, so that entries created together do
 * not all go back to the database at the same instant. One platform process serves a database
 * (docs/decisions/0008), so no other process holds a copy.
 */
export class ReadCache {
  readonly #entries = new Map<string, Entry>();

  /** `ttlMs` 0 turns the cache off (every read goes to the database). */
  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 5000,
  ) {}

  /**
   * The cached value of `key`, or `load()` (stored while it runs, so concurrent reads share it).
   * `ttlMs` overrides the cache's lifetime for this key (a costly read that changes rarely).
   */
  get<T>(key: string, load: () => Promise<T>, ttlMs = this.ttlMs): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const hit = this.#entries.get(key);
    if (hit) {
      if (hit.settled && !hit.refreshing && hit.expires <= Date.now()) this.#refresh(key, hit, load, ttlMs);
      return hit.value as Promise<T>;
    }
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    return this.#store(key, this.#entry(load(), ttlMs)).value as Promise<T>;
  }

  /**
   * The cached values of `keys`, reading the missing ones with one `loadMissing` call (which answers
   * a value for each key it is given); expired ones are served once more while one background call
   * re-reads them.
   */
  async getMany<T>(
    keys: readonly string[],
    loadMissing: (missing: string[]) => Promise<Map<string, T>>,
  ): Promise<Map<string, T>> {
    if (this.ttlMs <= 0) return loadMissing([...keys]);
    const now = Date.now();
    const found = new Map<string, Entry>();
    const missing: string[] = [];
    const expired: [string, Entry][] = [];
    for (const key of keys) {
      const hit = this.#entries.get(key);
      if (!hit) missing.push(key);
      else {
        found.set(key, hit);
        if (hit.settled && !hit.refreshing && hit.expires <= now) expired.push([key, hit]);
      }
    }
    if (expired.length) {
      const values = loadMissing(expired.map(([key]) => key));
      for (const [key, stale] of expired) this.#refresh(key, stale, () => values.then((v) => v.get(key)));
    }
    if (missing.length) {
      const loaded = loadMissing(missing);
      if (this.#entries.size + missing.length > this.maxEntries) this.#entries.clear();
      for (const key of missing)
        found.set(key, this.#store(key, this.#entry(loaded.then((v) => v.get(key)))));
    }
    const values = await Promise.all(keys.map((key) => found.get(key)!.value as Promise<T>));
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

  /** Empties what applying or withdrawing changes: the keys of these adverts and of these applicants. */
  clearAfterApplicationsOf(scope: ApplicationsScope): void {
    const prefixes = [
      ...scope.advertIds.map((id) => advertKey(id, '')),
      ...scope.sneNumbers.map((sne) => userKey(sne, '')),
    ];
    for (const key of this.#entries.keys()) {
      if (prefixes.some((prefix) => key.startsWith(prefix))) this.#entries.delete(key);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Keeps `entry` under `key`; a failed read is not kept. */
  #store(key: string, entry: Entry): Entry {
    this.#entries.set(key, entry);
    entry.value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return entry;
  }

  #entry(value: Promise<unknown>, ttlMs = this.ttlMs): Entry {
    const entry: Entry = { expires: Date.now() + ttlMs, value, settled: false, refreshing: false };
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
  #refresh(key: string, stale: Entry, load: () => Promise<unknown>, ttlMs = this.ttlMs): void {
    stale.refreshing = true;
    const value = load();
    value.then(
      () => {
        if (this.#entries.get(key) !== stale) return;
        const fresh = this.#entry(value, ttlMs);
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

/** What a write declares it changed when it changed only applications (see `clearAfterApplicationsOf`). */
export interface ApplicationsScope {
  advertIds: readonly string[];
  sneNumbers: readonly string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by a write that changed only the applications of these applicants to these adverts. */
    readCacheScope?: ApplicationsScope;
  }
}

const USER_PREFIX = 'user:';

/** The key of a read that belongs to one applicant (emptied by their writes and by agents'). */
export function userKey(sneNumber: string, what: string): string {
  return `${USER_PREFIX}${sneNumber}:${what}`;
}

/** The key of a read about one advert that applications change (its counts, its applicants). */
export function advertKey(advertId: string, what: string): string {
  return `advert:${advertId}:${what}`;
}

/**
 * Reads the adverts behind `keys` (all of `advertKey(id, what)`) with `read`, which answers by
 * advert id, and answers by key (the shape `ReadCache.getMany` asks of its loader).
 */
export async function keyedByAdvert<T>(
  keys: readonly string[],
  what: string,
  read: (advertIds: string[]) => Promise<Map<string, T>>,
): Promise<Map<string, T>> {
  const ids = keys.map((key) => key.slice('advert:'.length, -(what.length + 1)));
  const byId = await read(ids);
  return new Map(ids.map((id, i) => [keys[i]!, byId.get(id)!]));
}

/** The cache that caches nothing (tests and tools that write to the database directly). */
export const NO_CACHE = new ReadCache(0);
