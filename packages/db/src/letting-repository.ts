import { randomUUID } from 'node:crypto';
import type { Financing, Typology } from '@mosaique/domain/stock';
import type { Db } from './db.ts';

/**
 * Choice-based letting: cycles, adverts, applications and shortlists (migration 0006). Writes run in
 * the caller's transaction, next to the audit entry the caller appends.
 */

export type AdvertStatus = 'draft' | 'published' | 'withdrawn' | 'closed';
export type ApplicationStatus = 'active' | 'withdrawn' | 'shortlisted' | 'excluded';

export interface StoredCycle {
  id: string;
  epci: string;
  landlordId: string | null;
  name: string;
  opensAt: string;
  closesAt: string;
  status: 'open' | 'closed';
  maxActiveApplications: number;
}

const cycleColumns = `c.id, c.epci_code AS epci, c.landlord_id AS "landlordId", c.name,
  to_char(c.opens_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "opensAt",
  to_char(c.closes_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "closesAt",
  c.status, c.max_active_applications AS "maxActiveApplications"`;

export async function createCycle(
  db: Db,
  cycle: Omit<StoredCycle, 'id' | 'status'> & { createdBy: string | null },
): Promise<StoredCycle> {
  const [row] = await db.query<StoredCycle>(
    `INSERT INTO letting_cycle AS c (id, epci_code, landlord_id, name, opens_at, closes_at, max_active_applications, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${cycleColumns}`,
    [
      randomUUID(),
      cycle.epci,
      cycle.landlordId,
      cycle.name,
      cycle.opensAt,
      cycle.closesAt,
      cycle.maxActiveApplications,
      cycle.createdBy,
    ],
  );
  return row!;
}

