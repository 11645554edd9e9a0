import { createAdvert, createCycle, type Db } from '@mosaique/db';
import { testDbKinds } from '@mosaique/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { closeDueCycles } from '../src/letting/close-cycles.ts';
import {
  apiCaller,
  EVERYONE,
  logInAll,
  matrixDatabase,
  SECOND_LANDLORD_SQL,
  statusesByRole,
  type TestSession,
  testCycle,
  type Who,
} from './helpers.ts';

const EPCI = '200040715';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();

/** Extra vacant homes: V1…V110 of landlord L1 (T2 PLUS, reserved to the town) and W1 of landlord L2. */
async function addHomes(db: Db): Promise<void> {
  await db.exec(`
    ${SECOND_LANDLORD_SQL}
    INSERT INTO home (id, epci_code, residence_id, typology, surface_m2, floor, lift, accessible, financing, rent_eur, charges_eur, reservation_holder_id)
      SELECT 'V' || i, '${EPCI}', 'R2', 2, 45, i % 5, i % 2 = 0, i % 3 = 0, 'PLUS', 300, 50, 'commune-38185' FROM generate_series(1, 110) i;
    INSERT INTO home (id, epci_code, residence_id, typology, surface_m2, floor, lift, accessible, financing, rent_eur, charges_eur, reservation_holder_id)
      VALUES ('W1', '${EPCI}', 'R3', 2, 45, 1, true, true, 'PLUS', 310, 40, 'state');
  `);
}

