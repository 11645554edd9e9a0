import { type Db, DEMO_TERRITORY_DIR, importTerritory, readTerritoryFolder } from '@mosaique/db';
import { createTestDb, testDbKinds } from '@mosaique/db/testing';
import { parseCsv } from '@mosaique/domain/shared/csv.ts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createAccounts, logIn } from './helpers.ts';

const URL_ = '/api/v1/territories/200040715/demands/import';
const HEADER =
  'sne_number,registered_on,epci,applicant_birth_date,persons_14_or_more,persons_under_14,monthly_resources_eur,reference_tax_income_eur,desired_communes,desired_typologies,priority_criteria,dalo,urban_renewal_relocation,current_social_tenant';
const GOOD = [
  '038API0001,2024-03-01,200040715,1985-06-12,2,1,1850,21000,38185|38151,T3|T4,,false,false,false',
  '038API0002,2023-11-15,200040715,1990-01-30,1,0,950,10400,38185,T1|T2,homeless,true,false,false',
];
const BAD = '038API0003,2099-01-01,200040715,1990-01-30,0,0,-5,10400,99999,T9,inconnu,false,false,false';

describe.each(testDbKinds())('demand import API on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  const headers: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    db = await createTestDb(kind);
    await importTerritory(db, await readTerritoryFolder(DEMO_TERRITORY_DIR));
    await createAccounts(db, [
      { identifier: 'analyste@test', role: 'epci-analyst', epciCode: '200040715' },
      { identifier: 'analyste-ailleurs@test', role: 'epci-analyst' },
    ]);
    app = await buildApp({ db, loginPerMinute: 1000 });
    for (const identifier of ['analyste@test', 'analyste-ailleurs@test']) {
      headers[identifier] = { ...(await logIn(app, identifier)).headers, 'content-type': 'text/csv' };
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const upload = (who: string, lines: string[], query = '') =>
    app.inject({
      method: 'POST',
      url: `${URL_}${query}`,
      headers: headers[who],
      payload: `${[HEADER, ...lines].join('\n')}\n`,
    });
  const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM demand'))[0]!.n;

  it('imports a valid file, and a second upload changes nothing', async () => {
    const first = await upload('analyste@test', GOOD);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      report: { inserted: 2, updated: 0, unchanged: 0 },
      rows: 2,
      rejected: 0,
      rejectsCsv: null,
    });
    const second = await upload('analyste@test', GOOD);
    expect(second.json().report).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    const [audit] = await db.query<{ details: { rows: number } }>(
      "SELECT details FROM audit_log WHERE action = 'demands.import' ORDER BY id LIMIT 1",
    );
    expect(audit!.details.rows).toBe(2);
  });

  it('refuses a file with a bad row, names every problem, and changes nothing', async () => {
    const before = await count();
    const res = await upload('analyste@test', [...GOOD, BAD], '?fileName=registre-novembre.csv');
    expect(res.statusCode).toBe(422);
    const { issues } = res.json();
    expect(issues.length).toBeGreaterThanOrEqual(5);
    expect(issues.every((i: string) => i.startsWith('registre-novembre.csv, ligne 4'))).toBe(true);
    expect(issues.join('\n')).toMatch(/registered_on/);
    expect(issues.join('\n')).toMatch(/persons_14_or_more/);
    expect(await count()).toBe(before);
  });

  it('imports the good rows with skipInvalid and returns the rejects with their reasons', async () => {
    const res = await upload('analyste@test', [BAD, GOOD[0]!], '?skipInvalid=true');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ rows: 2, rejected: 1, report: { unchanged: 1 } });
    const rejects = parseCsv(res.json().rejectsCsv).map((r) => r.fields);
    expect(rejects[0]!.slice(-2)).toEqual(['line', 'rejection_reasons']);
    expect(rejects[1]![0]).toBe('038API0003');
    expect(rejects[1]!.at(-2)).toBe('2');
  });

  it('lets only the EPCI’s analysts import', async () => {
    expect((await upload('analyste-ailleurs@test', GOOD)).statusCode).toBe(403);
    const anonymous = await app.inject({
      method: 'POST',
      url: URL_,
      headers: { 'content-type': 'text/csv' },
      payload: `${HEADER}\n`,
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
