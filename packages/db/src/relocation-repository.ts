import { randomUUID } from 'node:crypto';
import {
  EMPTY_CONSTRAINTS,
  EMPTY_WISHES,
  type ExportedFile,
  fileStage,
  type Milestone,
  type OperationKind,
  type ProposalResponse,
  type RefusalReason,
  type RelocationConstraints,
  type RelocationWishes,
  type StepKind,
} from '@mosaique/domain/relocation';
import { insertLease, type NewLease } from './commission-repository.ts';
import type { Db } from './db.ts';

/**
 * Urban-renewal relocation (migration 0014, docs/relocation.md): operations, relocation files,
 * proposals, steps. Writes run in the caller's transaction, next to the audit entry the caller appends.
 */

export interface StoredOperation {
  id: string;
  epci: string;
  name: string;
  kind: OperationKind;
  qpv: string;
  qpvName: string;
  landlordId: string;
  landlordName: string;
  milestones: Milestone[];
  residences: { id: string; name: string; commune: string }[];
  officers: { id: string; displayName: string }[];
  generated: boolean;
}

export async function createOperation(
  db: Db,
  op: {
    id?: string;
    epci: string;
    name: string;
    kind: OperationKind;
    qpv: string;
    landlordId: string;
    milestones: readonly Milestone[];
    residenceIds: readonly string[];
    generated?: boolean;
    createdBy: string | null;
  },
): Promise<string> {
  const id = op.id ?? randomUUID();
  const milestones = [...op.milestones].sort((a, b) => a.date.localeCompare(b.date));
  await db.query(
    `INSERT INTO relocation_operation (id, epci_code, name, kind, qpv_code, landlord_id, milestones, generated, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      id,
      op.epci,
      op.name,
      op.kind,
      op.qpv,
      op.landlordId,
      JSON.stringify(milestones),
      op.generated ?? false,
      op.createdBy,
    ],
  );
  for (const r of op.residenceIds)
    await db.query(
      'INSERT INTO relocation_operation_residence (operation_id, residence_id) VALUES ($1, $2)',
      [id, r],
    );
  return id;
}

/** Residences of the list that cannot be part of an operation: unknown, of another EPCI, QPV or landlord, or already in one. */
export async function residenceProblems(
  db: Db,
  residenceIds: readonly string[],
  expected: { epci: string; qpv: string; landlordId: string },
): Promise<string[]> {
  const rows = await db.query<{
    id: string;
    epci: string;
    qpv: string | null;
    landlord: string;
    taken: boolean;
  }>(
    `SELECT r.id, r.epci_code AS epci, r.qpv_code AS qpv, r.landlord_id AS landlord,
            EXISTS (SELECT 1 FROM relocation_operation_residence o WHERE o.residence_id = r.id) AS taken
     FROM residence r WHERE r.id = ANY($1::text[])`,
    [residenceIds],
  );
  const found = new Map(rows.map((r) => [r.id, r]));
  const problems: string[] = [];
  for (const id of residenceIds) {
    const r = found.get(id);
    if (!r) problems.push(`residenceIds : résidence ${id} inconnue`);
    else if (r.epci !== expected.epci) problems.push(`residenceIds : résidence ${id} hors de l’EPCI`);
    else if (r.qpv !== expected.qpv)
      problems.push(`residenceIds : résidence ${id} hors du QPV ${expected.qpv}`);
    else if (r.landlord !== expected.landlordId)
      problems.push(`residenceIds : résidence ${id} d’un autre bailleur`);
    else if (r.taken) problems.push(`residenceIds : résidence ${id} déjà concernée par une opération`);
  }
  return problems;
}

/** A building of a QPV, as the page creating an operation offers it. */
export interface StockResidence {
  id: string;
  name: string;
  communeName: string;
  landlordId: string;
  landlordName: string;
  homes: number;
  /** Households living there now: those an operation would import. */
  households: number;
  /** The operation already concerning it, if any (a building belongs to one operation). */
  operationName: string | null;
}

export interface RelocationStock {
  qpvs: { code: string; name: string; residences: StockResidence[] }[];
  officers: { id: string; identifier: string; displayName: string }[];
}

/**
 * What an operation of the EPCI may be made of: its QPVs with their social buildings (landlord, homes,
 * households living there, the operation already concerning them), and the EPCI's relocation officers.
 */
export async function relocationStock(db: Db, epci: string): Promise<RelocationStock> {
  const qpvs = await db.query<{ code: string; name: string }>(
    'SELECT code, name FROM qpv WHERE epci_code = $1 ORDER BY name, code',
    [epci],
  );
  const residences = await db.query<StockResidence & { qpv: string }>(
    `SELECT r.id, r.name, c.name AS "communeName", r.qpv_code AS qpv, r.landlord_id AS "landlordId", l.name AS "landlordName",
            (SELECT count(*)::int FROM home m WHERE m.residence_id = r.id) AS homes,
            (SELECT count(*)::int FROM home m JOIN household h ON h.home_id = m.id WHERE m.residence_id = r.id) AS households,
            (SELECT o.name FROM relocation_operation_residence x JOIN relocation_operation o ON o.id = x.operation_id
              WHERE x.residence_id = r.id) AS "operationName"
     FROM residence r JOIN landlord l ON l.id = r.landlord_id JOIN commune c ON c.code = r.commune_code
     WHERE r.epci_code = $1 AND r.qpv_code IS NOT NULL
     ORDER BY l.name, r.name, r.id`,
    [epci],
  );
  const officers = await db.query<{ id: string; identifier: string; displayName: string }>(
    `SELECT id, identifier, display_name AS "displayName" FROM app_user
     WHERE role = 'relocation-officer' AND epci_code = $1 ORDER BY display_name, identifier`,
    [epci],
  );
  return {
    qpvs: qpvs.map((q) => ({
      ...q,
      residences: residences.filter((r) => r.qpv === q.code).map(({ qpv: _, ...r }) => r),
    })),
    officers,
  };
}

export async function getOperation(db: Db, id: string): Promise<StoredOperation | null> {
  const [row] = await db.query<Omit<StoredOperation, 'residences' | 'officers'>>(
    `SELECT o.id, o.epci_code AS epci, o.name, o.kind, o.qpv_code AS qpv, q.name AS "qpvName",
            o.landlord_id AS "landlordId", l.name AS "landlordName", o.milestones, o.generated
     FROM relocation_operation o JOIN qpv q ON q.code = o.qpv_code JOIN landlord l ON l.id = o.landlord_id
     WHERE o.id = $1`,
    [id],
  );
  if (!row) return null;
  const residences = await db.query<{ id: string; name: string; commune: string }>(
    `SELECT r.id, r.name, c.name AS commune FROM relocation_operation_residence o
     JOIN residence r ON r.id = o.residence_id JOIN commune c ON c.code = r.commune_code
     WHERE o.operation_id = $1 ORDER BY r.name, r.id`,
    [id],
  );
  const officers = await db.query<{ id: string; displayName: string }>(
    `SELECT u.id, u.display_name AS "displayName" FROM relocation_officer o JOIN app_user u ON u.id = o.user_id
     WHERE o.operation_id = $1 ORDER BY u.display_name`,
    [id],
  );
  return { ...row, residences, officers };
}

export interface OperationSummary {
  id: string;
  epci: string;
  name: string;
  kind: OperationKind;
  qpv: string;
  qpvName: string;
  landlordName: string;
  households: number;
  rehoused: number;
  generated: boolean;
}

/** Operations of an EPCI, of a landlord, or those a relocation officer is attached to (every filter given applies). */
export async function listOperations(
  db: Db,
  f: { epci?: string | undefined; landlordId?: string | undefined; officerUserId?: string | undefined },
): Promise<OperationSummary[]> {
  const where: string[] = ['true'];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.epci) where.push(`o.epci_code = ${p(f.epci)}`);
  if (f.landlordId) where.push(`o.landlord_id = ${p(f.landlordId)}`);
  if (f.officerUserId)
    where.push(
      `EXISTS (SELECT 1 FROM relocation_officer x WHERE x.operation_id = o.id AND x.user_id = ${p(f.officerUserId)})`,
    );
  return db.query<OperationSummary>(
    `SELECT o.id, o.epci_code AS epci, o.name, o.kind, o.qpv_code AS qpv, q.name AS "qpvName", l.name AS "landlordName",
            (SELECT count(*)::int FROM relocation_file f WHERE f.operation_id = o.id) AS households,
            (SELECT count(*)::int FROM relocation_file f WHERE f.operation_id = o.id AND f.lease_id IS NOT NULL) AS rehoused,
            o.generated
     FROM relocation_operation o JOIN qpv q ON q.code = o.qpv_code JOIN landlord l ON l.id = o.landlord_id
     WHERE ${where.join(' AND ')} ORDER BY o.name, o.id`,
    params,
  );
}

export async function addOfficer(db: Db, operationId: string, userId: string): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO relocation_officer (operation_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING user_id`,
    [operationId, userId],
  );
  return rows.length > 0;
}

