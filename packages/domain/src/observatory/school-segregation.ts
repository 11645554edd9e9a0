import { ipsSegregation } from './school-ips.ts';

/**
 * Between-school segregation per commune and school year, from the IPS the Ministry publishes
 * (DEPP). Collèges come with their pupils and the standard deviation of their pupils' IPS, so η²
 * (the share of the pupils' IPS variance lying between collèges, see `ipsSegregation`) can be
 * computed; écoles come with their mean IPS only — neither pupils nor σ — so only the spread of the
 * écoles' IPS (unweighted standard deviation) can be given.
 */
export interface SchoolIpsRecord {
  readonly uai: string;
  readonly name: string;
  readonly level: 'college' | 'ecole';
  readonly commune: string;
  readonly communeName: string;
  readonly years: readonly {
    readonly schoolYear: string;
    readonly pupils: number | null;
    readonly ips: number | null;
    readonly ipsStandardDeviation: number | null;
  }[];
}

export interface SchoolSegregationRow {
  readonly schoolYear: string;
  readonly level: 'college' | 'ecole';
  /** Commune code, null for the whole EPCI. */
  readonly commune: string | null;
  readonly communeName: string;
  /** Schools with a published IPS. */
  readonly schools: number;
  /** Pupils of those schools; null when not published (écoles). */
  readonly pupils: number | null;
  /** Pupil-weighted mean IPS when pupils are known, else the plain mean of the schools' IPS. */
  readonly meanIps: number;
  /** Unweighted standard deviation of the schools' IPS (0 for one school). */
  readonly ipsSpread: number;
  readonly betweenVariance: number | null;
  readonly withinVariance: number | null;
  /** η²; null when pupils or σ are missing, or with fewer than two schools. */
  readonly eta2: number | null;
}

/** One row per school year × level × commune with a published IPS, then one per year × level for the EPCI. */
export function schoolSegregationRows(schools: readonly SchoolIpsRecord[]): SchoolSegregationRow[] {
  type Entry = { pupils: number | null; ips: number; sd: number | null };
  const groups = new Map<
    string,
    { year: string; level: 'college' | 'ecole'; commune: string | null; name: string; entries: Entry[] }
  >();
  const add = (
    year: string,
    level: 'college' | 'ecole',
    commune: string | null,
    name: string,
    entry: Entry,
  ) => {
    const key = `${year}|${level}|${commune ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { year, level, commune, name, entries: [] };
      groups.set(key, group);
    }
    group.entries.push(entry);
  };
  for (const school of schools) {
    for (const y of school.years) {
      if (y.ips === null) continue;
      const entry = { pupils: y.pupils, ips: y.ips, sd: y.ipsStandardDeviation };
      add(y.schoolYear, school.level, school.commune, school.communeName, entry);
      add(y.schoolYear, school.level, null, 'Ensemble de l’EPCI', entry);
    }
  }
  const rows = [...groups.values()].map((g): SchoolSegregationRow => {
    const n = g.entries.length;
    const plainMean = g.entries.reduce((s, e) => s + e.ips, 0) / n;
    const ipsSpread =
      n > 1 ? Math.sqrt(g.entries.reduce((s, e) => s + (e.ips - plainMean) ** 2, 0) / (n - 1)) : 0;
    const withPupils = g.entries.every((e) => e.pupils !== null && e.pupils > 0);
    if (!withPupils) {
      return {
        schoolYear: g.year,
        level: g.level,
        commune: g.commune,
        communeName: g.name,
        schools: n,
        pupils: null,
        meanIps: plainMean,
        ipsSpread,
        betweenVariance: null,
        withinVariance: null,
        eta2: null,
      };
    }
    const result = ipsSegregation(g.entries.map((e) => ({ pupils: e.pupils!, meanIps: e.ips, sdIps: e.sd })));
    return {
      schoolYear: g.year,
      level: g.level,
      commune: g.commune,
      communeName: g.name,
      schools: n,
      pupils: result.pupils,
      meanIps: result.meanIps,
      ipsSpread,
      betweenVariance: result.betweenVariance,
      withinVariance: result.withinVariance,
      eta2: n > 1 ? result.eta2 : null,
    };
  });
  return rows.sort(
    (a, b) =>
      b.schoolYear.localeCompare(a.schoolYear) ||
      a.level.localeCompare(b.level) ||
      (a.commune === null ? -1 : b.commune === null ? 1 : a.communeName.localeCompare(b.communeName, 'fr')),
  );
}
