import {
  activeGrid,
  addStep,
  answerProposal,
  appendAudit,
  attachCommissionLeaseToRelocation,
  attachLease,
  createOperation,
  type Db,
  decisionForRelocation,
  demandForLease,
  ensureRelocationDemand,
  getFile,
  getOperation,
  homeForRelocationLease,
  householdsToRelocate,
  insertFile,
  insertProposal,
  insertRelocationLease,
  isOfficerOf,
  loadDemands,
  newLeaseOfHousehold,
  openAdvertsOfHome,
  residenceProblems,
  type StoredFile,
  type StoredOperation,
  saveScores,
  type User,
  withdrawActiveApplicationsOf,
  withdrawAdvert,
} from '@mosaique/db';
import { scoreDemands } from '@mosaique/domain/cotation';
import { consumptionUnitScaleOn, incomePerConsumptionUnit } from '@mosaique/domain/demand';
import {
  MAX_PROPOSALS,
  type Milestone,
  type OperationKind,
  REFUSAL_REASON_LABELS,
  type RefusalReason,
} from '@mosaique/domain/relocation';
import { HttpError } from '../auth/plugin.ts';
import { thresholdForYear } from '../commission/engine-run.ts';

/**
 * The relocation use cases (docs/relocation.md): rights, creating an operation with its households,
 * proposals and their answers, the new lease. Every write runs in one transaction with its audit entry.
 */

export class ProblemsError extends HttpError {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(400, message);
  }
}

/** What a user may do with an operation: manage its files, read them, or nothing (404). */
export async function operationRights(
  db: Db,
  user: User,
  op: Pick<StoredOperation, 'id' | 'epci' | 'landlordId'>,
): Promise<{ read: boolean; writeFiles: boolean; administer: boolean; reserveHomes: boolean }> {
  const officer = user.role === 'relocation-officer' && (await isOfficerOf(db, op.id, user.id));
  const analyst = user.role === 'epci-analyst' && user.epciCode === op.epci;
  const landlord = user.role === 'landlord-agent' && user.landlordId === op.landlordId;
  const admin = user.role === 'admin';
  return {
    read: officer || analyst || landlord || admin,
    writeFiles: officer || admin,
    administer: analyst || admin,
    reserveHomes: officer || analyst || landlord || admin,
  };
}

/** The operation if the user may read it (else 404: its existence is not revealed). */
export async function readableOperation(db: Db, user: User, id: string) {
  const op = await getOperation(db, id);
  if (!op) throw new HttpError(404, 'opération introuvable');
  const rights = await operationRights(db, user, op);
  if (!rights.read) throw new HttpError(404, 'opération introuvable');
  return { op, rights };
}

/**
 * The file if the user may read it: the household holding the file's demand, or a reader of its
 * operation. `write` asks for the right to change it (officers of the operation, admins).
 */
export async function accessibleFile(
  db: Db,
  user: User,
  id: string,
  options: { write?: boolean; forUpdate?: boolean } = {},
): Promise<StoredFile> {
  const file = await getFile(db, id, { forUpdate: options.forUpdate ?? false });
  if (!file) throw new HttpError(404, 'dossier de relogement introuvable');
  const own = user.role === 'applicant' && user.sneNumber === file.sneNumber;
  if (own && !options.write) return file;
  if (own) throw new HttpError(403, 'seuls les chargés de relogement de l’opération modifient ce dossier');
  if (user.role === 'applicant') throw new HttpError(404, 'dossier de relogement introuvable');
  const op = (await getOperation(db, file.operationId))!;
  const rights = await operationRights(db, user, op);
  if (!rights.read) throw new HttpError(404, 'dossier de relogement introuvable');
  if (options.write && !rights.writeFiles)
    throw new HttpError(403, 'seuls les chargés de relogement de l’opération modifient ce dossier');
  return file;
}

/** A new SNE number for a household that has no demand: 038 + year + month + 9 + a sequence. */
async function freeSneNumber(db: Db, registeredOn: string, start: number): Promise<[string, number]> {
  for (let n = start; ; n++) {
    const sne = `038${registeredOn.slice(2, 4)}${registeredOn.slice(5, 7)}9${String(n).padStart(6, '0')}`;
    const [taken] = await db.query('SELECT 1 FROM demand WHERE sne_number = $1', [sne]);
    if (!taken) return [sne, n + 1];
  }
}

