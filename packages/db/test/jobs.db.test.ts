import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob, type Db, failInterruptedJobs, getJob, updateJob } from '../src/index.ts';
import { createTestDb, testDbKinds } from '../src/testing.ts';

describe.each(testDbKinds())('jobs left by a stopped process on %s', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(kind);
    for (const id of ['queued', 'running', 'done', 'failed']) {
      await createJob(db, { id, kind: 'test', epciCode: null, createdBy: null, total: 3 });
    }
    await updateJob(db, 'running', { status: 'running', done: 1 });
    await updateJob(db, 'done', { status: 'done', done: 3 });
    await updateJob(db, 'failed', { status: 'failed', message: 'échec du test' });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('ends queued and running jobs as failed with a French message, and leaves finished ones', async () => {
    expect(await failInterruptedJobs(db)).toBe(2);
    for (const id of ['queued', 'running']) {
      const job = await getJob(db, id);
      expect(job?.status).toBe('failed');
      expect(job?.message).toMatch(/redémarrage/);
    }
    expect((await getJob(db, 'done'))?.status).toBe('done');
    expect((await getJob(db, 'failed'))?.message).toBe('échec du test');
    expect(await failInterruptedJobs(db)).toBe(0);
  });
});
