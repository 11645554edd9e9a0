import { createAdvert, createCycle, type Db } from '@mosaique/db';
import { testDbKinds } from '@mosaique/db/testing';
import { trajectoryFilesFromCsv, trajectoryIndicators } from '@mosaique/domain/relocation';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import {
  apiCaller,
  createAccounts,
  logIn,
  logInAll,
  MATRIX_ACCOUNTS,
  matrixDatabase,
  type TestSession,
  VILLENEUVE_SQL,
} from './helpers.ts';

const EPCI = '200040715';
const DAY = 86_400_000;

/**
 * Two Villeneuve buildings of landlord L1 (QPV QN03807M) to demolish: R5 (households HA1 with a demand
 * of its own, HA2 without one) and R6 (HB1); vacant homes: N1…N4 in a residence outside QPV built in
 * 2024 (new), Q1 in the QPV (older).
 */
async function fixture(db: Db): Promise<void> {
  await db.exec(`
    ${VILLENEUVE_SQL}
    INSERT INTO residence (id, epci_code, landlord_id, name, commune_code, iris_code, qpv_code, longitude, latitude, construction_year)
      SELECT 'R6', epci_code, 'L1', 'Arlequin 60', commune_code, iris_code, 'QN03807M', longitude, latitude, 1972 FROM residence WHERE id = 'R1';
    INSERT INTO residence (id, epci_code, landlord_id, name, commune_code, iris_code, qpv_code, longitude, latitude, construction_year)
      SELECT 'R8', epci_code, 'L1', 'Arlequin 80', commune_code, iris_code, 'QN03807M', longitude, latitude, 1972 FROM residence WHERE id = 'R1';
    INSERT INTO home (id, epci_code, residence_id, typology, surface_m2, floor, lift, accessible, financing, rent_eur, charges_eur, reservation_holder_id) VALUES
      ('C1', '${EPCI}', 'R8', 3, 61, 2, false, false, 'PLUS', 350, 100, 'state'),
      ('C2', '${EPCI}', 'R8', 2, 47, 3, false, false, 'PLUS', 290, 90, 'state'),
      ('A1', '${EPCI}', 'R5', 3, 60, 3, false, false, 'PLUS', 350, 110, 'state'),
      ('A2', '${EPCI}', 'R5', 2, 45, 1, false, false, 'PLUS', 280, 90, 'state'),
      ('B1', '${EPCI}', 'R6', 3, 62, 2, false, false, 'PLUS', 355, 110, 'state'),
      ('N1', '${EPCI}', 'R7', 3, 68, 1, true, true, 'PLUS', 420, 90, 'state'),
      ('N2', '${EPCI}', 'R7', 3, 70, 2, true, true, 'PLAI', 390, 90, 'state'),
      ('N3', '${EPCI}', 'R7', 3, 66, 0, false, true, 'PLUS', 410, 80, 'commune-38185'),
      ('N4', '${EPCI}', 'R7', 2, 50, 0, false, true, 'PLUS', 330, 70, 'state'),
      ('Q1', '${EPCI}', 'R1', 3, 64, 4, true, false, 'PLUS', 360, 120, 'state');
    INSERT INTO household (id, epci_code, commune_code, iris_code, tenure, home_id, persons_14_or_more, persons_under_14,
        reference_age, type, annual_disposable_income_eur, income_imputed) VALUES
      ('HA1', '${EPCI}', '38185', '381850604', 'social-tenant', 'A1', 2, 1, 41, 'couple-with-children', 13000, false),
      ('HA2', '${EPCI}', '38185', '381850604', 'social-tenant', 'A2', 1, 1, 35, 'single-parent', 11000, false),
      ('HB1', '${EPCI}', '38185', '381850604', 'social-tenant', 'B1', 2, 0, 67, 'couple', 16000, false),
      ('HC1', '${EPCI}', '38185', '381850604', 'social-tenant', 'C1', 2, 1, 44, 'couple-with-children', 14000, false),
      ('HC2', '${EPCI}', '38185', '381850604', 'social-tenant', 'C2', 1, 1, 31, 'single-parent', 10000, false);
    INSERT INTO demand (sne_number, epci_code, household_id, registered_on, applicant_birth_date, household_type,
        persons_14_or_more, persons_under_14, monthly_resources_eur, reference_tax_income_eur, current_housing,
        current_commune_code, desired_communes, desired_typologies, status) VALUES
      ('03818', '${EPCI}', 'HA1', '2024-09-02', '1984-05-01', 'couple-with-children', 2, 1, 1600, 11000, 'social-tenant',
        '38185', '{38185}', '{3}', 'active'),
      ('03819', '${EPCI}', 'HC1', '2024-10-01', '1981-03-01', 'couple-with-children', 2, 1, 1700, 12000, 'social-tenant',
        '38185', '{38185}', '{3}', 'active');
  `);
}