/** Scores the relocation demands under the active grid (the relocation flag may earn points). */
async function scoreRelocationDemands(db: Db, epci: string, sneNumbers: readonly string[], date: string) {
  const grid = await activeGrid(db, epci);
  if (!grid || sneNumbers.length === 0) return;
  const demands = await loadDemands(db, epci, { active: true, sneNumbers });
  const totals = scoreDemands(demands, grid, date);
  await saveScores(
    db,
    epci,
    grid,
    date,
    demands.map((d, i) => ({ sneNumber: d.sneNumber, total: totals[i]! })),
  );
}

export interface NewOperation {
  id?: string;
  epci: string;
  name: string;
  kind: OperationKind;
  qpv: string;
  landlordId: string;
  residenceIds: string[];
  milestones: Milestone[];
  generated?: boolean;
}

/**
 * Creates the operation and imports its households from the occupancy of its buildings: each gets a
 * relocation file and a demand flagged as an urban-renewal relocation (its own active demand, or one
 * registered for it). Runs in the caller's transaction.
 */
export async function createOperationWithHouseholds(
  tx: Db,
  input: NewOperation,
  actor: User | null,
  today: string,
): Promise<{ id: string; households: number; fileIds: string[] }> {
  const problems = await residenceProblems(tx, input.residenceIds, input);
  if (problems.length) throw new ProblemsError('bâtiments de l’opération refusés', problems);
  const id = await createOperation(tx, { ...input, createdBy: actor?.id ?? null });
  const households = await householdsToRelocate(tx, id);
  const [{ n }] = (await tx.query<{ n: number }>('SELECT count(*)::int + 1 AS n FROM relocation_file')) as [
    { n: number },
  ];
  let next = n;
  const fileIds: string[] = [];
  const sneNumbers: string[] = [];
  for (const h of households) {
    let fresh = '';
    if (!h.sneNumber) [fresh, next] = await freeSneNumber(tx, today, next);
    const sne = await ensureRelocationDemand(tx, h, today, fresh);
    sneNumbers.push(sne);
    fileIds.push(
      await insertFile(tx, {
        operationId: id,
        household: h,
        sneNumber: sne,
        importedOn: today,
        by: actor?.id ?? null,
      }),
    );
  }
  await scoreRelocationDemands(tx, input.epci, sneNumbers, today);
  await appendAudit(tx, {
    actorUserId: actor?.id ?? null,
    actorRole: actor?.role ?? null,
    action: 'relocation.operation.create',
    entity: 'relocation-operation',
    entityId: id,
    epciCode: input.epci,
    details: { residences: input.residenceIds, households: households.length, qpv: input.qpv },
  });
  return { id, households: households.length, fileIds };
}

/** A vacant home of the EPCI outside the operation's buildings, or the reason it cannot be offered. */
async function offerableHome(
  tx: Db,
  file: StoredFile,
  homeId: string,
  advertId: string | null,
): Promise<void> {
  const [home] = await tx.query<{ epci: string; occupied: boolean; own: boolean }>(
    `SELECT m.epci_code AS epci, EXISTS (SELECT 1 FROM household h WHERE h.home_id = m.id) AS occupied,
            EXISTS (SELECT 1 FROM relocation_operation_residence x WHERE x.operation_id = $2 AND x.residence_id = m.residence_id) AS own
     FROM home m WHERE m.id = $1`,
    [homeId, file.operationId],
  );
  if (!home) throw new HttpError(404, `homeId : logement ${homeId} introuvable`);
  if (home.epci !== file.epci) throw new HttpError(422, 'homeId : logement hors de l’EPCI de l’opération');
  if (home.own) throw new HttpError(422, 'homeId : logement d’un bâtiment de l’opération elle-même');
  if (home.occupied) throw new HttpError(409, 'homeId : logement occupé, il ne peut pas être proposé');
  if (advertId) {
    const [advert] = await tx.query<{ home: string; status: string }>(
      'SELECT home_id AS home, status FROM advert WHERE id = $1',
      [advertId],
    );
    if (!advert || advert.home !== homeId || advert.status !== 'published')
      throw new HttpError(422, 'advertId : l’annonce doit être publiée et porter sur ce logement');
  }
}

