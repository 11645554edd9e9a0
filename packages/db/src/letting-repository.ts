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

export async function listCycles(db: Db, epci: string | readonly string[]): Promise<StoredCycle[]> {
  return db.query<StoredCycle>(
    `SELECT ${cycleColumns} FROM letting_cycle c WHERE c.epci_code = ANY($1::text[]) ORDER BY c.opens_at DESC, c.id`,
    [typeof epci === 'string' ? [epci] : epci],
  );
}

/** The EPCIs where a landlord has homes (where its agents work), by name. */
export async function epcisOfLandlord(db: Db, landlordId: string): Promise<{ code: string; name: string }[]> {
  return db.query<{ code: string; name: string }>(
    `SELECT e.code, e.name FROM epci e
     WHERE EXISTS (SELECT 1 FROM residence r WHERE r.landlord_id = $1 AND r.epci_code = e.code)
     ORDER BY e.name, e.code`,
    [landlordId],
  );
}

export async function epciNamed(db: Db, code: string): Promise<{ code: string; name: string } | null> {
  const [row] = await db.query<{ code: string; name: string }>(
    'SELECT code, name FROM epci WHERE code = $1',
    [code],
  );
  return row ?? null;
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
  /** The IRIS of the residence (where the adverts map places the home). */
  iris: string;
  qpv: string | null;
  reservationHolderId: string;
  reservationHolderName: string;
}

/** A photo of an advert as listed with it; the images are served apart (`advertPhotoImage`). */
export interface AdvertPhoto {
  id: string;
  altText: string;
  width: number;
  height: number;
  thumbnailWidth: number;
  thumbnailHeight: number;
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
  photos: AdvertPhoto[];
}

const advertSelect = `
  SELECT a.id, a.epci_code, a.landlord_id, l.name AS landlord_name, a.description, a.energy_label, a.status,
         a.withdrawn_reason, a.published_at,
         c.id AS cycle_id, c.name AS cycle_name, c.opens_at, c.closes_at, c.status AS cycle_status,
         c.max_active_applications,
         m.id AS home_id, m.typology, m.surface_m2, m.floor, m.lift, m.accessible, m.financing, m.rent_eur,
         m.charges_eur, r.id AS residence_id, r.name AS residence_name, r.commune_code, co.name AS commune_name,
         r.iris_code, r.qpv_code, m.reservation_holder_id, rh.name AS reservation_holder_name,
         (SELECT count(*)::int FROM application ap WHERE ap.advert_id = a.id AND ap.status = 'active') AS active_applications,
         (SELECT count(*)::int FROM application ap WHERE ap.advert_id = a.id) AS applications_ever,
         (SELECT json_agg(json_build_object('id', p.id, 'altText', p.alt_text, 'width', p.width, 'height', p.height,
                 'thumbnailWidth', p.thumbnail_width, 'thumbnailHeight', p.thumbnail_height) ORDER BY p.position, p.id)
          FROM advert_photo p WHERE p.advert_id = a.id) AS photos
  FROM advert a
  JOIN letting_cycle c ON c.id = a.cycle_id
  JOIN landlord l ON l.id = a.landlord_id
  JOIN home m ON m.id = a.home_id
  JOIN residence r ON r.id = m.residence_id
  JOIN commune co ON co.code = r.commune_code
  JOIN reservation_holder rh ON rh.id = m.reservation_holder_id`;

type AdvertRow = Record<string, unknown>;
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

/** The cycle of an advert row (columns of advertSelect). */
function advertCycle(r: AdvertRow): AdvertView['cycle'] {
  return {
    id: r.cycle_id as string,
    name: r.cycle_name as string,
    opensAt: iso(r.opens_at)!,
    closesAt: iso(r.closes_at)!,
    status: r.cycle_status as 'open' | 'closed',
    maxActiveApplications: Number(r.max_active_applications),
  };
}

/** The home's columns that both advertSelect and advertPlaces read: where it is, what it costs. */
function placedHome(r: AdvertRow): AdvertPlace['home'] {
  return {
    typology: Number(r.typology) as Typology,
    financing: r.financing as Financing,
    rentEur: Number(r.rent_eur),
    chargesEur: Number(r.charges_eur),
    commune: r.commune_code as string,
    communeName: r.commune_name as string,
    iris: r.iris_code as string,
    reservationHolderId: r.reservation_holder_id as string,
  };
}

