import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Db, openDb, wrapPglite } from './db.ts';
import { loadMigrations, migrate } from './migrate.ts';

/**
 * Databases for tests: a migrated PGlite cloned from a cached template (< 1 s instead of ~4 s), and,
 * when DATABASE_URL is set, a fresh database created on that PostgreSQL server and dropped on close.
 * Repository tests run on every kind `testDbKinds()` returns.
 */
export type TestDbKind = 'pglite' | 'postgres';

export function testDbKinds(): TestDbKind[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export async function createTestDb(kind: TestDbKind): Promise<Db> {
  return kind === 'pglite' ? createPgliteTestDb() : createPostgresTestDb(process.env.DATABASE_URL!);
}

/** The cached, gzipped data folder of a freshly migrated PGlite, keyed by the migrations' checksums. */
export async function migratedTemplate(): Promise<Blob> {
  const key = createHash('sha256')
    .update(
      loadMigrations()
        .map((m) => m.checksum)
        .join(),
    )
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(os.tmpdir(), 'mosaique-test-templates');
  const file = path.join(dir, `pglite-${key}.tar.gz`);
  if (!existsSync(file)) {
    const fresh = await PGlite.create();
    await migrate(wrapPglite(fresh));
    const dump = await fresh.dumpDataDir('gzip');
    await fresh.close();
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file); // atomic: parallel test files never read half a template
  }
  return new Blob([readFileSync(file)]);
}

async function createPgliteTestDb(): Promise<Db> {
  return openDb({ dataDir: 'memory://', loadDataDir: await migratedTemplate() });
}

async function createPostgresTestDb(url: string): Promise<Db> {
  const name = `mosaique_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openDb({ databaseUrl: target.toString() });
  await migrate(db);
  return {
    ...db,
    async close() {
      await db.close();
      const drop = new pg.Client({ connectionString: url });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}
