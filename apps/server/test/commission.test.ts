import { inflateSync } from 'node:zlib';
import { createAdvert, type Db, getJob, reviewLeases } from '@mosaique/db';
import { testDbKinds } from '@mosaique/db/testing';
import { ciaReview, ciaSettingsOn } from '@mosaique/domain/review';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { closeCycle } from '../src/letting/close-cycles.ts';
import {
  apiCaller,
  logInAll,
  matrixDatabase,
  SECOND_LANDLORD_SQL,
  statusesByRole,
  type TestSession,
  testApplication,
  testCycle,
  type Who,
} from './helpers.ts';

const EPCI = '200040715';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const TODAY = new Date().toISOString().slice(0, 10);
const YEAR = Number(TODAY.slice(0, 4));

const EXTRA = ['03814', '03815', '03816'];

/**
 * The text drawn in a PDF made by pdfkit: every content stream inflated, the hex strings of its text
 * operators (TJ) decoded from WinAnsi, lines joined with spaces.
 */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  // WinAnsi differs from Latin-1 in 0x80–0x9F (Node's decoders treat windows-1252 as Latin-1).
  const winAnsi = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
  const decode = (bytes: Buffer) =>
    [...bytes].map((b) => (b >= 0x80 && b < 0xa0 ? winAnsi[b - 0x80] : String.fromCharCode(b))).join('');
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)endstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(match[1]!, 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const hex = [...tj[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]).join('');
      lines.push(decode(Buffer.from(hex, 'hex')));
    }
  }
  return lines.join(' ').replace(/\s+/g, ' ');
}

/** Vacant homes V1…V4 of landlord L1 (T2 PLUS outside QPV, reserved to the town), L2's residence R3, and 3 more demands without household. */
async function addHomesAndDemands(db: Db): Promise<void> {
  await db.exec(`
    ${SECOND_LANDLORD_SQL}
    INSERT INTO home (id, epci_code, residence_id, typology, surface_m2, floor, lift, accessible, financing, rent_eur, charges_eur, reservation_holder_id)
      SELECT 'V' || i, '${EPCI}', 'R2', 2, 45, 1, true, true, 'PLUS', 300, 50, 'commune-38185' FROM generate_series(1, 4) i;
    INSERT INTO demand (sne_number, epci_code, household_id, registered_on, applicant_birth_date, household_type, persons_14_or_more,
        persons_under_14, monthly_resources_eur, reference_tax_income_eur, current_housing, current_commune_code, reasons,
        desired_communes, desired_typologies, max_rent_eur, priority_criteria, dalo, urban_renewal_relocation,
        current_social_tenant, wheelchair_access, status)
      SELECT n, epci_code, NULL, registered_on + (right(n, 1)::int), applicant_birth_date, household_type, persons_14_or_more,
        persons_under_14, monthly_resources_eur - 100 * right(n, 1)::int, reference_tax_income_eur, current_housing,
        current_commune_code, reasons, desired_communes, desired_typologies, max_rent_eur, priority_criteria, dalo,
        urban_renewal_relocation, current_social_tenant, wheelchair_access, 'active'
      FROM demand, unnest(ARRAY['03814', '03815', '03816']) n WHERE sne_number = '03812';
  `);
}

