import type { DatasetSource, Geometry } from '@mosaique/domain/territory';
import type { Db } from './db.ts';

export interface EpciSummary {
  code: string;
  name: string;
  populationTotal: number;
  populationMunicipal: number;
  counts: { communes: number; iris: number; irisWithIncome: number; qpv: number; schools: number };
  sources: DatasetSource[];
}

export async function getEpciSummary(db: Db, code: string): Promise<EpciSummary | null> {
  const [epci] = await db.query<{
    code: string;
    name: string;
    population_total: number;
    population_municipal: number;
    communes: number;
    iris: number;
    iris_with_income: number;
    qpv: number;
    schools: number;
  }>(
    `SELECT e.code, e.name, e.population_total, e.population_municipal,
       (SELECT count(*)::int FROM commune WHERE epci_code = e.code) AS communes,
       (SELECT count(*)::int FROM iris WHERE epci_code = e.code) AS iris,
       (SELECT count(*)::int FROM iris WHERE epci_code = e.code AND income_median IS NOT NULL) AS iris_with_income,
       (SELECT count(*)::int FROM qpv WHERE epci_code = e.code) AS qpv,
       (SELECT count(*)::int FROM school WHERE epci_code = e.code) AS schools
     FROM epci e WHERE e.code = $1`,
    [code],
  );
  if (!epci) return null;
  const sources = await db.query<DatasetSource>(
    `SELECT id, title, producer, year, licence, generated FROM dataset WHERE epci_code = $1 ORDER BY generated, id`,
    [code],
  );
  return {
    code: epci.code,
    name: epci.name,
    populationTotal: epci.population_total,
    populationMunicipal: epci.population_municipal,
    counts: {
      communes: epci.communes,
      iris: epci.iris,
      irisWithIncome: epci.iris_with_income,
      qpv: epci.qpv,
      schools: epci.schools,
    },
    sources,
  };
}

export interface Feature<P> {
  type: 'Feature';
  id: string;
  geometry: Geometry | null;
  properties: P;
}
export interface FeatureCollection<P> {
  type: 'FeatureCollection';
  features: Feature<P>[];
}

export interface QpvRef {
  code: string;
  name: string;
  approximate: boolean;
}

export interface CommuneProperties {
  code: string;
  name: string;
  population: number;
  qpvs: QpvRef[];
}

export async function communeFeatures(db: Db, epci: string): Promise<FeatureCollection<CommuneProperties>> {
  const rows = await db.query<{ code: string; name: string; population: number; geometry: Geometry | null }>(
    'SELECT code, name, population, geometry FROM commune WHERE epci_code = $1 ORDER BY name, code',
    [epci],
  );
  const qpvs = await db.query<QpvRef & { commune_code: string }>(
    'SELECT code, name, approximate, commune_code FROM qpv WHERE epci_code = $1 ORDER BY code',
    [epci],
  );
  return {
    type: 'FeatureCollection',
    features: rows.map((c) => ({
      type: 'Feature',
      id: c.code,
      geometry: c.geometry,
      properties: {
        code: c.code,
        name: c.name,
        population: c.population,
        qpvs: qpvs
          .filter((q) => q.commune_code === c.code)
          .map(({ code, name, approximate }) => ({ code, name, approximate })),
      },
    })),
  };
}

export interface IrisProperties {
  code: string;
  name: string;
  commune: string;
  communeName: string;
  /** Filosofi vintage, null where INSEE withholds the IRIS. */
  incomeYear: string | null;
  /** Median disposable income per consumption unit, €/year; null where withheld. */
  medianIncome: number | null;
  /** Poverty rate (60 % of the median), %; null where withheld. */
  povertyRate: number | null;
  incomeDeciles: number[] | null;
  gini: number | null;
  /** QPV approximated by this IRIS (approximate: true), or whose official perimeter was imported. */
  qpvs: QpvRef[];
}

export async function irisFeatures(db: Db, epci: string): Promise<FeatureCollection<IrisProperties>> {
  const rows = await db.query<{
    code: string;
    name: string;
    commune_code: string;
    commune_name: string;
    geometry: Geometry;
    income_year: string | null;
    income_median: number | null;
    poverty_rate: number | null;
    income_deciles: number[] | null;
    income_gini: number | null;
  }>(
    `SELECT i.code, i.name, i.commune_code, c.name AS commune_name, i.geometry, i.income_year,
            i.income_median, i.poverty_rate, i.income_deciles, i.income_gini
     FROM iris i JOIN commune c ON c.code = i.commune_code
     WHERE i.epci_code = $1 ORDER BY i.code`,
    [epci],
  );
  const links = await db.query<QpvRef & { iris_code: string }>(
    `SELECT q.code, q.name, q.approximate, qi.iris_code
     FROM qpv_iris qi JOIN qpv q ON q.code = qi.qpv_code WHERE qi.epci_code = $1`,
    [epci],
  );
  return {
    type: 'FeatureCollection',
    features: rows.map((i) => ({
      type: 'Feature',
      id: i.code,
      geometry: i.geometry,
      properties: {
        code: i.code,
        name: i.name,
        commune: i.commune_code,
        communeName: i.commune_name,
        incomeYear: i.income_year,
        medianIncome: i.income_median,
        povertyRate: i.poverty_rate,
        incomeDeciles: i.income_deciles,
        gini: i.income_gini,
        qpvs: links
          .filter((l) => l.iris_code === i.code)
          .map(({ code, name, approximate }) => ({ code, name, approximate })),
      },
    })),
  };
}

export interface SchoolListItem {
  uai: string;
  name: string;
  level: 'college' | 'ecole';
  sector: 'public' | 'private';
  commune: string;
  communeName: string;
  years: {
    schoolYear: string;
    pupils: number | null;
    ips: number | null;
    ipsStandardDeviation: number | null;
  }[];
}

export async function listSchools(db: Db, epci: string): Promise<SchoolListItem[]> {
  const schools = await db.query<{
    uai: string;
    name: string;
    level: 'college' | 'ecole';
    sector: 'public' | 'private';
    commune_code: string;
    commune_name: string;
  }>(
    `SELECT s.uai, s.name, s.level, s.sector, s.commune_code, c.name AS commune_name
     FROM school s JOIN commune c ON c.code = s.commune_code
     WHERE s.epci_code = $1 ORDER BY s.level, c.name, s.name`,
    [epci],
  );
  const years = await db.query<{
    uai: string;
    school_year: string;
    pupils: number | null;
    ips: number | null;
    ips_standard_deviation: number | null;
  }>(
    'SELECT uai, school_year, pupils, ips, ips_standard_deviation FROM school_year WHERE epci_code = $1 ORDER BY school_year',
    [epci],
  );
  const byUai = new Map<string, typeof years>();
  for (const y of years) byUai.set(y.uai, [...(byUai.get(y.uai) ?? []), y]);
  return schools.map((s) => ({
    uai: s.uai,
    name: s.name,
    level: s.level,
    sector: s.sector,
    commune: s.commune_code,
    communeName: s.commune_name,
    years: (byUai.get(s.uai) ?? []).map((y) => ({
      schoolYear: y.school_year,
      pupils: y.pupils,
      ips: y.ips,
      ipsStandardDeviation: y.ips_standard_deviation,
    })),
  }));
}
