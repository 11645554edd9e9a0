import { createAdvert, type Db, getJob, setOfficialFirstQuartileThreshold } from '@mosaique/db';
import { testDbKinds } from '@mosaique/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { closeCycle } from '../src/letting/close-cycles.ts';
import {
  apiCaller,
  createAccounts,
  logIn,
  logInAll,
  matrixDatabase,
  runCommissionOn,
  type TestSession,
  testCycle,
  VILLENEUVE_SQL,
} from './helpers.ts';

interface Proposal {
  candidates: string[];
  constraints: { name: string; target: number; achieved: number }[];
  details: { sneNumber: string; score: number; urbanRenewalRelocation: boolean; firstQuartile: boolean }[];
}

const EPCI = '200040715';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const TODAY = new Date().toISOString().slice(0, 10);

/**
 * A Villeneuve building of landlord L1 (QPV QN03807M) to demolish, R5, where household HA1 lives with
 * an active demand (03818) well above the first quartile (4 000 € a month for 3 persons); a vacant new
 * homes N3 and N4 of L1 outside any QPV.
 */
async function fixture(db: Db): Promise<void> {
  await db.exec(`
    ${VILLENEUVE_SQL}
    INSERT INTO home (id, epci_code, residence_id, typology, surface_m2, floor, lift, accessible, financing, rent_eur, charges_eur, reservation_holder_id) VALUES
      ('A1', '${EPCI}', 'R5', 3, 60, 3, false, false, 'PLUS', 350, 110, 'state'),
      ('N3', '${EPCI}', 'R7', 3, 66, 0, false, true, 'PLUS', 410, 80, 'state'),
      ('N4', '${EPCI}', 'R7', 2, 50, 0, false, true, 'PLUS', 330, 70, 'state');
    INSERT INTO household (id, epci_code, commune_code, iris_code, tenure, home_id, persons_14_or_more, persons_under_14,
        reference_age, type, annual_disposable_income_eur, income_imputed) VALUES
      ('HA1', '${EPCI}', '38185', '381850604', 'social-tenant', 'A1', 2, 1, 41, 'couple-with-children', 31000, false);
    INSERT INTO demand (sne_number, epci_code, household_id, registered_on, applicant_birth_date, household_type,
        persons_14_or_more, persons_under_14, monthly_resources_eur, reference_tax_income_eur, current_housing,
        current_commune_code, desired_communes, desired_typologies, status) VALUES
      ('03818', '${EPCI}', 'HA1', '2024-09-02', '1984-05-01', 'couple-with-children', 2, 1, 4000, 24000, 'social-tenant',
        '38185', '{38185}', '{3}', 'active');
    -- The other applicant, 03812, is above the first quartile too: only the relocation flag qualifies.
    UPDATE demand SET monthly_resources_eur = 5000 WHERE sne_number = '03812';
  `);
}

