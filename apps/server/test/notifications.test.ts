import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createAdvert, createCommissionSession, createCycle, type Db, type User } from '@mosaique/db';
import { testDbKinds } from '@mosaique/db/testing';
import type { FastifyInstance } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { decideHome, respondToOffer, signLease } from '../src/commission/decide.ts';
import { closeCycle } from '../src/letting/close-cycles.ts';
import { notifyAdvertPublished, queueClosingReminders } from '../src/notifications/queue.ts';
import {
  sendDueNotifications,
  smtpMailer,
  smtpMailerFromEnv,
  startNotifier,
} from '../src/notifications/sender.ts';
import {
  apiCaller,
  logInAll,
  matrixDatabase,
  statusesByRole,
  type TestSession,
  testApplication,
  testCycle,
} from './helpers.ts';

const EPCI = '200040715';
const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const DESCRIPTION = 'Logement lumineux, proche du tram et des écoles.';

/** Vacant T2 homes V1…V8 of landlord L1 in Grenoble (rent 300 + 50 €), and demands 03814 (no account). */
async function addHomesAndDemands(db: Db): Promise<void> {
  await db.exec(`
    INSERT INTO landlord (id, name) VALUES ('L2', 'Autre bailleur');
    INSERT INTO home (id, epci_code, residence_id, typology, surface_m2, floor, lift, accessible, financing, rent_eur, charges_eur, reservation_holder_id)
      SELECT 'V' || i, '${EPCI}', 'R2', 2, 45, 1, true, true, 'PLUS', 300, 50, 'commune-38185' FROM generate_series(1, 8) i;
    INSERT INTO demand (sne_number, epci_code, household_id, registered_on, applicant_birth_date, household_type, persons_14_or_more,
        persons_under_14, monthly_resources_eur, reference_tax_income_eur, current_housing, current_commune_code, reasons,
        desired_communes, desired_typologies, max_rent_eur, priority_criteria, dalo, urban_renewal_relocation,
        current_social_tenant, wheelchair_access, status)
      SELECT '03814', epci_code, NULL, registered_on + 4, applicant_birth_date, household_type, persons_14_or_more,
        persons_under_14, monthly_resources_eur - 400, reference_tax_income_eur, current_housing,
        current_commune_code, reasons, desired_communes, desired_typologies, max_rent_eur, priority_criteria, dalo,
        urban_renewal_relocation, current_social_tenant, wheelchair_access, 'active'
      FROM demand WHERE sne_number = '03812';
  `);
}

describe('SMTP configuration', () => {
  it('sends nothing without MOSAIQUE_SMTP_URL, and refuses an incomplete or malformed one', () => {
    expect(smtpMailerFromEnv({})).toBeNull();
    expect(() => smtpMailerFromEnv({ MOSAIQUE_SMTP_URL: 'smtp://127.0.0.1:2525' })).toThrow(
      'MOSAIQUE_MAIL_FROM requis quand MOSAIQUE_SMTP_URL est défini',
    );
    expect(() =>
      smtpMailerFromEnv({ MOSAIQUE_SMTP_URL: 'http://127.0.0.1', MOSAIQUE_MAIL_FROM: 'a@b.fr' }),
    ).toThrow('MOSAIQUE_SMTP_URL invalide');
    const mailer = smtpMailerFromEnv({
      MOSAIQUE_SMTP_URL: 'smtp://127.0.0.1:2525',
      MOSAIQUE_MAIL_FROM: 'a@b.fr',
    });
    expect(mailer).not.toBeNull();
    mailer?.close();
  });
});