export async function getCycle(
  db: Db,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredCycle | null> {
  const [row] = await db.query<StoredCycle>(
    `SELECT ${cycleColumns} FROM letting_cycle c WHERE c.id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return row ?? null;
}

export async function listCycles(db: Db, epci: string): Promise<StoredCycle[]> {
  return db.query<StoredCycle>(
    `SELECT ${cycleColumns} FROM letting_cycle c WHERE c.epci_code = $1 ORDER BY c.opens_at DESC, c.id`,
    [epci],
  );
}

/** Open cycles whose closing time has passed at `now`. */
export async function dueCycleIds(db: Db, now: Date): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    "SELECT id FROM letting_cycle WHERE status = 'open' AND closes_at <= $1 ORDER BY closes_at, id",
    [now],
  );
  return rows.map((r) => r.id);
}

export async function markCycleClosed(db: Db, id: string, now: Date): Promise<void> {
  await db.query("UPDATE letting_cycle SET status = 'closed', closed_at = $2 WHERE id = $1", [id, now]);
}

/** A home as an advert shows it: the stock's data, never duplicated in the advert. */
export interface AdvertHome {
  id: string;
  typology: Typology;
  surfaceM2: number;
  floor: number;
  lift: boolean;
  accessible: boolean;
  financing: Financing;
  rentEur: number;
  chargesEur: number;
  residenceId: string;
  residenceName: string;
  commune: string;
  communeName: string;
  qpv: string | null;
  reservationHolderId: string;
  reservationHolderName: string;
}

export interface AdvertView {
  id: string;
  epci: string;
  landlordId: string;
  landlordName: string;
  cycle: Pick<StoredCycle, 'id' | 'name' | 'opensAt' | 'closesAt' | 'status' | 'maxActiveApplications'>;
  description: string;
  energyLabel: string | null;
  status: AdvertStatus;
  withdrawnReason: string | null;
  publishedAt: string | null;
  home: AdvertHome;
  activeApplications: number;
  applicationsEver: number;
}

const advertSelect = `
  SELECT a.id, a.epci_code, a.landlord_id, l.name AS landlord_name, a.description, a.energy_label, a.status,
         a.withdrawn_reason, a.published_at,
         c.id AS cycle_id, c.name AS cycle_name, c.opens_at, c.closes_at, c.status AS cycle_status,
         c.max_active_applications,
         m.id AS home_id, m.typology, m.surface_m2, m.floor, m.lift, m.accessible, m.financing, m.rent_eur,
         m.charges_eur, r.id AS residence_id, r.name AS residence_name, r.commune_code, co.name AS commune_name,
         r.qpv_code, m.reservation_holder_id, rh.name AS reservation_holder_name,
         (SELECT count(*)::int FROM application ap WHERE ap.advert_id = a.id AND ap.status = 'active') AS active_applications,
         (SELECT count(*)::int FROM application ap WHERE ap.advert_id = a.id) AS applications_ever
  FROM advert a
  JOIN letting_cycle c ON c.id = a.cycle_id
  JOIN landlord l ON l.id = a.landlord_id
  JOIN home m ON m.id = a.home_id
  JOIN residence r ON r.id = m.residence_id
  JOIN commune co ON co.code = r.commune_code
  JOIN reservation_holder rh ON rh.id = m.reservation_holder_id`;

type AdvertRow = Record<string, unknown>;
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

function advertView(r: AdvertRow): AdvertView {
  return {
    id: r.id as string,
    epci: r.epci_code as string,
    landlordId: r.landlord_id as string,
    landlordName: r.landlord_name as string,
    cycle: {
      id: r.cycle_id as string,
      name: r.cycle_name as string,
      opensAt: iso(r.opens_at)!,
      closesAt: iso(r.closes_at)!,
      status: r.cycle_status as 'open' | 'closed',
      maxActiveApplications: Number(r.max_active_applications),
    },
    description: r.description as string,
    energyLabel: (r.energy_label as string | null) ?? null,
    status: r.status as AdvertStatus,
    withdrawnReason: (r.withdrawn_reason as string | null) ?? null,
    publishedAt: iso(r.published_at),
    home: {
      id: r.home_id as string,
      typology: Number(r.typology) as Typology,
      surfaceM2: Number(r.surface_m2),
      floor: Number(r.floor),
      lift: r.lift as boolean,
      accessible: r.accessible as boolean,
      financing: r.financing as Financing,
      rentEur: Number(r.rent_eur),
      chargesEur: Number(r.charges_eur),
      residenceId: r.residence_id as string,
      residenceName: r.residence_name as string,
      commune: r.commune_code as string,
      communeName: r.commune_name as string,
      qpv: (r.qpv_code as string | null) ?? null,
      reservationHolderId: r.reservation_holder_id as string,
      reservationHolderName: r.reservation_holder_name as string,
    },
    activeApplications: Number(r.active_applications),
    applicationsEver: Number(r.applications_ever),
  };
}

export async function getAdvert(db: Db, id: string): Promise<AdvertView | null> {
  const [row] = await db.query<AdvertRow>(`${advertSelect} WHERE a.id = $1`, [id]);
  return row ? advertView(row) : null;
}

export interface AdvertFilters {
  epci?: string | undefined;
  statuses?: readonly AdvertStatus[] | undefined;
  /** Besides published adverts, those of this landlord / reserved to this holder / of this EPCI (any status); `all`: every advert. */
  alsoVisible?:
    | { landlordId?: string | null; reservationHolderId?: string | null; epci?: string | null; all?: boolean }
    | undefined;
  communes?: readonly string[] | undefined;
  typologies?: readonly number[] | undefined;
  /** Maximum monthly rent plus charges, €. */
  maxTotalRentEur?: number | undefined;
  accessible?: boolean | undefined;
  /** Highest floor accepted without a lift (homes with a lift pass whatever their floor). */
  maxFloorWithoutLift?: number | undefined;
  lift?: boolean | undefined;
  cycleId?: string | undefined;
  limit?: number | undefined;
}

export async function listAdverts(db: Db, f: AdvertFilters): Promise<AdvertView[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const visible = ["a.status = 'published'"];
  if (f.alsoVisible?.landlordId) visible.push(`a.landlord_id = ${p(f.alsoVisible.landlordId)}`);
  if (f.alsoVisible?.reservationHolderId)
    visible.push(`m.reservation_holder_id = ${p(f.alsoVisible.reservationHolderId)}`);
  if (f.alsoVisible?.epci) visible.push(`a.epci_code = ${p(f.alsoVisible.epci)}`);
  if (!f.alsoVisible?.all) where.push(`(${visible.join(' OR ')})`);
  if (f.epci) where.push(`a.epci_code = ${p(f.epci)}`);
  if (f.statuses?.length) where.push(`a.status = ANY(${p(f.statuses)}::text[])`);
  if (f.communes?.length) where.push(`r.commune_code = ANY(${p(f.communes)}::text[])`);
  if (f.typologies?.length) where.push(`m.typology = ANY(${p(f.typologies)}::smallint[])`);
  if (f.maxTotalRentEur !== undefined) where.push(`m.rent_eur + m.charges_eur <= ${p(f.maxTotalRentEur)}`);
  if (f.accessible !== undefined) where.push(`m.accessible = ${p(f.accessible)}`);
  if (f.lift !== undefined) where.push(`m.lift = ${p(f.lift)}`);
  if (f.maxFloorWithoutLift !== undefined) where.push(`(m.lift OR m.floor <= ${p(f.maxFloorWithoutLift)})`);
  if (f.cycleId) where.push(`a.cycle_id = ${p(f.cycleId)}`);
  const rows = await db.query<AdvertRow>(
    `${advertSelect} WHERE ${where.join(' AND ')} ORDER BY c.closes_at, a.published_at DESC NULLS LAST, a.id LIMIT ${p(f.limit ?? 200)}`,
    params,
  );
  return rows.map(advertView);
}

/** What publishing needs to know of a home: its landlord, EPCI, whether it is vacant and has an advert in progress. */
export interface HomeForAdvert {
  id: string;
  epci: string;
  landlordId: string;
  reservationHolderId: string;
  vacant: boolean;
  liveAdvert: boolean;
}

export async function homeForAdvert(db: Db, homeId: string): Promise<HomeForAdvert | null> {
  const [row] = await db.query<HomeForAdvert>(
    `SELECT m.id, m.epci_code AS epci, r.landlord_id AS "landlordId", m.reservation_holder_id AS "reservationHolderId",
            NOT EXISTS (SELECT 1 FROM household h WHERE h.home_id = m.id) AS vacant,
            EXISTS (SELECT 1 FROM advert a WHERE a.home_id = m.id AND a.status IN ('draft', 'published')) AS "liveAdvert"
     FROM home m JOIN residence r ON r.id = m.residence_id WHERE m.id = $1`,
    [homeId],
  );
  return row ?? null;
}

export async function createAdvert(
  db: Db,
  advert: {
    epci: string;
    homeId: string;
    landlordId: string;
    cycleId: string;
    description: string;
    energyLabel: string | null;
    publish: boolean;
    createdBy: string | null;
  },
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO advert (id, epci_code, home_id, landlord_id, cycle_id, description, energy_label, status, created_by, published_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $8 = 'published' THEN now() END)`,
    [
      id,
      advert.epci,
      advert.homeId,
      advert.landlordId,
      advert.cycleId,
      advert.description,
      advert.energyLabel,
      advert.publish ? 'published' : 'draft',
      advert.createdBy,
    ],
  );
  return id;
}

/** Locks the advert row (so that an edit and an application cannot cross) and returns its status. */
export async function lockAdvert(
  db: Db,
  id: string,
): Promise<{ status: AdvertStatus; applicationsEver: number } | null> {
  const [row] = await db.query<{ status: AdvertStatus }>(
    'SELECT status FROM advert WHERE id = $1 FOR UPDATE',
    [id],
  );
  if (!row) return null;
  const [n] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM application WHERE advert_id = $1',
    [id],
  );
  return { status: row.status, applicationsEver: n!.n };
}