function advertView(r: AdvertRow): AdvertView {
  return {
    id: r.id as string,
    epci: r.epci_code as string,
    landlordId: r.landlord_id as string,
    landlordName: r.landlord_name as string,
    cycle: advertCycle(r),
    description: r.description as string,
    energyLabel: (r.energy_label as string | null) ?? null,
    status: r.status as AdvertStatus,
    withdrawnReason: (r.withdrawn_reason as string | null) ?? null,
    publishedAt: iso(r.published_at),
    home: {
      id: r.home_id as string,
      ...placedHome(r),
      surfaceM2: Number(r.surface_m2),
      floor: Number(r.floor),
      lift: r.lift as boolean,
      accessible: r.accessible as boolean,
      residenceId: r.residence_id as string,
      residenceName: r.residence_name as string,
      qpv: (r.qpv_code as string | null) ?? null,
      reservationHolderName: r.reservation_holder_name as string,
    },
    activeApplications: Number(r.active_applications),
    applicationsEver: Number(r.applications_ever),
    photos: parseJson<AdvertPhoto[]>(r.photos) ?? [],
  };
}

/** json values come parsed from node-postgres and PGlite alike; a string is parsed for safety. */
const parseJson = <T>(v: unknown): T | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T);

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
  offset?: number | undefined;
}

/** The WHERE clause of the filters (on advert a, cycle c, home m, residence r) and its parameters. */
function advertWhere(f: AdvertFilters): { where: string; params: unknown[]; p: (v: unknown) => string } {
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
  return { where: where.join(' AND ') || 'TRUE', params, p };
}

export async function listAdverts(db: Db, f: AdvertFilters): Promise<AdvertView[]> {
  const { where, params, p } = advertWhere(f);
  // The page's ids first, with only the tables the filters and the order need; then everything else
  // (names, application counts, photos) for those rows only.
  // Drafts (never published) first, then the most recently published: for published adverts, the
  // order of the index advert_published_order, walked without sorting.
  const order = 'a.published_at DESC NULLS FIRST, a.id';
  const rows = await db.query<AdvertRow>(
    `WITH page AS (
       SELECT a.id FROM advert a
       JOIN letting_cycle c ON c.id = a.cycle_id
       JOIN home m ON m.id = a.home_id
       JOIN residence r ON r.id = m.residence_id
       WHERE ${where}
       ORDER BY ${order} LIMIT ${p(f.limit ?? 200)} OFFSET ${p(f.offset ?? 0)}
     )
     ${advertSelect} JOIN page ON page.id = a.id ORDER BY ${order}`,
    params,
  );
  return rows.map(advertView);
}

/** An advert matching the filters, with only what the map needs: where it is, and what eligibility and visibility are judged on. */
export interface AdvertPlace {
  id: string;
  epci: string;
  landlordId: string;
  status: AdvertStatus;
  home: Pick<
    AdvertHome,
    | 'typology'
    | 'financing'
    | 'rentEur'
    | 'chargesEur'
    | 'commune'
    | 'communeName'
    | 'iris'
    | 'reservationHolderId'
  >;
}

