import {
  appendAudit,
  type Db,
  decisionsOfItem,
  existingLeaseOf,
  getDecision,
  getItem,
  householdFromDemand,
  insertDecision,
  insertLease,
  insertResponse,
  leaseSource,
  lockRelocationFilesOf,
  type StoredItem,
  setItemStatus,
  type User,
  updateItemCandidates,
} from '@mosaique/db';
import {
  candidateListProblems,
  currentOffer,
  type DecisionInput,
  decisionProblems,
  deviatesFromProposal,
} from '@mosaique/domain/commission';
import { consumptionUnitScaleOn, incomePerConsumptionUnit } from '@mosaique/domain/demand';
import { HttpError } from '../auth/plugin.ts';
import { notifyDecisions } from '../notifications/queue.ts';
import { recordCommissionLeaseInRelocation } from '../relocation/service.ts';
import { thresholdForYear } from './engine-run.ts';

export class ProblemsError extends HttpError {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(400, message);
  }
}

const STALE =
  'ce logement a été modifié ou décidé entre-temps par un autre membre : rechargez la page avant de recommencer';

/** Locks the item and checks the version the client saw: the loser of two concurrent changes gets a 409. */
async function lockOpenItem(tx: Db, itemId: string, version: number): Promise<StoredItem> {
  const item = await getItem(tx, itemId, { forUpdate: true });
  if (!item) throw new HttpError(404, 'point de l’ordre du jour introuvable');
  if (item.version !== version || item.status !== 'open') throw new HttpError(409, STALE);
  return item;
}

/** Edits the candidates examined for a home; a deviation from the proposal needs a justification. */
export async function editCandidates(
  db: Db,
  itemId: string,
  change: {
    version: number;
    candidates: string[];
    deviationJustification: string | null;
    daloDesignated: boolean;
  },
  actor: User,
): Promise<number> {
  return db.transaction(async (tx) => {
    const item = await lockOpenItem(tx, itemId, change.version);
    const problems = candidateListProblems(
      item.proposal?.candidates ?? null,
      change.candidates,
      change.deviationJustification,
    );
    const known = await tx.query<{ sne: string }>(
      "SELECT sne_number AS sne FROM demand WHERE sne_number = ANY($1::text[]) AND epci_code = $2 AND status = 'active'",
      [change.candidates, item.epci],
    );
    const knownSet = new Set(known.map((k) => k.sne));
    for (const s of change.candidates) {
      if (!knownSet.has(s)) problems.push(`${s} : aucune demande active de ce numéro sur le territoire`);
    }
    if (problems.length > 0) throw new ProblemsError('liste de candidats refusée', problems);
    const deviation = deviatesFromProposal(item.proposal?.candidates ?? null, change.candidates);
    const version = await updateItemCandidates(tx, itemId, {
      candidates: change.candidates,
      deviationJustification: deviation ? change.deviationJustification!.trim() : null,
      daloDesignated: change.daloDesignated,
    });
    await appendAudit(tx, {
      actorUserId: actor.id,
      actorRole: actor.role,
      action: 'commission.candidates.edit',
      entity: 'agenda-item',
      entityId: itemId,
      epciCode: item.epci,
      details: {
        candidates: change.candidates,
        proposal: item.proposal?.candidates ?? null,
        deviationJustification: deviation ? change.deviationJustification : null,
        daloDesignated: change.daloDesignated,
      },
    });
    return version;
  });
}

/**
 * Records the commission's decisions on a home, all at once: the item row is locked
 * (`SELECT … FOR UPDATE`) and its version checked, so of two members deciding the same home at
 * once, one wins and the other gets a 409.
 */
