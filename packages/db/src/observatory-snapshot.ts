import type { ConsumptionUnitScale } from '@mosaique/domain/demand';
import {
  HOUSEHOLD_TYPES,
  type HouseholdColumns,
  type LeaseColumns,
  type MixSnapshotInput,
  TENURES,
} from '@mosaique/domain/observatory';
import { type CopyColumn, type CopyColumnType, decodeCopyBinary } from './copy-binary.ts';
import type { Db } from './db.ts';

/**
 * What the observatory reads from the database: the data version of an EPCI (one cheap query per
 * request) and, when it changed, everything needed to rebuild the in-memory snapshot — territory
 * units, residences, and one row per household, home and lease, read in one consistent transaction.
 * See docs/decisions/0006-observatory-data-path.md.
 */

/**
 * The data version of an EPCI (text: a bigint), '0' when its data never changed since migration
 * 0003, null when the EPCI is unknown.
 */
export async function readDataVersion(db: Db, epci: string): Promise<string | null> {
  const [row] = await db.query<{ version: string }>(
    `SELECT coalesce(v.version, 0)::text AS version
     FROM epci e LEFT JOIN data_version v ON v.epci_code = e.code WHERE e.code = $1`,
    [epci],
  );
  return row?.version ?? null;
}

/**
 * Reads the snapshot input of an EPCI in one REPEATABLE READ transaction (the version and the rows
 * describe the same state); null when the EPCI is unknown. On PGlite the large tables go through
 * binary COPY (`Db.copyBinary`), elsewhere through ordinary queries.
 */
export async function loadMixSnapshotInput(
  db: Db,
  epci: string,
  consumptionUnitScale: ConsumptionUnitScale,
): Promise<MixSnapshotInput | null> {
  if (!/^\d{9}$/.test(epci)) return null;
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const version = await readDataVersion(tx, epci);
    if (version === null) return null;
    const communes = await tx.query<{ code: string; name: string }>(
      'SELECT code, name FROM commune WHERE epci_code = $1 ORDER BY code',
      [epci],
    );
    const iris = await tx.query<{ code: string; name: string; commune: string }>(
      'SELECT code, name, commune_code AS commune FROM iris WHERE epci_code = $1 ORDER BY code',
      [epci],
    );
    const qpvs = await tx.query<{ code: string; name: string; commune: string; approximate: boolean }>(
      'SELECT code, name, commune_code AS commune, approximate FROM qpv WHERE epci_code = $1 ORDER BY code',
      [epci],
    );
    const qpvIris = await tx.query<{ iris: string; qpv: string }>(
      'SELECT iris_code AS iris, qpv_code AS qpv FROM qpv_iris WHERE epci_code = $1',
      [epci],
    );
    const where = (alias: string) => `WHERE ${alias}.epci_code = ${literal(epci)}`;
    const residenceRows = await selectColumns(
      tx,
      `SELECT r.id, r.name, r.iris_code, r.qpv_code, r.longitude, r.latitude FROM residence r ${where('r')} ORDER BY r.id`,
      ['text', 'text', 'text', 'text', 'float8', 'float8'],
    );
    const [residenceId, residenceName, residenceIris, residenceQpv] = [0, 1, 2, 3].map((i) =>
      text(residenceRows, i),
    );
    const [longitude, latitude] = [4, 5].map((i) => numbers(residenceRows, i));
    const residences = Array.from({ length: residenceRows.rows }, (_, k) => ({
      id: residenceId![k]!,
      name: residenceName![k]!,
      iris: residenceIris![k]!,
      qpv: residenceQpv![k] ?? null,
      longitude: longitude![k]!,
      latitude: latitude![k]!,
    }));
    // Households are read alone, their home linked to its residence through the homes read first:
    // a join planned without statistics (PGlite has no autovacuum) once spilled 216,000 households
    // to disk (2.7 s). Codes are decoded straight into indices (see decodeCopyBinary).
    const residenceIds = { dictionary: residences.map((r) => r.id) };
    const homes = await selectColumns(tx, `SELECT h.id, h.residence_id FROM home h ${where('h')}`, [
      'text',
      residenceIds,
    ]);
    const homeIds = { dictionary: text(homes, 0) as string[] };
    const homeResidence = codes(homes, 1);
    const attributeTypes: CopyColumnType[] = [
      { dictionary: TENURES },
      { dictionary: HOUSEHOLD_TYPES },
      'int2',
      'int2',
      'int2',
      'float8',
    ];
    const attributeColumns = `h.tenure, h.type, h.reference_age, h.persons_14_or_more, h.persons_under_14,
       h.annual_disposable_income_eur`;
    const households = await selectColumns(
      tx,
      `SELECT h.iris_code, h.home_id, ${attributeColumns} FROM household h ${where('h')}`,
      [{ dictionary: iris.map((i) => i.code) }, homeIds, ...attributeTypes],
    );
    // 12,000 leases: joining them to their households is cheap whatever the plan.
    const leases = await selectColumns(
      tx,
      `SELECT l.home_id, extract(year FROM l.signed_on)::int2, ${attributeColumns}
       FROM lease l JOIN household h ON h.id = l.household_id ${where('l')}`,
      [homeIds, 'int2', ...attributeTypes],
    );
    const residenceOf = (home: number) => (home < 0 ? -1 : homeResidence[home]!);
    const householdHome = codes(households, 1);
    const leaseHome = codes(leases, 0);
    const householdColumns: HouseholdColumns = {
      length: households.rows,
      iris: codes(households, 0),
      residence: Int32Array.from(householdHome, residenceOf),
      ...attributesFrom(households, 2),
    };
    const leaseColumns: LeaseColumns = {
      length: leases.rows,
      residence: Int32Array.from(leaseHome, residenceOf),
      year: Int16Array.from(numbers(leases, 1)),
      ...attributesFrom(leases, 2),
    };
    return {
      epci,
      version,
      communes,
      iris,
      qpvs,
      qpvIris,
      residences,
      households: householdColumns,
      leases: leaseColumns,
      consumptionUnitScale,
    };
  });
}

