import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, type Db } from '../src/index.ts';
import { createTestDb, testDbKinds } from '../src/testing.ts';

describe.each(testDbKinds())('audit log on %s', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(kind);
    await appendAudit(db, { actorUserId: 'u1', actorRole: 'admin', action: 'test.write', details: { n: 1 } });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('keeps what is appended', async () => {
    const rows = await db.query<{ action: string; details: unknown }>(
      'SELECT action, details FROM audit_log',
    );
    expect(rows).toEqual([{ action: 'test.write', details: { n: 1 } }]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE at the database level', async () => {
    await expect(db.query("UPDATE audit_log SET action = 'effacé'")).rejects.toThrow(
      /ajout seul : UPDATE refusé/,
    );
    await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/ajout seul : DELETE refusé/);
    await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/ajout seul : TRUNCATE refusé/);
    expect(await db.query('SELECT count(*)::int AS n FROM audit_log')).toEqual([{ n: 1 }]);
  });
});
