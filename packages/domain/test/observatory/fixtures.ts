import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import {
  type ContingencyTable,
  contingencyTableFromMatrix,
  contingencyTableFromRows,
} from '../../src/observatory/index.ts';
import { parseCsv } from '../../src/shared/csv.ts';

/** Reference data and values: packages/domain/test/fixtures/segregation (see its README.md). */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/segregation/${name}`, import.meta.url));
}

export function fixtureRecords(name: string): string[][] {
  return parseCsv(readFileSync(fixturePath(name), 'utf8')).map((r) => r.fields);
}

/** schools00.csv / schools05.csv (`state,district,school,race,n`) nested state > district > school. */
export function schoolsTable(name: 'schools00.csv' | 'schools05.csv'): ContingencyTable {
  const [, ...rows] = fixtureRecords(name);
  return contingencyTableFromRows(
    ['state', 'district', 'school'],
    rows.map(([state, district, school, race, n]) => ({
      units: [state!, district!, school!],
      group: race!,
      n: Number(n),
    })),
  );
}

/** sacramento_tracts.csv (`FIPS,TOT_POP,WHITE,BLACK,ASIAN,HISP`), in file order. */
export function sacramentoColumns(): Record<string, number[]> & { FIPS: string[] } {
  const [header, ...rows] = fixtureRecords('sacramento_tracts.csv');
  const columns: Record<string, number[]> = {};
  header!.forEach((name, i) => {
    columns[name] = rows.map((r) => Number(r[i]));
  });
  return { ...columns, FIPS: rows.map((r) => r[0]!) } as Record<string, number[]> & { FIPS: string[] };
}

/** The tract × race table of PySAL's multigroup tests: groups WHITE, BLACK, ASIAN, HISP. */
export function sacramentoTable(): ContingencyTable {
  const columns = sacramentoColumns();
  const groups = ['WHITE', 'BLACK', 'ASIAN', 'HISP'];
  return contingencyTableFromMatrix(
    columns.FIPS,
    groups,
    columns.FIPS.map((_, i) => groups.map((g) => columns[g]![i]!)),
    'tract',
  );
}

/** |actual − expected| ≤ tolerance · |expected|: the pinned figures are matched to 1e-9 relative. */
export function expectRelative(actual: number, expected: number, tolerance = 1e-9): void {
  const error = Math.abs(actual - expected) / Math.abs(expected);
  if (!(error <= tolerance)) {
    expect.fail(
      `expected ${actual} to be within ${tolerance} (relative) of ${expected}; relative error ${error}`,
    );
  }
}