export async function isOfficerOf(db: Db, operationId: string, userId: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM relocation_officer WHERE operation_id = $1 AND user_id = $2', [
    operationId,
    userId,
  ]);
  return rows.length > 0;
}

/** A household occupying a home of the operation's residences and not yet in a file of it. */
export interface HouseholdToRelocate {
  householdId: string;
  epci: string;
  commune: string;
  persons: number;
  referenceAge: number;
  type: string;
  annualDisposableIncomeEur: number;
  homeId: string;
  surfaceM2: number;
  rentEur: number;
  chargesEur: number;
  generated: boolean;
  /** Its active demand, if it has one. */
  sneNumber: string | null;
}

export async function householdsToRelocate(db: Db, operationId: string): Promise<HouseholdToRelocate[]> {
  return db.query<HouseholdToRelocate>(
    `SELECT h.id AS "householdId", h.epci_code AS epci, h.commune_code AS commune,
            (h.persons_14_or_more + h.persons_under_14)::int AS persons, h.reference_age AS "referenceAge", h.type,
            h.annual_disposable_income_eur AS "annualDisposableIncomeEur", m.id AS "homeId", m.surface_m2 AS "surfaceM2",
            m.rent_eur AS "rentEur", m.charges_eur AS "chargesEur", h.generated,
            (SELECT d.sne_number FROM demand d WHERE d.household_id = h.id AND d.status = 'active'
              AND NOT EXISTS (SELECT 1 FROM relocation_file f WHERE f.sne_number = d.sne_number)
              ORDER BY d.registered_on, d.sne_number LIMIT 1) AS "sneNumber"
     FROM relocation_operation_residence o
     JOIN home m ON m.residence_id = o.residence_id
     JOIN household h ON h.home_id = m.id
     WHERE o.operation_id = $1
       AND NOT EXISTS (SELECT 1 FROM relocation_file f WHERE f.operation_id = $1 AND f.household_id = h.id)
     ORDER BY m.id`,
    [operationId],
  );
}