/** Decisions that offer the home (a non-allocation or a rejection offers nothing). */
const OFFERING_DECISIONS = new Set(['allocation', 'ranked-allocation', 'suspensive-condition']);

/**
 * The commission decision a proposal is made through: of the file's demand, on the proposed home, an
 * offer, not already linked to another proposal. Returns the decision's answer, if already given.
 */
async function checkedDecision(tx: Db, file: StoredFile, homeId: string, decisionId: string) {
  const decision = await decisionForRelocation(tx, decisionId);
  if (!decision || decision.epci !== file.epci)
    throw new HttpError(
      422,
      `decisionId : décision de commission ${decisionId} introuvable sur ce territoire`,
    );
  if (decision.sneNumber !== file.sneNumber)
    throw new HttpError(422, 'decisionId : cette décision porte sur la demande d’un autre ménage');
  if (decision.homeId !== homeId)
    throw new HttpError(422, 'decisionId : cette décision porte sur un autre logement que celui proposé');
  if (!OFFERING_DECISIONS.has(decision.kind))
    throw new HttpError(422, 'decisionId : une non-attribution ou un rejet ne vaut pas proposition');
  if (decision.linkedFileId)
    throw new HttpError(409, 'decisionId : cette décision est déjà liée à une proposition de relogement');
  return decision;
}

export async function proposeHome(
  db: Db,
  fileId: string,
  input: { homeId: string; advertId: string | null; decisionId?: string | null; proposedOn: string },
  actor: User,
): Promise<number> {
  return db.transaction(async (tx) => {
    const file = await accessibleFile(tx, actor, fileId, { write: true, forUpdate: true });
    if (file.lease) throw new HttpError(409, 'ce ménage est déjà relogé : plus de proposition');
    if (file.proposals.some((p) => p.response !== 'refused'))
      throw new HttpError(409, 'une proposition attend encore sa réponse ou a été acceptée');
    if (file.proposals.length >= MAX_PROPOSALS)
      throw new HttpError(409, `trois propositions au plus par ménage (${MAX_PROPOSALS} déjà faites)`);
    if (file.proposals.some((p) => p.homeId === input.homeId))
      throw new HttpError(409, 'homeId : ce logement a déjà été proposé à ce ménage');
    const last = file.proposals.at(-1);
    if (last?.answeredOn && input.proposedOn < last.answeredOn)
      throw new HttpError(422, 'proposedOn : date antérieure à la réponse à la proposition précédente');
    await offerableHome(tx, file, input.homeId, input.advertId);
    const decisionId = input.decisionId ?? null;
    if (decisionId) await checkedDecision(tx, file, input.homeId, decisionId);
    const rank = file.proposals.length + 1;
    await insertProposal(tx, { fileId, rank, ...input, decisionId });
    await addStep(tx, {
      fileId,
      kind: 'proposal',
      onDate: input.proposedOn,
      details: {
        rank,
        homeId: input.homeId,
        advertId: input.advertId,
        ...(decisionId ? { decisionId } : {}),
      },
      by: actor.id,
    });
    await appendAudit(tx, {
      actorUserId: actor.id,
      actorRole: actor.role,
      action: 'relocation.proposal.create',
      entity: 'relocation-file',
      entityId: fileId,
      epciCode: file.epci,
      details: { rank, homeId: input.homeId, decisionId },
    });
    return rank;
  });
}

