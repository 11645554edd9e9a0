import { randomUUID } from 'node:crypto';
import type { DecisionKind } from '@mosaique/domain/commission';
import type { Db } from './db.ts';

/**
 * The allocation commission (CALEOL, migration 0007): sessions, agenda items, decisions, applicants'
 * answers and the leases signed from them. Writes run in the caller's transaction, next to the
 * audit entry the caller appends.
 */

export type SessionStatus = 'planned' | 'held' | 'closed';
export interface SessionMember {
  name: string;
  role: string;
}
export interface StoredSession {
  id: string;
  epci: string;
  landlordId: string;
  heldOn: string;
  members: SessionMember[];
  quorum: number;
  status: SessionStatus;
  minutesNotes: string | null;
}

const sessionColumns = `s.id, s.epci_code AS epci, s.landlord_id AS "landlordId", to_char(s.held_on, 'YYYY-MM-DD') AS "heldOn",
  s.members, s.quorum, s.status, s.minutes_notes AS "minutesNotes"`;

export async function createCommissionSession(
  db: Db,
  s: Omit<StoredSession, 'id' | 'status' | 'minutesNotes'> & { createdBy: string | null },
): Promise<StoredSession> {
  const [row] = await db.query<StoredSession>(
    `INSERT INTO commission_session AS s (id, epci_code, landlord_id, held_on, members, quorum, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${sessionColumns}`,
    [randomUUID(), s.epci, s.landlordId, s.heldOn, JSON.stringify(s.members), s.quorum, s.createdBy],
  );
  return row!;
}

export async function getCommissionSession(db: Db, id: string): Promise<StoredSession | null> {
  const [row] = await db.query<StoredSession>(
    `SELECT ${sessionColumns} FROM commission_session s WHERE s.id = $1`,
    [id],
  );
  return row ?? null;
}

export async function listCommissionSessions(
  db: Db,
  epci: string,
  landlordId: string | null,
): Promise<StoredSession[]> {
  return db.query<StoredSession>(
    `SELECT ${sessionColumns} FROM commission_session s
     WHERE s.epci_code = $1 AND ($2::text IS NULL OR s.landlord_id = $2) ORDER BY s.held_on DESC, s.id`,
    [epci, landlordId],
  );
}

export async function updateCommissionSession(
  db: Db,
  id: string,
  change: { status?: SessionStatus | undefined; minutesNotes?: string | undefined },
): Promise<StoredSession | null> {
  const [row] = await db.query<StoredSession>(
    `UPDATE commission_session s SET status = COALESCE($2, s.status), minutes_notes = COALESCE($3, s.minutes_notes)
     WHERE s.id = $1 RETURNING ${sessionColumns}`,
    [id, change.status ?? null, change.minutesNotes ?? null],
  );
  return row ?? null;
}

/** One CIA target row of the engine run (year to date + batch), as the commission reads it. */
export interface ProposalConstraint {
  name: string;
  label: string;
  slack: number;
  /** Absent from proposals stored by earlier versions (slack only). */
  target?: number;
  required?: number;
  achieved?: number;
  shortfall?: number;
  missingHouseholds?: number;
}

/** A proposed candidate's figures: cotation score, rank of the home among their choices, CIA flags. */
export interface ProposalCandidate {
  sneNumber: string;
  score: number;
  rank: number;
  firstQuartile: boolean;
  priorityPublic: boolean;
  urbanRenewalRelocation: boolean;
}

export interface Proposal {
  jobId: string;
  candidates: string[];
  objective: number;
  upperBound: number;
  gap: number;
  status: string;
  constraints: ProposalConstraint[];
  explanation: string | null;
  /** Objective loss against the same batch without the CIA targets (score points). */
  priceOfMix?: number;
  /** The proposed candidates' figures, in the proposal's order. */
  details?: ProposalCandidate[];
}

export interface StoredItem {
  id: string;
  sessionId: string;
  epci: string;
  homeId: string;
  advertId: string | null;
  reservationHolderId: string;
  proposal: Proposal | null;
  candidates: string[];
  available: number;
  daloDesignated: boolean;
  deviationJustification: string | null;
  status: 'open' | 'decided' | 'let';
  version: number;
}

const itemSelect = `SELECT i.id, i.session_id AS "sessionId", i.epci_code AS epci, i.home_id AS "homeId",
  i.advert_id AS "advertId", h.reservation_holder_id AS "reservationHolderId", i.proposal, i.candidates, i.available,
  i.dalo_designated AS "daloDesignated", i.deviation_justification AS "deviationJustification", i.status, i.version
  FROM agenda_item i JOIN home h ON h.id = i.home_id`;