describe.each(testDbKinds())('notifications and published results on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  const sessions = new Map<string, TestSession>();
  let cycleId: string;
  const userId = new Map<string, string>();

  beforeAll(async () => {
    db = await matrixDatabase(kind, addHomesAndDemands);
    cycleId = (await testCycle(db, 'Cycle d’hiver', iso(7 * DAY), 20)).id;
    app = await buildApp({ db, loginPerMinute: 1000, rateLimitPerMinute: 100_000 });
    await logInAll(app, sessions);
    for (const u of await db.query<{ id: string; identifier: string }>('SELECT id, identifier FROM app_user'))
      userId.set(u.identifier, u.id);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const call = apiCaller(() => app, sessions);
  const messagesOf = (who: string, kind?: string) =>
    db.query<{ id: string; kind: string; subject: string; body: string; status: string }>(
      `SELECT id, kind, subject, body, status FROM notification WHERE user_id = $1 ${kind ? 'AND kind = $2' : ''} ORDER BY created_at, id`,
      kind ? [userId.get(who), kind] : [userId.get(who)],
    );
  /** A cycle of L1 closing in `closesInHours`, with home `homeId` published in it, and these applications. */
  const cycleClosingSoon = async (
    name: string,
    closesInHours: number,
    homeId: string,
    applicants: string[],
  ) => {
    const cycle = await createCycle(db, {
      epci: EPCI,
      landlordId: 'L1',
      name,
      opensAt: iso(-DAY),
      closesAt: iso(closesInHours * HOUR),
      maxActiveApplications: 3,
      createdBy: null,
    });
    const advertId = await createAdvert(db, {
      epci: EPCI,
      homeId,
      landlordId: 'L1',
      cycleId: cycle.id,
      description: DESCRIPTION,
      energyLabel: 'C',
      publish: true,
      createdBy: null,
    });
    for (const sneNumber of applicants) await testApplication(db, { advertId, cycleId: cycle.id }, sneNumber);
    return cycle;
  };
  const analyst = async (): Promise<User> =>
    (
      await db.query<User>(
        `SELECT id, identifier, display_name AS "displayName", role, landlord_id AS "landlordId",
                reservation_holder_id AS "reservationHolderId", epci_code AS "epciCode", sne_number AS "sneNumber"
         FROM app_user WHERE identifier = 'analyste'`,
      )
    )[0]!;

  it('lets an applicant save, read and delete their own alert, and nobody else', async () => {
    const criteria = { communes: ['38185'], typologies: [2], maxTotalRentEur: 400 };
    const codes = await statusesByRole((who) => call(who, 'PUT', '/advert-alert', criteria));
    expect(codes).toEqual({
      anonyme: 401,
      '03812': 200,
      '03813': 200,
      'bailleur-L1': 403,
      'bailleur-L2': 403,
      'reservataire-etat': 403,
      'reservataire-ville': 403,
      analyste: 403,
      'analyste-ailleurs': 403,
      admin: 403,
    });
    const mine = (await call('03812', 'GET', '/advert-alert')).json().alert;
    expect(mine).toMatchObject({ epci: EPCI, communes: ['38185'], typologies: [2], maxTotalRentEur: 400 });
    expect(mine.description).toBe('T2, à Grenoble, 400 € charges comprises au plus');
    const bad = await call('03812', 'PUT', '/advert-alert', { typologies: [9], communes: ['3818'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toEqual([
      'communes : « 3818 » n’est pas un code INSEE de commune (5 caractères)',
      'typologies : 9 n’est pas une typologie de 1 (T1) à 6 (T6 et plus)',
    ]);
    // 03813 wants a T4 — the T4 M3 is too large for their household (sous-occupation).
    expect((await call('03813', 'DELETE', '/advert-alert')).statusCode).toBe(204);
    expect((await call('03813', 'DELETE', '/advert-alert')).statusCode).toBe(404);
    expect((await call('03813', 'GET', '/advert-alert')).json().alert).toBeNull();
    expect((await call('03813', 'PUT', '/advert-alert', { typologies: [4] })).statusCode).toBe(200);
    const audit = await db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE action LIKE 'advert-alert.%' AND actor_user_id = $1 ORDER BY id",
      [userId.get('03813')],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'advert-alert.save',
      'advert-alert.delete',
      'advert-alert.save',
    ]);
  });

  it('queues a message to applicants whose alert a newly published advert matches and who are eligible to it', async () => {
    const created = await call('bailleur-L1', 'POST', '/adverts', {
      homeId: 'V1',
      cycleId,
      description: DESCRIPTION,
      energyLabel: 'C',
      publish: true,
    });
    expect(created.statusCode).toBe(201);
    const [first, ...more] = await messagesOf('03812', 'advert-match');
    expect(more).toEqual([]);
    expect(first!.subject).toBe('Nouvelle annonce : T2 à Grenoble, 350 € charges comprises');
    expect(first!.body).toContain('loyer 300 € + charges 50 € = 350 € par mois');
    expect(first!.body).toContain('cycle « Cycle d’hiver »');
    expect(first!.body).not.toContain('03812');
    expect(first!.status).toBe('pending');
    // A draft says nothing; publishing it later does.
    const draft = await call('bailleur-L1', 'POST', '/adverts', {
      homeId: 'V2',
      cycleId,
      description: DESCRIPTION,
      energyLabel: 'C',
    });
    expect(await messagesOf('03812', 'advert-match')).toHaveLength(1);
    expect(
      (await call('bailleur-L1', 'PATCH', `/adverts/${draft.json().id}`, { publish: true })).statusCode,
    ).toBe(200);
    expect(await messagesOf('03812', 'advert-match')).toHaveLength(2);
    // The T4 matches 03813's alert, but 03813 is not eligible to it: no message to anyone.
    const t4 = await call('bailleur-L1', 'POST', '/adverts', {
      homeId: 'M3',
      cycleId,
      description: DESCRIPTION,
      energyLabel: 'D',
      publish: true,
    });
    expect(t4.statusCode).toBe(201);
    expect(await messagesOf('03813')).toEqual([]);
    expect(await messagesOf('03812', 'advert-match')).toHaveLength(2);
  });

  it('writes the message in the transaction of the event: rolled back with it, and once only', async () => {
    const advertId = await createAdvert(db, {
      epci: EPCI,
      homeId: 'V3',
      landlordId: 'L1',
      cycleId,
      description: DESCRIPTION,
      energyLabel: 'C',
      publish: true,
      createdBy: null,
    });
    await expect(
      db.transaction(async (tx) => {
        expect(await notifyAdvertPublished(tx, advertId)).toBe(1);
        throw new Error('publication annulée');
      }),
    ).rejects.toThrow('publication annulée');
    expect(await messagesOf('03812', 'advert-match')).toHaveLength(2);
    expect(await notifyAdvertPublished(db, advertId)).toBe(1);
    expect(await notifyAdvertPublished(db, advertId)).toBe(0);
    expect(await messagesOf('03812', 'advert-match')).toHaveLength(3);
  });

  it('shows each account its own messages; another’s by id is 404; an admin sees all with the recipient', async () => {
    const list = await call('03812', 'GET', '/notifications');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ delivery: 'demo', total: 3 });
    const [one] = list.json().notifications;
    expect(one.recipient).toBeUndefined();
    expect(one.kindLabel).toBe('nouvelle annonce correspondant à votre alerte');
    const codes = await statusesByRole((who) => call(who, 'GET', `/notifications/${one.id}`));
    expect(codes).toEqual({
      anonyme: 401,
      '03812': 200,
      '03813': 404,
      'bailleur-L1': 404,
      'bailleur-L2': 404,
      'reservataire-etat': 404,
      'reservataire-ville': 404,
      analyste: 404,
      'analyste-ailleurs': 404,
      admin: 200,
    });
    expect((await call('03813', 'GET', '/notifications')).json()).toMatchObject({
      total: 0,
      notifications: [],
    });
    const all = (await call('admin', 'GET', '/notifications')).json();
    expect(all.total).toBe(3);
    expect(all.notifications[0].recipient).toEqual({ name: '03812', identifier: '03812' });
    expect((await call('anonyme', 'GET', '/notifications')).statusCode).toBe(401);
    expect((await call('03812', 'GET', '/notifications/pas-un-id')).statusCode).toBe(400);
    const doc = (await app.inject('/api/docs/json')).json();
    for (const path of [
      '/notifications',
      '/notifications/{id}',
      '/notifications/address',
      '/advert-alert',
      '/letting-results',
    ])
      expect(doc.paths[`/api/v1${path}`], path).toBeDefined();
  });

  it('lets each account set its own address, validated, audited without the address', async () => {
    const bad = await call('03812', 'PUT', '/notifications/address', { email: 'pas une adresse' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0]).toMatch(/^adresse électronique/);
    expect((await call('anonyme', 'PUT', '/notifications/address', { email: 'x@y.fr' })).statusCode).toBe(
      401,
    );
    const ok = await call('03812', 'PUT', '/notifications/address', { email: 'demandeur@exemple.fr' });
    expect(ok.json()).toEqual({ email: 'demandeur@exemple.fr' });
    expect((await call('03812', 'GET', '/notifications/address')).json()).toEqual({
      email: 'demandeur@exemple.fr',
    });
    expect((await call('03813', 'GET', '/notifications/address')).json()).toEqual({ email: null });
    // Cleared with null; an agent whose identifier is no address has none either.
    expect((await call('03813', 'PUT', '/notifications/address', { email: 'x@exemple.fr' })).statusCode).toBe(
      200,
    );
    expect((await call('03813', 'PUT', '/notifications/address', { email: null })).json()).toEqual({
      email: null,
    });
    expect((await call('03813', 'GET', '/notifications/address')).json()).toEqual({ email: null });
    expect((await call('bailleur-L1', 'GET', '/notifications/address')).json()).toEqual({ email: null });
    expect(
      await db.query(
        "SELECT 1 FROM audit_log WHERE action = 'notification-address.delete' AND actor_user_id = $1",
        [userId.get('03813')],
      ),
    ).toHaveLength(1);
    const audit = await db.query<{ details: unknown }>(
      "SELECT details FROM audit_log WHERE action = 'notification-address.set' AND actor_user_id = $1",
      [userId.get('03812')],
    );
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).not.toContain('@');
  });

  it('reminds applicants with applications or a matching alert, once, of a cycle closing within 48 hours', async () => {
    const soon = await cycleClosingSoon('Cycle court', 20, 'V4', ['03813']);
    expect(await queueClosingReminders(db)).toBe(2);
    expect(await queueClosingReminders(db)).toBe(0);
    const [to13] = await messagesOf('03813', 'cycle-closing');
    expect(to13!.subject).toMatch(/^Le cycle « Cycle court » se clôt le /);
    expect(to13!.body).toContain(
      'Vous y avez 1 candidature en cours (3 au plus par cycle). Vous pouvez encore candidater à 2 autres annonces d’ici là.',
    );
    const [to12] = await messagesOf('03812', 'cycle-closing');
    expect(to12!.body).toContain('Vous n’y avez encore aucune candidature.');
    expect(to12!.body).toContain('1 annonce de ce cycle correspond à votre alerte.');
    // The winter cycle closes in 7 days: no reminder for it yet.
    const keys = await db.query<{ dedupe_key: string }>(
      "SELECT dedupe_key FROM notification WHERE kind = 'cycle-closing'",
    );
    expect(keys.every((k) => k.dedupe_key.startsWith(`cycle-closing:${soon.id}:`))).toBe(true);
  });

  it('notifies the applicants of the commission’s decision with its reasons in French; the let is then published, anonymised', async () => {
    const past = await testCycle(db, 'Cycle d’automne', iso(DAY), 3);
    const advertId = await createAdvert(db, {
      epci: EPCI,
      homeId: 'V5',
      landlordId: 'L1',
      cycleId: past.id,
      description: DESCRIPTION,
      energyLabel: 'C',
      publish: true,
      createdBy: null,
    });
    for (const sne of ['03812', '03813', '03814'])
      await testApplication(db, { advertId, cycleId: past.id }, sne);
    expect(await closeCycle(db, past.id, new Date(), null)).not.toBeNull();
    const today = new Date().toISOString().slice(0, 10);
    const session = await createCommissionSession(db, {
      epci: EPCI,
      landlordId: 'L1',
      heldOn: today,
      members: [{ name: 'Mme A', role: 'présidente' }],
      quorum: 1,
      createdBy: null,
    });
    const itemId = 'item-notification-test';
    await db.query(
      `INSERT INTO agenda_item (id, session_id, epci_code, home_id, advert_id, candidates, available)
       VALUES ($1, $2, $3, 'V5', $4, ARRAY['03814', '03812', '03813'], 3)`,
      [itemId, session.id, EPCI, advertId],
    );
    const actor = await analyst();
    const decided = await decideHome(
      db,
      itemId,
      1,
      [
        { sneNumber: '03814', kind: 'allocation' },
        {
          sneNumber: '03812',
          kind: 'non-allocation',
          reasonCodes: ['autre-candidat-prioritaire'],
          reasonText: 'classé après le premier candidat',
        },
        { sneNumber: '03813', kind: 'rejection', reasonCodes: ['plafonds-depasses', 'demande-non-valide'] },
      ],
      actor,
    );
    const [to12] = await messagesOf('03812', 'decision');
    expect(to12!.subject).toBe('Décision de la commission d’attribution : non-attribution (T2 à Grenoble)');
    expect(to12!.body).toContain(
      'Le logement ne vous a pas été attribué, pour le motif suivant :\n• logement attribué à un candidat mieux classé',
    );
    expect(to12!.body).toContain('Précision de la commission : classé après le premier candidat');
    const [to13] = await messagesOf('03813', 'decision');
    expect(to13!.body).toContain(
      'pour les motifs suivants :\n• plafonds de ressources dépassés\n• demande non valide (non renouvelée ou radiée)',
    );
    // 03814 has no account: nobody to write to.
    expect(
      await db.query("SELECT 1 FROM notification WHERE kind = 'decision' AND dedupe_key = $1", [
        `decision:${decided.decisionIds[0]}`,
      ]),
    ).toEqual([]);

    await respondToOffer(db, decided.decisionIds[0]!, { response: 'accepted', reason: null }, actor);
    await signLease(db, decided.decisionIds[0]!, { signedOn: today, documentReceived: false }, actor);
    const codes = await statusesByRole((who) => call(who, 'GET', '/letting-results'));
    expect(new Set(Object.values(codes))).toEqual(new Set([200]));
    const published = (await call('anonyme', 'GET', `/letting-results?epci=${EPCI}`)).json();
    expect(published.total).toBe(1);
    // 3 applicants would give the coarse bands (RESULT_PUBLICATION_RULES), but the let is alone in its
    // cycle: whoever knows who moved in would know whose bands they are — withheld, with the commune
    // and the typology (fewer than 3 comparable lets: comparablePublication).
    const [shortlisted] = await db.query<{ score: number; registered_on: string }>(
      "SELECT score::float8 AS score, to_char(registered_on, 'YYYY-MM-DD') AS registered_on FROM shortlist WHERE advert_id = $1 AND sne_number = '03814'",
      [advertId],
    );
    expect(published.results[0]).toEqual({
      cycle: { name: 'Cycle d’automne', closedOn: today },
      commune: null,
      communeName: null,
      typology: null,
      applicants: { min: 3, max: 3, label: '3 candidats' },
      precision: 'suppressed',
      scoreBand: null,
      seniorityBand: null,
      note: 'moins de 3 attributions comparables dans ce cycle : note et ancienneté non publiées',
    });
    expect(published.rule.minComparableLets).toBe(3);
    const text = JSON.stringify(published);
    for (const secret of ['03814', shortlisted!.registered_on, 'Grenoble'])
      expect(text).not.toContain(secret);
    expect((await call('anonyme', 'GET', '/letting-results?epci=123')).statusCode).toBe(400);
  });

  it('sends the outbox through a real SMTP server, retries with backoff, gives up, and never keeps an address', async () => {
    const received: { to: string[]; data: string }[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('refus'))
          return callback(new Error(`<${address.address}> : boîte inconnue`));
        callback();
      },
      onData(stream, session, callback) {
        let data = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          data += chunk;
        });
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          callback();
        });
      },
    });
    server.listen(0, '127.0.0.1');
    await once(server.server, 'listening');
    const port = (server.server.address() as AddressInfo).port;
    const mailer = smtpMailer(`smtp://127.0.0.1:${port}`, 'Mosaïque <ne-pas-repondre@mosaique.test>');
    try {
      expect(
        (await call('03813', 'PUT', '/notifications/address', { email: 'refus@exemple.fr' })).statusCode,
      ).toBe(200);
      const settings = { closingSoonHours: 48, maxAttempts: 2, firstRetryMs: 60_000, maxRetryMs: 3_600_000 };
      const now = new Date(Date.now() + 1000);
      const logs: string[] = [];
      const notifier = startNotifier(db, {
        mailer,
        intervalMs: 3_600_000,
        log: {
          info: (o, m) => logs.push(JSON.stringify([o, m])),
          error: (o, m) => logs.push(JSON.stringify([o, m])),
        },
      });
      expect(notifier.delivery).toBe('smtp');
      await notifier.tick(now);
      await notifier.stop();
      // 03812: 3 adverts + 1 reminder + 1 decision, delivered; 03813: refused by the server, retried later.
      const to12 = await messagesOf('03812');
      expect(to12.map((m) => m.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
      expect(received.filter((r) => r.to[0] === 'demandeur@exemple.fr')).toHaveLength(5);
      const decisionMail = received.find((r) => r.data.includes('non-attribution'))!;
      expect(decisionMail.data).toContain('ne-pas-repondre@mosaique.test');
      const [pending] = await db.query<{
        status: string;
        attempts: number;
        last_error: string;
        next_attempt_at: Date;
      }>(
        "SELECT status, attempts, last_error, next_attempt_at FROM notification WHERE user_id = $1 AND kind = 'decision'",
        [userId.get('03813')],
      );
      expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
      expect(pending!.last_error).toContain('[adresse]');
      expect(pending!.last_error).not.toContain('refus@exemple.fr');
      expect(new Date(pending!.next_attempt_at).getTime()).toBeGreaterThanOrEqual(now.getTime() + 59_000);
      // Nothing is due before the backoff ends; after it, the second failure gives up.
      expect(await sendDueNotifications(db, mailer, new Date(now.getTime() + 30_000), { settings })).toEqual({
        sent: 0,
        retried: 0,
        failed: 0,
      });
      const later = await sendDueNotifications(db, mailer, new Date(now.getTime() + 2 * 60_000), {
        settings,
      });
      expect(later).toEqual({ sent: 0, retried: 0, failed: 2 });
      const failed = await db.query<{ status: string; failed_at: Date | null }>(
        'SELECT status, failed_at FROM notification WHERE user_id = $1',
        [userId.get('03813')],
      );
      expect(failed.map((f) => f.status)).toEqual(['failed', 'failed']);
      // The logs carry counts only.
      expect(logs.join('\n')).not.toMatch(/@|Décision|Bonjour/);
      expect(logs.join('\n')).toContain('"sent":5');
    } finally {
      mailer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('lets each account turn the cycle reminders off, audited; none is queued for them then', async () => {
    expect((await call('03812', 'GET', '/notifications/preferences')).json()).toEqual({
      cycleReminders: true,
    });
    expect((await call('anonyme', 'GET', '/notifications/preferences')).statusCode).toBe(401);
    const invalid = await call('03812', 'PUT', '/notifications/preferences', { cycleReminders: 'non' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().details).toContain('cycleReminders : vrai ou faux attendu');
    const off = await call('03812', 'PUT', '/notifications/preferences', { cycleReminders: false });
    expect([off.statusCode, off.json()]).toEqual([200, { cycleReminders: false }]);
    // Each account reads and sets its own only.
    expect((await call('03812', 'GET', '/notifications/preferences')).json()).toEqual({
      cycleReminders: false,
    });
    expect((await call('03813', 'GET', '/notifications/preferences')).json()).toEqual({
      cycleReminders: true,
    });
    const [audit] = await db.query<{ details: unknown }>(
      "SELECT details FROM audit_log WHERE action = 'notification-preference.set' AND actor_user_id = $1",
      [userId.get('03812')],
    );
    expect(audit?.details).toEqual({ cycleReminders: false });

    // A cycle closing tomorrow where both applied: only 03813 is reminded.
    const soon = await cycleClosingSoon('Cycle de printemps', 30, 'V6', ['03812', '03813']);
    await queueClosingReminders(db);
    const reminded = await db.query<{ user_id: string }>(
      'SELECT user_id FROM notification WHERE dedupe_key LIKE $1',
      [`cycle-closing:${soon.id}:%`],
    );
    expect(reminded.map((r) => r.user_id)).toEqual([userId.get('03813')]);
    expect(
      (await call('03812', 'PUT', '/notifications/preferences', { cycleReminders: true })).statusCode,
    ).toBe(200);
  });
});