/** The household (its own file) or an officer records the answer to a pending proposal. */
export async function answerHomeProposal(
  db: Db,
  fileId: string,
  rank: number,
  input: { response: 'accepted' | 'refused'; answeredOn: string; refusalReason: RefusalReason | null },
  actor: User,
): Promise<void> {
  await db.transaction(async (tx) => {
    const own = actor.role === 'applicant';
    const file = await accessibleFile(tx, actor, fileId, { write: !own, forUpdate: true });
    const proposal = file.proposals.find((p) => p.rank === rank);
    if (!proposal) throw new HttpError(404, `proposition n° ${rank} introuvable`);
    if (proposal.response !== 'pending') throw new HttpError(409, 'cette proposition a déjà reçu sa réponse');
    if (input.answeredOn < proposal.proposedOn)
      throw new HttpError(422, 'answeredOn : la réponse ne peut précéder la proposition');
    if (input.response === 'refused' && !input.refusalReason)
      throw new HttpError(422, 'motif du refus (refusalReason) : obligatoire pour refuser une proposition');
    if (proposal.decisionId) {
      // Made through the commission: the answer here never contradicts the one given to it.
      const decision = (await decisionForRelocation(tx, proposal.decisionId))!;
      if (decision.response && decision.response !== input.response)
        throw new HttpError(
          409,
          `response : la réponse enregistrée en commission est « ${decision.response === 'accepted' ? 'acceptée' : 'refusée'} »`,
        );
    }
    const reason = input.response === 'refused' ? input.refusalReason : null;
    await answerProposal(tx, {
      fileId,
      rank,
      response: input.response,
      answeredOn: input.answeredOn,
      refusalReason: reason,
    });
    await addStep(tx, {
      fileId,
      kind: 'proposal-answer',
      onDate: input.answeredOn,
      details: {
        rank,
        response: input.response,
        ...(reason ? { refusalReason: reason, label: REFUSAL_REASON_LABELS[reason] } : {}),
      },
      by: actor.id,
    });
    await appendAudit(tx, {
      actorUserId: actor.id,
      actorRole: actor.role,
      action: 'relocation.proposal.answer',
      entity: 'relocation-file',
      entityId: fileId,
      epciCode: file.epci,
      details: { rank, response: input.response, refusalReason: reason },
    });
  });
}

/** Why a rehoused household's other applications were withdrawn (file step and audit entry). */
export const RELOCATION_LEASE_WITHDRAWAL = 'relocation-lease-signed';
/** The reason an advert of a home let to a relocated household is withdrawn (shown to applicants). */
export const RELOCATION_LEASE_ADVERT_REASON =
  'logement attribué à un ménage relogé dans le cadre du renouvellement urbain';

/**
 * Records the new lease of an accepted proposal: the lease (flagged urban-renewal relocation, so the
 * CIA review counts it), the demand closed as housed, its other active applications withdrawn (with
 * the reason in the step and the audit entry), any advert still open for the home withdrawn with its
 * reason (its applicants' applications too), the household moved in, the file's last step. A
 * household never gets two leases: the demand is locked, then any lease of the household or the
 * demand refuses a second one (as the commission's signature does).
 */