export async function updateAdvert(
  db: Db,
  id: string,
  change: { description?: string; energyLabel?: string | null; cycleId?: string; publish?: boolean },
): Promise<void> {
  await db.query(
    `UPDATE advert SET description = COALESCE($2, description),
       energy_label = CASE WHEN $3 THEN $4 ELSE energy_label END,
       cycle_id = COALESCE($5, cycle_id),
       status = CASE WHEN $6 THEN 'published' ELSE status END,
       published_at = CASE WHEN $6 AND published_at IS NULL THEN now() ELSE published_at END
     WHERE id = $1`,
    [
      id,
      change.description ?? null,
      change.energyLabel !== undefined,
      change.energyLabel ?? null,
      change.cycleId ?? null,
      change.publish === true,
    ],
  );
}

/** Withdraws the advert with its reason; its active applications are withdrawn too. Returns how many. */
export async function withdrawAdvert(db: Db, id: string, reason: string, by: string | null): Promise<number> {
  await db.query(
    "UPDATE advert SET status = 'withdrawn', withdrawn_reason = $2, withdrawn_at = now() WHERE id = $1",
    [id, reason],
  );
  const rows = await db.query(
    `UPDATE application SET status = 'withdrawn', withdrawn_at = now(), withdrawn_by = $2
     WHERE advert_id = $1 AND status = 'active' RETURNING id`,
    [id, by],
  );
  return rows.length;
}