describe.each(testDbKinds())('letting API on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  const sessions = new Map<string, TestSession>();
  /** A cycle of L1 open now with a limit of 20 (the matrix), and the adverts made in beforeAll. */
  let matrixCycle: string;
  let draftM3: string;
  let published: string[] = [];

  beforeAll(async () => {
    db = await matrixDatabase(kind, addHomes);
    const cycle = await testCycle(db, 'matrice', iso(7 * DAY), 20);
    matrixCycle = cycle.id;
    const advert = (homeId: string, publish: boolean) =>
      createAdvert(db, {
        epci: EPCI,
        homeId,
        landlordId: 'L1',
        cycleId: cycle.id,
        description: 'Logement lumineux, proche du tram et des écoles.',
        energyLabel: 'C',
        publish,
        createdBy: null,
      });
    draftM3 = await advert('M3', false);
    published = [];
    for (let i = 1; i <= 10; i++) published.push(await advert(`V${i}`, true));
    app = await buildApp({ db, loginPerMinute: 1000, rateLimitPerMinute: 100_000 });
    await logInAll(app, sessions);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const call = apiCaller(() => app, sessions);

  /** The map's counts by IRIS (GET /advert-places) and the list's adverts by IRIS, for one query. */
  async function mapAndList(who: Who, query: string) {
    const map = (await call(who, 'GET', `/advert-places${query}`)).json() as {
      total: number;
      places: { iris: string; adverts: number }[];
    };
    const listed = (await call(who, 'GET', `/adverts${query}${query ? '&' : '?'}limit=200`)).json()
      .adverts as { home: { iris: string } }[];
    const byIris: Record<string, number> = {};
    for (const a of listed) byIris[a.home.iris] = (byIris[a.home.iris] ?? 0) + 1;
    return {
      map: [map.total, Object.fromEntries(map.places.map((p) => [p.iris, p.adverts]))],
      list: [listed.length, byIris],
    };
  }

  it('lists published adverts to everyone, with the home’s data and filters', async () => {
    const anonymous = await call('anonyme', 'GET', `/adverts?epci=${EPCI}`);
    expect(anonymous.statusCode).toBe(200);
    const adverts = anonymous.json().adverts;
    expect(adverts).toHaveLength(10);
    expect(adverts[0]).toMatchObject({
      status: 'published',
      home: { typology: 2, rentEur: 300, chargesEur: 50 },
    });
    expect(adverts[0].eligibility).toBeUndefined();
    const filtered = (
      await call('anonyme', 'GET', `/adverts?epci=${EPCI}&accessible=true&maxTotalRentEur=400`)
    ).json().adverts;
    expect(filtered.map((a: { home: { id: string } }) => a.home.id).sort()).toEqual(['V3', 'V6', 'V9']);
    expect((await call('anonyme', 'GET', `/adverts?typologies=3,4`)).json().adverts).toHaveLength(0);
    expect((await call('anonyme', 'GET', `/adverts?maxFloorWithoutLift=0`)).json().adverts).toHaveLength(6);
    expect((await call('anonyme', 'GET', '/adverts?typologies=9')).statusCode).toBe(400);
  });

  it('shows an applicant only the homes they are eligible for by default, the others with the reason in French', async () => {
    // The T4 (M3) is too large for a household of 2: publish it first.
    expect((await call('bailleur-L1', 'PATCH', `/adverts/${draftM3}`, { publish: true })).statusCode).toBe(
      200,
    );
    const byDefault = (await call('03812', 'GET', '/adverts')).json().adverts;
    expect(byDefault.map((a: { home: { id: string } }) => a.home.id)).not.toContain('M3');
    expect(byDefault[0].eligibility.label).toBe('éligible');
    const all = (await call('03812', 'GET', '/adverts?eligibleOnly=false')).json().adverts;
    const m3 = all.find((a: { home: { id: string } }) => a.home.id === 'M3');
    expect(m3.eligibility).toMatchObject({ eligible: false, label: 'non éligible' });
    expect(m3.eligibility.reasons[0]).toMatch(/sous-occupation/);
    // Applying there is refused with the same reason.
    const refused = await call('03812', 'POST', `/adverts/${draftM3}/applications`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.json().details[0]).toMatch(/sous-occupation/);
  });

  it('counts on the map every advert the list shows, by IRIS — for an applicant, those they are eligible for', async () => {
    const queries: [Who, string][] = [
      ['anonyme', `?epci=${EPCI}`],
      ['anonyme', `?epci=${EPCI}&accessible=true&maxTotalRentEur=400`],
      ['03812', ''],
      ['03812', '?eligibleOnly=false'],
      ['bailleur-L1', '?status=draft,published'],
    ];
    for (const [who, query] of queries) {
      const { map, list } = await mapAndList(who, query);
      expect([who, query, ...map]).toEqual([who, query, ...list]);
    }
    // The T4 the applicant's household is too small for is counted only with eligibleOnly=false.
    const total = async (query: string) =>
      (await call('03812', 'GET', `/advert-places${query}`)).json().total;
    expect([await total(''), await total('?eligibleOnly=false')]).toEqual([10, 11]);
    // Filters are checked as for the list, in French.
    const bad = await call('anonyme', 'GET', '/advert-places?typologies=9');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('typologie de 1 à 6 attendue');
  });

  it('gives the chance (rank and band), updated as others apply, and lets the applicant withdraw', async () => {
    const advert = published[0]!;
    const before = (await call('03812', 'GET', `/adverts/${advert}`)).json();
    expect(before.chance).toMatchObject({ rank: 1, applicants: 1, band: 'forte' });
    expect(before.chance.message).toMatch(/^Si vous candidatez/);
    const mine = await call('03812', 'POST', `/adverts/${advert}/applications`, {});
    expect(mine.statusCode).toBe(201);
    expect(mine.json()).toMatchObject({
      status: 'active',
      assisted: false,
      chance: { rank: 1, applicants: 1 },
    });
    const other = await call('03813', 'POST', `/adverts/${advert}/applications`, {});
    expect(other.statusCode).toBe(201);
    const a = (await call('03812', 'GET', `/applications/${mine.json().id}`)).json().chance;
    const b = (await call('03813', 'GET', `/applications/${other.json().id}`)).json().chance;
    expect([a.rank, b.rank].sort()).toEqual([1, 2]);
    expect(a.applicants).toBe(2);
    expect((await call('03812', 'POST', `/adverts/${advert}/applications`, {})).statusCode).toBe(409);
    const list = (await call('03812', 'GET', '/applications')).json().applications;
    expect(list.map((x: { id: string }) => x.id)).toEqual([mine.json().id]);
    const withdrawn = await call('03812', 'DELETE', `/applications/${mine.json().id}`);
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json().status).toBe('withdrawn');
    expect((await call('03812', 'DELETE', `/applications/${mine.json().id}`)).statusCode).toBe(409);
    expect((await call('03813', 'GET', `/applications/${other.json().id}`)).json().chance).toMatchObject({
      rank: 1,
      applicants: 1,
    });
    const audit = await db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE entity = 'application' AND entity_id = $1 ORDER BY id",
      [mine.json().id],
    );
    expect(audit.map((r) => r.action)).toEqual(['application.create', 'application.withdraw']);
  });

  it('walks the authorisation matrix of reading adverts and writing them', async () => {
    expect(await statusesByRole((w) => call(w, 'GET', `/adverts?epci=${EPCI}`))).toEqual(
      Object.fromEntries(EVERYONE.map((w) => [w, 200])),
    );
    const draft = await createAdvert(db, {
      epci: EPCI,
      homeId: 'V50',
      landlordId: 'L1',
      cycleId: matrixCycle,
      description: 'Un brouillon que seuls les concernés voient.',
      energyLabel: null,
      publish: false,
      createdBy: null,
    });
    expect(await statusesByRole((w) => call(w, 'GET', `/adverts/${draft}`))).toEqual({
      anonyme: 404,
      '03812': 404,
      '03813': 404,
      'bailleur-L1': 200,
      'bailleur-L2': 404,
      'reservataire-etat': 404,
      'reservataire-ville': 200,
      analyste: 200,
      'analyste-ailleurs': 404,
      admin: 200,
    });
    const drafts = (who: Who) =>
      call(who, 'GET', '/adverts?status=draft').then((r) =>
        r.json().adverts.map((a: { id: string }) => a.id),
      );
    for (const who of ['bailleur-L1', 'reservataire-ville', 'analyste', 'admin'] as Who[])
      expect(await drafts(who)).toContain(draft);
    for (const who of ['anonyme', '03812', 'bailleur-L2', 'reservataire-etat', 'analyste-ailleurs'] as Who[])
      expect(await drafts(who)).not.toContain(draft);
    // The map counts what the list shows, whoever asks: the draft only for those who may see it.
    for (const who of EVERYONE) {
      const { map, list } = await mapAndList(who, '?status=draft');
      expect([who, ...map]).toEqual([who, ...list]);
    }
    const body = (homeId: string) => ({
      homeId,
      cycleId: matrixCycle,
      description: 'T2 au calme, cuisine équipée, cave.',
      energyLabel: 'D',
      publish: true,
    });
    expect(await statusesByRole((w) => call(w, 'POST', '/adverts', body('V60')))).toEqual({
      anonyme: 401,
      '03812': 403,
      '03813': 403,
      'bailleur-L1': 201,
      'bailleur-L2': 403, // publishing for another landlord
      'reservataire-etat': 403,
      'reservataire-ville': 403,
      analyste: 403,
      'analyste-ailleurs': 403,
      admin: 403,
    });
    // L2 cannot put its own home in L1's cycle, and nobody publishes an occupied home.
    expect((await call('bailleur-L2', 'POST', '/adverts', body('W1'))).statusCode).toBe(403);
    expect((await call('bailleur-L1', 'POST', '/adverts', body('M1'))).json().error).toMatch(/occupé/);
    expect((await call('bailleur-L1', 'POST', '/adverts', body('V60'))).statusCode).toBe(409);
    const invalid = await call('bailleur-L1', 'POST', '/adverts', { ...body('V61'), description: 'court' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().details).toEqual(['la description doit compter au moins 20 caractères']);
    expect(
      (await call('bailleur-L1', 'POST', '/adverts', { ...body('V61'), energyLabel: 'H' })).statusCode,
    ).toBe(400);
    const edit = { description: 'Brouillon relu : T2 au calme, cuisine équipée.' };
    expect(await statusesByRole((w) => call(w, 'PATCH', `/adverts/${draft}`, edit))).toEqual({
      anonyme: 401,
      '03812': 403,
      '03813': 403,
      'bailleur-L1': 200,
      'bailleur-L2': 404,
      'reservataire-etat': 403,
      'reservataire-ville': 403,
      analyste: 403,
      'analyste-ailleurs': 403,
      admin: 403,
    });
    const withdraw = { reason: 'logement remis en travaux' };
    expect(
      await statusesByRole(
        (w) => call(w, 'POST', `/adverts/${draft}/withdraw`, withdraw),
        EVERYONE.filter((w) => w !== 'bailleur-L1'),
      ),
    ).toEqual({
      anonyme: 401,
      '03812': 403,
      '03813': 403,
      'bailleur-L2': 404,
      'reservataire-etat': 403,
      'reservataire-ville': 403,
      analyste: 403,
      'analyste-ailleurs': 403,
      admin: 403,
    });
  });

  it('freezes an advert once someone applied: only withdrawing with a reason remains', async () => {
    const advert = published[1]!;
    expect((await call('03813', 'POST', `/adverts/${advert}/applications`, {})).statusCode).toBe(201);
    const edit = await call('bailleur-L1', 'PATCH', `/adverts/${advert}`, { energyLabel: 'A' });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error).toMatch(/seulement retirée avec un motif/);
    expect(
      (await call('bailleur-L1', 'POST', `/adverts/${advert}/withdraw`, { reason: '' })).statusCode,
    ).toBe(400);
    const withdrawn = await call('bailleur-L1', 'POST', `/adverts/${advert}/withdraw`, {
      reason: 'sinistre dans le logement',
    });
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json()).toMatchObject({
      status: 'withdrawn',
      withdrawnReason: 'sinistre dans le logement',
    });
    const mine = (await call('03813', 'GET', '/applications')).json().applications;
    expect(mine.find((a: { advertId: string }) => a.advertId === advert).status).toBe('withdrawn');
    expect(
      (await call('bailleur-L1', 'POST', `/adverts/${advert}/withdraw`, { reason: 'encore une fois' }))
        .statusCode,
    ).toBe(409);
  });

  it('walks the authorisation matrix of applying, reading and withdrawing applications', async () => {
    const advert = published[2]!;
    // Applying for someone else: refused to applicants, allowed to agents serving the territory (assisted).
    expect(
      (await call('03812', 'POST', `/adverts/${advert}/applications`, { sneNumber: '03813' })).statusCode,
    ).toBe(403);
    expect(
      await statusesByRole(
        (w) => call(w, 'POST', `/adverts/${published[3]}/applications`, { sneNumber: '03812' }),
        ['anonyme', 'reservataire-etat', 'reservataire-ville', 'analyste-ailleurs', 'admin'],
      ),
    ).toEqual({
      anonyme: 401,
      'reservataire-etat': 403,
      'reservataire-ville': 403,
      'analyste-ailleurs': 403,
      admin: 403,
    });
    const assisted = await call('bailleur-L2', 'POST', `/adverts/${published[3]}/applications`, {
      sneNumber: '03812',
    });
    expect(assisted.statusCode).toBe(201);
    expect(assisted.json()).toMatchObject({ assisted: true, sneNumber: '03812' });
    const [log] = await db.query<{ on_behalf_of: string; actor_role: string }>(
      "SELECT on_behalf_of, actor_role FROM audit_log WHERE action = 'application.create' AND entity_id = $1",
      [assisted.json().id],
    );
    expect(log).toEqual({ on_behalf_of: '03812', actor_role: 'landlord-agent' });
    expect(
      (await call('analyste', 'POST', `/adverts/${published[4]}/applications`, { sneNumber: '03812' }))
        .statusCode,
    ).toBe(201);

    const own = (await call('03812', 'POST', `/adverts/${advert}/applications`, {})).json().id;
    expect(await statusesByRole((w) => call(w, 'GET', `/applications/${own}`))).toEqual({
      anonyme: 401,
      '03812': 200,
      '03813': 404, // reading another applicant's application
      'bailleur-L1': 200,
      'bailleur-L2': 404,
      'reservataire-etat': 404,
      'reservataire-ville': 404,
      analyste: 200,
      'analyste-ailleurs': 404,
      admin: 200,
    });
    // The agent who applied on behalf follows the application, even of another landlord's advert.
    expect((await call('bailleur-L2', 'GET', `/applications/${assisted.json().id}`)).statusCode).toBe(200);
    expect(await statusesByRole((w) => call(w, 'GET', `/adverts/${advert}/applications`))).toEqual({
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
    });
    expect(await statusesByRole((w) => call(w, 'GET', '/applications'))).toEqual({
      anonyme: 401,
      '03812': 200,
      '03813': 200,
      'bailleur-L1': 400,
      'bailleur-L2': 400,
      'reservataire-etat': 403,
      'reservataire-ville': 403,
      analyste: 400,
      'analyste-ailleurs': 400,
      admin: 400,
    });
    expect((await call('03813', 'GET', '/applications?sneNumber=03812')).statusCode).toBe(403);
    expect((await call('analyste', 'GET', '/applications?sneNumber=03812')).json().applications).toHaveLength(
      4,
    );
    expect(
      await statusesByRole(
        (w) => call(w, 'DELETE', `/applications/${own}`),
        [
          'anonyme',
          '03813',
          'bailleur-L2',
          'reservataire-etat',
          'reservataire-ville',
          'analyste-ailleurs',
          'admin',
        ],
      ),
    ).toEqual({
      anonyme: 401,
      '03813': 404,
      'bailleur-L2': 404,
      'reservataire-etat': 404,
      'reservataire-ville': 404,
      'analyste-ailleurs': 404,
      admin: 403,
    });
    // Withdrawing on behalf of the applicant is audited as such.
    const byAgent = await call('bailleur-L1', 'DELETE', `/applications/${own}`);
    expect(byAgent.statusCode).toBe(200);
    const [withdrawLog] = await db.query<{ on_behalf_of: string }>(
      "SELECT on_behalf_of FROM audit_log WHERE action = 'application.withdraw' AND entity_id = $1",
      [own],
    );
    expect(withdrawLog!.on_behalf_of).toBe('03812');
    // A CSRF token is required for every write.
    const noToken = await app.inject({
      method: 'POST',
      url: `/api/v1/adverts/${advert}/applications`,
      headers: { cookie: sessions.get('03812')!.cookie },
      payload: {},
    });
    expect(noToken.statusCode).toBe(403);
  });

  it('walks the authorisation matrix of cycles', async () => {
    const body = { epci: EPCI, name: 'Cycle de décembre', opensAt: iso(-DAY), closesAt: iso(3 * DAY) };
    expect(await statusesByRole((w) => call(w, 'POST', '/letting-cycles', body))).toEqual({
      anonyme: 401,
      '03812': 403,
      '03813': 403,
      'bailleur-L1': 201,
      'bailleur-L2': 201,
      'reservataire-etat': 403,
      'reservataire-ville': 403,
      analyste: 201,
      'analyste-ailleurs': 403,
      admin: 403,
    });
    const bad = await call('bailleur-L1', 'POST', '/letting-cycles', { ...body, closesAt: iso(-2 * DAY) });
    expect(bad.json()).toMatchObject({
      error: 'cycle invalide',
      details: ['la clôture du cycle doit suivre son ouverture'],
    });
    const cycles = (await call('anonyme', 'GET', `/letting-cycles?epci=${EPCI}`)).json().cycles;
    const ofL1 = cycles.find(
      (c: { landlordId: string; name: string }) => c.landlordId === 'L1' && c.name === body.name,
    );
    expect(ofL1.maxActiveApplications).toBe(3);
    expect(
      await statusesByRole(
        (w) => call(w, 'POST', `/letting-cycles/${ofL1.id}/close`),
        EVERYONE.filter((w) => w !== 'bailleur-L1'),
      ),
    ).toEqual({
      anonyme: 401,
      '03812': 403,
      '03813': 403,
      'bailleur-L2': 403,
      'reservataire-etat': 403,
      'reservataire-ville': 403,
      'analyste-ailleurs': 403,
      admin: 403,
      analyste: 200,
    });
    expect((await call('bailleur-L1', 'POST', `/letting-cycles/${ofL1.id}/close`)).statusCode).toBe(409);
  });

  it('never exceeds the limit with 100 concurrent applications of one applicant to different adverts', async () => {
    const cycle = await testCycle(db, 'concurrence', iso(DAY), 3);
    const adverts: string[] = [];
    for (let i = 11; i <= 110; i++) {
      if (i === 50 || i === 60) continue;
      adverts.push(
        await createAdvert(db, {
          epci: EPCI,
          homeId: `V${i}`,
          landlordId: 'L1',
          cycleId: cycle.id,
          description: 'Logement du test de concurrence.',
          energyLabel: null,
          publish: true,
          createdBy: null,
        }),
      );
    }
    const extra = [published[5]!, published[6]!]; // other cycle: does not count
    const responses = await Promise.all(
      [...adverts, ...adverts.slice(0, 2)].map((id) =>
        call('03813', 'POST', `/adverts/${id}/applications`, {}),
      ),
    );
    const codes = responses.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(3);
    expect(codes.filter((c) => c === 409)).toHaveLength(codes.length - 3);
    const [n] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM application WHERE sne_number = '03813' AND cycle_id = $1 AND status = 'active'",
      [cycle.id],
    );
    expect(n!.n).toBe(3);
    expect(responses.find((r) => r.statusCode === 409)!.json().error).toMatch(
      /^limite atteinte : 3 candidatures/,
    );
    for (const id of extra)
      expect((await call('03813', 'POST', `/adverts/${id}/applications`, {})).statusCode).toBe(201);
  });

  it('closes due cycles and builds shortlists: eligible applicants ranked, the others excluded with the rule', async () => {
    const cycle = await createCycle(db, {
      epci: EPCI,
      landlordId: null,
      name: 'à clôturer',
      opensAt: iso(-DAY),
      closesAt: iso(DAY),
      maxActiveApplications: 3,
      createdBy: null,
    });
    const advert = (
      await call('bailleur-L2', 'POST', '/adverts', {
        homeId: 'W1',
        cycleId: cycle.id,
        description: 'T2 accessible avec ascenseur, balcon.',
        energyLabel: 'B',
        publish: true,
      })
    ).json().id;
    expect((await call('03812', 'POST', `/adverts/${advert}/applications`, {})).statusCode).toBe(201);
    expect((await call('03813', 'POST', `/adverts/${advert}/applications`, {})).statusCode).toBe(201);
    // 03813's resources rise above the ceiling before the closing date.
    await db.query("UPDATE demand SET reference_tax_income_eur = 90000 WHERE sne_number = '03813'");
    expect(await closeDueCycles(db, new Date())).toEqual([]);
    const closed = await closeDueCycles(db, new Date(Date.now() + 2 * DAY));
    expect(closed.find((c) => c.cycleId === cycle.id)!.adverts).toEqual([
      { advertId: advert, shortlisted: 1, excluded: 1 },
    ]);
    const shortlist = await call('bailleur-L2', 'GET', `/adverts/${advert}/shortlist`);
    expect(shortlist.statusCode).toBe(200);
    const [first, excluded] = shortlist.json().entries;
    expect(first).toMatchObject({
      sneNumber: '03812',
      rank: 1,
      eligible: true,
      gridId: 'demo-premieres-demandes',
    });
    expect(excluded).toMatchObject({ sneNumber: '03813', rank: null, eligible: false });
    expect(excluded.excludedReasons[0]).toMatch(/^ressources 90.000.€ > plafond PLUS/);
    expect(
      await statusesByRole(
        (w) => call(w, 'GET', `/adverts/${advert}/shortlist`),
        ['anonyme', '03812', 'bailleur-L1', 'reservataire-etat', 'analyste', 'admin'],
      ),
    ).toEqual({
      anonyme: 401,
      '03812': 404,
      'bailleur-L1': 404,
      'reservataire-etat': 404,
      analyste: 200,
      admin: 200,
    });
    const statuses = (await call('03813', 'GET', '/applications')).json().applications;
    expect(statuses.find((a: { advertId: string }) => a.advertId === advert).status).toBe('excluded');
    expect((await call('03812', 'GET', `/adverts/${advert}`)).json().status).toBe('closed');
    expect((await call('03812', 'POST', `/adverts/${advert}/applications`, {})).statusCode).toBe(404);
    const [log] = await db.query<{ actor_user_id: string | null }>(
      "SELECT actor_user_id FROM audit_log WHERE action = 'letting-cycle.close' AND entity_id = $1",
      [cycle.id],
    );
    expect(log!.actor_user_id).toBeNull();
  });

  it('documents the letting API in the OpenAPI document', async () => {
    const doc = (await app.inject('/api/docs/json')).json();
    for (const path of ['/api/v1/adverts', '/api/v1/adverts/{id}/applications', '/api/v1/applications/{id}'])
      expect(doc.paths[path]).toBeDefined();
    expect(Object.keys(doc.paths['/api/v1/applications/{id}'])).toEqual(
      expect.arrayContaining(['get', 'delete']),
    );
  });
});