describe.each(testDbKinds())('relocation API on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  const sessions = new Map<string, TestSession>();
  let opA: string;
  let opB: string;
  let fileA1: string;
  let fileA2: string;
  let sneA2: string;
  let advertN3: string;

  beforeAll(async () => {
    db = await matrixDatabase(kind, fixture);
    await createAccounts(db, [
      { identifier: 'relogement-A', role: 'relocation-officer', epciCode: EPCI },
      { identifier: 'relogement-B', role: 'relocation-officer', epciCode: EPCI },
    ]);
    app = await buildApp({ db, loginPerMinute: 1000, rateLimitPerMinute: 100_000 });
    await logInAll(app, sessions, [
      ...MATRIX_ACCOUNTS.map((a) => a.identifier),
      'relogement-A',
      'relogement-B',
    ]);
    const cycle = await createCycle(db, {
      epci: EPCI,
      landlordId: 'L1',
      name: 'cycle du relogement',
      opensAt: new Date(Date.now() - DAY).toISOString(),
      closesAt: new Date(Date.now() + 7 * DAY).toISOString(),
      maxActiveApplications: 3,
      createdBy: null,
    });
    advertN3 = await createAdvert(db, {
      epci: EPCI,
      homeId: 'N3',
      landlordId: 'L1',
      cycleId: cycle.id,
      description: 'T3 neuf en rez-de-chaussée, accessible.',
      energyLabel: 'B',
      publish: true,
      createdBy: null,
    });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const call = apiCaller<string>(() => app, sessions);
  const matrix = async (
    whos: readonly string[],
    request: (who: string) => Promise<{ statusCode: number }>,
  ) => {
    const out: Record<string, number> = {};
    for (const who of whos) out[who] = (await request(who)).statusCode;
    return out;
  };
  const operationBody = (residenceIds: string[], officers: string[]) => ({
    epci: EPCI,
    name: `Démolition ${residenceIds.join(', ')}`,
    kind: 'demolition',
    qpv: 'QN03807M',
    landlordId: 'L1',
    residenceIds,
    milestones: [
      { label: 'Démolition', date: '2027-03-01' },
      { label: 'Début des entretiens', date: '2025-02-03' },
    ],
    officers,
  });
  const ALL = ['anonyme', ...MATRIX_ACCOUNTS.map((a) => a.identifier), 'relogement-A', 'relogement-B'];

  it('lets only the EPCI’s analysts and admins create an operation, and imports the households of its buildings', async () => {
    const refused = await call('analyste', 'POST', '/relocation/operations', operationBody(['R2', 'R9'], []));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details).toEqual([
      'residenceIds : résidence R2 hors du QPV QN03807M',
      'residenceIds : résidence R9 inconnue',
    ]);
    const notOfficer = await call(
      'analyste',
      'POST',
      '/relocation/operations',
      operationBody(['R5'], ['bailleur-L1']),
    );
    expect(notOfficer.statusCode).toBe(400);
    expect(notOfficer.json().details[0]).toMatch(/^officers : bailleur-L1/);
    const others = ALL.filter((w) => w !== 'analyste' && w !== 'admin');
    expect(
      await matrix(others, (w) => call(w, 'POST', '/relocation/operations', operationBody(['R5'], []))),
    ).toEqual(Object.fromEntries(others.map((w) => [w, w === 'anonyme' ? 401 : 403])));
    const a = await call(
      'analyste',
      'POST',
      '/relocation/operations',
      operationBody(['R5'], ['relogement-A']),
    );
    expect(a.statusCode).toBe(201);
    expect(a.json().households).toBe(2);
    opA = a.json().id;
    const b = await call('admin', 'POST', '/relocation/operations', operationBody(['R6'], ['relogement-B']));
    expect(b.statusCode).toBe(201);
    opB = b.json().id;
    const twice = await call('admin', 'POST', '/relocation/operations', operationBody(['R6'], []));
    expect(twice.json().details).toEqual(['residenceIds : résidence R6 déjà concernée par une opération']);

    const op = (await call('relogement-A', 'GET', `/relocation/operations/${opA}`)).json();
    expect(op.milestones.map((m: { date: string }) => m.date)).toEqual(['2025-02-03', '2027-03-01']);
    expect(op.files.map((f: { originHomeId: string }) => f.originHomeId)).toEqual(['A1', 'A2']);
    fileA1 = op.files[0].id;
    fileA2 = op.files[1].id;
    expect(op.files[0]).toMatchObject({ sneNumber: '03818', stage: 'to-meet', persons: 3 });
    sneA2 = op.files[1].sneNumber;
    // The household's own demand is flagged; a household without one gets a demand, flagged, scored.
    const demands = await db.query<{ sne: string; renewal: boolean; status: string; scored: boolean }>(
      `SELECT d.sne_number AS sne, d.urban_renewal_relocation AS renewal, d.status,
              EXISTS (SELECT 1 FROM demand_score s WHERE s.sne_number = d.sne_number) AS scored
       FROM demand d WHERE d.household_id IN ('HA1', 'HA2') ORDER BY d.household_id`,
    );
    expect(demands).toEqual([
      { sne: '03818', renewal: true, status: 'active', scored: true },
      { sne: sneA2, renewal: true, status: 'active', scored: true },
    ]);
    await createAccounts(db, [
      { identifier: '03818', role: 'applicant', sneNumber: '03818', epciCode: EPCI },
      { identifier: sneA2, role: 'applicant', sneNumber: sneA2, epciCode: EPCI },
    ]);
    sessions.set('menage-A1', await logIn(app, '03818'));
    sessions.set('menage-A2', await logIn(app, sneA2));
    const audit = await db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE entity = 'relocation-operation' AND entity_id = $1",
      [opA],
    );
    expect(audit.map((r) => r.action)).toEqual(['relocation.operation.create']);
  });

  it('offers the EPCI the QPVs, their buildings and its relocation officers to compose an operation', async () => {
    const stock = (who: string, epci = EPCI) => call(who, 'GET', `/relocation/stock?epci=${epci}`);
    expect(await matrix(ALL, async (w) => stock(w))).toEqual(
      Object.fromEntries(
        ALL.map((w) => [w, w === 'anonyme' ? 401 : w === 'analyste' || w === 'admin' ? 200 : 403]),
      ),
    );
    expect((await stock('analyste', '200000000')).statusCode).toBe(403);
    const body = (await stock('analyste')).json();
    const villeneuve = body.qpvs.find((q: { code: string }) => q.code === 'QN03807M');
    const byId = Object.fromEntries(villeneuve.residences.map((r: { id: string }) => [r.id, r]));
    expect(byId.R5).toMatchObject({
      landlordId: 'L1',
      homes: 2,
      households: 2,
      operationName: 'Démolition R5',
    });
    expect(byId.R8).toMatchObject({ landlordId: 'L1', homes: 2, households: 2, operationName: null });
    expect(byId.R7).toBeUndefined(); // outside any QPV
    expect(body.officers.map((o: { identifier: string }) => o.identifier)).toEqual([
      'relogement-A',
      'relogement-B',
    ]);
    // An officer of no territory of the EPCI is never attached (it would see the EPCI's households).
    await createAccounts(db, [{ identifier: 'relogement-ailleurs', role: 'relocation-officer' }]);
    const foreign = await call(
      'analyste',
      'POST',
      '/relocation/operations',
      operationBody(['R8'], ['relogement-ailleurs']),
    );
    expect([foreign.statusCode, foreign.json().details]).toEqual([
      400,
      ['officers : relogement-ailleurs n’est pas chargé de relogement sur ce territoire'],
    ]);
    const attach = await call('analyste', 'POST', `/relocation/operations/${opA}/officers`, {
      identifier: 'relogement-ailleurs',
    });
    expect([attach.statusCode, attach.json().error]).toEqual([
      422,
      'identifier : ce chargé de relogement n’intervient pas sur ce territoire',
    ]);
  });

  it('shows a relocation officer only their operations, a household only its own file', async () => {
    const ids = async (who: string) => {
      const res = await call(who, 'GET', '/relocation/operations');
      return res.statusCode === 200
        ? res
            .json()
            .operations.map((o: { id: string }) => o.id)
            .sort()
        : res.statusCode;
    };
    expect(await ids('relogement-A')).toEqual([opA]);
    expect(await ids('relogement-B')).toEqual([opB]);
    expect(await ids('analyste')).toEqual([opA, opB].sort());
    expect(await ids('admin')).toEqual([opA, opB].sort());
    expect(await ids('bailleur-L1')).toEqual([opA, opB].sort());
    expect(await ids('bailleur-L2')).toEqual([]);
    expect(await ids('analyste-ailleurs')).toEqual([]);
    for (const who of ['03812', 'reservataire-etat', 'menage-A1']) expect(await ids(who)).toBe(403);
    expect(await ids('anonyme')).toBe(401);

    const whos = [...ALL, 'menage-A1', 'menage-A2'];
    expect(await matrix(whos, (w) => call(w, 'GET', `/relocation/operations/${opA}`))).toEqual({
      anonyme: 401,
      '03812': 404,
      '03813': 404,
      'bailleur-L1': 200,
      'bailleur-L2': 404,
      'reservataire-etat': 404,
      'reservataire-ville': 404,
      analyste: 200,
      'analyste-ailleurs': 404,
      admin: 200,
      'relogement-A': 200,
      'relogement-B': 404,
      'menage-A1': 404,
      'menage-A2': 404,
    });
    const readFile = await matrix(whos, (w) => call(w, 'GET', `/relocation/files/${fileA1}`));
    expect(readFile).toMatchObject({ 'menage-A1': 200, 'menage-A2': 404, '03812': 404, 'relogement-B': 404 });
    expect(readFile).toMatchObject({ 'relogement-A': 200, analyste: 200, 'bailleur-L2': 404, anonyme: 401 });
    for (const url of ['files.csv', 'review.pdf', 'indicators'])
      expect(
        await matrix(['relogement-A', 'relogement-B', 'menage-A1', 'analyste-ailleurs'], (w) =>
          call(w, 'GET', `/relocation/operations/${opA}/${url}`),
        ),
      ).toEqual({ 'relogement-A': 200, 'relogement-B': 404, 'menage-A1': 404, 'analyste-ailleurs': 404 });
    const mine = await call('menage-A1', 'GET', '/relocation/my-file');
    expect(mine.json()).toMatchObject({ id: fileA1, sneNumber: '03818' });
    expect((await call('03812', 'GET', '/relocation/my-file')).statusCode).toBe(404);
    expect((await call('relogement-A', 'GET', '/relocation/my-file')).statusCode).toBe(403);
    const diagnosis = {
      on: '2025-02-10',
      notes: 'Notes confidentielles de l’entretien.',
      housingBenefitEur: 180,
    };
    expect(
      await matrix(whos, (w) => call(w, 'PUT', `/relocation/files/${fileA1}/diagnosis`, diagnosis)),
    ).toEqual({
      anonyme: 401,
      '03812': 404,
      '03813': 404,
      'bailleur-L1': 403,
      'bailleur-L2': 404,
      'reservataire-etat': 404,
      'reservataire-ville': 404,
      analyste: 403,
      'analyste-ailleurs': 404,
      admin: 200,
      'relogement-A': 200,
      'relogement-B': 404,
      'menage-A1': 403,
      'menage-A2': 404,
    });
    expect(
      await matrix(['relogement-A', 'relogement-B', 'bailleur-L2', 'menage-A1'], (w) =>
        call(w, 'POST', `/relocation/operations/${opA}/reserved-homes`, { homeId: 'N1' }),
      ),
    ).toEqual({ 'relogement-A': 201, 'relogement-B': 404, 'bailleur-L2': 404, 'menage-A1': 404 });
    expect(
      (await call('relogement-A', 'POST', `/relocation/operations/${opA}/reserved-homes`, { homeId: 'B1' }))
        .statusCode,
    ).toBe(409);
    const calendar = { milestones: [{ label: 'Démolition reportée', date: '2027-09-01' }] };
    expect(
      await matrix(['relogement-A', 'relogement-B', 'bailleur-L1', 'menage-A1', 'analyste'], (w) =>
        call(w, 'PUT', `/relocation/operations/${opB}/milestones`, calendar),
      ),
    ).toEqual({
      'relogement-A': 404,
      'relogement-B': 200,
      'bailleur-L1': 403,
      'menage-A1': 404,
      analyste: 200,
    });
    expect((await call('admin', 'GET', `/relocation/operations/${opB}`)).json().milestones).toEqual(
      calendar.milestones,
    );
    expect(
      await matrix(['analyste', 'admin', 'relogement-A', 'menage-A1'], (w) =>
        call(w, 'GET', `/relocation/indicators?epci=${EPCI}`),
      ),
    ).toEqual({ analyste: 200, admin: 200, 'relogement-A': 403, 'menage-A1': 403 });
  });

  it('records the file step by step, shows the household the homes matching its wishes, and lets it apply', async () => {
    const wishes = {
      on: '2025-02-10',
      communes: ['38185'],
      typologies: [3],
      maxFloorWithoutLift: 1,
      age: 'either',
      maxRentWithChargesEur: 505,
    };
    expect((await call('relogement-A', 'PUT', `/relocation/files/${fileA1}/wishes`, wishes)).statusCode).toBe(
      200,
    );
    const badWishes = await call('relogement-A', 'PUT', `/relocation/files/${fileA1}/wishes`, {
      ...wishes,
      typologies: [9],
    });
    expect(badWishes.statusCode).toBe(400);
    const badCommune = await call('relogement-A', 'PUT', `/relocation/files/${fileA1}/wishes`, {
      ...wishes,
      communes: ['38185', '99999'],
    });
    expect([badCommune.statusCode, badCommune.json().error]).toEqual([
      422,
      'communes : commune(s) inconnue(s) 99999',
    ]);
    const badDate = await call('relogement-A', 'PUT', `/relocation/files/${fileA1}/wishes`, {
      ...wishes,
      on: '2025-02-30',
    });
    expect(badDate.statusCode).toBe(400);
    const constraints = {
      on: '2025-02-10',
      workCommunes: ['38151'],
      schoolCommunes: ['38185'],
      healthCare: false,
      wheelchairAccess: false,
      reducedMobility: false,
    };
    expect(
      (await call('relogement-A', 'PUT', `/relocation/files/${fileA1}/constraints`, constraints)).statusCode,
    ).toBe(200);
    const note = { on: '2025-02-20', text: 'Appel de suivi : le ménage tient à l’école de quartier.' };
    expect((await call('relogement-A', 'POST', `/relocation/files/${fileA1}/notes`, note)).statusCode).toBe(
      200,
    );
    const future = await call('relogement-A', 'POST', `/relocation/files/${fileA1}/notes`, {
      ...note,
      on: '2999-01-01',
    });
    expect(future.statusCode).toBe(422);
    expect(future.json().error).toBe('on : date future refusée');

    const homes = (await call('menage-A1', 'GET', `/relocation/files/${fileA1}/matching-homes`)).json().homes;
    const byId = Object.fromEntries(homes.map((h: { homeId: string }) => [h.homeId, h]));
    expect(Object.keys(byId).sort()).toEqual(['N1', 'N3']); // N1 reserved, N3 advertised; never the operation's own
    expect(byId.N3).toMatchObject({
      advertId: advertN3,
      reserved: false,
      match: { matches: true, unmet: [] },
    });
    expect(byId.N1.match.unmet).toEqual(['budget : loyer et charges de 510 € au-delà des 505 € acceptés']);
    expect(homes[0].homeId).toBe('N3');
    // It applies like any applicant, through the letting API.
    const applied = await call('menage-A1', 'POST', `/adverts/${advertN3}/applications`, {});
    expect(applied.statusCode).toBe(201);
    expect((await call('menage-A2', 'GET', `/relocation/files/${fileA1}/matching-homes`)).statusCode).toBe(
      404,
    );

    const file = (await call('menage-A1', 'GET', '/relocation/my-file')).json();
    // Steps in date order (the file was imported today; the interview entered afterwards is dated as it happened).
    expect(file.steps.map((s: { kind: string; onDate: string }) => `${s.onDate} ${s.kind}`)).toEqual([
      '2025-02-10 diagnosis',
      '2025-02-10 diagnosis',
      '2025-02-10 wishes',
      '2025-02-10 constraints',
      '2025-02-20 note',
      `${new Date().toISOString().slice(0, 10)} import`,
    ]);
    expect(file).toMatchObject({ stage: 'diagnosed', origin: { housingBenefitEur: 180 } });
  });

  it('records up to three proposals, each answered with its reason, then the new lease the CIA review counts once', async () => {
    const propose = (
      who: string,
      file: string,
      homeId: string,
      proposedOn: string,
      advertId: string | null = null,
    ) => call(who, 'POST', `/relocation/files/${file}/proposals`, { homeId, advertId, proposedOn });
    const answer = (who: string, file: string, rank: number, body: object) =>
      call(who, 'POST', `/relocation/files/${file}/proposals/${rank}/answer`, body);
    expect((await propose('relogement-B', fileA1, 'N1', '2025-03-01')).statusCode).toBe(404);
    expect((await propose('menage-A1', fileA1, 'N1', '2025-03-01')).statusCode).toBe(403);
    expect((await propose('relogement-A', fileA1, 'B1', '2025-03-01')).statusCode).toBe(409); // occupied
    expect((await propose('relogement-A', fileA1, 'A2', '2025-03-01')).statusCode).toBe(422); // the operation's own
    expect((await propose('relogement-A', fileA1, 'N4', '2025-03-01', advertN3)).statusCode).toBe(422);
    expect((await propose('relogement-A', fileA1, 'N1', '2025-03-01')).json()).toEqual({ rank: 1 });
    expect((await propose('relogement-A', fileA1, 'N2', '2025-03-02')).statusCode).toBe(409); // one at a time
    const noReason = await answer('menage-A1', fileA1, 1, { response: 'refused', answeredOn: '2025-03-10' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().error).toBe(
      'motif du refus (refusalReason) : obligatoire pour refuser une proposition',
    );
    expect(
      (await answer('menage-A2', fileA1, 1, { response: 'accepted', answeredOn: '2025-03-10' })).statusCode,
    ).toBe(404);
    const refused = await answer('menage-A1', fileA1, 1, {
      response: 'refused',
      answeredOn: '2025-03-10',
      refusalReason: 'rent',
    });
    expect(refused.statusCode).toBe(200);
    expect(refused.json().proposals[0]).toMatchObject({
      response: 'refused',
      refusalLabel: 'loyer ou reste à charge trop élevé',
    });
    expect((await propose('relogement-A', fileA1, 'N1', '2025-03-12')).statusCode).toBe(409); // already proposed
    expect((await propose('relogement-A', fileA1, 'N3', '2025-03-12', advertN3)).json()).toEqual({ rank: 2 });
    expect(
      (await answer('menage-A1', fileA1, 2, { response: 'accepted', answeredOn: '2025-03-20' })).statusCode,
    ).toBe(200);
    expect(
      (
        await answer('menage-A1', fileA1, 2, {
          response: 'refused',
          answeredOn: '2025-03-21',
          refusalReason: 'size',
        })
      ).statusCode,
    ).toBe(409);

    expect((await call('analyste', 'GET', `/territories/${EPCI}/cia-review?year=2025`)).statusCode).toBe(404);
    const lease = (who: string, body: object) => call(who, 'POST', `/relocation/files/${fileA1}/lease`, body);
    expect(
      (await lease('menage-A1', { rank: 2, signedOn: '2025-04-15', housingBenefitEur: 150 })).statusCode,
    ).toBe(403);
    expect(
      (await lease('relogement-A', { rank: 1, signedOn: '2025-04-15', housingBenefitEur: 150 })).statusCode,
    ).toBe(409);
    expect(
      (await lease('relogement-A', { rank: 2, signedOn: '2025-03-01', housingBenefitEur: 150 })).statusCode,
    ).toBe(422);
    const signed = await lease('relogement-A', { rank: 2, signedOn: '2025-04-15', housingBenefitEur: 150 });
    expect(signed.statusCode).toBe(201);
    expect(
      (await lease('relogement-A', { rank: 2, signedOn: '2025-04-16', housingBenefitEur: 150 })).statusCode,
    ).toBe(409);
    expect((await propose('relogement-A', fileA1, 'N2', '2025-05-01')).statusCode).toBe(409);
    const [row] = await db.query<{ renewal: boolean; home: string; status: string; moved: string }>(
      `SELECT l.urban_renewal_relocation AS renewal, l.home_id AS home, d.status, h.home_id AS moved
       FROM lease l JOIN demand d ON d.sne_number = l.sne_number JOIN household h ON h.id = l.household_id WHERE l.id = $1`,
      [signed.json().leaseId],
    );
    expect(row).toEqual({ renewal: true, home: 'N3', status: 'housed', moved: 'N3' });
    // Rehoused: its application to the advert of N3 (made through the letting API) is withdrawn, with the reason.
    const applications = await db.query<{ status: string; by: string }>(
      "SELECT a.status, u.identifier AS by FROM application a JOIN app_user u ON u.id = a.withdrawn_by WHERE a.sne_number = '03818'",
    );
    expect(applications).toEqual([{ status: 'withdrawn', by: 'relogement-A' }]);
    const mine = (await call('menage-A1', 'GET', '/applications')).json();
    expect(mine.applications.map((a: { status: string }) => a.status)).toEqual(['withdrawn']);
    const [signAudit] = await db.query<{
      details: { withdrawalReason: string; applicationsWithdrawn: string[] };
    }>("SELECT details FROM audit_log WHERE action = 'relocation.lease.sign' AND entity_id = $1", [
      signed.json().leaseId,
    ]);
    expect(signAudit!.details).toMatchObject({
      withdrawalReason: 'relocation-lease-signed',
      advertsWithdrawn: [advertN3],
    });
    // The home is let: its advert is withdrawn with the reason applicants will read.
    const advert = (await call('bailleur-L1', 'GET', `/adverts/${advertN3}`)).json();
    expect([advert.status, advert.withdrawnReason]).toEqual([
      'withdrawn',
      'logement attribué à un ménage relogé dans le cadre du renouvellement urbain',
    ]);
    expect(signAudit!.details.applicationsWithdrawn).toHaveLength(1);
    // The CIA review of 2025: one lease, outside QPV, to a relocated household: counted once toward target 1.
    const review = (await call('analyste', 'GET', `/territories/${EPCI}/cia-review?year=2025`)).json();
    expect(review.leases).toBe(1);
    expect(review.outsideQpv).toMatchObject({ leases: 1, qualifying: 1, share: 1 });

    // Household A2: three proposals refused, a fourth is refused by the rule.
    await call('relogement-A', 'PUT', `/relocation/files/${fileA2}/diagnosis`, {
      on: '2025-02-12',
      notes: null,
      housingBenefitEur: 120,
    });
    for (const [rank, home, reason] of [
      [1, 'N1', 'location'],
      [2, 'N4', 'location'],
      [3, 'Q1', 'neighbourhood'],
    ] as const) {
      expect((await propose('relogement-A', fileA2, home, `2025-0${3 + rank}-01`)).json()).toEqual({ rank });
      expect(
        (
          await answer('relogement-A', fileA2, rank, {
            response: 'refused',
            answeredOn: `2025-0${3 + rank}-05`,
            refusalReason: reason,
          })
        ).statusCode,
      ).toBe(200);
    }
    const fourth = await propose('relogement-A', fileA2, 'N2', '2025-08-01');
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json().error).toMatch(/trois propositions au plus/);

    // Household B1 (operation B) is rehoused in the QPV: its lease counts toward target 2's leases, not target 1's.
    const fileB1 = (await call('relogement-B', 'GET', `/relocation/operations/${opB}`)).json().files[0].id;
    expect((await propose('relogement-B', fileB1, 'Q1', '2025-09-01')).json()).toEqual({ rank: 1 });
    await answer('relogement-B', fileB1, 1, { response: 'accepted', answeredOn: '2025-09-05' });
    expect(
      (
        await call('relogement-B', 'POST', `/relocation/files/${fileB1}/lease`, {
          rank: 1,
          signedOn: '2025-09-20',
          housingBenefitEur: null,
        })
      ).statusCode,
    ).toBe(201);
    const after = (await call('analyste', 'GET', `/territories/${EPCI}/cia-review?year=2025`)).json();
    expect(after.leases).toBe(2);
    expect(after.outsideQpv).toMatchObject({ leases: 1, qualifying: 1 });
    expect(after.insideQpv.leases).toBe(1);
  });

  it('gives trajectory indicators equal to those recomputed from the exported files, without any note', async () => {
    const { indicators } = (
      await call('relogement-A', 'GET', `/relocation/operations/${opA}/indicators`)
    ).json();
    const csv = await call('relogement-A', 'GET', `/relocation/operations/${opA}/files.csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).not.toMatch(/confidentielles|Appel de suivi/);
    expect(csv.body.trim().split('\n')).toHaveLength(3);
    expect(indicators).toEqual(trajectoryIndicators(trajectoryFilesFromCsv(csv.body)));
    // HA1: from A1 (60 m², 350 + 110 − 180 = 280 €) to N3 (66 m², 410 + 80 − 150 = 340 €), 3 persons.
    expect(indicators).toMatchObject({
      households: 2,
      rehoused: 1,
      outsideQpv: { count: 1, of: 1, share: 1 },
      offSite: { count: 1, of: 1, share: 1 },
      newOrRecent: { count: 1, of: 1, share: 1 },
      residualRent: { households: 1, meanBeforeEur: 280, meanAfterEur: 340, meanChangeEur: 60 },
      daysToLease: { households: 1, median: 64 },
      proposals: { total: 5, perRehousedHousehold: 2 },
      refusals: { total: 4, byReason: { rent: 1, location: 2, neighbourhood: 1, size: 0 } },
      // First programme's national results (docs/RULES.md §7): 52 % off-site, 33 % new or recent.
      national: { offSiteShare: 0.52, newOrRecentShare: 0.33 },
    });
    expect(indicators.surfacePerPerson.meanChangeM2).toBeCloseTo(2, 10);
    const epci = (await call('analyste', 'GET', `/relocation/indicators?epci=${EPCI}`)).json();
    expect(epci).toMatchObject({
      operations: 2,
      indicators: {
        households: 3,
        rehoused: 2,
        outsideQpv: { count: 1, of: 2 },
        offSite: { count: 1, of: 2 },
      },
    });
  });

  it('exports the operation’s relocation review as a PDF', async () => {
    const res = await call('bailleur-L1', 'GET', `/relocation/operations/${opA}/review.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.length).toBeGreaterThan(2000);
  });

  it('records every write of a file in the audit log', async () => {
    const audit = await db.query<{ action: string; role: string }>(
      "SELECT action, actor_role AS role FROM audit_log WHERE entity = 'relocation-file' AND entity_id = $1 ORDER BY id",
      [fileA1],
    );
    expect(audit.map((r) => `${r.role} ${r.action}`)).toEqual([
      'admin relocation.diagnosis.record',
      'relocation-officer relocation.diagnosis.record',
      'relocation-officer relocation.wishes.record',
      'relocation-officer relocation.constraints.record',
      'relocation-officer relocation.note.add',
      'relocation-officer relocation.proposal.create',
      'applicant relocation.proposal.answer',
      'relocation-officer relocation.proposal.create',
      'applicant relocation.proposal.answer',
    ]);
  });

  it('lets the EPCI attach another relocation officer, who then sees the operation', async () => {
    const attach = (who: string, identifier: string) =>
      call(who, 'POST', `/relocation/operations/${opA}/officers`, { identifier });
    expect((await attach('relogement-A', 'relogement-B')).statusCode).toBe(403);
    expect((await attach('bailleur-L1', 'relogement-B')).statusCode).toBe(403);
    expect((await attach('analyste-ailleurs', 'relogement-B')).statusCode).toBe(404);
    expect((await attach('analyste', 'bailleur-L1')).statusCode).toBe(422);
    expect((await call('relogement-B', 'GET', `/relocation/files/${fileA2}`)).statusCode).toBe(404);
    expect((await attach('analyste', 'relogement-B')).statusCode).toBe(200);
    expect((await call('relogement-B', 'GET', `/relocation/files/${fileA2}`)).statusCode).toBe(200);
    const ops = (await call('relogement-B', 'GET', '/relocation/operations')).json().operations;
    expect(ops.map((o: { id: string }) => o.id).sort()).toEqual([opA, opB].sort());
  });

  it('never gives a household two leases, even when two signatures race', async () => {
    const c = await call(
      'analyste',
      'POST',
      '/relocation/operations',
      operationBody(['R8'], ['relogement-A']),
    );
    expect(c.statusCode).toBe(201);
    const files = (await call('relogement-A', 'GET', `/relocation/operations/${c.json().id}`)).json().files;
    const [fileC1, fileC2] = files.map((f: { id: string }) => f.id) as [string, string];
    for (const [file, home] of [
      [fileC1, 'N2'],
      [fileC2, 'N4'],
    ] as const) {
      await call('relogement-A', 'POST', `/relocation/files/${file}/proposals`, {
        homeId: home,
        advertId: null,
        proposedOn: '2025-10-01',
      });
      const accepted = await call('relogement-A', 'POST', `/relocation/files/${file}/proposals/1/answer`, {
        response: 'accepted',
        answeredOn: '2025-10-05',
      });
      expect(accepted.statusCode).toBe(200);
    }
    // Household C1 meanwhile holds a lease recorded elsewhere (its demand left active): no second one.
    await db.query(
      `INSERT INTO lease (id, epci_code, home_id, household_id, sne_number, signed_on, reservation_holder_id,
         income_per_consumption_unit_eur, first_quartile_threshold_eur, first_quartile, urban_renewal_relocation,
         priority_public, dalo, transfer)
       VALUES ('LEASE-C1', '${EPCI}', 'N1', 'HC1', '03819', '2025-10-08', 'state', 900, 800, false, false, false, false, true)`,
    );
    const second = await call('relogement-A', 'POST', `/relocation/files/${fileC1}/lease`, {
      rank: 1,
      signedOn: '2025-10-20',
      housingBenefitEur: null,
    });
    expect([second.statusCode, second.json().error]).toEqual([
      409,
      'ce ménage a déjà un bail signé : il ne peut en signer un second',
    ]);
    // Household C2: two officers record its lease at the same moment; exactly one lease is written.
    const body = { rank: 1, signedOn: '2025-10-20', housingBenefitEur: 90 };
    const raced = await Promise.all([
      call('relogement-A', 'POST', `/relocation/files/${fileC2}/lease`, body),
      call('admin', 'POST', `/relocation/files/${fileC2}/lease`, body),
    ]);
    expect(raced.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const leases = await db.query<{ household: string; n: number }>(
      `SELECT household_id AS household, count(*)::int AS n FROM lease WHERE household_id IN ('HC1', 'HC2')
       GROUP BY household_id ORDER BY household_id`,
    );
    expect(leases).toEqual([
      { household: 'HC1', n: 1 },
      { household: 'HC2', n: 1 },
    ]);
  });
});