export async function closeAdvert(db: Db, id: string): Promise<void> {
  await db.query("UPDATE advert SET status = 'closed' WHERE id = $1", [id]);
}

export async function publishedAdvertIdsOfCycle(db: Db, cycleId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    "SELECT id FROM advert WHERE cycle_id = $1 AND status = 'published' ORDER BY id",
    [cycleId],
  );
  return rows.map((r) => r.id);
}

export interface StoredApplication {
  id: string;
  epci: string;
  advertId: string;
  cycleId: string;
  sneNumber: string;
  status: ApplicationStatus;
  assisted: boolean;
  createdAt: string;
  withdrawnAt: string | null;
  /** Of the advert, for ownership checks. */
  landlordId: string;
  reservationHolderId: string;
}

const applicationSelect = `
  SELECT ap.id, ap.epci_code AS epci, ap.advert_id AS "advertId", ap.cycle_id AS "cycleId", ap.sne_number AS "sneNumber",
         ap.status, ap.assisted, ap.created_at AS "createdAt", ap.withdrawn_at AS "withdrawnAt",
         a.landlord_id AS "landlordId", m.reservation_holder_id AS "reservationHolderId"
  FROM application ap JOIN advert a ON a.id = ap.advert_id JOIN home m ON m.id = a.home_id`;

function application(row: StoredApplication): StoredApplication {
  return { ...row, createdAt: iso(row.createdAt)!, withdrawnAt: iso(row.withdrawnAt) };
}

export async function getApplication(db: Db, id: string): Promise<StoredApplication | null> {
  const [row] = await db.query<StoredApplication>(`${applicationSelect} WHERE ap.id = $1`, [id]);
  return row ? application(row) : null;
}

export async function applicationsOf(db: Db, sneNumber: string): Promise<StoredApplication[]> {
  const rows = await db.query<StoredApplication>(
    `${applicationSelect} WHERE ap.sne_number = $1 ORDER BY ap.created_at DESC, ap.id`,
    [sneNumber],
  );
  return rows.map(application);
}

export async function applicationsOfAdvert(db: Db, advertId: string): Promise<StoredApplication[]> {
  const rows = await db.query<StoredApplication>(
    `${applicationSelect} WHERE ap.advert_id = $1 ORDER BY ap.created_at, ap.id`,
    [advertId],
  );
  return rows.map(application);
}

export type ApplyOutcome =
  | { ok: true; id: string }
  | { ok: false; reason: 'limit'; active: number; max: number }
  | { ok: false; reason: 'duplicate' }
  | { ok: false; reason: 'demand-inactive' }
  /** The advert is no longer published or its cycle no longer takes applications. */
  | { ok: false; reason: 'closed' };

/**
 * Records an application unless the advert no longer takes applications, or the applicant already
 * has `maxActive` active applications in the cycle or one on this advert. Must run in a transaction: the demand row is locked first
 * (`FOR UPDATE`), so concurrent applications of one applicant are counted one after the other.
 */
export async function insertApplication(
  db: Db,
  a: {
    epci: string;
    advertId: string;
    cycleId: string;
    sneNumber: string;
    maxActive: number;
    assisted: boolean;
    createdBy: string | null;
  },
): Promise<ApplyOutcome> {
  // The advert and its cycle are share-locked: withdrawing the advert or closing the cycle (which
  // lock them for update) waits for this application, and an application waits for them.
  const [open] = await db.query<{ ok: boolean }>(
    `SELECT (a.status = 'published' AND c.status = 'open' AND c.opens_at <= now() AND now() < c.closes_at) AS ok
     FROM advert a JOIN letting_cycle c ON c.id = a.cycle_id WHERE a.id = $1 AND c.id = $2 FOR SHARE`,
    [a.advertId, a.cycleId],
  );
  if (!open?.ok) return { ok: false, reason: 'closed' };
  const [demand] = await db.query<{ status: string }>(
    'SELECT status FROM demand WHERE sne_number = $1 FOR UPDATE',
    [a.sneNumber],
  );
  if (demand?.status !== 'active') return { ok: false, reason: 'demand-inactive' };
  const [counts] = await db.query<{ active: number; here: number }>(
    `SELECT count(*)::int AS active, count(*) FILTER (WHERE advert_id = $3)::int AS here
     FROM application WHERE sne_number = $1 AND cycle_id = $2 AND status = 'active'`,
    [a.sneNumber, a.cycleId, a.advertId],
  );
  if (counts!.here > 0) return { ok: false, reason: 'duplicate' };
  if (counts!.active >= a.maxActive)
    return { ok: false, reason: 'limit', active: counts!.active, max: a.maxActive };
  const id = randomUUID();
  await db.query(
    `INSERT INTO application (id, epci_code, advert_id, cycle_id, sne_number, status, assisted, created_by)
     VALUES ($1, $2, $3, $4, $5, 'active', $6, $7)`,
    [id, a.epci, a.advertId, a.cycleId, a.sneNumber, a.assisted, a.createdBy],
  );
  return { ok: true, id };
}