/** The agenda item; with `forUpdate`, its row is locked until the transaction ends. */
export async function getItem(
  db: Db,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredItem | null> {
  const [row] = await db.query<StoredItem>(
    `${itemSelect} WHERE i.id = $1${options.forUpdate ? ' FOR UPDATE OF i' : ''}`,
    [id],
  );
  return row ?? null;
}

export async function itemsOfSession(db: Db, sessionId: string): Promise<StoredItem[]> {
  return db.query<StoredItem>(`${itemSelect} WHERE i.session_id = $1 ORDER BY i.home_id`, [sessionId]);
}

/** Puts a home on the agenda with the engine's proposal, or replaces the proposal of an open item. */
export async function saveProposalItem(
  db: Db,
  item: {
    sessionId: string;
    epci: string;
    homeId: string;
    advertId: string | null;
    proposal: Proposal;
    available: number;
  },
): Promise<'saved' | 'decided'> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO agenda_item AS i (id, session_id, epci_code, home_id, advert_id, proposal, candidates, available)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (session_id, home_id) DO UPDATE SET proposal = EXCLUDED.proposal, candidates = EXCLUDED.candidates,
       available = EXCLUDED.available, advert_id = EXCLUDED.advert_id, deviation_justification = NULL,
       version = i.version + 1
     WHERE i.status = 'open' RETURNING i.id`,
    [
      randomUUID(),
      item.sessionId,
      item.epci,
      item.homeId,
      item.advertId,
      JSON.stringify(item.proposal),
      item.proposal.candidates,
      item.available,
    ],
  );
  return rows.length === 1 ? 'saved' : 'decided';
}

/** Changes an open item's candidates; returns the new version. The caller holds the row lock. */
export async function updateItemCandidates(
  db: Db,
  id: string,
  change: { candidates: string[]; deviationJustification: string | null; daloDesignated: boolean },
): Promise<number> {
  const [row] = await db.query<{ version: number }>(
    `UPDATE agenda_item SET candidates = $2, deviation_justification = $3, dalo_designated = $4, version = version + 1
     WHERE id = $1 RETURNING version`,
    [id, change.candidates, change.deviationJustification, change.daloDesignated],
  );
  return row!.version;
}

export async function setItemStatus(db: Db, id: string, status: StoredItem['status']): Promise<number> {
  const [row] = await db.query<{ version: number }>(
    'UPDATE agenda_item SET status = $2, version = version + 1 WHERE id = $1 RETURNING version',
    [id, status],
  );
  return row!.version;
}

export interface StoredDecision {
  id: string;
  agendaItemId: string;
  sessionId: string;
  epci: string;
  homeId: string;
  landlordId: string;
  reservationHolderId: string;
  sneNumber: string;
  kind: DecisionKind;
  rank: number | null;
  reasonCodes: string[];
  reasonText: string | null;
  missingDocument: string | null;
  decidedBy: string | null;
  decidedAt: string;
  response: 'accepted' | 'refused' | null;
  responseReason: string | null;
  leaseId: string | null;
}

const decisionSelect = `SELECT d.id, d.agenda_item_id AS "agendaItemId", i.session_id AS "sessionId", d.epci_code AS epci,
  i.home_id AS "homeId", s.landlord_id AS "landlordId", h.reservation_holder_id AS "reservationHolderId",
  d.sne_number AS "sneNumber", d.kind, d.rank, d.reason_codes AS "reasonCodes", d.reason_text AS "reasonText",
  d.missing_document AS "missingDocument", d.decided_by AS "decidedBy",
  to_char(d.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "decidedAt",
  r.response, r.reason AS "responseReason", l.id AS "leaseId"
  FROM decision d JOIN agenda_item i ON i.id = d.agenda_item_id JOIN commission_session s ON s.id = i.session_id
  JOIN home h ON h.id = i.home_id LEFT JOIN applicant_response r ON r.decision_id = d.id
  LEFT JOIN lease l ON l.decision_id = d.id`;

export async function insertDecision(
  db: Db,
  d: {
    agendaItemId: string;
    epci: string;
    sneNumber: string;
    kind: DecisionKind;
    rank: number | null;
    reasonCodes: readonly string[];
    reasonText: string | null;
    missingDocument: string | null;
    decidedBy: string | null;
  },
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO decision (id, agenda_item_id, epci_code, sne_number, kind, rank, reason_codes, reason_text, missing_document, decided_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      id,
      d.agendaItemId,
      d.epci,
      d.sneNumber,
      d.kind,
      d.rank,
      d.reasonCodes,
      d.reasonText,
      d.missingDocument,
      d.decidedBy,
    ],
  );
  return id;
}

export async function decisionsOfItem(db: Db, itemId: string): Promise<StoredDecision[]> {
  return db.query<StoredDecision>(
    `${decisionSelect} WHERE d.agenda_item_id = $1 ORDER BY d.rank NULLS LAST, d.sne_number`,
    [itemId],
  );
}

/** The decisions of every agenda item of a session, by item (in the order of decisionsOfItem). */
export async function decisionsOfSession(db: Db, sessionId: string): Promise<Map<string, StoredDecision[]>> {
  const rows = await db.query<StoredDecision>(
    `${decisionSelect} WHERE i.session_id = $1 ORDER BY d.agenda_item_id, d.rank NULLS LAST, d.sne_number`,
    [sessionId],
  );
  const out = new Map<string, StoredDecision[]>();
  for (const d of rows) {
    const list = out.get(d.agendaItemId);
    if (list) list.push(d);
    else out.set(d.agendaItemId, [d]);
  }
  return out;
}

export async function decisionsOfDemand(db: Db, sneNumber: string): Promise<StoredDecision[]> {
  return db.query<StoredDecision>(
    `${decisionSelect} WHERE d.sne_number = $1 ORDER BY d.decided_at DESC, d.id`,
    [sneNumber],
  );
}

export async function getDecision(db: Db, id: string): Promise<StoredDecision | null> {
  const [row] = await db.query<StoredDecision>(`${decisionSelect} WHERE d.id = $1`, [id]);
  return row ?? null;
}

export async function insertResponse(
  db: Db,
  r: {
    decisionId: string;
    epci: string;
    response: 'accepted' | 'refused';
    reason: string | null;
    recordedBy: string | null;
  },
): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO applicant_response (decision_id, epci_code, response, reason, recorded_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (decision_id) DO NOTHING RETURNING decision_id`,
    [r.decisionId, r.epci, r.response, r.reason, r.recordedBy],
  );
  return rows.length === 1;
}

