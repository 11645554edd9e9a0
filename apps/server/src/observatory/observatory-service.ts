import {
  type Db,
  listSchools,
  loadMixSnapshotInput,
  readDataVersion,
  type SchoolListItem,
} from '@mosaique/db';
import { consumptionUnitScaleOn } from '@mosaique/domain/demand';
import {
  analyseMix,
  buildMixSnapshot,
  type MixAnalysis,
  type MixQuery,
  MixQueryError,
  type MixSnapshot,
  type MutualInformationBootstrap,
  mixBootstrap,
  type SchoolSegregationRow,
  schoolSegregationRows,
} from '@mosaique/domain/observatory';
import { type MixSecrecy, mixSecrecy } from '@mosaique/domain/open-data';

/**
 * The observatory's data path (docs/decisions/0006-observatory-data-path.md): per request, one
 * cheap query reads the EPCI's data version; the columnar snapshot of the EPCI is rebuilt only when
 * that version changed (single flight: concurrent requests share one load); results are cached by
 * (parameters, version), so a figure is computed once per state of the data.
 */
export interface ObservatoryServiceOptions {
  /** Results kept (least recently used dropped first); default 128. */
  readonly resultCacheSize?: number;
  /** Date whose consumption-unit scale applies (default: today). */
  readonly today?: () => string;
}

export interface Timed<T> {
  readonly value: T;
  /** Data version the value was computed on. */
  readonly version: string;
  /** true when the result was already computed for this state of the data. */
  readonly cached: boolean;
  /** Milliseconds spent reading the version and, when stale, loading the snapshot. */
  readonly snapshotMs: number;
  /** Milliseconds spent computing (0 when cached). */
  readonly computeMs: number;
}

export interface SchoolsView {
  readonly schools: readonly SchoolListItem[];
  readonly segregation: readonly SchoolSegregationRow[];
  readonly schoolYears: readonly string[];
}

export class ObservatoryService {
  private readonly snapshots = new Map<string, MixSnapshot>();
  private readonly loading = new Map<string, Promise<MixSnapshot | null>>();
  private readonly results = new Map<string, unknown>();
  private readonly computing = new Map<string, Promise<unknown>>();
  private readonly schoolViews = new Map<string, SchoolsView>();
  private readonly resultCacheSize: number;
  private readonly today: () => string;

  constructor(
    private readonly db: Db,
    options: ObservatoryServiceOptions = {},
  ) {
    this.resultCacheSize = options.resultCacheSize ?? 128;
    this.today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  }

  /** The EPCI's data version, null when it is unknown. */
  version(epci: string): Promise<string | null> {
    return readDataVersion(this.db, epci);
  }

  /** The snapshot of the EPCI's current data (loaded when the version changed), null when unknown. */
  async snapshot(epci: string): Promise<MixSnapshot | null> {
    const version = await this.version(epci);
    if (version === null) return null;
    return this.snapshotAt(epci, version);
  }

  /** Every figure of a query but the bootstrap; null when the EPCI is unknown. Throws MixQueryError. */
  analysis(epci: string, query: MixQuery): Promise<Timed<MixAnalysis> | null> {
    return this.computed('analysis', epci, query, analyseMix);
  }

  /** The bootstrap of M and H (the costly part, asked separately); null when the EPCI is unknown. */
  bootstrap(epci: string, query: MixQuery): Promise<Timed<MutualInformationBootstrap> | null> {
    return this.computed('bootstrap', epci, query, mixBootstrap);
  }

  /**
   * The published counts (statistical secrecy) of every unit of every scale for the query's
   * variable: one system for every variable and scale of its population and year, computed once
   * for them. Throws MixQueryError for a variable that cannot be measured.
   */
  async secrecy(epci: string, query: MixQuery): Promise<Timed<MixSecrecy> | null> {
    const all = await this.computed(
      'secrecy',
      epci,
      { ...query, variable: 'income-quartile', scale: 'commune' },
      mixSecrecy,
    );
    if (all === null) return null;
    const value = all.value[query.variable];
    // A variable with a single group in the population (the analysis refuses it first).
    if (!value)
      throw new MixQueryError(
        'not-measurable',
        'Tous les ménages de cette population appartiennent au même groupe : rien n’est publié pour cette variable.',
      );
    return { ...all, value };
  }

