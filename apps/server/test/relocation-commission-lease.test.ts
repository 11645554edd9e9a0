import {
  attachCommissionLeaseToRelocation,
  createAdvert,
  type Db,
  setOfficialFirstQuartileThreshold,
} from '@mosaique/db';
import { testDbKinds } from '@mosaique/db/testing';
import { trajectoryFilesFromCsv, trajectoryIndicators } from '@mosaique/domain/relocation';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { closeCycle } from '../src/letting/close-cycles.ts';
import {
  apiCaller,
  createAccounts,
  logInAll,
  matrixDatabase,
  runCommissionOn,
  type TestSession,
  testApplication,
  testCycle,
  VILLENEUVE_SQL,
} from './helpers.ts';

const EPCI = '200040715';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const TODAY = new Date().toISOString().slice(0, 10);

/**
 * A Villeneuve building of landlord L1 (QPV QN03807M) to demolish, R5: household HA1 (demand 03818)
 * in A1, HA2 (demand 03820) in A2, HA3 (demand 03821) in A3. Vacant homes of a new residence outside
 * QPV, R7: N3…N8. Applicant
 * 03812 of the test population has no relocation file.
 */
async function fixture(db: Db): Promise<void> {
  await db.exec(`
    ${VILLENEUVE_SQL}
    INSERT INTO home (id, epci_code, residence_id, typology, surface_m2, floor, lift, accessible, financing, rent_eur, charges_eur, reservation_holder_id) VALUES
      ('A1', '${EPCI}', 'R5', 3, 60, 3, false, false, 'PLUS', 350, 110, 'state'),
      ('A2', '${EPCI}', 'R5', 2, 45, 1, false, false, 'PLUS', 280, 90, 'state'),
      ('A3', '${EPCI}', 'R5', 2, 46, 2, false, false, 'PLUS', 285, 90, 'state'),
      ('N3', '${EPCI}', 'R7', 3, 66, 0, false, true, 'PLUS', 410, 80, 'state'),
      ('N4', '${EPCI}', 'R7', 2, 50, 0, false, true, 'PLUS', 330, 70, 'state'),
      ('N5', '${EPCI}', 'R7', 3, 64, 1, true, true, 'PLUS', 400, 80, 'state'),
      ('N6', '${EPCI}', 'R7', 2, 48, 2, true, true, 'PLUS', 320, 70, 'state'),
      ('N7', '${EPCI}', 'R7', 2, 52, 1, true, true, 'PLUS', 335, 70, 'state'),
      ('N8', '${EPCI}', 'R7', 2, 51, 1, true, true, 'PLUS', 332, 70, 'state');
    INSERT INTO household (id, epci_code, commune_code, iris_code, tenure, home_id, persons_14_or_more, persons_under_14,
        reference_age, type, annual_disposable_income_eur, income_imputed) VALUES
      ('HA1', '${EPCI}', '38185', '381850604', 'social-tenant', 'A1', 2, 1, 41, 'couple-with-children', 13000, false),
      ('HA2', '${EPCI}', '38185', '381850604', 'social-tenant', 'A2', 1, 1, 35, 'single-parent', 11000, false),
      ('HA3', '${EPCI}', '38185', '381850604', 'social-tenant', 'A3', 1, 1, 38, 'single-parent', 11500, false);
    INSERT INTO demand (sne_number, epci_code, household_id, registered_on, applicant_birth_date, household_type,
        persons_14_or_more, persons_under_14, monthly_resources_eur, reference_tax_income_eur, current_housing,
        current_commune_code, desired_communes, desired_typologies, status) VALUES
      ('03818', '${EPCI}', 'HA1', '2024-09-02', '1984-05-01', 'couple-with-children', 2, 1, 1600, 11000, 'social-tenant',
        '38185', '{38185}', '{3}', 'active'),
      ('03820', '${EPCI}', 'HA2', '2024-10-01', '1990-03-01', 'single-parent', 1, 1, 1400, 10000, 'social-tenant',
        '38185', '{38185}', '{2}', 'active'),
      ('03821', '${EPCI}', 'HA3', '2024-11-04', '1987-06-01', 'single-parent', 1, 1, 1450, 10500, 'social-tenant',
        '38185', '{38185}', '{2}', 'active');
  `);
}

interface Item {
  id: string;
  version: number;
  homeId: string;
  candidates: string[];
}