/** Household attributes from six columns starting at `first` (tenure, type, age, persons, income). */
function attributesFrom(columns: Columns, first: number) {
  return {
    tenure: Uint8Array.from(codes(columns, first)),
    type: Uint8Array.from(codes(columns, first + 1)),
    referenceAge: Uint8Array.from(numbers(columns, first + 2)),
    persons14OrMore: Uint8Array.from(numbers(columns, first + 3)),
    personsUnder14: Uint8Array.from(numbers(columns, first + 4)),
    income: numbers(columns, first + 5),
  };
}

interface Columns {
  rows: number;
  columns: CopyColumn[];
}

/** The rows of a parameterless SELECT as columns: binary COPY where the Db offers it, else a query. */
async function selectColumns(db: Db, select: string, types: readonly CopyColumnType[]): Promise<Columns> {
  if (db.copyBinary) return decodeCopyBinary(await db.copyBinary(select), types);
  const rows = await db.query<Record<string, unknown>>(select);
  const keys = rows.length ? Object.keys(rows[0]!) : [];
  return {
    rows: rows.length,
    columns: types.map((type, i): CopyColumn => {
      const values = rows.map((r) => r[keys[i]!] ?? null);
      if (type === 'text') return { kind: 'text', values: values as (string | null)[] };
      if (typeof type === 'object') {
        const index = new Map(type.dictionary.map((entry, k) => [entry, k]));
        return {
          kind: 'code',
          values: Int32Array.from(values, (v) => (v === null ? -1 : required(index, String(v), 'valeur'))),
        };
      }
      return {
        kind: 'number',
        values: Float64Array.from(values, (v) => (v === null ? Number.NaN : Number(v))),
      };
    }),
  };
}

function codes(columns: Columns, i: number): Int32Array {
  const column = columns.columns[i]!;
  if (column.kind !== 'code') throw new Error(`colonne ${i} : code attendu`);
  return column.values;
}

function text(columns: Columns, i: number): (string | null)[] {
  const column = columns.columns[i]!;
  if (column.kind !== 'text') throw new Error(`colonne ${i} : texte attendu`);
  return column.values;
}

function numbers(columns: Columns, i: number): Float64Array {
  const column = columns.columns[i]!;
  if (column.kind !== 'number') throw new Error(`colonne ${i} : nombre attendu`);
  return column.values;
}

function required(map: Map<string, number>, code: string, what: string): number {
  const i = map.get(code);
  if (i === undefined) throw new Error(`${what} inconnu(e) : ${code}`);
  return i;
}

/** A SQL string literal (COPY takes no parameters); only called with a checked EPCI code. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
