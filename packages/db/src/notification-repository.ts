import { randomUUID } from 'node:crypto';
import type { DecisionKind } from '@mosaique/domain/commission';
import type { AlertCriteria } from '@mosaique/domain/notification';
import type { Db } from './db.ts';

/**
 * Notifications (migration 0012): the outbox of messages to accounts, the applicants' saved searches
 * (« alertes ») and the address an account receives its messages at; and the facts the published
 * results of past lets are built from. Writes run in the caller's transaction.
 */

export type NotificationKind = 'advert-match' | 'cycle-closing' | 'decision';
export type NotificationStatus = 'pending' | 'sent' | 'failed';

export interface NewNotification {
  userId: string;
  epci: string | null;
  kind: NotificationKind;
  subject: string;
  body: string;
  /** One message per event and recipient: a second insert with the same key does nothing. */
  dedupeKey: string;
}

/** Queues a message; false when one with the same key exists already (idempotent). */
export async function insertNotification(db: Db, n: NewNotification): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO notification (id, user_id, epci_code, kind, subject, body, dedupe_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [randomUUID(), n.userId, n.epci, n.kind, n.subject, n.body, n.dedupeKey],
  );
  return rows.length === 1;
}

export interface StoredNotification {
  id: string;
  userId: string;
  /** The recipient's display name and identifier (shown to admins only). */
  recipientName: string;
  recipientIdentifier: string;
  kind: NotificationKind;
  subject: string;
  body: string;
  createdAt: string;
  status: NotificationStatus;
  attempts: number;
  sentAt: string | null;
  failedAt: string | null;
  lastError: string | null;
}

const ts = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
const notificationColumns = `n.id, n.user_id AS "userId", u.display_name AS "recipientName",
  u.identifier AS "recipientIdentifier", n.kind, n.subject, n.body, ${ts('n.created_at')} AS "createdAt",
  n.status, n.attempts, ${ts('n.sent_at')} AS "sentAt", ${ts('n.failed_at')} AS "failedAt", n.last_error AS "lastError"`;

