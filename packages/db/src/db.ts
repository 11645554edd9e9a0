import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * The one database interface of Mosaïque, over an embedded PostgreSQL (PGlite, the default) or a
 * PostgreSQL server (when DATABASE_URL is set). SQL is written once, for PostgreSQL 15 and later.
 */
export interface Db {
  readonly kind: 'pglite' | 'postgres';
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in a transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * PGlite only: the rows of a parameterless `SELECT` in PostgreSQL's binary COPY format (see
   * `decodeCopyBinary`). On PGlite, turning hundreds of thousands of rows into objects costs seconds;
   * `COPY … TO '/dev/blob'` hands the bytes over at once (≈ 10 times faster for 216,000 households).
   */
  copyBinary?(select: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** PostgreSQL connection string; when set, a server is used instead of PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data folder (default `./.mosaique/db`); `memory://` for an in-memory database. */
  dataDir?: string | undefined;
  /** A gzipped PGlite data folder (from `dumpDataDir`) to start from: a fast clone of a template. */
  loadDataDir?: Blob | undefined;
}

export const DEFAULT_DATA_DIR = '.mosaique/db';

/** Options from the environment: DATABASE_URL, MOSAIQUE_DATA_DIR. */
export function dbOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenDbOptions {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.MOSAIQUE_DATA_DIR || DEFAULT_DATA_DIR,
  };
}

export async function openDb(options: OpenDbOptions = dbOptionsFromEnv()): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.dataDir ?? DEFAULT_DATA_DIR, options.loadDataDir);
}

async function openPglite(dataDir: string, loadDataDir: Blob | undefined): Promise<Db> {
  const inMemory = dataDir.startsWith('memory://');
  // PGlite creates only the last folder of its path.
  if (!inMemory) mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const pglite = await PGlite.create(
    inMemory ? dataDir : path.resolve(dataDir),
    loadDataDir ? { loadDataDir } : {},
  );
  return wrapPglite(pglite);
}

/** A Db over an open PGlite instance; closing the Db closes the instance. */
export function wrapPglite(pglite: PGlite): Db {
  return pgliteDb(pglite, async () => {
    if (!pglite.closed) await pglite.close();
  });
}

type PgliteQueryable = Pick<PGlite, 'query' | 'exec'>;

function pgliteDb(
  conn: PgliteQueryable & Partial<Pick<PGlite, 'transaction'>>,
  close: () => Promise<void>,
): Db {
  const db: Db = {
    kind: 'pglite',
    async query<T>(sql: string, params?: readonly unknown[]) {
      const result = await conn.query<T>(sql, params as unknown[] | undefined);
      return result.rows;
    },
    async exec(sql) {
      await conn.exec(sql);
    },
    async transaction(fn) {
      if (!conn.transaction) throw new Error('transaction imbriquée non prise en charge');
      return conn.transaction((tx) => fn(pgliteDb(tx, async () => {})));
    },
    async copyBinary(select) {
      const result = await conn.query(`COPY (${select}) TO '/dev/blob' WITH (FORMAT binary)`);
      if (!result.blob) throw new Error('COPY sans résultat');
      return new Uint8Array(await result.blob.arrayBuffer());
    },
    close,
  };
  return db;
}

async function openPostgres(connectionString: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle connection closed by the server (restart, administrator, DROP DATABASE … FORCE) is an
  // 'error' event on the pool: without a listener it would crash the process. The pool replaces the
  // connection at the next query, which fails with its own error if the server is really gone.
  pool.on('error', () => {});
  // Fail fast with a clear message when the server is unreachable.
  const client = await pool.connect().catch(async (error: Error) => {
    await pool.end();
    throw new Error(`connexion à PostgreSQL impossible (DATABASE_URL) : ${error.message}`);
  });
  client.release();
  const run = async <T>(c: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]) =>
    (await c.query(sql, params as unknown[] | undefined)).rows as T[];
  const clientDb = (c: pg.PoolClient): Db => ({
    kind: 'postgres',
    query: (sql, params) => run(c, sql, params),
    async exec(sql) {
      await c.query(sql);
    },
    transaction: () => Promise.reject(new Error('transaction imbriquée non prise en charge')),
    close: async () => {},
  });
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(fn) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const result = await fn(clientDb(c));
        await c.query('COMMIT');
        return result;
      } catch (error) {
        await c.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        c.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