describe.each(testDbKinds())('commission lease of a relocated household without a proposal on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  const sessions = new Map<string, TestSession>();
  let operationId: string;
  let fileA1: string;
  let fileA2: string;
  let fileA3: string;
  const items = new Map<string, Item>();

  const call = apiCaller<string>(() => app, sessions);

  /** Decides the home for its one candidate, who then accepts: the decision's id. */
  const allocate = async (homeId: string, sneNumber: string): Promise<string> => {
    let item = items.get(homeId)!;
    if (item.candidates.join() !== sneNumber) {
      const edited = await call('bailleur-L1', 'PATCH', `/commission/agenda-items/${item.id}`, {
        version: item.version,
        candidates: [sneNumber],
        deviationJustification: 'seul candidat retenu pour ce logement',
        daloDesignated: false,
      });
      expect(edited.statusCode).toBe(200);
      item = { ...item, version: edited.json().version };
    }
    const decided = await call('bailleur-L1', 'POST', `/commission/agenda-items/${item.id}/decisions`, {
      version: item.version,
      decisions: [{ sneNumber, kind: 'allocation' }],
    });
    expect(decided.statusCode).toBe(201);
    const [decisionId] = decided.json().decisionIds as [string];
    const accepted = await call('bailleur-L1', 'POST', `/commission/decisions/${decisionId}/response`, {
      response: 'accepted',
    });
    expect(accepted.statusCode).toBe(200);
    return decisionId;
  };
  const indicators = async () =>
    (await call('relogement-A', 'GET', `/relocation/operations/${operationId}/indicators`)).json().indicators;
  const fileOf = async (fileId: string) =>
    (await call('relogement-A', 'GET', `/relocation/files/${fileId}`)).json();
  const leaseSteps = (file: { steps: { kind: string; details: Record<string, unknown> }[] }) =>
    file.steps.filter((s) => s.kind === 'lease').map((s) => s.details);

  beforeAll(async () => {
    db = await matrixDatabase(kind, fixture);
    await setOfficialFirstQuartileThreshold(db, EPCI, Number(TODAY.slice(0, 4)), 12_000);
    await createAccounts(db, [
      { identifier: 'relogement-A', role: 'relocation-officer', epciCode: EPCI },
      { identifier: '03818', role: 'applicant', sneNumber: '03818', epciCode: EPCI },
    ]);
    app = await buildApp({ db, loginPerMinute: 1000, rateLimitPerMinute: 100_000 });
    await logInAll(app, sessions, ['analyste', 'bailleur-L1', 'relogement-A', '03818']);

    // The EPCI creates the operation of R5: HA1 and HA2 get their relocation files.
    const created = await call('analyste', 'POST', '/relocation/operations', {
      epci: EPCI,
      name: 'Démolition du 50 Arlequin',
      kind: 'demolition',
      qpv: 'QN03807M',
      landlordId: 'L1',
      residenceIds: ['R5'],
      milestones: [],
      officers: ['relogement-A'],
    });
    expect(created.statusCode).toBe(201);
    operationId = created.json().id;
    const files = (await call('relogement-A', 'GET', `/relocation/operations/${operationId}`)).json()
      .files as { id: string; sneNumber: string }[];
    fileA1 = files.find((f) => f.sneNumber === '03818')!.id;
    fileA2 = files.find((f) => f.sneNumber === '03820')!.id;
    fileA3 = files.find((f) => f.sneNumber === '03821')!.id;

    // A cycle of N3…N6 and N8: the relocated households apply like any applicant, and 03812 too.
    const cycle = await testCycle(db, 'cycle des Jardins neufs', iso(7 * DAY), 3);
    for (const [homeId, sneNumber] of [
      ['N3', '03818'],
      ['N5', '03818'],
      ['N4', '03820'],
      ['N6', '03812'],
      ['N8', '03821'],
    ] as const) {
      const advertId = await createAdvert(db, {
        epci: EPCI,
        homeId,
        landlordId: 'L1',
        cycleId: cycle.id,
        description: 'Logement neuf, proche du tram et des écoles.',
        energyLabel: 'B',
        publish: true,
        createdBy: null,
      });
      await testApplication(db, { advertId, cycleId: cycle.id }, sneNumber);
    }
    expect(await closeCycle(db, cycle.id, new Date(), null)).not.toBeNull();
    const { sessionId } = await runCommissionOn(call, 'bailleur-L1', 'L1', cycle.id);
    const agenda = (await call('bailleur-L1', 'GET', `/commission/sessions/${sessionId}`)).json()
      .agenda as Item[];
    for (const item of agenda) items.set(item.homeId, item);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('gives the open file of a household housed by the commission without a proposal its lease, counted as rehoused', async () => {
    const before = await indicators();
    expect(before).toMatchObject({ households: 3, rehoused: 0, proposals: { total: 0 } });
    // Two homes allocated to HA1 (03818), both accepted; neither was ever a proposal of its file.
    const decisionN3 = await allocate('N3', '03818');
    const decisionN5 = await allocate('N5', '03818');
    expect((await fileOf(fileA1)).proposals).toEqual([]);

    const signed = await call('bailleur-L1', 'POST', `/commission/decisions/${decisionN3}/lease`, {
      signedOn: TODAY,
    });
    expect(signed.statusCode).toBe(201);
    const { leaseId } = signed.json();

    const file = await fileOf(fileA1);
    expect(file).toMatchObject({ stage: 'rehoused', lease: { id: leaseId, homeId: 'N3', qpv: null } });
    expect(file.proposals).toEqual([]);
    expect(leaseSteps(file)).toEqual([{ homeId: 'N3', leaseId, decisionId: decisionN3, viaProposal: false }]);
    expect(file.steps.find((s: { kind: string }) => s.kind === 'lease').onDate).toBe(TODAY);
    // The household's page shows it rehoused.
    const mine = (await call('03818', 'GET', '/relocation/my-file')).json();
    expect(mine).toMatchObject({ id: fileA1, stage: 'rehoused', lease: { id: leaseId, homeId: 'N3' } });
    // The other file stays open.
    expect((await fileOf(fileA2)).lease).toBeNull();

    // The trajectory indicators count one more rehoused household (N3: new, outside any QPV), and
    // proposals per rehoused household divide the proposals of rehoused households (none) by them.
    const after = await indicators();
    expect(after).toMatchObject({
      households: 3,
      rehoused: 1,
      outsideQpv: { count: 1, of: 1, share: 1 },
      offSite: { count: 1, of: 1, share: 1 },
      newOrRecent: { count: 1, of: 1, share: 1 },
      proposals: { total: 0, perRehousedHousehold: 0 },
    });
    const csv = await call('relogement-A', 'GET', `/relocation/operations/${operationId}/files.csv`);
    expect(after).toEqual(trajectoryIndicators(trajectoryFilesFromCsv(csv.body)));
    const ops = (await call('relogement-A', 'GET', '/relocation/operations')).json().operations;
    expect(ops.find((o: { id: string }) => o.id === operationId)).toMatchObject({
      households: 3,
      rehoused: 1,
    });

    // The audit entry of the attachment, as for a linked proposal, says which path.
    const audit = await db.query<{ action: string; details: Record<string, unknown> }>(
      "SELECT action, details FROM audit_log WHERE entity = 'relocation-file' AND entity_id = $1 ORDER BY id",
      [fileA1],
    );
    expect(audit).toEqual([
      {
        action: 'relocation.lease.attach',
        details: { decisionId: decisionN3, leaseId, signedOn: TODAY, viaProposal: false },
      },
    ]);

    // No second lease reaches the file, whatever the path.
    const secondCommission = await call('bailleur-L1', 'POST', `/commission/decisions/${decisionN5}/lease`, {
      signedOn: TODAY,
    });
    expect([secondCommission.statusCode, secondCommission.json().error]).toEqual([
      409,
      'ce ménage a déjà un bail signé : il ne peut en signer un second',
    ]);
    const relocationLease = await call('relogement-A', 'POST', `/relocation/files/${fileA1}/lease`, {
      rank: 1,
      signedOn: TODAY,
      housingBenefitEur: null,
    });
    expect([relocationLease.statusCode, relocationLease.json().error]).toEqual([
      409,
      'ce ménage a déjà signé son nouveau bail',
    ]);
    const linked = await call('relogement-A', 'POST', `/relocation/files/${fileA1}/proposals`, {
      homeId: 'N3',
      advertId: null,
      proposedOn: TODAY,
      decisionId: decisionN3,
    });
    expect([linked.statusCode, linked.json().error]).toEqual([
      409,
      'ce ménage est déjà relogé : plus de proposition',
    ]);
    // The commission's attachment run again for the same lease finds no open file.
    const again = await db.transaction((tx) =>
      attachCommissionLeaseToRelocation(tx, { decisionId: decisionN3, leaseId, signedOn: TODAY, by: null }),
    );
    expect(again).toBeNull();
    const final = await fileOf(fileA1);
    expect(final.lease.id).toBe(leaseId);
    expect(leaseSteps(final)).toHaveLength(1);
    const leases = await db.query<{ id: string }>("SELECT id FROM lease WHERE household_id = 'HA1'");
    expect(leases).toEqual([{ id: leaseId }]);
    expect(await indicators()).toEqual(after);
  });

  it('changes nothing in relocation when the commission houses a household without a relocation file', async () => {
    const count = async () =>
      (
        await db.query<{ files: number; open: number; steps: number; attached: number }>(
          `SELECT (SELECT count(*)::int FROM relocation_file) AS files,
                  (SELECT count(*)::int FROM relocation_file WHERE lease_id IS NULL) AS open,
                  (SELECT count(*)::int FROM relocation_step) AS steps,
                  (SELECT count(*)::int FROM audit_log WHERE action = 'relocation.lease.attach') AS attached`,
        )
      )[0];
    const before = { rows: await count(), indicators: await indicators() };
    // HA2's and HA3's files are still open: only the household's own file may receive a commission lease.
    expect(before.rows).toMatchObject({ files: 3, open: 2 });
    const decisionN6 = await allocate('N6', '03812');
    const signed = await call('bailleur-L1', 'POST', `/commission/decisions/${decisionN6}/lease`, {
      signedOn: TODAY,
    });
    expect(signed.statusCode).toBe(201);
    expect(await count()).toEqual(before.rows);
    expect(await indicators()).toEqual(before.indicators);
    const [lease] = await db.query<{ renewal: boolean }>(
      'SELECT urban_renewal_relocation AS renewal FROM lease WHERE id = $1',
      [signed.json().leaseId],
    );
    expect(lease).toEqual({ renewal: false });
  });
  it('gives a household one lease when the commission and the relocation file sign at once', async () => {
    // HA2 accepted a relocation proposal of N7 (no commission) and the commission's offer of N4.
    const proposed = await call('relogement-A', 'POST', `/relocation/files/${fileA2}/proposals`, {
      homeId: 'N7',
      advertId: null,
      proposedOn: TODAY,
    });
    expect(proposed.statusCode).toBe(201);
    const answered = await call('relogement-A', 'POST', `/relocation/files/${fileA2}/proposals/1/answer`, {
      response: 'accepted',
      answeredOn: TODAY,
    });
    expect(answered.statusCode).toBe(200);
    const decisionN4 = await allocate('N4', '03820');

    const raced = await Promise.all([
      call('relogement-A', 'POST', `/relocation/files/${fileA2}/lease`, {
        rank: 1,
        signedOn: TODAY,
        housingBenefitEur: 120,
      }),
      call('bailleur-L1', 'POST', `/commission/decisions/${decisionN4}/lease`, { signedOn: TODAY }),
    ]);
    expect(raced.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const leases = await db.query<{ id: string; homeId: string }>(
      `SELECT id, home_id AS "homeId" FROM lease WHERE household_id = 'HA2'`,
    );
    expect(leases).toHaveLength(1);
    const file = await fileOf(fileA2);
    expect(file).toMatchObject({
      stage: 'rehoused',
      lease: { id: leases[0]!.id, homeId: leases[0]!.homeId },
    });
    expect(leaseSteps(file)).toHaveLength(1);
    // Two rehoused households, one proposal between them (HA2's, whichever lease won).
    expect(await indicators()).toMatchObject({
      rehoused: 2,
      proposals: { total: 1, perRehousedHousehold: 0.5 },
    });
  });

  it('locks the file before the demand, as a relocation signature does, so that both at once never deadlock', async () => {
    const decisionN8 = await allocate('N8', '03821');
    // A relocation signature of HA3 holds its file, then wants its demand (signRelocationLease's
    // order) while the commission signs HA3's lease: the commission waits for the file instead of
    // holding the demand (PostgreSQL would abort one of the two as a deadlock).
    let commission: Promise<{ statusCode: number; json: () => { leaseId: string } }> | undefined;
    await db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM relocation_file WHERE id = $1 FOR UPDATE', [fileA3]);
      commission = call('bailleur-L1', 'POST', `/commission/decisions/${decisionN8}/lease`, {
        signedOn: TODAY,
      });
      await new Promise((r) => setTimeout(r, 300));
      await tx.query("SELECT 1 FROM demand WHERE sne_number = '03821' FOR UPDATE");
    });
    const signed = await commission!;
    expect(signed.statusCode).toBe(201);
    const file = await fileOf(fileA3);
    expect(file).toMatchObject({ stage: 'rehoused', lease: { id: signed.json().leaseId, homeId: 'N8' } });
    expect(leaseSteps(file)).toEqual([
      { homeId: 'N8', leaseId: signed.json().leaseId, decisionId: decisionN8, viaProposal: false },
    ]);
  });
});