describe.each(testDbKinds())('relocated household before the commission on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  const sessions = new Map<string, TestSession>();
  let operationId: string;
  let item: { id: string; version: number; homeId: string };

  beforeAll(async () => {
    db = await matrixDatabase(kind, fixture);
    // A fixed first-quartile threshold for the year (a test value, not a published figure): both
    // applicants are above it whatever the test population.
    await setOfficialFirstQuartileThreshold(db, EPCI, Number(TODAY.slice(0, 4)), 12_000);
    app = await buildApp({ db, loginPerMinute: 1000, rateLimitPerMinute: 100_000 });
    await logInAll(app, sessions, ['analyste', 'bailleur-L1']);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const call = apiCaller<string>(() => app, sessions);

  it('gives the allocation engine the relocation flag of its application, counted toward target 1 outside QPV', async () => {
    // The EPCI creates the operation: the household's demand is flagged as an urban-renewal relocation.
    const created = await call('analyste', 'POST', '/relocation/operations', {
      epci: EPCI,
      name: 'Démolition du 50 Arlequin',
      kind: 'demolition',
      qpv: 'QN03807M',
      landlordId: 'L1',
      residenceIds: ['R5'],
      milestones: [],
      officers: [],
    });
    expect(created.statusCode).toBe(201);
    operationId = created.json().id;
    await createAccounts(db, [
      { identifier: '03818', role: 'applicant', sneNumber: '03818', epciCode: EPCI },
    ]);
    sessions.set('menage', await logIn(app, '03818'));

    // It applies to the advert of N3 (outside QPV) like any applicant; 03812 applies too.
    const cycle = await testCycle(db, 'cycle avec un ménage relogé', iso(7 * DAY), 3);
    const advertId = await createAdvert(db, {
      epci: EPCI,
      homeId: 'N3',
      landlordId: 'L1',
      cycleId: cycle.id,
      description: 'T3 neuf en rez-de-chaussée, accessible.',
      energyLabel: 'B',
      publish: true,
      createdBy: null,
    });
    expect((await call('menage', 'POST', `/adverts/${advertId}/applications`, {})).statusCode).toBe(201);
    sessions.set('03812', await logIn(app, '03812'));
    expect((await call('03812', 'POST', `/adverts/${advertId}/applications`, {})).statusCode).toBe(201);
    expect(await closeCycle(db, cycle.id, new Date(), null)).not.toBeNull();

    // The landlord schedules its commission and runs the engine on the closed cycle.
    const { sessionId, jobId } = await runCommissionOn(call, 'bailleur-L1', 'L1', cycle.id);
    const result = (await getJob(db, jobId))!.result as {
      firstQuartileThresholdEur: number;
      yearToDate: { yearToDate: { epci: string; outsideQpvFirstQuartile: number }[] };
    };
    expect(result.firstQuartileThresholdEur).toBe(12_000);

    const agenda = (await call('analyste', 'GET', `/commission/sessions/${sessionId}`)).json().agenda;
    item = agenda.find((i: { homeId: string }) => i.homeId === 'N3');
    const proposal = (item as unknown as { proposal: Proposal }).proposal;
    const details = Object.fromEntries(proposal.details.map((d) => [d.sneNumber, d]));
    // The engine's input carried the flag for the relocated household only, and not as first quartile.
    expect(details['03818']).toMatchObject({ urbanRenewalRelocation: true, firstQuartile: false });
    expect(details['03812']).toMatchObject({ urbanRenewalRelocation: false, firstQuartile: false });
    // Target 1 (CCH L441-1: 25 % of leases outside QPV to the first quartile or relocated households):
    // the relocated household, proposed first for N3 although its score is lower, is the batch's one
    // qualifying letting there.
    expect(details['03818']!.score).toBeLessThan(details['03812']!.score);
    expect(proposal.candidates[0]).toBe('03818');
    const target1 = proposal.constraints.find((c) => c.name.startsWith('firstQuartileOutsideQpv:'))!;
    const ytd = result.yearToDate.yearToDate.find((y) => y.epci === EPCI)!;
    expect(target1).toMatchObject({ target: 0.25 });
    expect(target1.achieved).toBe(ytd.outsideQpvFirstQuartile + 1);
  });

  it('links a relocation proposal to the commission decision, whose lease then goes to the file', async () => {
    await createAccounts(db, [{ identifier: 'relogement-A', role: 'relocation-officer', epciCode: EPCI }]);
    sessions.set('relogement-A', await logIn(app, 'relogement-A'));
    const attach = await call('analyste', 'POST', `/relocation/operations/${operationId}/officers`, {
      identifier: 'relogement-A',
    });
    expect(attach.statusCode).toBe(200);
    const fileId = (await call('relogement-A', 'GET', `/relocation/operations/${operationId}`)).json()
      .files[0].id;
    // The commission allocates N3 to the relocated household first, 03812 next.
    const decided = await call('bailleur-L1', 'POST', `/commission/agenda-items/${item.id}/decisions`, {
      version: item.version,
      decisions: [
        { sneNumber: '03818', kind: 'ranked-allocation', rank: 1 },
        { sneNumber: '03812', kind: 'ranked-allocation', rank: 2 },
      ],
    });
    expect(decided.statusCode).toBe(201);
    const [decisionId] = decided.json().decisionIds as [string];
    const propose = (body: object) =>
      call('relogement-A', 'POST', `/relocation/files/${fileId}/proposals`, {
        advertId: null,
        proposedOn: TODAY,
        ...body,
      });
    const errorOf = async (body: object) => {
      const res = await propose(body);
      return [res.statusCode, res.json().error];
    };
    expect(await errorOf({ homeId: 'N4', decisionId })).toEqual([
      422,
      'decisionId : cette décision porte sur un autre logement que celui proposé',
    ]);
    expect(await errorOf({ homeId: 'N3', decisionId: 'inconnue' })).toEqual([
      422,
      'decisionId : décision de commission inconnue introuvable sur ce territoire',
    ]);
    expect((await propose({ homeId: 'N3', decisionId })).json()).toEqual({ rank: 1 });

    // The household accepts before the commission; the file never says otherwise.
    const accepted = await call('menage', 'POST', `/commission/decisions/${decisionId}/response`, {
      response: 'accepted',
    });
    expect(accepted.statusCode).toBe(200);
    const contradicting = await call(
      'relogement-A',
      'POST',
      `/relocation/files/${fileId}/proposals/1/answer`,
      {
        response: 'refused',
        answeredOn: TODAY,
        refusalReason: 'rent',
      },
    );
    expect([contradicting.statusCode, contradicting.json().error]).toEqual([
      409,
      'response : la réponse enregistrée en commission est « acceptée »',
    ]);
    // Its lease is signed on the decision, not twice through the relocation file.
    const relocationLease = await call('relogement-A', 'POST', `/relocation/files/${fileId}/lease`, {
      rank: 1,
      signedOn: TODAY,
      housingBenefitEur: null,
    });
    expect(relocationLease.statusCode).toBe(409);
    const signed = await call('bailleur-L1', 'POST', `/commission/decisions/${decisionId}/lease`, {
      signedOn: TODAY,
    });
    expect(signed.statusCode).toBe(201);
    const { leaseId } = signed.json();

    const file = (await call('relogement-A', 'GET', `/relocation/files/${fileId}`)).json();
    expect(file).toMatchObject({ stage: 'rehoused', lease: { id: leaseId, homeId: 'N3', qpv: null } });
    expect(file.proposals[0]).toMatchObject({ decisionId, response: 'accepted', answeredOn: TODAY });
    expect(
      file.steps
        .filter((st: { kind: string }) => st.kind !== 'import')
        .map((st: { kind: string; details: { decisionId?: string } }) => [st.kind, st.details.decisionId]),
    ).toEqual([
      ['proposal', decisionId],
      ['proposal-answer', decisionId],
      ['lease', decisionId],
    ]);
    const [lease] = await db.query<{ renewal: boolean; decision: string }>(
      'SELECT urban_renewal_relocation AS renewal, decision_id AS decision FROM lease WHERE id = $1',
      [leaseId],
    );
    expect(lease).toEqual({ renewal: true, decision: decisionId });
    const audit = await db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE entity = 'relocation-file' AND entity_id = $1 ORDER BY id",
      [fileId],
    );
    expect(audit.map((a) => a.action)).toEqual(['relocation.proposal.create', 'relocation.lease.attach']);
  });
});
