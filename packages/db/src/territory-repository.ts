import type { DatasetSource, TerritoryData } from '@mosaique/domain/territory';
import { type BulkResult, bulkWrite } from './bulk.ts';
import type { Db } from './db.ts';

export type TerritoryImportReport = Record<string, BulkResult>;

/**
 * Writes a validated territory in one transaction: upserts by code, so a second import of the same
 * folder changes nothing, and a failure leaves the database as it was.
 */
export async function importTerritory(db: Db, t: TerritoryData): Promise<TerritoryImportReport> {
  const epci = t.epci.code;
  return db.transaction(async (tx) => {
    const report: TerritoryImportReport = {};
    report.epci = await bulkWrite(tx, {
      table: 'epci',
      key: ['code'],
      columns: [
        { name: 'code', type: 'text' },
        { name: 'name', type: 'text' },
        { name: 'population_total', type: 'integer' },
        { name: 'population_municipal', type: 'integer' },
      ],
      rows: [[epci, t.epci.name, t.epci.populationTotal, t.epci.populationMunicipal]],
    });
    report.dataset = await upsertDatasets(tx, epci, t.sources);
    report.commune = await bulkWrite(tx, {
      table: 'commune',
      key: ['code'],
      columns: [
        { name: 'code', type: 'text' },
        { name: 'epci_code', type: 'text' },
        { name: 'name', type: 'text' },
        { name: 'population', type: 'integer' },
        { name: 'geometry', type: 'jsonb' },
      ],
      rows: t.communes.map((c) => [c.code, epci, c.name, c.population, c.geometry]),
    });
    report.iris = await bulkWrite(tx, {
      table: 'iris',
      key: ['code'],
      columns: [
        { name: 'code', type: 'text' },
        { name: 'epci_code', type: 'text' },
        { name: 'commune_code', type: 'text' },
        { name: 'name', type: 'text' },
        { name: 'geometry', type: 'jsonb' },
        { name: 'income_year', type: 'text' },
        { name: 'income_deciles', type: 'double precision[]' },
        { name: 'income_q1', type: 'double precision' },
        { name: 'income_median', type: 'double precision' },
        { name: 'income_q3', type: 'double precision' },
        { name: 'poverty_rate', type: 'double precision' },
        { name: 'income_gini', type: 'double precision' },
      ],
      rows: t.iris.map((i) => [
        i.code,
        epci,
        i.commune,
        i.name,
        i.geometry,
        i.income?.year ?? null,
        i.income?.deciles ?? null,
        i.income?.q1 ?? null,
        i.income?.median ?? null,
        i.income?.q3 ?? null,
        i.income?.povertyRate ?? null,
        i.income?.gini ?? null,
      ]),
    });
    report.qpv = await bulkWrite(tx, {
      table: 'qpv',
      key: ['code'],
      columns: [
        { name: 'code', type: 'text' },
        { name: 'epci_code', type: 'text' },
        { name: 'commune_code', type: 'text' },
        { name: 'name', type: 'text' },
        { name: 'approximate', type: 'boolean' },
        { name: 'geometry', type: 'jsonb' },
      ],
      rows: t.qpvs.map((q) => [q.code, epci, q.commune, q.name, q.approximate, q.geometry]),
    });
    const pairs = t.qpvs.flatMap((q) => q.irisCodes.map((i) => [q.code, i, epci]));
    await tx.query(
      `DELETE FROM qpv_iris WHERE epci_code = $1
         AND (qpv_code || '/' || iris_code) <> ALL ($2::text[])`,
      [epci, pairs.map(([q, i]) => `${q}/${i}`)],
    );
    report.qpv_iris = await bulkWrite(tx, {
      table: 'qpv_iris',
      key: ['qpv_code', 'iris_code'],
      columns: [
        { name: 'qpv_code', type: 'text' },
        { name: 'iris_code', type: 'text' },
        { name: 'epci_code', type: 'text' },
      ],
      rows: pairs,
    });
    report.school = await bulkWrite(tx, {
      table: 'school',
      key: ['uai'],
      columns: [
        { name: 'uai', type: 'text' },
        { name: 'epci_code', type: 'text' },
        { name: 'name', type: 'text' },
        { name: 'level', type: 'text' },
        { name: 'commune_code', type: 'text' },
        { name: 'sector', type: 'text' },
      ],
      rows: t.schools.map((s) => [s.uai, epci, s.name, s.level, s.commune, s.sector]),
    });
    report.school_year = await bulkWrite(tx, {
      table: 'school_year',
      key: ['uai', 'school_year'],
      columns: [
        { name: 'uai', type: 'text' },
        { name: 'epci_code', type: 'text' },
        { name: 'school_year', type: 'text' },
        { name: 'pupils', type: 'integer' },
        { name: 'ips', type: 'double precision' },
        { name: 'ips_standard_deviation', type: 'double precision' },
      ],
      rows: t.schoolYears.map((y) => [y.uai, epci, y.schoolYear, y.pupils, y.ips, y.ipsStandardDeviation]),
    });
    return report;
  });
}

/** Records where datasets come from (shown with their figures, as the Licence Ouverte asks). */
export function upsertDatasets(db: Db, epci: string, sources: readonly DatasetSource[]): Promise<BulkResult> {
  return bulkWrite(db, {
    table: 'dataset',
    key: ['epci_code', 'id'],
    columns: [
      { name: 'epci_code', type: 'text' },
      { name: 'id', type: 'text' },
      { name: 'title', type: 'text' },
      { name: 'producer', type: 'text' },
      { name: 'year', type: 'text' },
      { name: 'licence', type: 'text' },
      { name: 'generated', type: 'boolean' },
    ],
    rows: sources.map((s) => [epci, s.id, s.title, s.producer, s.year, s.licence, s.generated]),
  });
}