/**
 * Flags the household's demand as an urban-renewal relocation, or registers one for it (a relocated
 * household is housed through a demand of the register like any applicant). Returns its number.
 */
export async function ensureRelocationDemand(
  db: Db,
  h: HouseholdToRelocate,
  registeredOn: string,
  newSneNumber: string,
): Promise<string> {
  if (h.sneNumber) {
    await db.query(
      'UPDATE demand SET urban_renewal_relocation = true, current_social_tenant = true WHERE sne_number = $1',
      [h.sneNumber],
    );
    return h.sneNumber;
  }
  const birthYear = Number(registeredOn.slice(0, 4)) - h.referenceAge;
  await db.query(
    `INSERT INTO demand (sne_number, epci_code, household_id, registered_on, applicant_birth_date, household_type,
       persons_14_or_more, persons_under_14, monthly_resources_eur, reference_tax_income_eur, current_housing,
       current_commune_code, reasons, desired_communes, desired_typologies, max_rent_eur, priority_criteria, dalo,
       urban_renewal_relocation, current_social_tenant, wheelchair_access, status, generated)
     SELECT $1, h.epci_code, h.id, $2::date, make_date($3, 1, 1), h.type, h.persons_14_or_more, h.persons_under_14,
       h.annual_disposable_income_eur / 12, h.annual_disposable_income_eur * 0.9, 'social-tenant', h.commune_code,
       ARRAY['urban-renewal'], '{}', '{}', NULL, '{}', false, true, true, false, 'active', h.generated
     FROM household h WHERE h.id = $4`,
    [newSneNumber, registeredOn, birthYear, h.householdId],
  );
  return newSneNumber;
}

