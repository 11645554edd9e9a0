import type { AgendaHome, StoredDecision, StoredItem, StoredSession } from '@mosaique/db';
import { DECISION_LABELS, REASON_CODES } from '@mosaique/domain/commission';
import { Report } from './pdf.ts';

export interface MinutesInput {
  session: StoredSession;
  epciName: string;
  landlordName: string;
  /** The landlord is the generated demo one: the minutes say so. */
  generated: boolean;
  items: (StoredItem & { decisions: StoredDecision[] })[];
  homes: AgendaHome[];
}

const frDate = (iso: string) =>
  new Date(`${iso.slice(0, 10)}T00:00:00Z`).toLocaleDateString('fr-FR', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
const number = (x: number, digits = 1) =>
  x.toLocaleString('fr-FR', { minimumFractionDigits: 0, maximumFractionDigits: digits });
const STATUS: Record<StoredSession['status'], string> = {
  planned: 'programmée',
  held: 'tenue',
  closed: 'close',
};
const ITEM_STATUS: Record<StoredItem['status'], string> = {
  open: 'non décidé',
  decided: 'décidé',
  let: 'bail signé',
};
const reasonLabel = (code: string): string => REASON_CODES[code as keyof typeof REASON_CODES] ?? code;

/** What the minutes say of a decision: its label, rank, missing document, reasons and free text. */
function decisionText(d: StoredDecision): string {
  const parts = [DECISION_LABELS[d.kind] + (d.rank !== null ? ` (rang ${d.rank})` : '')];
  if (d.missingDocument) parts.push(`pièce manquante : ${d.missingDocument}`);
  return parts.join(' — ');
}

function reasonsText(d: StoredDecision): string {
  const reasons = d.reasonCodes.map(reasonLabel);
  if (d.reasonText) reasons.push(`« ${d.reasonText} »`);
  return reasons.length > 0 ? reasons.join(' ; ') : '—';
}

function answerText(d: StoredDecision): string {
  if (d.leaseId) return 'acceptée, bail signé';
  if (d.response === 'accepted') return 'acceptée';
  if (d.response === 'refused') return `refusée : ${d.responseReason ?? ''}`;
  return '—';
}

/**
 * The minutes (procès-verbal) of a CALEOL session (CCH R441-3; docs/commission.md): members and
 * quorum, each home examined with the engine's proposal, the candidates examined, the decision on
 * each with its reasons, every deviation from the proposal with its written justification, the
 * applicants' answers, and a signature block.
 */
export async function commissionMinutesPdf(input: MinutesInput): Promise<Buffer> {
  const { session, items } = input;
  const heldOn = frDate(session.heldOn);
  const doc = new Report(
    `Procès-verbal de la commission d’attribution — ${input.landlordName}, séance du ${heldOn}`,
    `Mosaïque — procès-verbal de la CALEOL du ${heldOn}, ${input.landlordName}${input.generated ? ' — données de démonstration générées' : ''}`,
  );
  doc.paragraph(
    `Commission d’attribution des logements et d’examen de l’occupation des logements (CALEOL, articles L441-2 et R441-3 du code de la construction et de l’habitation) de ${input.landlordName}, territoire ${input.epciName} (EPCI ${session.epci}). Séance du ${heldOn}, ${STATUS[session.status]}.`,
  );
  if (input.generated) {
    doc.paragraph(
      'Ce procès-verbal porte sur la population de démonstration de Mosaïque : les ménages et demandes sont générés et ne décrivent personne.',
      { muted: true },
    );
  }
  doc.heading('Membres et quorum');
  doc.table(
    [
      { header: 'Membre', width: 0.45 },
      { header: 'Qualité', width: 0.55 },
    ],
    session.members.map((m) => [m.name, m.role]),
  );
  doc.paragraph(
    `Quorum : ${session.quorum} membre${session.quorum > 1 ? 's' : ''} sur ${session.members.length} convoqué${session.members.length > 1 ? 's' : ''}.`,
  );

  const withProposal = items.find((i) => i.proposal);
  if (withProposal?.proposal) {
    const p = withProposal.proposal;
    doc.heading('Proposition du moteur d’attribution');
    doc.paragraph(
      `Objectif atteint ${number(p.objective)}, borne supérieure ${number(p.upperBound)}, écart relatif ${number(100 * p.gap, 4)} %${
        p.priceOfMix !== undefined
          ? ` ; prix de la mixité : ${number(p.priceOfMix)} points de score perdus par rapport à la même proposition sans les objectifs de la CIA`
          : ''
      }.`,
    );
    doc.table(
      [
        { header: 'Objectif de la CIA (baux de l’année et proposition)', width: 0.4 },
        { header: 'Requis', width: 0.12, align: 'right' },
        { header: 'Atteint', width: 0.12, align: 'right' },
        { header: 'Marge', width: 0.12, align: 'right' },
        { header: 'Ménages manquants', width: 0.24, align: 'right' },
      ],
      p.constraints.map((c) => [
        c.label,
        c.required === undefined ? '—' : number(c.required, 2),
        c.achieved === undefined ? '—' : number(c.achieved, 0),
        number(c.slack, 2),
        c.missingHouseholds === undefined ? '—' : number(c.missingHouseholds, 0),
      ]),
    );
  }

  doc.heading(`Logements examinés (${items.length})`);
  if (items.length === 0) doc.paragraph('Aucun logement n’a été inscrit à l’ordre du jour.');
  const homes = new Map(input.homes.map((h) => [h.homeId, h]));
  for (const item of items) {
    const h = homes.get(item.homeId);
    doc.heading(
      h
        ? `Logement ${item.homeId} — T${h.typology}, ${h.residenceName}, ${h.communeName}${h.qpv ? ' (QPV)' : ''}`
        : `Logement ${item.homeId}`,
    );
    if (h) {
      doc.paragraph(
        `${number(h.surfaceM2, 0)} m², loyer et charges ${number(h.rentEur + h.chargesEur, 0)} € par mois, réservataire : ${h.reservationHolderName}. ${item.available} candidat${item.available > 1 ? 's' : ''} éligible${item.available > 1 ? 's' : ''} sur la liste. État : ${ITEM_STATUS[item.status]}.`,
      );
    }
    if (item.proposal) {
      const details = new Map((item.proposal.details ?? []).map((d) => [d.sneNumber, d]));
      doc.paragraph(
        `Proposition du moteur : ${
          item.proposal.candidates
            .map((s, i) => {
              const d = details.get(s);
              return `${i + 1}. ${s}${d ? ` (score ${number(d.score)}, choix n° ${d.rank})` : ''}`;
            })
            .join(' ; ') || 'aucun candidat'
        }.`,
      );
      if (item.proposal.explanation) doc.paragraph(item.proposal.explanation, { muted: true });
    } else {
      doc.paragraph('Logement inscrit sans proposition du moteur.');
    }
    doc.paragraph(
      `Candidats examinés, dans l’ordre de la commission : ${item.candidates.join(', ') || 'aucun'}.${
        item.daloDesignated ? ' Ménage DALO désigné par le préfet.' : ''
      }`,
    );
    if (item.deviationJustification) {
      doc.paragraph(
        `Écart avec la proposition du moteur — justification : « ${item.deviationJustification} »`,
      );
    }
    if (item.decisions.length === 0) {
      doc.paragraph('Aucune décision n’a encore été prise pour ce logement.');
    } else {
      doc.table(
        [
          { header: 'Candidat', width: 0.14 },
          { header: 'Décision', width: 0.28 },
          { header: 'Motifs', width: 0.36 },
          { header: 'Réponse du demandeur', width: 0.22 },
        ],
        item.decisions.map((d) => [d.sneNumber, decisionText(d), reasonsText(d), answerText(d)]),
      );
    }
  }

  if (session.minutesNotes) {
    doc.heading('Observations');
    doc.paragraph(session.minutesNotes);
  }
  doc.heading('Signatures');
  doc.paragraph(
    `Fait le ${heldOn}. Les décisions de non-attribution et de rejet sont notifiées aux demandeurs avec leurs motifs (article L441-2-2).`,
  );
  doc.table(
    [
      { header: 'Membre', width: 0.35 },
      { header: 'Qualité', width: 0.35 },
      { header: 'Signature', width: 0.3 },
    ],
    session.members.map((m) => [m.name, m.role, '\n\n']),
  );
  return doc.end();
}