/** Withdraws an active application; false when it was not active any more. */
export async function withdrawApplication(db: Db, id: string, by: string | null): Promise<boolean> {
  const rows = await db.query(
    `UPDATE application SET status = 'withdrawn', withdrawn_at = now(), withdrawn_by = $2
     WHERE id = $1 AND status = 'active' RETURNING id`,
    [id, by],
  );
  return rows.length === 1;
}

export interface ApplicantStanding {
  sneNumber: string;
  /** Score under the EPCI's active grid version; null when none is stored. */
  score: number | null;
  registeredOn: string;
  gridId: string | null;
  gridVersion: number | null;
}

const standingSelect = `
  WITH g AS (
    SELECT grid_id, version FROM cotation_grid WHERE epci_code = $1 AND status = 'active' ORDER BY grid_id LIMIT 1
  )
  SELECT d.sne_number AS "sneNumber", s.total AS score, to_char(d.registered_on, 'YYYY-MM-DD') AS "registeredOn",
         g.grid_id AS "gridId", g.version AS "gridVersion"
  FROM demand d
  LEFT JOIN g ON true
  LEFT JOIN demand_score s ON s.sne_number = d.sne_number AND s.grid_id = g.grid_id AND s.grid_version = g.version`;

/** The applicants with an active application to the advert, with what ranks them. */
export async function activeApplicantsOf(
  db: Db,
  epci: string,
  advertId: string,
): Promise<ApplicantStanding[]> {
  return db.query<ApplicantStanding>(
    `${standingSelect}
     JOIN application ap ON ap.sne_number = d.sne_number AND ap.advert_id = $2 AND ap.status = 'active'
     ORDER BY d.sne_number`,
    [epci, advertId],
  );
}

export async function standingOf(db: Db, epci: string, sneNumber: string): Promise<ApplicantStanding | null> {
  const [row] = await db.query<ApplicantStanding>(`${standingSelect} WHERE d.sne_number = $2`, [
    epci,
    sneNumber,
  ]);
  return row ?? null;
}

export interface StoredShortlistEntry {
  sneNumber: string;
  rank: number | null;
  score: number | null;
  gridId: string | null;
  gridVersion: number | null;
  registeredOn: string;
  eligible: boolean | null;
  excludedReasons: string[];
  builtOn: string;
}

/** Records the shortlist of an advert and sets its applications shortlisted or excluded. */
export async function saveShortlist(
  db: Db,
  advertId: string,
  epci: string,
  builtOn: string,
  entries: readonly Omit<StoredShortlistEntry, 'builtOn'>[],
): Promise<void> {
  for (const e of entries) {
    await db.query(
      `INSERT INTO shortlist (advert_id, sne_number, epci_code, rank, score, grid_id, grid_version, registered_on, eligible, excluded_reasons, built_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        advertId,
        e.sneNumber,
        epci,
        e.rank,
        e.score,
        e.gridId,
        e.gridVersion,
        e.registeredOn,
        e.eligible,
        e.excludedReasons,
        builtOn,
      ],
    );
    await db.query(
      "UPDATE application SET status = $3 WHERE advert_id = $1 AND sne_number = $2 AND status = 'active'",
      [advertId, e.sneNumber, e.eligible === false ? 'excluded' : 'shortlisted'],
    );
  }
}

export async function shortlistOf(db: Db, advertId: string): Promise<StoredShortlistEntry[]> {
  return db.query<StoredShortlistEntry>(
    `SELECT sne_number AS "sneNumber", rank, score, grid_id AS "gridId", grid_version AS "gridVersion",
            to_char(registered_on, 'YYYY-MM-DD') AS "registeredOn", eligible, excluded_reasons AS "excludedReasons",
            to_char(built_on, 'YYYY-MM-DD') AS "builtOn"
     FROM shortlist WHERE advert_id = $1 ORDER BY rank NULLS LAST, sne_number`,
    [advertId],
  );
}
