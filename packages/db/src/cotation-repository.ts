import type { AllocationRecord, CotationGrid } from '@mosaique/domain/cotation';
import type { Demand } from '@mosaique/domain/demand';
import type { Typology } from '@mosaique/domain/stock';
import { bulkWrite } from './bulk.ts';
import type { Db } from './db.ts';

/**
 * The demands of an EPCI as domain objects; `active` keeps only the demands still in the register,
 * `sneNumber` / `sneNumbers` only those demands.
 */
export async function loadDemands(
  db: Db,
  epci: string,
  options: { active?: boolean; sneNumber?: string; sneNumbers?: readonly string[] } = {},
): Promise<Demand[]> {
  const where = ['epci_code = $1'];
  const params: unknown[] = [epci];
  if (options.active) where.push("status = 'active'");
  if (options.sneNumber) {
    params.push(options.sneNumber);
    where.push(`sne_number = $${params.length}`);
  }
  if (options.sneNumbers) {
    params.push(options.sneNumbers);
    where.push(`sne_number = ANY($${params.length}::text[])`);
  }
  return db.query<Demand>(
    `SELECT sne_number AS "sneNumber", epci_code AS epci, household_id AS household,
            to_char(registered_on, 'YYYY-MM-DD') AS "registeredOn",
            to_char(applicant_birth_date, 'YYYY-MM-DD') AS "applicantBirthDate",
            household_type AS "householdType", persons_14_or_more AS "persons14OrMore",
            persons_under_14 AS "personsUnder14", monthly_resources_eur AS "monthlyResourcesEur",
            reference_tax_income_eur AS "referenceTaxIncomeEur", current_housing AS "currentHousing",
            current_commune_code AS "currentCommune", reasons, desired_communes AS "desiredCommunes",
            desired_typologies AS "desiredTypologies", max_rent_eur AS "maxRentEur",
            priority_criteria AS "priorityCriteria", dalo, urban_renewal_relocation AS "urbanRenewalRelocation",
            current_social_tenant AS "currentSocialTenant", wheelchair_access AS "wheelchairAccess", status,
            to_char(closed_on, 'YYYY-MM-DD') AS "closedOn", generated
     FROM demand WHERE ${where.join(' AND ')} ORDER BY sne_number`,
    params,
  );
}

export type GridStatus = 'draft' | 'active' | 'retired';

export interface StoredGrid {
  grid: CotationGrid;
  status: GridStatus;
  createdAt: string;
  activatedAt: string | null;
}

function storedGrid(row: {
  definition: CotationGrid;
  status: GridStatus;
  created_at: Date;
  activated_at: Date | null;
}): StoredGrid {
  return {
    grid: row.definition,
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
    activatedAt: row.activated_at ? new Date(row.activated_at).toISOString() : null,
  };
}

/** Every version of every grid of an EPCI, newest first. */
export async function listGrids(db: Db, epci: string): Promise<StoredGrid[]> {
  const rows = await db.query<{
    definition: CotationGrid;
    status: GridStatus;
    created_at: Date;
    activated_at: Date | null;
  }>(
    'SELECT definition, status, created_at, activated_at FROM cotation_grid WHERE epci_code = $1 ORDER BY grid_id, version DESC',
    [epci],
  );
  return rows.map(storedGrid);
}

export async function getGrid(
  db: Db,
  epci: string,
  gridId: string,
  version: number,
): Promise<StoredGrid | null> {
  const [row] = await db.query<{
    definition: CotationGrid;
    status: GridStatus;
    created_at: Date;
    activated_at: Date | null;
  }>(
    `SELECT definition, status, created_at, activated_at FROM cotation_grid
     WHERE epci_code = $1 AND grid_id = $2 AND version = $3`,
    [epci, gridId, version],
  );
  return row ? storedGrid(row) : null;
}

/** The active version of a grid of the EPCI (the first grid when `gridId` is not given), or null. */
export async function activeGrid(db: Db, epci: string, gridId?: string): Promise<CotationGrid | null> {
  const [row] = await db.query<{ definition: CotationGrid }>(
    `SELECT definition FROM cotation_grid WHERE epci_code = $1 AND status = 'active' AND ($2::text IS NULL OR grid_id = $2)
     ORDER BY grid_id LIMIT 1`,
    [epci, gridId ?? null],
  );
  return row?.definition ?? null;
}

/**
 * Records a validated grid as a new draft version (the next number for its id) and returns it as
 * stored. Runs in the caller's transaction; two drafts saved at once cannot share a number (primary key).
 */
export async function saveDraftGrid(
  db: Db,
  epci: string,
  grid: CotationGrid,
  createdBy: string | null,
): Promise<CotationGrid> {
  const [row] = await db.query<{ next: number }>(
    'SELECT COALESCE(max(version), 0) + 1 AS next FROM cotation_grid WHERE epci_code = $1 AND grid_id = $2',
    [epci, grid.id],
  );
  const stored = { ...grid, version: row!.next };
  await db.query(
    `INSERT INTO cotation_grid (epci_code, grid_id, version, status, definition, created_by)
     VALUES ($1, $2, $3, 'draft', $4, $5)`,
    [epci, grid.id, stored.version, JSON.stringify(stored), createdBy],
  );
  return stored;
}