export async function decideHome(
  db: Db,
  itemId: string,
  version: number,
  decisions: DecisionInput[],
  actor: User,
): Promise<{ version: number; decisionIds: string[] }> {
  return db.transaction(async (tx) => {
    const item = await lockOpenItem(tx, itemId, version);
    const problems = decisionProblems(item, decisions);
    if (problems.length > 0) throw new ProblemsError('décisions refusées', problems);
    const ids: string[] = [];
    for (const d of decisions) {
      const id = await insertDecision(tx, {
        agendaItemId: itemId,
        epci: item.epci,
        sneNumber: d.sneNumber,
        kind: d.kind,
        rank: d.kind === 'ranked-allocation' ? (d.rank ?? null) : null,
        reasonCodes: d.reasonCodes ?? [],
        reasonText: d.reasonText?.trim() || null,
        missingDocument: d.kind === 'suspensive-condition' ? d.missingDocument!.trim() : null,
        decidedBy: actor.id,
      });
      ids.push(id);
      await appendAudit(tx, {
        actorUserId: actor.id,
        actorRole: actor.role,
        action: 'commission.decision.record',
        entity: 'decision',
        entityId: id,
        epciCode: item.epci,
        details: {
          agendaItemId: itemId,
          homeId: item.homeId,
          sneNumber: d.sneNumber,
          kind: d.kind,
          rank: d.rank ?? null,
          reasonCodes: d.reasonCodes ?? [],
        },
      });
    }
    await notifyDecisions(tx, ids);
    const next = await setItemStatus(tx, itemId, 'decided');
    return { version: next, decisionIds: ids };
  });
}

/** Records the applicant's acceptance or refusal of the offer they currently hold. */
export async function respondToOffer(
  db: Db,
  decisionId: string,
  answer: { response: 'accepted' | 'refused'; reason: string | null },
  actor: User,
): Promise<void> {
  await db.transaction(async (tx) => {
    const decision = await getDecision(tx, decisionId);
    if (!decision) throw new HttpError(404, 'décision introuvable');
    await getItem(tx, decision.agendaItemId, { forUpdate: true });
    const offer = currentOffer(await decisionsOfItem(tx, decision.agendaItemId));
    if (!offer || offer.id !== decisionId) {
      throw new HttpError(
        409,
        'aucune proposition de logement n’est en attente de réponse pour cette décision',
      );
    }
    if (offer.response !== null)
      throw new HttpError(409, 'la réponse à cette proposition est déjà enregistrée');
    if (answer.response === 'refused' && !(answer.reason ?? '').trim()) {
      throw new HttpError(422, 'un refus doit être motivé');
    }
    const saved = await insertResponse(tx, {
      decisionId,
      epci: decision.epci,
      response: answer.response,
      reason: answer.reason?.trim() || null,
      recordedBy: actor.id,
    });
    if (!saved) throw new HttpError(409, 'la réponse à cette proposition est déjà enregistrée');
    await appendAudit(tx, {
      actorUserId: actor.id,
      actorRole: actor.role,
      action: `commission.offer.${answer.response === 'accepted' ? 'accept' : 'refuse'}`,
      entity: 'decision',
      entityId: decisionId,
      epciCode: decision.epci,
      onBehalfOf: actor.sneNumber === decision.sneNumber ? null : decision.sneNumber,
      details: { reason: answer.response === 'refused' ? answer.reason : null },
    });
  });
}

/**
 * Records the signature of the lease of an accepted offer: the lease row with the CIA figures (first
 * quartile against the threshold used for the year, priority public = DALO or a priority criterion,
 * urban renewal, transfer), the demand closed as housed, the household moved in. A household or a
 * demand never gets two leases: checked first, and guaranteed by unique indexes.
 */