export async function insertFile(
  db: Db,
  f: {
    operationId: string;
    household: HouseholdToRelocate;
    sneNumber: string;
    importedOn: string;
    by: string | null;
  },
): Promise<string> {
  const id = randomUUID();
  const h = f.household;
  await db.query(
    `INSERT INTO relocation_file (id, operation_id, epci_code, household_id, sne_number, persons, origin_home_id,
       origin_surface_m2, origin_rent_eur, origin_charges_eur, wishes, constraints, generated)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      id,
      f.operationId,
      h.epci,
      h.householdId,
      f.sneNumber,
      h.persons,
      h.homeId,
      h.surfaceM2,
      h.rentEur,
      h.chargesEur,
      JSON.stringify(EMPTY_WISHES),
      JSON.stringify(EMPTY_CONSTRAINTS),
      h.generated,
    ],
  );
  await addStep(db, {
    fileId: id,
    kind: 'import',
    onDate: f.importedOn,
    details: { homeId: h.homeId },
    by: f.by,
  });
  return id;
}

export async function addStep(
  db: Db,
  s: {
    fileId: string;
    kind: StepKind;
    onDate: string;
    note?: string | null;
    details?: object;
    by: string | null;
  },
): Promise<void> {
  await db.query(
    'INSERT INTO relocation_step (file_id, kind, on_date, note, details, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)',
    [s.fileId, s.kind, s.onDate, s.note ?? null, JSON.stringify(s.details ?? {}), s.by],
  );
}

export interface StoredProposal {
  rank: number;
  homeId: string;
  advertId: string | null;
  /** The commission decision the proposal was made through (migration 0017), if any. */
  decisionId: string | null;
  proposedOn: string;
  response: ProposalResponse;
  answeredOn: string | null;
  refusalReason: RefusalReason | null;
  home: {
    residenceName: string;
    commune: string;
    communeName: string;
    qpv: string | null;
    typology: number;
    surfaceM2: number;
    floor: number;
    lift: boolean;
    rentEur: number;
    chargesEur: number;
    constructionYear: number;
  };
}

export interface StoredFile {
  id: string;
  operationId: string;
  operationName: string;
  siteQpv: string;
  epci: string;
  householdId: string;
  sneNumber: string;
  persons: number;
  origin: {
    homeId: string;
    residenceName: string;
    surfaceM2: number;
    rentEur: number;
    chargesEur: number;
    housingBenefitEur: number | null;
  };
  diagnosisOn: string | null;
  diagnosisNotes: string | null;
  wishes: RelocationWishes;
  constraints: RelocationConstraints;
  proposals: StoredProposal[];
  lease: {
    id: string;
    signedOn: string;
    homeId: string;
    qpv: string | null;
    constructionYear: number;
    surfaceM2: number;
    rentEur: number;
    chargesEur: number;
    housingBenefitEur: number | null;
    residenceName: string;
    communeName: string;
  } | null;
  generated: boolean;
}

const fileSelect = `
  SELECT f.id, f.operation_id, o.name AS operation_name, o.qpv_code AS site_qpv, f.epci_code, f.household_id, f.sne_number,
         f.persons, f.origin_home_id, orr.name AS origin_residence, f.origin_surface_m2, f.origin_rent_eur,
         f.origin_charges_eur, f.origin_housing_benefit_eur, to_char(f.diagnosis_on, 'YYYY-MM-DD') AS diagnosis_on,
         f.diagnosis_notes, f.wishes, f.constraints, f.new_housing_benefit_eur, f.generated,
         l.id AS lease_id, to_char(l.signed_on, 'YYYY-MM-DD') AS lease_signed_on, l.home_id AS lease_home_id,
         lr.qpv_code AS lease_qpv, lr.construction_year AS lease_construction_year, lm.surface_m2 AS lease_surface_m2,
         lm.rent_eur AS lease_rent_eur, lm.charges_eur AS lease_charges_eur, lr.name AS lease_residence,
         lc.name AS lease_commune
  FROM relocation_file f
  JOIN relocation_operation o ON o.id = f.operation_id
  JOIN home om ON om.id = f.origin_home_id JOIN residence orr ON orr.id = om.residence_id
  LEFT JOIN lease l ON l.id = f.lease_id
  LEFT JOIN home lm ON lm.id = l.home_id LEFT JOIN residence lr ON lr.id = lm.residence_id
  LEFT JOIN commune lc ON lc.code = lr.commune_code`;

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function fileFrom(r: Row, proposals: StoredProposal[]): StoredFile {
  return {
    id: r.id as string,
    operationId: r.operation_id as string,
    operationName: r.operation_name as string,
    siteQpv: r.site_qpv as string,
    epci: r.epci_code as string,
    householdId: r.household_id as string,
    sneNumber: r.sne_number as string,
    persons: Number(r.persons),
    origin: {
      homeId: r.origin_home_id as string,
      residenceName: r.origin_residence as string,
      surfaceM2: Number(r.origin_surface_m2),
      rentEur: Number(r.origin_rent_eur),
      chargesEur: Number(r.origin_charges_eur),
      housingBenefitEur: num(r.origin_housing_benefit_eur),
    },
    diagnosisOn: (r.diagnosis_on as string | null) ?? null,
    diagnosisNotes: (r.diagnosis_notes as string | null) ?? null,
    wishes: { ...EMPTY_WISHES, ...(r.wishes as Partial<RelocationWishes>) },
    constraints: { ...EMPTY_CONSTRAINTS, ...(r.constraints as Partial<RelocationConstraints>) },
    proposals,
    lease: r.lease_id
      ? {
          id: r.lease_id as string,
          signedOn: r.lease_signed_on as string,
          homeId: r.lease_home_id as string,
          qpv: (r.lease_qpv as string | null) ?? null,
          constructionYear: Number(r.lease_construction_year),
          surfaceM2: Number(r.lease_surface_m2),
          rentEur: Number(r.lease_rent_eur),
          chargesEur: Number(r.lease_charges_eur),
          housingBenefitEur: num(r.new_housing_benefit_eur),
          residenceName: r.lease_residence as string,
          communeName: r.lease_commune as string,
        }
      : null,
    generated: r.generated as boolean,
  };
}

async function proposalsOf(db: Db, fileIds: readonly string[]): Promise<Map<string, StoredProposal[]>> {
  const rows = await db.query<Row>(
    `SELECT p.file_id, p.rank, p.home_id, p.advert_id, p.decision_id, to_char(p.proposed_on, 'YYYY-MM-DD') AS proposed_on, p.response,
            to_char(p.answered_on, 'YYYY-MM-DD') AS answered_on, p.refusal_reason, r.name AS residence_name,
            r.commune_code, c.name AS commune_name, r.qpv_code, m.typology, m.surface_m2, m.floor, m.lift, m.rent_eur,
            m.charges_eur, r.construction_year
     FROM relocation_proposal p JOIN home m ON m.id = p.home_id JOIN residence r ON r.id = m.residence_id
     JOIN commune c ON c.code = r.commune_code
     WHERE p.file_id = ANY($1::text[]) ORDER BY p.file_id, p.rank`,
    [fileIds],
  );
  const out = new Map<string, StoredProposal[]>();
  for (const r of rows) {
    const list = out.get(r.file_id as string) ?? [];
    list.push({
      rank: Number(r.rank),
      homeId: r.home_id as string,
      advertId: (r.advert_id as string | null) ?? null,
      decisionId: (r.decision_id as string | null) ?? null,
      proposedOn: r.proposed_on as string,
      response: r.response as ProposalResponse,
      answeredOn: (r.answered_on as string | null) ?? null,
      refusalReason: (r.refusal_reason as RefusalReason | null) ?? null,
      home: {
        residenceName: r.residence_name as string,
        commune: r.commune_code as string,
        communeName: r.commune_name as string,
        qpv: (r.qpv_code as string | null) ?? null,
        typology: Number(r.typology),
        surfaceM2: Number(r.surface_m2),
        floor: Number(r.floor),
        lift: r.lift as boolean,
        rentEur: Number(r.rent_eur),
        chargesEur: Number(r.charges_eur),
        constructionYear: Number(r.construction_year),
      },
    });
    out.set(r.file_id as string, list);
  }
  return out;
}

export async function getFile(
  db: Db,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredFile | null> {
  if (options.forUpdate) await db.query('SELECT 1 FROM relocation_file WHERE id = $1 FOR UPDATE', [id]);
  const [row] = await db.query<Row>(`${fileSelect} WHERE f.id = $1`, [id]);
  if (!row) return null;
  return fileFrom(row, (await proposalsOf(db, [id])).get(id) ?? []);
}

export async function fileIdOfDemand(db: Db, sneNumber: string): Promise<string | null> {
  const [row] = await db.query<{ id: string }>('SELECT id FROM relocation_file WHERE sne_number = $1', [
    sneNumber,
  ]);
  return row?.id ?? null;
}

/** The files of an operation, or of every operation of an EPCI. */
export async function listFiles(
  db: Db,
  scope: { operationId: string } | { epci: string },
): Promise<StoredFile[]> {
  const rows = await db.query<Row>(
    `${fileSelect} WHERE ${'operationId' in scope ? 'f.operation_id' : 'f.epci_code'} = $1 ORDER BY f.operation_id, orr.name, f.origin_home_id`,
    ['operationId' in scope ? scope.operationId : scope.epci],
  );
  const proposals = await proposalsOf(
    db,
    rows.map((r) => r.id as string),
  );
  return rows.map((r) => fileFrom(r, proposals.get(r.id as string) ?? []));
}

/** A file as the export and the trajectory indicators read it. */
export function exportedFile(f: StoredFile): ExportedFile {
  return {
    fileId: f.id,
    operationId: f.operationId,
    householdId: f.householdId,
    sneNumber: f.sneNumber,
    stage: fileStage({
      diagnosisOn: f.diagnosisOn,
      leaseSignedOn: f.lease?.signedOn ?? null,
      proposals: f.proposals,
    }),
    siteQpv: f.siteQpv,
    persons: f.persons,
    firstInterviewOn: f.diagnosisOn,
    originHomeId: f.origin.homeId,
    origin: {
      surfaceM2: f.origin.surfaceM2,
      rentEur: f.origin.rentEur,
      chargesEur: f.origin.chargesEur,
      housingBenefitEur: f.origin.housingBenefitEur,
    },
    wishes: f.wishes,
    constraints: f.constraints,
    proposals: f.proposals.map((p) => ({ response: p.response, refusalReason: p.refusalReason })),
    newHomeId: f.lease?.homeId ?? null,
    rehousing: f.lease
      ? {
          signedOn: f.lease.signedOn,
          qpv: f.lease.qpv,
          constructionYear: f.lease.constructionYear,
          surfaceM2: f.lease.surfaceM2,
          rentEur: f.lease.rentEur,
          chargesEur: f.lease.chargesEur,
          housingBenefitEur: f.lease.housingBenefitEur,
        }
      : null,
  };
}

export interface StoredStep {
  id: number;
  kind: StepKind;
  onDate: string;
  note: string | null;
  details: Record<string, unknown>;
  recordedBy: string | null;
  recordedAt: string;
}

export async function stepsOf(db: Db, fileId: string): Promise<StoredStep[]> {
  const rows = await db.query<StoredStep>(
    `SELECT s.id::int AS id, s.kind, to_char(s.on_date, 'YYYY-MM-DD') AS "onDate", s.note, s.details,
            u.display_name AS "recordedBy", s.recorded_at AS "recordedAt"
     FROM relocation_step s LEFT JOIN app_user u ON u.id = s.recorded_by WHERE s.file_id = $1 ORDER BY s.on_date, s.id`,
    [fileId],
  );
  return rows.map((r) => ({ ...r, recordedAt: new Date(r.recordedAt).toISOString() }));
}

export async function setDiagnosis(
  db: Db,
  fileId: string,
  d: { on: string; notes: string | null; housingBenefitEur: number | null },
): Promise<void> {
  await db.query(
    'UPDATE relocation_file SET diagnosis_on = $2, diagnosis_notes = $3, origin_housing_benefit_eur = $4 WHERE id = $1',
    [fileId, d.on, d.notes, d.housingBenefitEur],
  );
}

export async function setWishes(db: Db, fileId: string, wishes: RelocationWishes): Promise<void> {
  await db.query('UPDATE relocation_file SET wishes = $2 WHERE id = $1', [fileId, JSON.stringify(wishes)]);
}

export async function setConstraints(
  db: Db,
  fileId: string,
  constraints: RelocationConstraints,
): Promise<void> {
  await db.query('UPDATE relocation_file SET constraints = $2 WHERE id = $1', [
    fileId,
    JSON.stringify(constraints),
  ]);
}

export async function insertProposal(
  db: Db,
  p: {
    fileId: string;
    rank: number;
    homeId: string;
    advertId: string | null;
    decisionId?: string | null;
    proposedOn: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO relocation_proposal (file_id, rank, home_id, advert_id, decision_id, proposed_on)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [p.fileId, p.rank, p.homeId, p.advertId, p.decisionId ?? null, p.proposedOn],
  );
}

/** A commission decision as a relocation proposal reads it: whose, which home, what, the answer. */
export interface DecisionForRelocation {
  id: string;
  epci: string;
  sneNumber: string;
  homeId: string;
  kind: string;
  response: 'accepted' | 'refused' | null;
  answeredOn: string | null;
  /** The relocation proposal already linked to it, if any. */
  linkedFileId: string | null;
}

export async function decisionForRelocation(db: Db, id: string): Promise<DecisionForRelocation | null> {
  const [row] = await db.query<DecisionForRelocation>(
    `SELECT d.id, d.epci_code AS epci, d.sne_number AS "sneNumber", i.home_id AS "homeId", d.kind,
            r.response, to_char(r.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "answeredOn",
            (SELECT p.file_id FROM relocation_proposal p WHERE p.decision_id = d.id) AS "linkedFileId"
     FROM decision d JOIN agenda_item i ON i.id = d.agenda_item_id
     LEFT JOIN applicant_response r ON r.decision_id = d.id
     WHERE d.id = $1`,
    [id],
  );
  return row ?? null;
}

/**
 * Locks (`FOR UPDATE`) the relocation files of a demand or of a household. The commission's lease
 * signature calls it before locking the demand, so that it takes the locks in the order of
 * `signRelocationLease` (the file, then the demand): the two signatures of one household then wait on
 * each other instead of deadlocking.
 */
export async function lockRelocationFilesOf(
  db: Db,
  l: { sneNumber: string; householdId: string | null },
): Promise<void> {
  await db.query(
    'SELECT 1 FROM relocation_file WHERE sne_number = $1 OR household_id = $2 ORDER BY id FOR UPDATE',
    [l.sneNumber, l.householdId],
  );
}

/**
 * Called by the commission's lease signature (apps/server/src/commission/decide.ts), in its
 * transaction, once the lease row is written. When the decision backs a relocation proposal, the file
 * gets the lease — the proposal marked accepted if it was still pending, dated as the household's
 * answer to the commission — and the matching steps. Otherwise, when the household housed (the
 * lease's demand, or its household) has an open relocation file (no lease yet), that file gets the
 * lease and a `lease` step saying it came from a commission decision without a relocation proposal;
 * no proposal is made up. Returns the file's id and the path taken, or null when no open file is
 * concerned (nothing is written then).
 */
export async function attachCommissionLeaseToRelocation(
  db: Db,
  l: { decisionId: string; leaseId: string; signedOn: string; by: string | null },
): Promise<{ fileId: string; viaProposal: boolean } | null> {
  const [p] = await db.query<{ fileId: string; rank: number; homeId: string; response: string }>(
    `SELECT p.file_id AS "fileId", p.rank, p.home_id AS "homeId", p.response
     FROM relocation_proposal p JOIN relocation_file f ON f.id = p.file_id
     WHERE p.decision_id = $1 AND f.lease_id IS NULL FOR UPDATE OF f`,
    [l.decisionId],
  );
  if (!p) return attachCommissionLeaseWithoutProposal(db, l);
  if (p.response === 'pending') {
    const decision = (await decisionForRelocation(db, l.decisionId))!;
    const answeredOn =
      decision.answeredOn && decision.answeredOn <= l.signedOn ? decision.answeredOn : l.signedOn;
    await answerProposal(db, {
      fileId: p.fileId,
      rank: p.rank,
      response: 'accepted',
      answeredOn,
      refusalReason: null,
    });
    await addStep(db, {
      fileId: p.fileId,
      kind: 'proposal-answer',
      onDate: answeredOn,
      details: { rank: p.rank, response: 'accepted', decisionId: l.decisionId },
      by: l.by,
    });
  }
  await attachLease(db, p.fileId, l.leaseId, null);
  await addStep(db, {
    fileId: p.fileId,
    kind: 'lease',
    onDate: l.signedOn,
    details: { rank: p.rank, homeId: p.homeId, leaseId: l.leaseId, decisionId: l.decisionId },
    by: l.by,
  });
  return { fileId: p.fileId, viaProposal: true };
}

/**
 * The commission housed a household whose open file has no proposal linked to the decision: the file
 * of the lease's demand (a file has one demand), else of its household, still without a lease, is
 * locked and receives the lease. The trajectory indicators then count the household as rehoused, with
 * the proposals its file actually holds.
 */
async function attachCommissionLeaseWithoutProposal(
  db: Db,
  l: { decisionId: string; leaseId: string; signedOn: string; by: string | null },
): Promise<{ fileId: string; viaProposal: boolean } | null> {
  const [f] = await db.query<{ fileId: string; homeId: string }>(
    `SELECT f.id AS "fileId", l.home_id AS "homeId"
     FROM lease l JOIN relocation_file f
       ON f.epci_code = l.epci_code AND (f.sne_number = l.sne_number OR f.household_id = l.household_id)
     WHERE l.id = $1 AND l.decision_id = $2 AND f.lease_id IS NULL
     ORDER BY (f.sne_number = l.sne_number) IS TRUE DESC, f.id LIMIT 1
     FOR UPDATE OF f`,
    [l.leaseId, l.decisionId],
  );
  if (!f) return null;
  await attachLease(db, f.fileId, l.leaseId, null);
  await addStep(db, {
    fileId: f.fileId,
    kind: 'lease',
    onDate: l.signedOn,
    details: { homeId: f.homeId, leaseId: l.leaseId, decisionId: l.decisionId, viaProposal: false },
    by: l.by,
  });
  return { fileId: f.fileId, viaProposal: false };
}

export async function answerProposal(
  db: Db,
  a: {
    fileId: string;
    rank: number;
    response: 'accepted' | 'refused';
    answeredOn: string;
    refusalReason: RefusalReason | null;
  },
): Promise<void> {
  await db.query(
    `UPDATE relocation_proposal SET response = $3, answered_on = $4, refusal_reason = $5
     WHERE file_id = $1 AND rank = $2 AND response = 'pending'`,
    [a.fileId, a.rank, a.response, a.answeredOn, a.refusalReason],
  );
}

export async function attachLease(
  db: Db,
  fileId: string,
  leaseId: string,
  housingBenefitEur: number | null,
): Promise<void> {
  await db.query('UPDATE relocation_file SET lease_id = $2, new_housing_benefit_eur = $3 WHERE id = $1', [
    fileId,
    leaseId,
    housingBenefitEur,
  ]);
}

export async function reserveHome(
  db: Db,
  operationId: string,
  homeId: string,
  by: string | null,
): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO relocation_reserved_home (operation_id, home_id, reserved_by) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING RETURNING home_id`,
    [operationId, homeId, by],
  );
  return rows.length > 0;
}

/** A home a relocating household may be offered, with what matching needs. */
export interface CandidateHome {
  homeId: string;
  /** The published advert, when the home is advertised (the household applies to it). */
  advertId: string | null;
  reserved: boolean;
  residenceName: string;
  commune: string;
  communeName: string;
  qpv: string | null;
  typology: number;
  surfaceM2: number;
  floor: number;
  lift: boolean;
  accessible: boolean;
  rentEur: number;
  chargesEur: number;
  constructionYear: number;
}

/**
 * The homes open to an operation's households: those of the EPCI's published adverts (letting
 * module) and the vacant homes reserved for the operation, never a home of the operation's buildings.
 */
export async function candidateHomes(db: Db, operationId: string, epci: string): Promise<CandidateHome[]> {
  return db.query<CandidateHome>(
    `WITH open_homes AS (
       SELECT a.home_id, a.id AS advert_id, false AS reserved FROM advert a WHERE a.epci_code = $2 AND a.status = 'published'
       UNION ALL
       SELECT rh.home_id, NULL, true FROM relocation_reserved_home rh
       WHERE rh.operation_id = $1 AND NOT EXISTS (SELECT 1 FROM household h WHERE h.home_id = rh.home_id)
     )
     SELECT m.id AS "homeId", (array_agg(o.advert_id) FILTER (WHERE o.advert_id IS NOT NULL))[1] AS "advertId",
            bool_or(o.reserved) AS reserved, r.name AS "residenceName", r.commune_code AS commune, c.name AS "communeName",
            r.qpv_code AS qpv, m.typology, m.surface_m2 AS "surfaceM2", m.floor, m.lift, m.accessible, m.rent_eur AS "rentEur",
            m.charges_eur AS "chargesEur", r.construction_year AS "constructionYear"
     FROM open_homes o JOIN home m ON m.id = o.home_id JOIN residence r ON r.id = m.residence_id
     JOIN commune c ON c.code = r.commune_code
     WHERE NOT EXISTS (SELECT 1 FROM relocation_operation_residence x WHERE x.operation_id = $1 AND x.residence_id = r.id)
     GROUP BY m.id, r.id, c.name ORDER BY m.id`,
    [operationId, epci],
  );
}

/** What a relocation lease is signed from: the home (vacant?) and the figures of the lease row. */
export async function homeForRelocationLease(
  db: Db,
  homeId: string,
): Promise<{ epci: string; reservationHolderId: string; occupiedBy: string | null } | null> {
  const [row] = await db.query<{ epci: string; reservationHolderId: string; occupiedBy: string | null }>(
    `SELECT m.epci_code AS epci, m.reservation_holder_id AS "reservationHolderId",
            (SELECT h.id FROM household h WHERE h.home_id = m.id) AS "occupiedBy"
     FROM home m WHERE m.id = $1`,
    [homeId],
  );
  return row ?? null;
}

/**
 * Records the relocated household's new lease (flagged urban_renewal_relocation, so that the CIA
 * review counts it toward target 1 when the home is outside QPV), closes its demand as housed and
 * moves the household in: its former home, in a building to be demolished, becomes vacant.
 */
export async function insertRelocationLease(
  db: Db,
  l: Omit<NewLease, 'urbanRenewalRelocation' | 'transfer' | 'decisionId'>,
): Promise<string> {
  // A relocated household is a social tenant moving within the stock: a transfer.
  return insertLease(db, { ...l, urbanRenewalRelocation: true, transfer: true, decisionId: null }, true);
}

/**
 * Withdraws the demand's active applications (the household is rehoused: they can no longer lead to a
 * lease), as the letting API withdraws an application. Returns the ids withdrawn.
 */
export async function withdrawActiveApplicationsOf(
  db: Db,
  sneNumber: string,
  by: string | null,
): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `UPDATE application SET status = 'withdrawn', withdrawn_at = now(), withdrawn_by = $2
     WHERE sne_number = $1 AND status = 'active' RETURNING id`,
    [sneNumber, by],
  );
  return rows.map((r) => r.id).sort();
}