/** Makes a version the active one (the previous active version is retired). In the caller's transaction. */
export async function activateGridVersion(
  db: Db,
  epci: string,
  gridId: string,
  version: number,
): Promise<void> {
  await db.query(
    "UPDATE cotation_grid SET status = 'retired' WHERE epci_code = $1 AND grid_id = $2 AND status = 'active'",
    [epci, gridId],
  );
  await db.query(
    "UPDATE cotation_grid SET status = 'active', activated_at = now() WHERE epci_code = $1 AND grid_id = $2 AND version = $3",
    [epci, gridId, version],
  );
}

/** Stores scores of one grid version (replacing earlier scores of the same version). */
export async function saveScores(
  db: Db,
  epci: string,
  grid: Pick<CotationGrid, 'id' | 'version'>,
  scoredOn: string,
  scores: readonly { sneNumber: string; total: number }[],
): Promise<void> {
  await bulkWrite(db, {
    table: 'demand_score',
    key: ['sne_number', 'grid_id', 'grid_version'],
    columns: [
      { name: 'sne_number', type: 'text' },
      { name: 'epci_code', type: 'text' },
      { name: 'grid_id', type: 'text' },
      { name: 'grid_version', type: 'integer' },
      { name: 'scored_on', type: 'date' },
      { name: 'total', type: 'double precision' },
    ],
    rows: scores.map((s) => [s.sneNumber, epci, grid.id, grid.version, scoredOn, s.total]),
  });
}

export interface StoredScore {
  gridId: string;
  gridVersion: number;
  scoredOn: string;
  total: number;
}

/** Every stored score of a demand, newest grid version first. */
export async function scoresOf(db: Db, sneNumber: string): Promise<StoredScore[]> {
  return db.query<StoredScore>(
    `SELECT grid_id AS "gridId", grid_version AS "gridVersion", to_char(scored_on, 'YYYY-MM-DD') AS "scoredOn", total
     FROM demand_score WHERE sne_number = $1 ORDER BY grid_id, grid_version DESC`,
    [sneNumber],
  );
}

/** Signed leases of an EPCI with the registration date of the demand and the typology of the home. */
export async function allocationRecordsOf(db: Db, epci: string): Promise<AllocationRecord[]> {
  const rows = await db.query<{ typology: number; registeredOn: string; signedOn: string }>(
    `SELECT m.typology, to_char(d.registered_on, 'YYYY-MM-DD') AS "registeredOn",
            to_char(l.signed_on, 'YYYY-MM-DD') AS "signedOn"
     FROM lease l JOIN demand d ON d.sne_number = l.sne_number JOIN home m ON m.id = l.home_id
     WHERE l.epci_code = $1`,
    [epci],
  );
  return rows.map((r) => ({
    epci,
    typology: r.typology as Typology,
    registeredOn: r.registeredOn,
    signedOn: r.signedOn,
  }));
}

export interface Job {
  id: string;
  kind: string;
  epciCode: string | null;
  createdBy: string | null;
  status: 'queued' | 'running' | 'done' | 'failed';
  done: number;
  total: number;
  message: string | null;
  result: unknown;
}

const JOB_COLUMNS = `id, kind, epci_code AS "epciCode", created_by AS "createdBy", status, done, total, message, result`;

export async function createJob(
  db: Db,
  job: { id: string; kind: string; epciCode: string | null; createdBy: string | null; total: number },
): Promise<Job> {
  const [row] = await db.query<Job>(
    `INSERT INTO job (id, kind, epci_code, created_by, status, total) VALUES ($1, $2, $3, $4, 'queued', $5) RETURNING ${JOB_COLUMNS}`,
    [job.id, job.kind, job.epciCode, job.createdBy, job.total],
  );
  return row!;
}

export async function updateJob(
  db: Db,
  id: string,
  change: Partial<Pick<Job, 'status' | 'done' | 'total' | 'message' | 'result'>>,
): Promise<void> {
  await db.query(
    `UPDATE job SET status = COALESCE($2, status), done = COALESCE($3, done), total = COALESCE($4, total),
       message = COALESCE($5, message), result = COALESCE($6::jsonb, result),
       finished_at = CASE WHEN $2 IN ('done', 'failed') THEN now() ELSE finished_at END
     WHERE id = $1`,
    [
      id,
      change.status ?? null,
      change.done ?? null,
      change.total ?? null,
      change.message ?? null,
      change.result === undefined ? null : JSON.stringify(change.result),
    ],
  );
}

/**
 * Ends as failed the jobs a stopped process left queued or running (jobs run inside the server
 * process: after a restart nothing will finish them). Called at start, before the server listens;
 * one platform process serves a database. Returns how many jobs were ended.
 */
export async function failInterruptedJobs(db: Db): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `UPDATE job SET status = 'failed', finished_at = now(),
       message = 'Interrompu par un redémarrage de la plateforme : relancez l’opération.'
     WHERE status IN ('queued', 'running') RETURNING id`,
  );
  return rows.length;
}

export async function getJob(db: Db, id: string): Promise<Job | null> {
  const [row] = await db.query<Job>(`SELECT ${JOB_COLUMNS} FROM job WHERE id = $1`, [id]);
  return row ?? null;
}