/** The messages of one account (userId), or of every account (null), newest first. */
export async function listNotifications(
  db: Db,
  options: { userId: string | null; limit?: number; offset?: number },
): Promise<{ total: number; notifications: StoredNotification[] }> {
  const where = options.userId === null ? '' : 'WHERE n.user_id = $3';
  const params: unknown[] = [options.limit ?? 50, options.offset ?? 0];
  if (options.userId !== null) params.push(options.userId);
  const notifications = await db.query<StoredNotification>(
    `SELECT ${notificationColumns} FROM notification n JOIN app_user u ON u.id = n.user_id ${where}
     ORDER BY n.created_at DESC, n.id LIMIT $1 OFFSET $2`,
    params,
  );
  const [count] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM notification n ${where.replace('$3', '$1')}`,
    options.userId === null ? [] : [options.userId],
  );
  return { total: count?.n ?? 0, notifications };
}

export async function getNotification(db: Db, id: string): Promise<StoredNotification | null> {
  const [row] = await db.query<StoredNotification>(
    `SELECT ${notificationColumns} FROM notification n JOIN app_user u ON u.id = n.user_id WHERE n.id = $1`,
    [id],
  );
  return row ?? null;
}

/** A message handed to the sender, with the address it goes to (never logged). */
export interface OutgoingMessage {
  id: string;
  subject: string;
  body: string;
  attempts: number;
  /** The account's address, or its identifier when that is an e-mail address; null: none. */
  to: string | null;
}

/**
 * Takes up to `limit` due pending messages for sending: each is leased until `leaseUntil` (its next
 * attempt time moves there), so that a second sender — or this one after a crash — does not send it
 * at the same time. Short, so no transaction stays open while mail is sent.
 */
export async function claimDueNotifications(
  db: Db,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<OutgoingMessage[]> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<OutgoingMessage>(
      `UPDATE notification n SET next_attempt_at = $2
       FROM app_user u LEFT JOIN notification_address a ON a.user_id = u.id
       WHERE n.id IN (
         SELECT id FROM notification WHERE status = 'pending' AND next_attempt_at <= $1
         ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
         AND u.id = n.user_id
       RETURNING n.id, n.subject, n.body, n.attempts,
         COALESCE(a.email, CASE WHEN u.identifier LIKE '%_@_%' THEN u.identifier END) AS "to"`,
      [now, leaseUntil, limit],
    );
    return rows;
  });
}

export async function markNotificationSent(db: Db, id: string, at: Date): Promise<void> {
  await db.query(
    "UPDATE notification SET status = 'sent', sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1",
    [id, at],
  );
}

/** Records a failed attempt: retried at `retryAt`, or given up (failed) when it is null. */
export async function markNotificationAttemptFailed(
  db: Db,
  id: string,
  failure: { at: Date; retryAt: Date | null; error: string },
): Promise<void> {
  await db.query(
    `UPDATE notification SET attempts = attempts + 1, last_error = $3,
       status = CASE WHEN $2::timestamptz IS NULL THEN 'failed' ELSE status END,
       failed_at = CASE WHEN $2::timestamptz IS NULL THEN $4::timestamptz END,
       next_attempt_at = COALESCE($2::timestamptz, next_attempt_at)
     WHERE id = $1`,
    [id, failure.retryAt, failure.error, failure.at],
  );
}

// ── Address ──────────────────────────────────────────────────────────────────────────────────────

export async function getNotificationAddress(db: Db, userId: string): Promise<string | null> {
  const [row] = await db.query<{ email: string }>(
    'SELECT email FROM notification_address WHERE user_id = $1',
    [userId],
  );
  return row?.email ?? null;
}

export async function setNotificationAddress(db: Db, userId: string, email: string | null): Promise<void> {
  if (email === null) {
    await db.query('DELETE FROM notification_address WHERE user_id = $1', [userId]);
    return;
  }
  await db.query(
    `INSERT INTO notification_address (user_id, email) VALUES ($1, $2)
     ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, updated_at = now()`,
    [userId, email],
  );
}

// ── Preferences ──────────────────────────────────────────────────────────────────────────────────

/** What an account chooses to be told; no row = the defaults. */
export interface NotificationPreferences {
  /** Reminders of a letting cycle closing within 48 h (default true). */
  cycleReminders: boolean;
}

export async function getNotificationPreferences(db: Db, userId: string): Promise<NotificationPreferences> {
  const [row] = await db.query<NotificationPreferences>(
    'SELECT cycle_reminders AS "cycleReminders" FROM notification_preference WHERE user_id = $1',
    [userId],
  );
  return row ?? { cycleReminders: true };
}

export async function setNotificationPreferences(
  db: Db,
  userId: string,
  preferences: NotificationPreferences,
): Promise<void> {
  await db.query(
    `INSERT INTO notification_preference (user_id, cycle_reminders) VALUES ($1, $2)
     ON CONFLICT (user_id) DO UPDATE SET cycle_reminders = EXCLUDED.cycle_reminders, updated_at = now()`,
    [userId, preferences.cycleReminders],
  );
}

/** Among `userIds`, the accounts that turned the cycle-closing reminders off. */
export async function withoutCycleReminders(db: Db, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db.query<{ userId: string }>(
    `SELECT user_id AS "userId" FROM notification_preference
     WHERE user_id = ANY($1::text[]) AND NOT cycle_reminders`,
    [userIds],
  );
  return new Set(rows.map((r) => r.userId));
}

// ── Saved searches ───────────────────────────────────────────────────────────────────────────────

export interface StoredAlert extends AlertCriteria {
  userId: string;
  epci: string;
  updatedAt: string;
}

const alertColumns = `a.user_id AS "userId", a.epci_code AS epci, a.communes, a.typologies::int[] AS typologies,
  a.max_total_rent_eur::float8 AS "maxTotalRentEur", a.accessible, a.lift,
  a.max_floor_without_lift::int AS "maxFloorWithoutLift", ${ts('a.updated_at')} AS "updatedAt"`;

export async function getAlert(db: Db, userId: string): Promise<StoredAlert | null> {
  const [row] = await db.query<StoredAlert>(
    `SELECT ${alertColumns} FROM advert_alert a WHERE a.user_id = $1`,
    [userId],
  );
  return row ?? null;
}

export async function saveAlert(
  db: Db,
  userId: string,
  epci: string,
  c: AlertCriteria,
): Promise<StoredAlert> {
  const [row] = await db.query<StoredAlert>(
    `INSERT INTO advert_alert AS a (user_id, epci_code, communes, typologies, max_total_rent_eur, accessible, lift, max_floor_without_lift)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (user_id) DO UPDATE SET epci_code = EXCLUDED.epci_code, communes = EXCLUDED.communes,
       typologies = EXCLUDED.typologies, max_total_rent_eur = EXCLUDED.max_total_rent_eur,
       accessible = EXCLUDED.accessible, lift = EXCLUDED.lift,
       max_floor_without_lift = EXCLUDED.max_floor_without_lift, updated_at = now()
     RETURNING ${alertColumns}`,
    [
      userId,
      epci,
      [...c.communes],
      [...c.typologies],
      c.maxTotalRentEur,
      c.accessible,
      c.lift,
      c.maxFloorWithoutLift,
    ],
  );
  return row!;
}

export async function deleteAlert(db: Db, userId: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM advert_alert WHERE user_id = $1 RETURNING user_id', [userId]);
  return rows.length === 1;
}

/** The saved searches of an EPCI's applicants, with their SNE number (to judge eligibility). */
export async function alertsOfEpci(db: Db, epci: string): Promise<(StoredAlert & { sneNumber: string })[]> {
  return db.query<StoredAlert & { sneNumber: string }>(
    `SELECT ${alertColumns}, u.sne_number AS "sneNumber"
     FROM advert_alert a JOIN app_user u ON u.id = a.user_id
     WHERE a.epci_code = $1 AND u.role = 'applicant' ORDER BY a.user_id`,
    [epci],
  );
}

/**
 * The saved searches a home may match, narrowed in SQL (commune, typology, rent, accessibility, lift,
 * floor) so that publishing an advert does not read every alert of the EPCI; the domain's
 * `matchesCriteria` still decides.
 */
export async function alertsMatchingHome(
  db: Db,
  epci: string,
  home: {
    commune: string;
    typology: number;
    rentEur: number;
    chargesEur: number;
    accessible: boolean;
    lift: boolean;
    floor: number;
  },
): Promise<(StoredAlert & { sneNumber: string })[]> {
  return db.query<StoredAlert & { sneNumber: string }>(
    `SELECT ${alertColumns}, u.sne_number AS "sneNumber"
     FROM advert_alert a JOIN app_user u ON u.id = a.user_id
     WHERE a.epci_code = $1 AND u.role = 'applicant'
       AND (cardinality(a.communes) = 0 OR $2 = ANY(a.communes))
       AND (cardinality(a.typologies) = 0 OR $3::smallint = ANY(a.typologies))
       AND (a.max_total_rent_eur IS NULL OR a.max_total_rent_eur >= $4::numeric)
       AND (a.accessible IS NULL OR a.accessible = $5)
       AND (a.lift IS NULL OR a.lift = $6)
       AND (a.max_floor_without_lift IS NULL OR $6 OR a.max_floor_without_lift >= $7)
     ORDER BY a.user_id`,
    [
      epci,
      home.commune,
      home.typology,
      home.rentEur + home.chargesEur,
      home.accessible,
      home.lift,
      home.floor,
    ],
  );
}

// ── Facts the messages are composed from ─────────────────────────────────────────────────────────

/** Open cycles whose closing time falls in (from, to]. */
export async function cyclesClosingBetween(
  db: Db,
  from: Date,
  to: Date,
): Promise<{ id: string; epci: string; name: string; closesAt: string; maxActiveApplications: number }[]> {
  return db.query(
    `SELECT id, epci_code AS epci, name, ${ts('closes_at')} AS "closesAt",
            max_active_applications AS "maxActiveApplications"
     FROM letting_cycle WHERE status = 'open' AND closes_at > $1 AND closes_at <= $2 ORDER BY closes_at, id`,
    [from, to],
  );
}

/** Applicant accounts with active applications in a cycle, and how many. */
export async function applicantsWithApplicationsIn(
  db: Db,
  cycleId: string,
): Promise<{ userId: string; sneNumber: string; active: number }[]> {
  return db.query(
    `SELECT u.id AS "userId", u.sne_number AS "sneNumber", count(*)::int AS active
     FROM application ap JOIN app_user u ON u.sne_number = ap.sne_number AND u.role = 'applicant'
     WHERE ap.cycle_id = $1 AND ap.status = 'active' GROUP BY u.id, u.sne_number ORDER BY u.id`,
    [cycleId],
  );
}

export interface DecisionFacts {
  decisionId: string;
  epci: string;
  /** The applicant's account, or null when the applicant has none (then no message). */
  userId: string | null;
  kind: DecisionKind;
  rank: number | null;
  reasonCodes: string[];
  reasonText: string | null;
  missingDocument: string | null;
  heldOn: string;
  landlordName: string;
  typology: number;
  communeName: string;
}

/** What a decision's message needs, for each decision id. */
export async function decisionFacts(db: Db, decisionIds: readonly string[]): Promise<DecisionFacts[]> {
  if (decisionIds.length === 0) return [];
  return db.query<DecisionFacts>(
    `SELECT d.id AS "decisionId", d.epci_code AS epci, u.id AS "userId", d.kind, d.rank,
            d.reason_codes AS "reasonCodes", d.reason_text AS "reasonText", d.missing_document AS "missingDocument",
            to_char(s.held_on, 'YYYY-MM-DD') AS "heldOn", l.name AS "landlordName", m.typology::int AS typology,
            co.name AS "communeName"
     FROM decision d
     JOIN agenda_item ai ON ai.id = d.agenda_item_id
     JOIN commission_session s ON s.id = ai.session_id
     JOIN landlord l ON l.id = s.landlord_id
     JOIN home m ON m.id = ai.home_id
     JOIN residence r ON r.id = m.residence_id
     JOIN commune co ON co.code = r.commune_code
     LEFT JOIN app_user u ON u.sne_number = d.sne_number AND u.role = 'applicant'
     WHERE d.id = ANY($1::text[]) ORDER BY d.id`,
    [decisionIds],
  );
}

// ── Published results of past lets ───────────────────────────────────────────────────────────────

/** One home let through a closed cycle and a commission decision, before anonymisation. */
export interface PastLetRow {
  leaseId: string;
  epci: string;
  cycleId: string;
  cycleName: string;
  cycleClosedOn: string;
  commune: string;
  communeName: string;
  typology: number;
  /** Applicants at the closing: the advert's shortlist, excluded ones included. */
  applicants: number;
  score: number | null;
  registeredOn: string;
  builtOn: string;
  decidedOn: string;
}

/**
 * Every let of a closed cycle that ended in a signed lease from a commission decision, the most
 * recently closed cycles first (all of them: what may be published of each depends on the others of
 * its cycle — comparablePublication in the domain).
 */
export async function pastLets(db: Db, options: { epci?: string | undefined } = {}): Promise<PastLetRow[]> {
  return db.query<PastLetRow>(
    `SELECT le.id AS "leaseId", le.epci_code AS epci, c.id AS "cycleId", c.name AS "cycleName",
            to_char(c.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "cycleClosedOn",
            r.commune_code AS commune, co.name AS "communeName", m.typology::int AS typology,
            (SELECT count(*)::int FROM shortlist s2 WHERE s2.advert_id = a.id) AS applicants,
            sh.score::float8 AS score, to_char(sh.registered_on, 'YYYY-MM-DD') AS "registeredOn",
            to_char(sh.built_on, 'YYYY-MM-DD') AS "builtOn",
            to_char(d.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "decidedOn"
     FROM lease le
     JOIN decision d ON d.id = le.decision_id
     JOIN agenda_item ai ON ai.id = d.agenda_item_id
     JOIN advert a ON a.id = ai.advert_id
     JOIN letting_cycle c ON c.id = a.cycle_id AND c.status = 'closed'
     JOIN home m ON m.id = a.home_id
     JOIN residence r ON r.id = m.residence_id
     JOIN commune co ON co.code = r.commune_code
     JOIN shortlist sh ON sh.advert_id = a.id AND sh.sne_number = d.sne_number
     WHERE ($1::text IS NULL OR le.epci_code = $1)
     ORDER BY c.closed_at DESC, c.id, le.id`,
    [options.epci ?? null],
  );
}
