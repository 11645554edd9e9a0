import type { Db } from './db.ts';

/**
 * A column for bulk writes: its name and its PostgreSQL type. Scalars are sent as one typed array
 * per column and expanded with `unnest` (one statement per chunk, whatever the row count); arrays
 * and jsonb go through text and are cast after `unnest`, which cannot expand nested arrays.
 */
export interface BulkColumn {
  name: string;
  type: string;
}

export interface BulkWrite {
  table: string;
  columns: readonly BulkColumn[];
  rows: readonly (readonly unknown[])[];
  /** Conflict target for an upsert; plain INSERT without it. */
  key?: readonly string[];
  chunkSize?: number;
}

export interface BulkResult {
  inserted: number;
  updated: number;
  unchanged: number;
}

const viaText = (type: string) => type.endsWith('[]') || type === 'jsonb';

function toParam(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'jsonb') return JSON.stringify(value);
  if (type.endsWith('[]')) return arrayLiteral(value as readonly unknown[]);
  return value;
}

/** PostgreSQL array literal, e.g. {1,2,3} or {"a","b \"c\""}. */
function arrayLiteral(values: readonly unknown[]): string {
  return `{${values
    .map((v) =>
      v === null ? 'NULL' : typeof v === 'number' ? String(v) : `"${String(v).replace(/["\\]/g, '\\$&')}"`,
    )
    .join(',')}}`;
}

/**
 * Inserts (or upserts, with `key`) many rows. An upsert rewrites only the rows whose values changed,
 * so importing the same data twice changes nothing; the result says how many rows were inserted,
 * updated and left unchanged.
 */
export async function bulkWrite(db: Db, write: BulkWrite): Promise<BulkResult> {
  const { table, columns, rows, key } = write;
  const names = columns.map((c) => c.name);
  const unnestTypes = columns.map((c, i) => `$${i + 1}::${viaText(c.type) ? 'text' : c.type}[]`);
  const selected = columns.map((c) => (viaText(c.type) ? `u.${c.name}::${c.type}` : `u.${c.name}`));
  let sql = `INSERT INTO ${table} (${names.join(', ')})
    SELECT ${selected.join(', ')} FROM unnest(${unnestTypes.join(', ')}) AS u(${names.join(', ')})`;
  if (key) {
    const others = names.filter((n) => !key.includes(n));
    sql += ` ON CONFLICT (${key.join(', ')}) DO ${
      others.length
        ? `UPDATE SET ${others.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}
           WHERE (${others.map((n) => `${table}.${n}`).join(', ')}) IS DISTINCT FROM (${others.map((n) => `EXCLUDED.${n}`).join(', ')})`
        : 'NOTHING'
    } RETURNING (xmax = 0) AS inserted`;
  }
  const result: BulkResult = { inserted: 0, updated: 0, unchanged: 0 };
  const chunkSize = write.chunkSize ?? 20_000;
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const params = columns.map((c, i) => chunk.map((row) => toParam(row[i], c.type)));
    const returned = await db.query<{ inserted: boolean }>(sql, params);
    if (key) {
      const inserted = returned.filter((r) => r.inserted).length;
      result.inserted += inserted;
      result.updated += returned.length - inserted;
      result.unchanged += chunk.length - returned.length;
    } else {
      result.inserted += chunk.length;
    }
  }
  return result;
}