/** What a lease is signed from: the demand, its household and the home. */
export interface LeaseSource {
  sneNumber: string;
  demandStatus: string;
  registeredOn: string;
  householdId: string | null;
  monthlyResourcesEur: number;
  persons14OrMore: number;
  personsUnder14: number;
  householdType: string;
  referenceTaxIncomeEur: number;
  dalo: boolean;
  priorityCriteria: string[];
  urbanRenewalRelocation: boolean;
  currentSocialTenant: boolean;
  homeId: string;
  reservationHolderId: string;
  communeCode: string;
  irisCode: string;
  occupiedBy: string | null;
}

export async function leaseSource(db: Db, sneNumber: string, homeId: string): Promise<LeaseSource | null> {
  const [row] = await db.query<LeaseSource>(
    `SELECT d.sne_number AS "sneNumber", d.status AS "demandStatus", to_char(d.registered_on, 'YYYY-MM-DD') AS "registeredOn",
            d.household_id AS "householdId", d.monthly_resources_eur AS "monthlyResourcesEur",
            d.persons_14_or_more AS "persons14OrMore", d.persons_under_14 AS "personsUnder14",
            d.household_type AS "householdType", d.reference_tax_income_eur AS "referenceTaxIncomeEur", d.dalo,
            d.priority_criteria AS "priorityCriteria", d.urban_renewal_relocation AS "urbanRenewalRelocation",
            d.current_social_tenant AS "currentSocialTenant", h.id AS "homeId", h.reservation_holder_id AS "reservationHolderId",
            r.commune_code AS "communeCode", r.iris_code AS "irisCode",
            (SELECT o.id FROM household o WHERE o.home_id = h.id) AS "occupiedBy"
     FROM demand d, home h JOIN residence r ON r.id = h.residence_id WHERE d.sne_number = $1 AND h.id = $2`,
    [sneNumber, homeId],
  );
  return row ?? null;
}

/** A lease already held by the household or the demand: from a commission, or signed since the demand was registered. */
export async function existingLeaseOf(
  db: Db,
  householdId: string | null,
  sneNumber: string,
  registeredOn: string,
): Promise<string | null> {
  const [row] = await db.query<{ id: string }>(
    `SELECT id FROM lease WHERE sne_number = $2
        OR ($1::text IS NOT NULL AND household_id = $1 AND (decision_id IS NOT NULL OR signed_on >= $3::date))
     LIMIT 1`,
    [householdId, sneNumber, registeredOn],
  );
  return row?.id ?? null;
}