describe.each(testDbKinds())('commission API on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  const sessions = new Map<string, TestSession>();
  let cycleId: string;
  let sessionId: string;
  interface Item {
    id: string;
    homeId: string;
    version: number;
    candidates: string[];
    available: number;
    status: string;
    proposal: {
      candidates: string[];
      objective: number;
      upperBound: number;
      gap: number;
      priceOfMix: number;
      explanation: string;
      constraints: { required: number; achieved: number; slack: number; missingHouseholds: number }[];
      details: { sneNumber: string; score: number; rank: number }[];
    };
    decisions: { id: string; sneNumber: string; kind: string; rank: number | null }[];
  }

  beforeAll(async () => {
    db = await matrixDatabase(kind, addHomesAndDemands);
    const cycle = await testCycle(db, 'cycle de la commission', iso(7 * DAY), 20);
    cycleId = cycle.id;
    for (const home of ['V1', 'V2', 'V3', 'V4']) {
      const advertId = await createAdvert(db, {
        epci: EPCI,
        homeId: home,
        landlordId: 'L1',
        cycleId,
        description: 'Logement lumineux, proche du tram et des écoles.',
        energyLabel: 'C',
        publish: true,
        createdBy: null,
      });
      for (const sne of ['03812', '03813', ...EXTRA]) {
        await testApplication(db, { advertId, cycleId }, sne, 20);
      }
    }
    app = await buildApp({ db, loginPerMinute: 1000, rateLimitPerMinute: 100_000 });
    await logInAll(app, sessions);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const call = apiCaller(() => app, sessions);
  /** Polls GET /jobs/:id as the page does, until the job is done or failed. */
  const waitForJob = async (who: Who, id: string) => {
    for (let i = 0; i < 600; i++) {
      const res = await call(who, 'GET', `/jobs/${id}`);
      expect(res.statusCode).toBe(200);
      const job = res.json();
      if (job.status === 'done' || job.status === 'failed') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('tâche jamais terminée');
  };
  const agenda = async (): Promise<Item[]> =>
    (await call('analyste', 'GET', `/commission/sessions/${sessionId}`)).json().agenda;
  const item = async (homeId: string) => (await agenda()).find((i) => i.homeId === homeId)!;
  const body = {
    epci: EPCI,
    landlordId: 'L1',
    heldOn: TODAY,
    members: [
      { name: 'Mme A', role: 'présidente' },
      { name: 'M. B', role: 'représentant du maire' },
      { name: 'Mme C', role: 'représentante des locataires' },
    ],
    quorum: 2,
  };

  it('lets the landlord’s agents and the EPCI’s analysts schedule a session, nobody else', async () => {
    const codes = await statusesByRole((who) => call(who, 'POST', '/commission/sessions', body));
    expect(codes).toEqual({
      anonyme: 401,
      '03812': 403,
      '03813': 403,
      'bailleur-L1': 201,
      'bailleur-L2': 403,
      'reservataire-etat': 403,
      'reservataire-ville': 403,
      analyste: 201,
      'analyste-ailleurs': 403,
      admin: 403,
    });
    expect((await call('analyste', 'POST', '/commission/sessions', { ...body, quorum: 4 })).statusCode).toBe(
      400,
    );
    const created = await call('bailleur-L1', 'POST', '/commission/sessions', body);
    sessionId = created.json().id;
    expect(created.json()).toMatchObject({ status: 'planned', quorum: 2, heldOn: TODAY });
  });

  /** The active applications of an applicant, by home. */
  const applicationsOf = async (sne: string) =>
    new Map(
      (
        await db.query<{ id: string; home: string }>(
          `SELECT p.id, a.home_id AS home FROM application p JOIN advert a ON a.id = p.advert_id
           WHERE p.sne_number = $1 AND p.status = 'active'`,
          [sne],
        )
      ).map((r) => [r.home, r.id]),
    );

  it('lets an applicant order their own active applications, and nobody else', async () => {
    const mine = await applicationsOf('03812');
    const theirs = await applicationsOf('03813');
    const order = ['V3', 'V1', 'V4', 'V2'].map((h) => mine.get(h)!);
    const codes = await statusesByRole((who) =>
      call(who, 'PUT', '/applications/preference-order', { applicationIds: order }),
    );
    expect(codes).toEqual({
      anonyme: 401,
      '03812': 200,
      // 03813's own applications are other ids: this order is not theirs.
      '03813': 400,
      'bailleur-L1': 403,
      'bailleur-L2': 403,
      'reservataire-etat': 403,
      'reservataire-ville': 403,
      analyste: 403,
      'analyste-ailleurs': 403,
      admin: 403,
    });
    const read = await call('03812', 'GET', '/applications/preference-order');
    expect(
      read.json().applications.map((a: { id: string; preference: number }) => [a.id, a.preference]),
    ).toEqual(order.map((id, i) => [id, i + 1]));
    // Someone else's application, or an incomplete order, is refused with the entry named.
    const foreign = theirs.get('V1')!;
    const crossed = await call('03812', 'PUT', '/applications/preference-order', {
      applicationIds: [foreign, ...order.slice(1)],
    });
    expect(crossed.statusCode).toBe(400);
    expect(crossed.json().details).toEqual([
      `candidature ${foreign} : ce n’est pas une de vos candidatures en cours`,
      `candidature ${order[0]} : manque dans l’ordre (toutes vos candidatures en cours doivent y figurer)`,
    ]);
    const [theirFirst] = (await call('03813', 'GET', '/applications/preference-order')).json().applications;
    expect(theirFirst.preference).toBeNull();
    const audit = await db.query<{ details: { applicationIds: string[] } }>(
      "SELECT details FROM audit_log WHERE action = 'application.preference.set' AND entity_id = '03812'",
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details.applicationIds).toEqual(order);
  });

  it('refuses to run the engine on an open cycle, then proposes 3 ranked candidates per home on the closed cycle', async () => {
    const open = await call('bailleur-L1', 'POST', `/commission/sessions/${sessionId}/proposal`, { cycleId });
    expect(open.statusCode).toBe(409);
    // 03812 orders their applications before the cycle closes: V3 first, then V1, V4, V2.
    expect(await closeCycle(db, cycleId, new Date(), null)).not.toBeNull();
    const codes = await statusesByRole(
      (who) => call(who, 'POST', `/commission/sessions/${sessionId}/proposal`, { cycleId }),
      ['anonyme', '03812', 'bailleur-L2', 'reservataire-ville', 'analyste-ailleurs', 'admin'],
    );
    expect(codes).toEqual({
      anonyme: 401,
      '03812': 404,
      'bailleur-L2': 404,
      'reservataire-ville': 404,
      'analyste-ailleurs': 404,
      admin: 403,
    });
    // A closed cycle without any advert of the landlord is refused at once, before any job.
    const empty = await testCycle(db, 'cycle sans annonce', iso(DAY), 3);
    expect(await closeCycle(db, empty.id, new Date(), null)).not.toBeNull();
    const nothing = await call('bailleur-L1', 'POST', `/commission/sessions/${sessionId}/proposal`, {
      cycleId: empty.id,
    });
    expect(nothing.statusCode).toBe(409);
    expect(nothing.json().error).toBe('aucune annonce close de ce bailleur dans ce cycle');
    const run = await call('bailleur-L1', 'POST', `/commission/sessions/${sessionId}/proposal`, { cycleId });
    expect(run.statusCode).toBe(202);
    expect(run.json().job).toMatchObject({ total: 3 });
    const polled = await waitForJob('bailleur-L1', run.json().job.id);
    expect(polled).toMatchObject({ kind: 'commission.allocate', status: 'done', done: 3, total: 3 });
    expect(polled.message).toMatch(/proposition enregistrée pour 4 logement/);
    // Another member cannot follow someone else's job.
    expect((await call('analyste', 'GET', `/jobs/${run.json().job.id}`)).statusCode).toBe(403);
    const job = await getJob(db, run.json().job.id);
    expect(job).toMatchObject({ kind: 'commission.allocate', status: 'done' });
    expect((job!.result as { yearToDate: unknown; homes: number }).yearToDate).toBeDefined();
    expect((job!.result as { homes: number }).homes).toBe(4);
    const items = await agenda();
    expect(items.map((i) => i.homeId)).toEqual(['V1', 'V2', 'V3', 'V4']);
    const firsts = new Set<string>();
    for (const i of items) {
      expect(i.available).toBeGreaterThanOrEqual(3);
      expect(i.proposal.candidates).toHaveLength(3);
      expect(i.candidates).toEqual(i.proposal.candidates);
      expect(i.proposal.upperBound).toBeGreaterThanOrEqual(i.proposal.objective - 1e-6);
      expect(i.proposal.constraints.length).toBeGreaterThan(0);
      firsts.add(i.proposal.candidates[0]!);
    }
    // Four homes, four different households proposed first.
    expect(firsts.size).toBe(4);
    // The engine read 03812's order as ranks (V3 first…); applicants without an order have rank 1.
    const expectedRank: Record<string, number> = { V3: 1, V1: 2, V4: 3, V2: 4 };
    let seen = 0;
    for (const i of items) {
      expect(i.proposal.details.map((d) => d.sneNumber)).toEqual(i.proposal.candidates);
      for (const d of i.proposal.details) {
        expect(d.rank).toBe(d.sneNumber === '03812' ? expectedRank[i.homeId] : 1);
        if (d.sneNumber === '03812') seen++;
      }
      if (i.proposal.candidates[0] === '03812')
        expect(i.proposal.explanation).toContain(`choix n° ${expectedRank[i.homeId]}`);
      expect(i.proposal.priceOfMix).toBeGreaterThanOrEqual(0);
      for (const c of i.proposal.constraints) {
        expect(c.slack).toBeCloseTo(c.achieved - c.required, 9);
        expect(c.missingHouseholds).toBe(Math.max(0, Math.ceil(-c.slack - 1e-9)));
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('shows a session to its managers, admins and the reservation holder of its homes only', async () => {
    const codes = await statusesByRole((who) => call(who, 'GET', `/commission/sessions/${sessionId}`));
    expect(codes).toEqual({
      anonyme: 401,
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
  });

  it('requires a written justification for any deviation from the proposal, kept in the item and the audit log', async () => {
    const v1 = await item('V1');
    const reordered = [...v1.candidates].reverse();
    const unjustified = await call('bailleur-L1', 'PATCH', `/commission/agenda-items/${v1.id}`, {
      version: v1.version,
      candidates: reordered,
    });
    expect(unjustified.statusCode).toBe(400);
    expect(unjustified.json().details[0]).toMatch(/justifié par écrit/);
    const justification = 'Le premier candidat a signalé un changement de situation familiale.';
    const edited = await call('bailleur-L1', 'PATCH', `/commission/agenda-items/${v1.id}`, {
      version: v1.version,
      candidates: reordered,
      deviationJustification: justification,
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().version).toBe(v1.version + 1);
    const after = await item('V1');
    expect(after).toMatchObject({ candidates: reordered, deviationJustification: justification });
    const [audit] = await db.query<{ details: { deviationJustification: string } }>(
      "SELECT details FROM audit_log WHERE action = 'commission.candidates.edit' AND entity_id = $1",
      [v1.id],
    );
    expect(audit!.details.deviationJustification).toBe(justification);
    // Fewer than 3 candidates while more are available: refused unless DALO designated by the préfet.
    const two = await call('analyste', 'POST', `/commission/agenda-items/${v1.id}/decisions`, {
      version: after.version,
      decisions: [{ sneNumber: reordered[0], kind: 'allocation' }],
    });
    expect(two.statusCode).toBe(400);
    expect(two.json().details).toContain(`${reordered[1]} : ce candidat n’a pas de décision`);
  });

  it('refuses a non-allocation without reasons, in French', async () => {
    const v1 = await item('V1');
    const [a, b, c] = v1.candidates;
    const res = await call('analyste', 'POST', `/commission/agenda-items/${v1.id}/decisions`, {
      version: v1.version,
      decisions: [
        { sneNumber: a, kind: 'allocation' },
        { sneNumber: b, kind: 'non-allocation' },
        { sneNumber: c, kind: 'rejection', reasonCodes: ['ressources-insuffisantes'] },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      `${b} : une non-attribution doit être motivée (au moins un motif)`,
      `${c} : un rejet pour irrecevabilité ne peut reposer que sur un motif d’irrecevabilité`,
    ]);
  });

  it('of two members deciding the same home at once, one wins and the other is told (409)', async () => {
    const v1 = await item('V1');
    const [a, b, c] = v1.candidates;
    const decide = (who: Who, kindOfA: string) =>
      call(who, 'POST', `/commission/agenda-items/${v1.id}/decisions`, {
        version: v1.version,
        decisions: [
          {
            sneNumber: a,
            kind: kindOfA,
            ...(kindOfA === 'suspensive-condition' ? { missingDocument: 'avis d’imposition 2025' } : {}),
          },
          { sneNumber: b, kind: 'non-allocation', reasonCodes: ['autre-candidat-prioritaire'] },
          {
            sneNumber: c,
            kind: 'non-allocation',
            reasonCodes: ['autre-candidat-prioritaire'],
            reasonText: 'classé après',
          },
        ],
      });
    const results = await Promise.all([
      decide('bailleur-L1', 'allocation'),
      decide('analyste', 'allocation'),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().error).toMatch(/un autre membre/);
    const decisions = await db.query<{ id: string }>('SELECT id FROM decision WHERE agenda_item_id = $1', [
      v1.id,
    ]);
    expect(decisions).toHaveLength(3);
    const audited = await db.query(
      "SELECT 1 FROM audit_log WHERE action = 'commission.decision.record' AND entity_id = ANY($1::text[])",
      [decisions.map((d) => d.id)],
    );
    expect(audited).toHaveLength(3);
    expect((await item('V1')).status).toBe('decided');
  });

  it('shows applicants their own decision and reasons; the landlord signs the lease after acceptance; it counts in the CIA review', async () => {
    const v1 = await item('V1');
    const allocated = v1.decisions.find((d) => d.kind === 'allocation')!;
    const refused = v1.decisions.find((d) => d.kind === 'non-allocation')!;
    const readCodes = await statusesByRole((who) => call(who, 'GET', `/commission/decisions/${refused.id}`));
    for (const [who, code] of Object.entries(readCodes)) {
      const expected =
        who === 'anonyme'
          ? 401
          : ['bailleur-L1', 'analyste', 'admin', 'reservataire-ville', refused.sneNumber].includes(who)
            ? 200
            : 404;
      expect({ who, code }).toEqual({ who, code: expected });
    }
    const mine = await call('03812', 'GET', '/commission/my-decisions');
    expect(mine.statusCode).toBe(200);
    for (const d of mine.json().decisions) {
      expect(d.sneNumber).toBe('03812');
      if (d.kind === 'non-allocation')
        expect(d.reasons).toEqual(['logement attribué à un candidat mieux classé']);
    }
    // Only the offer holder (or the landlord for them) answers; a refusal of a non-allocation is meaningless.
    expect(
      (
        await call('bailleur-L1', 'POST', `/commission/decisions/${refused.id}/response`, {
          response: 'accepted',
        })
      ).statusCode,
    ).toBe(409);
    // Signing before acceptance is refused.
    expect(
      (await call('bailleur-L1', 'POST', `/commission/decisions/${allocated.id}/lease`, { signedOn: TODAY }))
        .statusCode,
    ).toBe(409);
    const answer = await call('bailleur-L1', 'POST', `/commission/decisions/${allocated.id}/response`, {
      response: 'accepted',
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json().response).toBe('accepted');
    const before = ciaReview(EPCI, YEAR, await reviewLeases(db, EPCI, YEAR), ciaSettingsOn(`${YEAR}-12-31`));
    const signCodes = await statusesByRole(
      (who) => call(who, 'POST', `/commission/decisions/${allocated.id}/lease`, { signedOn: TODAY }),
      ['anonyme', '03813', 'reservataire-ville', 'admin', 'bailleur-L2', 'analyste-ailleurs'],
    );
    expect(Object.values(signCodes).every((c) => c === 401 || c === 403 || c === 404)).toBe(true);
    // A home let meanwhile by another path (a relocation lease) is not signed a second time.
    const [other] = await db.query<{ sne_number: string; household_id: string }>(
      'SELECT sne_number, household_id FROM demand WHERE sne_number <> $1 AND household_id IS NOT NULL LIMIT 1',
      [allocated.sneNumber],
    );
    await db.query(
      `INSERT INTO lease (id, epci_code, home_id, household_id, sne_number, signed_on, reservation_holder_id,
         income_per_consumption_unit_eur, first_quartile_threshold_eur, first_quartile,
         urban_renewal_relocation, priority_public, dalo, transfer)
       VALUES ('bail-ailleurs', $1, 'V1', $2, $3, $4, 'commune-38185', 9000, 8000, false, true, false, false, false)`,
      [EPCI, other!.household_id, other!.sne_number, TODAY],
    );
    const twice = await call('bailleur-L1', 'POST', `/commission/decisions/${allocated.id}/lease`, {
      signedOn: TODAY,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toMatch(/déjà été loué par ailleurs/);
    await db.query("DELETE FROM lease WHERE id = 'bail-ailleurs'");
    const signed = await call('bailleur-L1', 'POST', `/commission/decisions/${allocated.id}/lease`, {
      signedOn: TODAY,
    });
    expect(signed.statusCode).toBe(201);
    const leases = await reviewLeases(db, EPCI, YEAR);
    const lease = leases.find((l) => l.leaseId === signed.json().leaseId)!;
    expect(lease).toMatchObject({ homeId: 'V1', qpv: false, reservationHolder: 'commune-38185' });
    const after = ciaReview(EPCI, YEAR, leases, ciaSettingsOn(`${YEAR}-12-31`));
    expect(after.leases).toBe(before.leases + 1);
    expect(after.outsideQpv.leases).toBe(before.outsideQpv.leases + 1);
    const [demand] = await db.query<{ status: string; household_id: string }>(
      'SELECT status, household_id FROM demand WHERE sne_number = $1',
      [allocated.sneNumber],
    );
    expect(demand!.status).toBe('housed');
    const [household] = await db.query<{ home_id: string }>('SELECT home_id FROM household WHERE id = $1', [
      demand!.household_id,
    ]);
    expect(household!.home_id).toBe('V1');
    expect((await item('V1')).status).toBe('let');
    const audit = await db.query(
      "SELECT 1 FROM audit_log WHERE action = 'commission.lease.sign' AND entity_id = $1",
      [signed.json().leaseId],
    );
    expect(audit).toHaveLength(1);
  });

  it('never lets a household hold two signed leases, even when two homes are signed at once', async () => {
    const housed = new Set(
      (await db.query<{ sne_number: string }>("SELECT sne_number FROM demand WHERE status = 'housed'")).map(
        (r) => r.sne_number,
      ),
    );
    const target = EXTRA.find((s) => !housed.has(s))!;
    const offers: string[] = [];
    for (const home of ['V2', 'V3']) {
      const it0 = await item(home);
      const others = it0.proposal.candidates.filter((s) => s !== target && !housed.has(s));
      const candidates = [
        target,
        ...others,
        ...EXTRA.filter((s) => s !== target && !others.includes(s) && !housed.has(s)),
      ].slice(0, 3);
      const edited = await call('analyste', 'PATCH', `/commission/agenda-items/${it0.id}`, {
        version: it0.version,
        candidates,
        deviationJustification: 'Candidat remonté : situation d’urgence constatée par la commission.',
      });
      expect(edited.statusCode).toBe(200);
      const decided = await call('analyste', 'POST', `/commission/agenda-items/${it0.id}/decisions`, {
        version: edited.json().version,
        decisions: candidates.map((s, i) =>
          i === 0
            ? { sneNumber: s, kind: 'allocation' }
            : { sneNumber: s, kind: 'non-allocation', reasonCodes: ['autre-candidat-prioritaire'] },
        ),
      });
      expect(decided.statusCode).toBe(201);
      const decision = (await item(home)).decisions.find((d) => d.sneNumber === target)!;
      expect(
        (
          await call('analyste', 'POST', `/commission/decisions/${decision.id}/response`, {
            response: 'accepted',
          })
        ).statusCode,
      ).toBe(200);
      offers.push(decision.id);
    }
    const results = await Promise.all(
      offers.map((id) => call('analyste', 'POST', `/commission/decisions/${id}/lease`, { signedOn: TODAY })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().error).toMatch(/déjà un bail signé/);
    const leases = await db.query('SELECT id FROM lease WHERE sne_number = $1', [target]);
    expect(leases).toHaveLength(1);
  });

  it('passes a ranked allocation to the next candidate when the first refuses, with a reason', async () => {
    const proposed = await item('V4');
    const active = (
      await db.query<{ sne_number: string }>(
        "SELECT sne_number FROM demand WHERE status = 'active' ORDER BY sne_number",
      )
    ).map((r) => r.sne_number);
    // An applicant with an account (03812 or 03813, whichever V1 did not house) is put first, with a justification.
    const me = active.includes('03812') ? '03812' : '03813';
    const other: Who = me === '03812' ? '03813' : '03812';
    const edited = await call('bailleur-L1', 'PATCH', `/commission/agenda-items/${proposed.id}`, {
      version: proposed.version,
      candidates: [me, ...active.filter((s) => s !== me)].slice(0, 3),
      deviationJustification:
        'Candidat reçu en entretien, ménage prioritaire au titre de l’accord collectif.',
    });
    expect(edited.json()).toEqual({ version: proposed.version + 1 });
    const v4 = await item('V4');
    const [a, b, c] = v4.candidates;
    expect(a).toBe(me);
    const decided = await call('bailleur-L1', 'POST', `/commission/agenda-items/${v4.id}/decisions`, {
      version: v4.version,
      decisions: [
        { sneNumber: a, kind: 'ranked-allocation', rank: 1 },
        { sneNumber: b, kind: 'ranked-allocation', rank: 2 },
        { sneNumber: c, kind: 'ranked-allocation', rank: 3 },
      ],
    });
    expect(decided.statusCode).toBe(201);
    const decisions = (await item('V4')).decisions;
    const byRank = (r: number) => decisions.find((d) => d.rank === r)!.id;
    expect(
      (
        await call('bailleur-L1', 'POST', `/commission/decisions/${byRank(2)}/response`, {
          response: 'accepted',
        })
      ).statusCode,
    ).toBe(409);
    // Another applicant cannot see, let alone answer, this offer.
    expect(
      (await call(other, 'POST', `/commission/decisions/${byRank(1)}/response`, { response: 'accepted' }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await call(me as Who, 'POST', `/commission/decisions/${byRank(1)}/response`, {
          response: 'refused',
        })
      ).statusCode,
    ).toBe(422);
    // Another applicant cannot see, let alone answer, this offer.
    expect(
      (await call(other, 'POST', `/commission/decisions/${byRank(1)}/response`, { response: 'accepted' }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await call(me as Who, 'POST', `/commission/decisions/${byRank(1)}/response`, {
          response: 'refused',
          reason: 'logement trop éloigné du lieu de travail',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await call('bailleur-L1', 'POST', `/commission/decisions/${byRank(2)}/response`, {
          response: 'accepted',
        })
      ).statusCode,
    ).toBe(200);
    const audit = await db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE entity_id = ANY($1::text[]) AND action LIKE 'commission.offer.%' ORDER BY id",
      [[byRank(1), byRank(2)]],
    );
    expect(audit.map((r) => r.action)).toEqual(['commission.offer.refuse', 'commission.offer.accept']);
    const [own] = await db.query<{ on_behalf_of: string | null; actor_role: string }>(
      "SELECT on_behalf_of, actor_role FROM audit_log WHERE entity_id = $1 AND action = 'commission.offer.refuse'",
      [byRank(1)],
    );
    expect(own).toEqual({ on_behalf_of: null, actor_role: 'applicant' });
    const mine = (await call(me as Who, 'GET', '/commission/my-decisions')).json().decisions;
    expect(mine.find((d: { homeId: string }) => d.homeId === 'V4')).toMatchObject({
      kind: 'ranked-allocation',
      rank: 1,
      response: 'refused',
      responseReason: 'logement trop éloigné du lieu de travail',
    });
  });

  it('gives the minutes as a PDF to the commission’s members and admins: members, quorum, decisions with reasons, deviations, signatures', async () => {
    const url = `/commission/sessions/${sessionId}/minutes.pdf`;
    const codes = await statusesByRole((who) => call(who, 'GET', url));
    expect(codes).toEqual({
      anonyme: 401,
      '03812': 404,
      '03813': 404,
      'bailleur-L1': 200,
      'bailleur-L2': 404,
      'reservataire-etat': 404,
      'reservataire-ville': 403,
      analyste: 200,
      'analyste-ailleurs': 404,
      admin: 200,
    });
    const res = await call('analyste', 'GET', url);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="proces-verbal-caleol-L1-${TODAY}.pdf"`,
    );
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(res.rawPayload);
    expect(text).toContain('Procès-verbal de la commission d’attribution');
    for (const m of body.members) {
      expect(text).toContain(m.name);
      expect(text).toContain(m.role);
    }
    expect(text).toContain('Quorum : 2 membres sur 3 convoqués.');
    expect(text).toContain('Logements examinés (4)');
    for (const home of ['V1', 'V2', 'V3', 'V4']) expect(text).toContain(`Logement ${home}`);
    expect(text).toContain('attribution par ordre de priorité (rang 1)');
    expect(text).toContain('logement attribué à un candidat mieux classé');
    expect(text).toContain('refusée : logement trop éloigné du lieu de travail');
    expect(text).toContain('acceptée, bail signé');
    expect(text).toContain(
      'Écart avec la proposition du moteur — justification : « Le premier candidat a signalé un changement de situation familiale. »',
    );
    expect(text).toContain('Proposition du moteur :');
    expect(text).toContain('Ménages manquants');
    expect(text).toContain('Signatures');
  });

  it('lists the landlords a session may be scheduled for', async () => {
    const codes = await statusesByRole((who) => call(who, 'GET', `/commission/landlords?epci=${EPCI}`));
    expect(codes).toMatchObject({
      anonyme: 401,
      '03812': 403,
      'reservataire-etat': 403,
      'analyste-ailleurs': 403,
    });
    const all = (await call('analyste', 'GET', `/commission/landlords?epci=${EPCI}`)).json().landlords;
    expect(all.map((l: { id: string }) => l.id)).toEqual(expect.arrayContaining(['L1', 'L2']));
    const own = (await call('bailleur-L2', 'GET', `/commission/landlords?epci=${EPCI}`)).json().landlords;
    expect(own.map((l: { id: string }) => l.id)).toEqual(['L2']);
  });

  it('lists the decisions and reason codes to everyone', async () => {
    const res = await call('anonyme', 'GET', '/commission/reasons');
    expect(res.statusCode).toBe(200);
    expect(res.json().decisions).toHaveLength(5);
    expect(res.json().reasons.find((r: { code: string }) => r.code === 'dossier-incomplet').label).toBe(
      'dossier incomplet (pièce manquante)',
    );
  });
});