/** Every advert matching the filters (limit and offset ignored), in a few columns, for the map. */
export async function advertPlaces(db: Db, f: AdvertFilters): Promise<AdvertPlace[]> {
  const { where, params } = advertWhere(f);
  const rows = await db.query<AdvertRow>(
    `SELECT a.id, a.epci_code, a.landlord_id, a.status, m.typology, m.financing, m.rent_eur, m.charges_eur,
            r.commune_code, co.name AS commune_name, r.iris_code, m.reservation_holder_id
     FROM advert a
     JOIN letting_cycle c ON c.id = a.cycle_id
     JOIN home m ON m.id = a.home_id
     JOIN residence r ON r.id = m.residence_id
     JOIN commune co ON co.code = r.commune_code
     WHERE ${where}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id as string,
    epci: r.epci_code as string,
    landlordId: r.landlord_id as string,
    status: r.status as AdvertStatus,
    home: placedHome(r),
  }));
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
  /** What the applicant applied to, even once the advert is withdrawn or closed. */
  advert: AdvertSummary;
}

/** An advert as an application recalls it (the shape is a part of `AdvertView`). */
export interface AdvertSummary {
  id: string;
  status: AdvertStatus;
  withdrawnReason: string | null;
  landlordName: string;
  cycle: AdvertView['cycle'];
  home: Pick<
    AdvertHome,
    | 'id'
    | 'typology'
    | 'surfaceM2'
    | 'floor'
    | 'lift'
    | 'rentEur'
    | 'chargesEur'
    | 'commune'
    | 'communeName'
    | 'residenceName'
  >;
}

const applicationSelect = `
  SELECT ap.id, ap.epci_code AS epci, ap.advert_id AS "advertId", ap.cycle_id AS "cycleId", ap.sne_number AS "sneNumber",
         ap.status, ap.assisted, ap.created_at AS "createdAt", ap.withdrawn_at AS "withdrawnAt",
         a.landlord_id AS "landlordId", m.reservation_holder_id AS "reservationHolderId",
         a.status AS advert_status, a.withdrawn_reason, l.name AS landlord_name,
         c.id AS cycle_id, c.name AS cycle_name, c.opens_at, c.closes_at, c.status AS cycle_status,
         c.max_active_applications, m.id AS home_id, m.typology, m.surface_m2, m.floor, m.lift, m.rent_eur,
         m.charges_eur, r.commune_code, co.name AS commune_name, r.name AS residence_name
  FROM application ap JOIN advert a ON a.id = ap.advert_id JOIN home m ON m.id = a.home_id
  JOIN letting_cycle c ON c.id = a.cycle_id JOIN landlord l ON l.id = a.landlord_id
  JOIN residence r ON r.id = m.residence_id JOIN commune co ON co.code = r.commune_code`;

type ApplicationRow = Omit<StoredApplication, 'advert'> & Record<string, unknown>;

function application(row: ApplicationRow): StoredApplication {
  return {
    id: row.id,
    epci: row.epci,
    advertId: row.advertId,
    cycleId: row.cycleId,
    sneNumber: row.sneNumber,
    status: row.status,
    assisted: row.assisted,
    createdAt: iso(row.createdAt)!,
    withdrawnAt: iso(row.withdrawnAt),
    landlordId: row.landlordId,
    reservationHolderId: row.reservationHolderId,
    advert: {
      id: row.advertId,
      status: row.advert_status as AdvertStatus,
      withdrawnReason: (row.withdrawn_reason as string | null) ?? null,
      landlordName: row.landlord_name as string,
      cycle: advertCycle(row),
      home: {
        id: row.home_id as string,
        typology: Number(row.typology) as Typology,
        surfaceM2: Number(row.surface_m2),
        floor: Number(row.floor),
        lift: row.lift as boolean,
        rentEur: Number(row.rent_eur),
        chargesEur: Number(row.charges_eur),
        commune: row.commune_code as string,
        communeName: row.commune_name as string,
        residenceName: row.residence_name as string,
      },
    },
  };
}

export async function getApplication(db: Db, id: string): Promise<StoredApplication | null> {
  const [row] = await db.query<ApplicationRow>(`${applicationSelect} WHERE ap.id = $1`, [id]);
  return row ? application(row) : null;
}

export async function applicationsOf(db: Db, sneNumber: string): Promise<StoredApplication[]> {
  const rows = await db.query<ApplicationRow>(
    `${applicationSelect} WHERE ap.sne_number = $1 ORDER BY ap.created_at DESC, ap.id`,
    [sneNumber],
  );
  return rows.map(application);
}

export async function applicationsOfAdvert(db: Db, advertId: string): Promise<StoredApplication[]> {
  const rows = await db.query<ApplicationRow>(
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

/** What applications change on an advert: its active applications and all it ever received. */
export interface AdvertActivity {
  activeApplications: number;
  applicationsEver: number;
}

/** The application counts of each of `advertIds` (the same figures as `listAdverts`, in one query). */
export async function advertActivity(
  db: Db,
  advertIds: readonly string[],
): Promise<Map<string, AdvertActivity>> {
  const out = new Map<string, AdvertActivity>(
    advertIds.map((id) => [id, { activeApplications: 0, applicationsEver: 0 }]),
  );
  if (advertIds.length === 0) return out;
  const rows = await db.query<AdvertActivity & { advertId: string }>(
    `SELECT advert_id AS "advertId", count(*) FILTER (WHERE status = 'active')::int AS "activeApplications",
            count(*)::int AS "applicationsEver"
     FROM application WHERE advert_id = ANY($1::text[]) GROUP BY advert_id`,
    [advertIds],
  );
  for (const { advertId, ...activity } of rows) out.set(advertId, activity);
  return out;
}

/** The active applicants of each of `advertIds` (chance on a list of adverts, in one query). */
export async function activeApplicantsOfAdverts(
  db: Db,
  epci: string,
  advertIds: readonly string[],
): Promise<Map<string, ApplicantStanding[]>> {
  const out = new Map<string, ApplicantStanding[]>(advertIds.map((id) => [id, []]));
  if (advertIds.length === 0) return out;
  const rows = await db.query<ApplicantStanding & { advertId: string }>(
    `WITH g AS (
       SELECT grid_id, version FROM cotation_grid WHERE epci_code = $1 AND status = 'active' ORDER BY grid_id LIMIT 1
     )
     SELECT ap.advert_id AS "advertId", d.sne_number AS "sneNumber", s.total AS score,
            to_char(d.registered_on, 'YYYY-MM-DD') AS "registeredOn", g.grid_id AS "gridId", g.version AS "gridVersion"
     FROM application ap
     JOIN demand d ON d.sne_number = ap.sne_number
     LEFT JOIN g ON true
     LEFT JOIN demand_score s ON s.sne_number = d.sne_number AND s.grid_id = g.grid_id AND s.grid_version = g.version
     WHERE ap.advert_id = ANY($2::text[]) AND ap.status = 'active'`,
    [epci, advertIds],
  );
  for (const { advertId, ...standing } of rows) out.get(advertId)?.push(standing);
  return out;
}

/**
 * The applicant's own applications (not withdrawn): id and status by advert — to any of
 * `advertIds`, or to any advert when `advertIds` is null.
 */
export async function ownApplicationsOn(
  db: Db,
  sneNumber: string,
  advertIds: readonly string[] | null,
): Promise<Map<string, { id: string; status: ApplicationStatus }>> {
  if (advertIds?.length === 0) return new Map();
  const rows = await db.query<{ advertId: string; id: string; status: ApplicationStatus }>(
    `SELECT advert_id AS "advertId", id, status FROM application
     WHERE sne_number = $1 AND ($2::text[] IS NULL OR advert_id = ANY($2::text[])) AND status <> 'withdrawn'
     ORDER BY created_at, id`,
    [sneNumber, advertIds],
  );
  return new Map(rows.map((r) => [r.advertId, { id: r.id, status: r.status }]));
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

/**
 * Records the shortlist of an advert and sets its applications shortlisted or excluded (two
 * statements whatever the number of entries: the entries travel as one JSON array).
 */
export async function saveShortlist(
  db: Db,
  advertId: string,
  epci: string,
  builtOn: string,
  entries: readonly Omit<StoredShortlistEntry, 'builtOn'>[],
): Promise<void> {
  if (entries.length === 0) return;
  const rows = JSON.stringify(entries);
  await db.query(
    `INSERT INTO shortlist (advert_id, sne_number, epci_code, rank, score, grid_id, grid_version, registered_on, eligible, excluded_reasons, built_on)
     SELECT $1, e."sneNumber", $2, e.rank, e.score, e."gridId", e."gridVersion", e."registeredOn", e.eligible,
            ARRAY(SELECT jsonb_array_elements_text(e."excludedReasons")), $3
     FROM jsonb_to_recordset($4::jsonb) AS e("sneNumber" text, rank integer, score double precision, "gridId" text,
          "gridVersion" integer, "registeredOn" date, eligible boolean, "excludedReasons" jsonb)`,
    [advertId, epci, builtOn, rows],
  );
  await db.query(
    `UPDATE application ap SET status = CASE WHEN e.eligible IS FALSE THEN 'excluded' ELSE 'shortlisted' END
     FROM jsonb_to_recordset($2::jsonb) AS e("sneNumber" text, eligible boolean)
     WHERE ap.advert_id = $1 AND ap.sne_number = e."sneNumber" AND ap.status = 'active'`,
    [advertId, rows],
  );
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

/** A vacant home of the stock that has no advert in progress: what a landlord agent may advertise. */
export interface VacantHome {
  id: string;
  epci: string;
  landlordId: string;
  landlordName: string;
  typology: Typology;
  surfaceM2: number;
  floor: number;
  lift: boolean;
  accessible: boolean;
  financing: Financing;
  rentEur: number;
  chargesEur: number;
  residenceName: string;
  commune: string;
  communeName: string;
  qpv: string | null;
}

/** Vacant homes (no household occupies them) without an advert in progress, of a landlord and/or an EPCI. */
export async function vacantHomes(
  db: Db,
  f: { landlordId?: string | null; epci?: string | null; limit?: number },
): Promise<VacantHome[]> {
  return db.query<VacantHome>(
    `SELECT m.id, m.epci_code AS epci, r.landlord_id AS "landlordId", l.name AS "landlordName", m.typology,
            m.surface_m2::float8 AS "surfaceM2", m.floor, m.lift, m.accessible, m.financing,
            m.rent_eur::float8 AS "rentEur", m.charges_eur::float8 AS "chargesEur", r.name AS "residenceName",
            r.commune_code AS commune, co.name AS "communeName", r.qpv_code AS qpv
     FROM home m
     JOIN residence r ON r.id = m.residence_id
     JOIN landlord l ON l.id = r.landlord_id
     JOIN commune co ON co.code = r.commune_code
     WHERE ($1::text IS NULL OR r.landlord_id = $1) AND ($2::text IS NULL OR m.epci_code = $2)
       AND NOT EXISTS (SELECT 1 FROM household h WHERE h.home_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM advert a WHERE a.home_id = m.id AND a.status IN ('draft', 'published'))
     ORDER BY co.name, r.name, m.id
     LIMIT $3`,
    [f.landlordId ?? null, f.epci ?? null, f.limit ?? 1000],
  );
}

// ── Photos ───────────────────────────────────────────────────────────────────────────────────────

export interface NewAdvertPhoto {
  advertId: string;
  epci: string;
  altText: string;
  contentType: 'image/webp' | 'image/jpeg';
  image: Uint8Array;
  width: number;
  height: number;
  thumbnail: Uint8Array;
  thumbnailWidth: number;
  thumbnailHeight: number;
  createdBy: string | null;
}

/** Adds a photo after the advert's last one; returns its id. */
export async function insertAdvertPhoto(db: Db, p: NewAdvertPhoto): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO advert_photo (id, advert_id, epci_code, position, alt_text, content_type, image, width, height,
                               thumbnail, thumbnail_width, thumbnail_height, created_by)
     VALUES ($1, $2, $3, (SELECT COALESCE(max(position), 0) + 1 FROM advert_photo WHERE advert_id = $2),
             $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      id,
      p.advertId,
      p.epci,
      p.altText,
      p.contentType,
      p.image,
      p.width,
      p.height,
      p.thumbnail,
      p.thumbnailWidth,
      p.thumbnailHeight,
      p.createdBy,
    ],
  );
  return id;
}

export async function advertPhotoIds(db: Db, advertId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    'SELECT id FROM advert_photo WHERE advert_id = $1 ORDER BY position, id',
    [advertId],
  );
  return rows.map((r) => r.id);
}

/** The bytes of a photo of the advert (`large`: at most 1280 px, `thumb`: at most 400 px). */
export async function advertPhotoImage(
  db: Db,
  advertId: string,
  photoId: string,
  size: 'large' | 'thumb',
): Promise<{ contentType: string; bytes: Uint8Array } | null> {
  const [row] = await db.query<{ contentType: string; bytes: Uint8Array }>(
    `SELECT content_type AS "contentType", ${size === 'large' ? 'image' : 'thumbnail'} AS bytes
     FROM advert_photo WHERE id = $1 AND advert_id = $2`,
    [photoId, advertId],
  );
  return row ?? null;
}

/** Removes a photo and closes the gap in the order; false when the advert has no such photo. */
export async function deleteAdvertPhoto(db: Db, advertId: string, photoId: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM advert_photo WHERE id = $1 AND advert_id = $2 RETURNING id', [
    photoId,
    advertId,
  ]);
  if (rows.length === 0) return false;
  await reorderAdvertPhotos(db, advertId, await advertPhotoIds(db, advertId));
  return true;
}

/** Sets the order of the advert's photos to `ids` (all of them, each once: checked by the caller). */
export async function reorderAdvertPhotos(db: Db, advertId: string, ids: readonly string[]): Promise<void> {
  await db.query(
    `UPDATE advert_photo p SET position = o.n
     FROM unnest($2::text[]) WITH ORDINALITY AS o(id, n) WHERE p.id = o.id AND p.advert_id = $1`,
    [advertId, ids],
  );
}

/** The communes with published adverts (for the search form), with how many. */
export async function advertCommunes(
  db: Db,
  epci: string | null,
): Promise<{ code: string; name: string; adverts: number }[]> {
  return db.query<{ code: string; name: string; adverts: number }>(
    `SELECT r.commune_code AS code, co.name, count(*)::int AS adverts
     FROM advert a JOIN home m ON m.id = a.home_id JOIN residence r ON r.id = m.residence_id
     JOIN commune co ON co.code = r.commune_code
     WHERE a.status = 'published' AND ($1::text IS NULL OR a.epci_code = $1)
     GROUP BY r.commune_code, co.name ORDER BY co.name, r.commune_code`,
    [epci],
  );
}
