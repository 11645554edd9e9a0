import type { Db } from './db.ts';

export type Role =
  | 'applicant'
  | 'landlord-agent'
  | 'reservation-holder-agent'
  | 'epci-analyst'
  | 'relocation-officer'
  | 'admin';
export const ROLES: readonly Role[] = [
  'applicant',
  'landlord-agent',
  'reservation-holder-agent',
  'epci-analyst',
  'relocation-officer',
  'admin',
];

/** An account as the application sees it (never with its password hash). */
export interface User {
  id: string;
  identifier: string;
  displayName: string;
  role: Role;
  landlordId: string | null;
  reservationHolderId: string | null;
  epciCode: string | null;
  sneNumber: string | null;
}

export interface UserWithSecret extends User {
  passwordHash: string | null;
  failedLogins: number;
  lockedUntil: Date | null;
}

/** The columns of a User, read from the app_user table aliased `t`. */
const userColumns = (t: string) =>
  `${t}.id, ${t}.identifier, ${t}.display_name AS "displayName", ${t}.role, ${t}.landlord_id AS "landlordId",
   ${t}.reservation_holder_id AS "reservationHolderId", ${t}.epci_code AS "epciCode", ${t}.sne_number AS "sneNumber"`;

export interface NewUser extends Omit<User, 'id'> {
  id?: string;
  passwordHash: string | null;
}

export async function createUser(db: Db, user: NewUser): Promise<User> {
  const [row] = await db.query<User>(
    `INSERT INTO app_user (id, identifier, display_name, role, landlord_id, reservation_holder_id, epci_code, sne_number, password_hash)
     VALUES (COALESCE($1, md5(random()::text || clock_timestamp()::text)), $2, $3, $4, $5, $6, $7, $8, $9)
     RETURNING ${userColumns('app_user')}`,
    [
      user.id ?? null,
      user.identifier,
      user.displayName,
      user.role,
      user.landlordId,
      user.reservationHolderId,
      user.epciCode,
      user.sneNumber,
      user.passwordHash,
    ],
  );
  return row!;
}

export async function findUserByIdentifier(db: Db, identifier: string): Promise<UserWithSecret | null> {
  const [row] = await db.query<UserWithSecret>(
    `SELECT ${userColumns('u')}, u.password_hash AS "passwordHash", u.failed_logins AS "failedLogins",
            u.locked_until AS "lockedUntil"
     FROM app_user u WHERE u.identifier = $1`,
    [identifier],
  );
  return row ?? null;
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user');
  return row!.n;
}

/**
 * Records a failed login; after `maxFailures` in a row the account is locked for `lockMinutes`
 * (slows down password guessing even across addresses, on top of the per-address rate limit).
 */
export async function recordLoginFailure(
  db: Db,
  userId: string,
  maxFailures: number,
  lockMinutes: number,
): Promise<void> {
  await db.query(
    `UPDATE app_user SET failed_logins = failed_logins + 1,
       locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
     WHERE id = $1`,
    [userId, maxFailures, lockMinutes],
  );
}

export async function recordLoginSuccess(db: Db, userId: string): Promise<void> {
  await db.query('UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1', [userId]);
}

export async function setPassword(db: Db, userId: string, passwordHash: string): Promise<void> {
  await db.query(
    'UPDATE app_user SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE id = $1',
    [userId, passwordHash],
  );
}

export async function createSession(
  db: Db,
  session: { tokenHash: string; userId: string; csrfToken: string; expiresAt: Date },
): Promise<void> {
  await db.query(
    'INSERT INTO app_session (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)',
    [session.tokenHash, session.userId, session.csrfToken, session.expiresAt],
  );
}

/** The user and CSRF token of an unexpired session, or null. */
export async function findSession(
  db: Db,
  tokenHash: string,
): Promise<{ user: User; csrfToken: string } | null> {
  const [row] = await db.query<User & { csrfToken: string }>(
    `SELECT ${userColumns('u')}, s.csrf_token AS "csrfToken"
     FROM app_session s JOIN app_user u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > now()`,
    [tokenHash],
  );
  if (!row) return null;
  const { csrfToken, ...user } = row;
  return { user, csrfToken };
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM app_session WHERE token_hash = $1', [tokenHash]);
}

export async function deleteSessionsOf(db: Db, userId: string): Promise<void> {
  await db.query('DELETE FROM app_session WHERE user_id = $1', [userId]);
}

export async function createActivationCode(
  db: Db,
  code: { sneNumber: string; codeHash: string; createdBy: string; expiresAt: Date },
): Promise<void> {
  await db.query(
    'INSERT INTO activation_code (sne_number, code_hash, created_by, expires_at) VALUES ($1, $2, $3, $4)',
    [code.sneNumber, code.codeHash, code.createdBy, code.expiresAt],
  );
}

/** Marks an unused, unexpired code as used; false when there is none (wrong, used or expired). */
export async function consumeActivationCode(db: Db, sneNumber: string, codeHash: string): Promise<boolean> {
  const rows = await db.query(
    `UPDATE activation_code SET used_at = now()
     WHERE sne_number = $1 AND code_hash = $2 AND used_at IS NULL AND expires_at > now()
     RETURNING sne_number`,
    [sneNumber, codeHash],
  );
  return rows.length === 1;
}

export interface AuditEntry {
  actorUserId: string | null;
  actorRole: Role | null;
  action: string;
  entity?: string | null;
  entityId?: string | null;
  epciCode?: string | null;
  onBehalfOf?: string | null;
  /** Never personal data beyond identifiers: the log is kept for years. */
  details?: Record<string, unknown>;
}

/** Appends to the audit log (the table refuses updates and deletes). Call it in the write's transaction. */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor_user_id, actor_role, action, entity, entity_id, epci_code, on_behalf_of, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      entry.actorUserId,
      entry.actorRole,
      entry.action,
      entry.entity ?? null,
      entry.entityId ?? null,
      entry.epciCode ?? null,
      entry.onBehalfOf ?? null,
      JSON.stringify(entry.details ?? {}),
    ],
  );
}