/**
 * A lease that already houses the household through this demand, or that it signed since the demand
 * was registered (a commission decision, or any new home), if any. The lease of the home it is
 * leaving does not count: that is the home the relocation replaces.
 */
export async function newLeaseOfHousehold(
  db: Db,
  l: { householdId: string; sneNumber: string; registeredOn: string; originHomeId: string },
): Promise<string | null> {
  const [row] = await db.query<{ id: string }>(
    `SELECT id FROM lease WHERE sne_number = $2
        OR (household_id = $1 AND home_id <> $4 AND (decision_id IS NOT NULL OR signed_on >= $3::date))
     ORDER BY signed_on LIMIT 1`,
    [l.householdId, l.sneNumber, l.registeredOn, l.originHomeId],
  );
  return row?.id ?? null;
}

/** The adverts of a home still open (draft or published), locked: the home is being let. */
export async function openAdvertsOfHome(db: Db, homeId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    "SELECT id FROM advert WHERE home_id = $1 AND status IN ('draft', 'published') ORDER BY id FOR UPDATE",
    [homeId],
  );
  return rows.map((r) => r.id);
}

/** The demand's figures a lease keeps (income, priority), for the relocation lease. */
export async function demandForLease(
  db: Db,
  sneNumber: string,
): Promise<{
  status: string;
  monthlyResourcesEur: number;
  persons14OrMore: number;
  personsUnder14: number;
  dalo: boolean;
  priorityCriteria: string[];
  registeredOn: string;
} | null> {
  const [row] = await db.query<{
    status: string;
    monthlyResourcesEur: number;
    persons14OrMore: number;
    personsUnder14: number;
    dalo: boolean;
    priorityCriteria: string[];
    registeredOn: string;
  }>(
    `SELECT status, monthly_resources_eur AS "monthlyResourcesEur", persons_14_or_more AS "persons14OrMore",
            persons_under_14 AS "personsUnder14", dalo, priority_criteria AS "priorityCriteria",
            to_char(registered_on, 'YYYY-MM-DD') AS "registeredOn"
     FROM demand WHERE sne_number = $1 FOR UPDATE`,
    [sneNumber],
  );
  return row ?? null;
}

/** Replaces the operation's calendar (kept in date order). */
export async function setMilestones(
  db: Db,
  operationId: string,
  milestones: readonly Milestone[],
): Promise<void> {
  const sorted = [...milestones].sort((a, b) => a.date.localeCompare(b.date));
  await db.query('UPDATE relocation_operation SET milestones = $2 WHERE id = $1', [
    operationId,
    JSON.stringify(sorted),
  ]);
}