export async function signRelocationLease(
  tx: Db,
  fileId: string,
  input: { rank: number; signedOn: string; housingBenefitEur: number | null; generated?: boolean },
  actor: User | null,
): Promise<string> {
  const file = actor
    ? await accessibleFile(tx, actor, fileId, { write: true, forUpdate: true })
    : (await getFile(tx, fileId, { forUpdate: true }))!;
  if (file.lease) throw new HttpError(409, 'ce ménage a déjà signé son nouveau bail');
  const proposal = file.proposals.find((p) => p.rank === input.rank);
  if (!proposal) throw new HttpError(404, `proposition n° ${input.rank} introuvable`);
  if (proposal.response !== 'accepted')
    throw new HttpError(409, 'le bail ne peut être signé qu’après l’acceptation de la proposition');
  if (proposal.decisionId)
    throw new HttpError(
      409,
      'proposition faite en commission : le bail se signe sur la décision de la commission, le dossier le reçoit alors',
    );
  if (input.signedOn < proposal.answeredOn!)
    throw new HttpError(422, 'signedOn : le bail ne peut précéder l’acceptation de la proposition');
  const home = (await homeForRelocationLease(tx, proposal.homeId))!;
  if (home.occupiedBy !== null && home.occupiedBy !== file.householdId)
    throw new HttpError(409, 'le logement proposé est occupé par un autre ménage');
  // Locks the demand first: a commission signature of the same household waits, then sees this lease.
  const demand = await demandForLease(tx, file.sneNumber);
  const held =
    demand &&
    (await newLeaseOfHousehold(tx, {
      householdId: file.householdId,
      sneNumber: file.sneNumber,
      registeredOn: demand.registeredOn,
      originHomeId: file.origin.homeId,
    }));
  if (held) throw new HttpError(409, 'ce ménage a déjà un bail signé : il ne peut en signer un second');
  if (demand?.status !== 'active') throw new HttpError(409, 'la demande du ménage n’est plus active');
  const threshold = (await thresholdForYear(tx, file.epci, Number(input.signedOn.slice(0, 4)))) ?? 0;
  const income = incomePerConsumptionUnit(
    {
      monthlyResourcesEur: Number(demand.monthlyResourcesEur),
      persons14OrMore: demand.persons14OrMore,
      personsUnder14: demand.personsUnder14,
    },
    consumptionUnitScaleOn(input.signedOn),
  );
  const leaseId = await insertRelocationLease(tx, {
    epci: file.epci,
    homeId: proposal.homeId,
    householdId: file.householdId,
    sneNumber: file.sneNumber,
    signedOn: input.signedOn,
    reservationHolderId: home.reservationHolderId,
    incomePerConsumptionUnitEur: income,
    firstQuartileThresholdEur: threshold,
    firstQuartile: income <= threshold,
    priorityPublic: demand.dalo || demand.priorityCriteria.length > 0,
    dalo: demand.dalo,
    generated: input.generated ?? false,
  });
  await attachLease(tx, fileId, leaseId, input.housingBenefitEur);
  // Rehoused: its other applications can no longer lead to a lease (the demand is closed as housed).
  const withdrawn = await withdrawActiveApplicationsOf(tx, file.sneNumber, actor?.id ?? null);
  // The home is let: an advert still open for it is withdrawn with its reason (and its applications).
  const adverts = await openAdvertsOfHome(tx, proposal.homeId);
  for (const advertId of adverts)
    await withdrawAdvert(tx, advertId, RELOCATION_LEASE_ADVERT_REASON, actor?.id ?? null);
  const withdrawal = {
    ...(withdrawn.length
      ? { applicationsWithdrawn: withdrawn, withdrawalReason: RELOCATION_LEASE_WITHDRAWAL }
      : {}),
    ...(adverts.length ? { advertsWithdrawn: adverts } : {}),
  };
  await addStep(tx, {
    fileId,
    kind: 'lease',
    onDate: input.signedOn,
    details: { rank: input.rank, homeId: proposal.homeId, leaseId, ...withdrawal },
    by: actor?.id ?? null,
  });
  await appendAudit(tx, {
    actorUserId: actor?.id ?? null,
    actorRole: actor?.role ?? null,
    action: 'relocation.lease.sign',
    entity: 'lease',
    entityId: leaseId,
    epciCode: file.epci,
    details: { fileId, homeId: proposal.homeId, signedOn: input.signedOn, ...withdrawal },
  });
  return leaseId;
}

/**
 * The commission's lease signature calls this in its transaction (apps/server/src/commission/decide.ts):
 * when the decision backs a relocation proposal, the household's file receives the lease (its
 * proposal accepted if still pending, the steps, an audit entry); when it backs none but the household
 * has an open relocation file, that file receives the lease all the same (a `lease` step and the audit
 * entry say `viaProposal: false`; no proposal is made up). Nothing happens otherwise.
 */
export async function recordCommissionLeaseInRelocation(
  tx: Db,
  decision: { id: string; epci: string },
  leaseId: string,
  signedOn: string,
  actor: User,
): Promise<void> {
  const attached = await attachCommissionLeaseToRelocation(tx, {
    decisionId: decision.id,
    leaseId,
    signedOn,
    by: actor.id,
  });
  if (!attached) return;
  await appendAudit(tx, {
    actorUserId: actor.id,
    actorRole: actor.role,
    action: 'relocation.lease.attach',
    entity: 'relocation-file',
    entityId: attached.fileId,
    epciCode: decision.epci,
    details: { decisionId: decision.id, leaseId, signedOn, viaProposal: attached.viaProposal },
  });
}