  private async computed<T>(
    kind: string,
    epci: string,
    query: MixQuery,
    compute: (snapshot: MixSnapshot, query: MixQuery) => T,
  ): Promise<Timed<T> | null> {
    const started = performance.now();
    const version = await this.version(epci);
    if (version === null) return null;
    const year = query.population === 'lettings' ? (query.year ?? null) : null;
    const keyAt = (v: string) =>
      [epci, v, kind, query.variable, query.population, query.scale, year].join('|');
    const key = keyAt(version);
    const hit = this.results.get(key) as T | undefined;
    if (hit !== undefined) {
      this.results.delete(key);
      this.results.set(key, hit);
      return { value: hit, version, cached: true, snapshotMs: performance.now() - started, computeMs: 0 };
    }
    // Single flight: the page asks for several figures of one query at once; compute them once.
    let flight = this.computing.get(key) as Promise<Timed<T> | null> | undefined;
    if (!flight) {
      flight = (async () => {
        const snapshot = await this.snapshotAt(epci, version);
        if (snapshot === null) return null;
        const computing = performance.now();
        const value = compute(snapshot, { ...query, year });
        // The snapshot may be newer than the version read above: file the result under its own version.
        this.remember(keyAt(snapshot.version), value);
        return {
          value,
          version: snapshot.version,
          cached: false,
          snapshotMs: computing - started,
          computeMs: performance.now() - computing,
        };
      })().finally(() => this.computing.delete(key));
      this.computing.set(key, flight);
    }
    return flight;
  }

  /** Schools with their IPS, and η² per commune and school year; null when the EPCI is unknown. */
  async schools(epci: string): Promise<SchoolsView | null> {
    const version = await this.version(epci);
    if (version === null) return null;
    const key = `${epci}|${version}`;
    const cached = this.schoolViews.get(key);
    if (cached) return cached;
    const schools = await listSchools(this.db, epci);
    const view: SchoolsView = {
      schools,
      segregation: schoolSegregationRows(schools),
      schoolYears: [...new Set(schools.flatMap((s) => s.years.map((y) => y.schoolYear)))].sort().reverse(),
    };
    for (const k of this.schoolViews.keys()) if (k.startsWith(`${epci}|`)) this.schoolViews.delete(k);
    this.schoolViews.set(key, view);
    return view;
  }

  /**
   * Forgets every computed result of a query (the benchmark measures uncached answers), but not
   * the publication's secrecy system: like the snapshot it belongs to, it is computed once per
   * population, year and data version for every variable and scale, not per query.
   */
  clearResults(): void {
    for (const key of [...this.results.keys()]) if (key.split('|')[2] !== 'secrecy') this.results.delete(key);
    this.schoolViews.clear();
  }

  /** Forgets the snapshots and everything computed from them (the benchmark's cold case). */
  clearSnapshots(): void {
    this.snapshots.clear();
    this.results.clear();
    this.schoolViews.clear();
  }

  private snapshotAt(epci: string, version: string): Promise<MixSnapshot | null> {
    const current = this.snapshots.get(epci);
    if (current && current.version === version) return Promise.resolve(current);
    const flightKey = `${epci}@${version}`;
    let flight = this.loading.get(flightKey);
    if (!flight) {
      flight = this.load(epci).finally(() => this.loading.delete(flightKey));
      this.loading.set(flightKey, flight);
    }
    return flight;
  }

  private async load(epci: string): Promise<MixSnapshot | null> {
    const input = await loadMixSnapshotInput(this.db, epci, consumptionUnitScaleOn(this.today()));
    if (input === null) return null;
    const snapshot = buildMixSnapshot(input);
    const previous = this.snapshots.get(epci);
    // Keep the newest: a slow load of an older version must not replace a newer snapshot.
    if (!previous || BigInt(previous.version) <= BigInt(snapshot.version)) {
      this.snapshots.set(epci, snapshot);
      for (const key of this.results.keys()) {
        if (key.startsWith(`${epci}|`) && !key.startsWith(`${epci}|${snapshot.version}|`))
          this.results.delete(key);
      }
    }
    return snapshot;
  }

  private remember(key: string, value: unknown): void {
    this.results.set(key, value);
    while (this.results.size > this.resultCacheSize) {
      const oldest = this.results.keys().next().value as string;
      this.results.delete(oldest);
    }
  }
}

const services = new WeakMap<Db, ObservatoryService>();

/** The one service of a database (its caches are shared by every app built on it). */
export function observatoryServiceFor(db: Db): ObservatoryService {
  let service = services.get(db);
  if (!service) {
    service = new ObservatoryService(db);
    services.set(db, service);
  }
  return service;
}