export async function signLease(
  db: Db,
  decisionId: string,
  input: { signedOn: string; documentReceived: boolean },
  actor: User,
): Promise<string> {
  try {
    return await db.transaction(async (tx) => {
      const decision = await getDecision(tx, decisionId);
      if (!decision) throw new HttpError(404, 'décision introuvable');
      const item = (await getItem(tx, decision.agendaItemId, { forUpdate: true }))!;
      if (item.status === 'let') throw new HttpError(409, 'un bail est déjà signé pour ce logement');
      if (await homeLetSince(tx, item)) {
        throw new HttpError(
          409,
          'ce logement a déjà été loué par ailleurs (relogement ou autre commission) depuis sa mise en location',
        );
      }
      if (decision.response !== 'accepted') {
        throw new HttpError(409, 'le bail ne peut être signé qu’après l’acceptation de la proposition');
      }
      if (decision.kind === 'suspensive-condition' && !input.documentReceived) {
        throw new HttpError(
          409,
          `condition suspensive non levée : la pièce « ${decision.missingDocument} » doit avoir été reçue`,
        );
      }
      const source = (await leaseSource(tx, decision.sneNumber, decision.homeId))!;
      // A relocation file of the household is locked before the demand, in the order of a relocation
      // lease signature (file, then demand): both signatures at once wait on each other, never deadlock.
      await lockRelocationFilesOf(tx, {
        sneNumber: decision.sneNumber,
        householdId: source.householdId,
      });
      // Serialises the signatures of one demand (two homes offered to the same household at once).
      await tx.query('SELECT 1 FROM demand WHERE sne_number = $1 FOR UPDATE', [decision.sneNumber]);
      const held = await existingLeaseOf(tx, source.householdId, source.sneNumber, source.registeredOn);
      if (held) throw new HttpError(409, 'ce ménage a déjà un bail signé : il ne peut en signer un second');
      if (source.demandStatus !== 'active') throw new HttpError(409, 'la demande n’est plus active');
      const householdId = source.householdId ?? (await householdFromDemand(tx, decision.epci, source));
      const year = Number(input.signedOn.slice(0, 4));
      const threshold = (await thresholdForYear(tx, decision.epci, year)) ?? 0;
      const income = incomePerConsumptionUnit(
        {
          monthlyResourcesEur: Number(source.monthlyResourcesEur),
          persons14OrMore: source.persons14OrMore,
          personsUnder14: source.personsUnder14,
        },
        consumptionUnitScaleOn(input.signedOn),
      );
      // The household moves in (leaving its former home) unless the stock records another occupant.
      const moveIn = source.occupiedBy === null || source.occupiedBy === householdId;
      const leaseId = await insertLease(
        tx,
        {
          epci: decision.epci,
          homeId: decision.homeId,
          householdId,
          sneNumber: decision.sneNumber,
          signedOn: input.signedOn,
          reservationHolderId: source.reservationHolderId,
          incomePerConsumptionUnitEur: income,
          firstQuartileThresholdEur: threshold,
          firstQuartile: income <= threshold,
          urbanRenewalRelocation: source.urbanRenewalRelocation,
          priorityPublic: source.dalo || source.priorityCriteria.length > 0,
          dalo: source.dalo,
          transfer: source.currentSocialTenant,
          decisionId,
        },
        moveIn,
      );
      await setItemStatus(tx, item.id, 'let');
      await recordCommissionLeaseInRelocation(tx, decision, leaseId, input.signedOn, actor);
      await appendAudit(tx, {
        actorUserId: actor.id,
        actorRole: actor.role,
        action: 'commission.lease.sign',
        entity: 'lease',
        entityId: leaseId,
        epciCode: decision.epci,
        details: {
          decisionId,
          homeId: decision.homeId,
          sneNumber: decision.sneNumber,
          signedOn: input.signedOn,
          moveIn,
        },
      });
      return leaseId;
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new HttpError(409, 'ce ménage a déjà un bail signé : il ne peut en signer un second');
    }
    throw error;
  }
}

/**
 * Whether the item's home was let on the platform (a lease not generated by the demo) since it
 * was put up: since its advert's cycle opened, or since the session for a home put on the agenda by
 * hand. A relocation lease or another session's lease may have let it in between.
 */
async function homeLetSince(tx: Db, item: { homeId: string; advertId: string | null; sessionId: string }) {
  const rows = await tx.query(
    `SELECT 1 FROM lease l
      WHERE l.home_id = $1 AND NOT l.generated
        AND l.signed_on >= COALESCE(
          (SELECT (c.opens_at AT TIME ZONE 'Europe/Paris')::date FROM advert a JOIN letting_cycle c ON c.id = a.cycle_id WHERE a.id = $2),
          (SELECT s.held_on FROM commission_session s WHERE s.id = $3))
      LIMIT 1`,
    [item.homeId, item.advertId, item.sessionId],
  );
  return rows.length > 0;
}