/** Creates a household for a demand that has none (the lease needs one), from the demand's figures. */
export async function householdFromDemand(db: Db, epci: string, s: LeaseSource): Promise<string> {
  const id = `HD-${s.sneNumber}`;
  await db.query(
    `INSERT INTO household (id, epci_code, commune_code, iris_code, tenure, home_id, persons_14_or_more, persons_under_14,
       reference_age, type, annual_disposable_income_eur, income_imputed)
     SELECT $1, $2, $3, $4, 'private-tenant', NULL, $5, $6, GREATEST(18, LEAST(120, date_part('year', age(applicant_birth_date))::int)),
       $7, $8, true FROM demand WHERE sne_number = $9`,
    [
      id,
      epci,
      s.communeCode,
      s.irisCode,
      s.persons14OrMore,
      s.personsUnder14,
      s.householdType,
      s.referenceTaxIncomeEur,
      s.sneNumber,
    ],
  );
  await db.query('UPDATE demand SET household_id = $1 WHERE sne_number = $2', [id, s.sneNumber]);
  return id;
}

export interface NewLease {
  epci: string;
  homeId: string;
  householdId: string;
  sneNumber: string;
  signedOn: string;
  reservationHolderId: string;
  incomePerConsumptionUnitEur: number;
  firstQuartileThresholdEur: number;
  firstQuartile: boolean;
  urbanRenewalRelocation: boolean;
  priorityPublic: boolean;
  dalo: boolean;
  transfer: boolean;
  /** The commission decision it follows; null for a relocation lease signed outside the commission. */
  decisionId: string | null;
  /** Demo data (the demo's relocation leases). */
  generated?: boolean;
}

/**
 * Records the signed lease, closes the demand as housed and moves the household in (when the home
 * is not recorded as occupied by another household). Unique indexes refuse a second lease of the
 * household, the demand or the decision.
 */
export async function insertLease(db: Db, l: NewLease, moveIn: boolean): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO lease (id, epci_code, home_id, household_id, sne_number, signed_on, reservation_holder_id,
       income_per_consumption_unit_eur, first_quartile_threshold_eur, first_quartile, urban_renewal_relocation,
       priority_public, dalo, transfer, decision_id, generated)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [
      id,
      l.epci,
      l.homeId,
      l.householdId,
      l.sneNumber,
      l.signedOn,
      l.reservationHolderId,
      l.incomePerConsumptionUnitEur,
      l.firstQuartileThresholdEur,
      l.firstQuartile,
      l.urbanRenewalRelocation,
      l.priorityPublic,
      l.dalo,
      l.transfer,
      l.decisionId,
      l.generated ?? false,
    ],
  );
  await db.query(
    `UPDATE demand SET status = 'housed', closed_on = GREATEST($2::date, registered_on) WHERE sne_number = $1 AND status = 'active'`,
    [l.sneNumber, l.signedOn],
  );
  if (moveIn) {
    await db.query(
      `UPDATE household SET home_id = $2, tenure = 'social-tenant',
         commune_code = (SELECT r.commune_code FROM home h JOIN residence r ON r.id = h.residence_id WHERE h.id = $2),
         iris_code = (SELECT r.iris_code FROM home h JOIN residence r ON r.id = h.residence_id WHERE h.id = $2)
       WHERE id = $1`,
      [l.householdId, l.homeId],
    );
  }
  return id;
}

/** The shortlists of a closed cycle, for the engine: adverts of a landlord with their home, and entries. */
export interface CycleShortlistRow {
  advertId: string;
  homeId: string;
  qpv: boolean;
  reservationHolderId: string;
  sneNumber: string;
  rank: number | null;
  score: number | null;
  eligible: boolean | null;
  /** The applicant's order of preference for this application (migration 0013), null if unordered. */
  preference: number | null;
}

export async function shortlistsOfCycle(
  db: Db,
  cycleId: string,
  landlordId: string,
): Promise<CycleShortlistRow[]> {
  return db.query<CycleShortlistRow>(
    `SELECT a.id AS "advertId", a.home_id AS "homeId", r.qpv_code IS NOT NULL AS qpv,
            h.reservation_holder_id AS "reservationHolderId", s.sne_number AS "sneNumber", s.rank, s.score, s.eligible,
            p.preference
     FROM advert a JOIN home h ON h.id = a.home_id JOIN residence r ON r.id = h.residence_id
     LEFT JOIN shortlist s ON s.advert_id = a.id
     LEFT JOIN application p ON p.advert_id = a.id AND p.sne_number = s.sne_number AND p.status = 'shortlisted'
     WHERE a.cycle_id = $1 AND a.landlord_id = $2 AND a.status = 'closed'
     ORDER BY a.home_id, s.rank NULLS LAST, s.sne_number`,
    [cycleId, landlordId],
  );
}

/** Closed adverts of a landlord in a cycle (the homes an engine run would put on the agenda). */
export async function closedAdvertCount(db: Db, cycleId: string, landlordId: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM advert WHERE cycle_id = $1 AND landlord_id = $2 AND status = 'closed'",
    [cycleId, landlordId],
  );
  return row!.n;
}

/** Landlords owning homes in an EPCI, for scheduling a commission. */
export async function landlordsOfEpci(db: Db, epci: string): Promise<{ id: string; name: string }[]> {
  return db.query<{ id: string; name: string }>(
    `SELECT l.id, l.name FROM landlord l
     WHERE EXISTS (SELECT 1 FROM residence r WHERE r.landlord_id = l.id AND r.epci_code = $1) ORDER BY l.name, l.id`,
    [epci],
  );
}

/** An applicant's active application, with its place in their order of preference. */
export interface PreferredApplication {
  id: string;
  advertId: string;
  cycleId: string;
  preference: number | null;
  createdAt: string;
}

/** The applicant's active applications in their order: ordered ones first, then by date of application. */
export async function activeApplicationsInPreferenceOrder(
  db: Db,
  sneNumber: string,
): Promise<PreferredApplication[]> {
  return db.query<PreferredApplication>(
    `SELECT id, advert_id AS "advertId", cycle_id AS "cycleId", preference,
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt"
     FROM application WHERE sne_number = $1 AND status = 'active'
     ORDER BY preference NULLS LAST, created_at, id`,
    [sneNumber],
  );
}

/**
 * Stores the applicant's order (1 = preferred) on their active applications; the caller checked that
 * `orderedIds` lists each of them once.
 */
export async function setApplicationPreferences(
  db: Db,
  sneNumber: string,
  orderedIds: readonly string[],
): Promise<void> {
  await db.query(
    `UPDATE application a SET preference = u.ord
     FROM unnest($2::text[]) WITH ORDINALITY AS u(id, ord)
     WHERE a.id = u.id AND a.sne_number = $1 AND a.status = 'active'`,
    [sneNumber, orderedIds],
  );
}

/** What the agenda and the minutes say of a home: typology, place, QPV, reservation holder. */
export interface AgendaHome {
  homeId: string;
  typology: number;
  surfaceM2: number;
  rentEur: number;
  chargesEur: number;
  residenceName: string;
  communeName: string;
  qpv: boolean;
  reservationHolderName: string;
}

export async function homesOfSession(db: Db, sessionId: string): Promise<AgendaHome[]> {
  return db.query<AgendaHome>(
    `SELECT h.id AS "homeId", h.typology, h.surface_m2 AS "surfaceM2", h.rent_eur AS "rentEur", h.charges_eur AS "chargesEur",
            r.name AS "residenceName", c.name AS "communeName", r.qpv_code IS NOT NULL AS qpv,
            rh.name AS "reservationHolderName"
     FROM agenda_item i JOIN home h ON h.id = i.home_id JOIN residence r ON r.id = h.residence_id
     JOIN commune c ON c.code = r.commune_code JOIN reservation_holder rh ON rh.id = h.reservation_holder_id
     WHERE i.session_id = $1 ORDER BY h.id`,
    [sessionId],
  );
}

/** Names of the EPCI and the landlord of a session, and whether the data is the generated demo. */
export async function sessionNames(
  db: Db,
  session: Pick<StoredSession, 'epci' | 'landlordId'>,
): Promise<{ epciName: string; landlordName: string; generated: boolean }> {
  const [row] = await db.query<{ epciName: string; landlordName: string; generated: boolean }>(
    `SELECT e.name AS "epciName", l.name AS "landlordName", l.generated
     FROM epci e, landlord l WHERE e.code = $1 AND l.id = $2`,
    [session.epci, session.landlordId],
  );
  return row ?? { epciName: session.epci, landlordName: session.landlordId, generated: false };
}
