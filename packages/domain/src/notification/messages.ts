/**
 * The messages Mosaïque sends, composed in plain French: a new advert matching a saved search, a
 * letting cycle closing soon, a commission decision with its reasons. Pure. A message carries what
 * the recipient needs and nothing more: no SNE number, no income, no name — the home is named by its
 * typology and commune, the decision by its legal label and reasons (docs/notifications.md).
 */
import { DECISION_LABELS, type DecisionKind, isReasonCode, REASON_CODES } from '../commission/decisions.ts';
import { formatEur } from './criteria.ts';

export interface Message {
  subject: string;
  body: string;
}

const SIGNATURE =
  '\n\n—\nMosaïque, plateforme de location choisie des logements sociaux.\n' +
  'Ce message est envoyé automatiquement ; vos messages sont aussi visibles sur la page « E-mails envoyés ».';

const typologyText = (t: number) => (t >= 6 ? 'T6 et plus' : `T${t}`);
const floorText = (floor: number, lift: boolean) =>
  `${floor === 0 ? 'rez-de-chaussée' : `${floor}${floor === 1 ? 'er' : 'e'} étage`}${floor > 0 ? (lift ? ', avec ascenseur' : ', sans ascenseur') : ''}`;

/** « mardi 24 novembre 2026 à 18 h 00 » in Paris time. */
export function formatParisDateTime(at: string | Date): string {
  const parts = new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('year')} à ${get('hour')} h ${get('minute')}`;
}

/** « 24 novembre 2026 » for a calendar date YYYY-MM-DD. */
export function formatDate(date: string): string {
  return new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(`${date.slice(0, 10)}T00:00:00Z`));
}

export interface AdvertSummary {
  typology: number;
  surfaceM2: number;
  communeName: string;
  rentEur: number;
  chargesEur: number;
  floor: number;
  lift: boolean;
  accessible: boolean;
  cycleName: string;
  closesAt: string;
  /** Where the advert is read, e.g. /annonces?... (relative to the platform). */
  link: string;
}

/** A new advert matching the applicant's saved search, which they are eligible for. */
export function advertMatchMessage(a: AdvertSummary): Message {
  const total = a.rentEur + a.chargesEur;
  const subject = `Nouvelle annonce : ${typologyText(a.typology)} à ${a.communeName}, ${formatEur(total)} charges comprises`;
  const body = [
    'Bonjour,',
    '',
    'Un logement qui correspond à votre alerte vient d’être publié, et votre demande y est éligible :',
    '',
    `• ${typologyText(a.typology)} de ${Math.round(a.surfaceM2)} m² à ${a.communeName}, ${floorText(a.floor, a.lift)}${a.accessible ? ', accessible en fauteuil roulant' : ''}`,
    `• loyer ${formatEur(a.rentEur)} + charges ${formatEur(a.chargesEur)} = ${formatEur(total)} par mois`,
    `• cycle « ${a.cycleName} », candidatures jusqu’au ${formatParisDateTime(a.closesAt)}`,
    '',
    `Pour voir l’annonce et votre chance, et candidater : ${a.link}`,
    '',
    'Vous recevez ce message parce que vous avez enregistré une alerte sur la page « Logements à louer » ; vous pouvez l’y supprimer à tout moment.',
  ].join('\n');
  return { subject, body: body + SIGNATURE };
}

export interface ClosingCycleSummary {
  cycleName: string;
  closesAt: string;
  /** The recipient's active applications in the cycle. */
  activeApplications: number;
  maxActiveApplications: number;
  /** Published adverts of the cycle matching the recipient's saved search and open to them (0 if none saved). */
  matchingAdverts: number;
  link: string;
}

/** A letting cycle closing soon, to an applicant with applications in it or a saved search. */
export function cycleClosingMessage(c: ClosingCycleSummary): Message {
  const when = formatParisDateTime(c.closesAt);
  const lines = ['Bonjour,', '', `Le cycle de location « ${c.cycleName} » se clôt le ${when}.`, ''];
  if (c.activeApplications > 0) {
    lines.push(
      `Vous y avez ${c.activeApplications} candidature${c.activeApplications > 1 ? 's' : ''} en cours (${c.maxActiveApplications} au plus par cycle).` +
        (c.activeApplications < c.maxActiveApplications
          ? ` Vous pouvez encore candidater à ${c.maxActiveApplications - c.activeApplications} autre${c.maxActiveApplications - c.activeApplications > 1 ? 's' : ''} annonce${c.maxActiveApplications - c.activeApplications > 1 ? 's' : ''} d’ici là.`
          : ''),
    );
  } else {
    lines.push('Vous n’y avez encore aucune candidature.');
  }
  if (c.matchingAdverts > 0)
    lines.push(
      `${c.matchingAdverts} annonce${c.matchingAdverts > 1 ? 's' : ''} de ce cycle correspond${c.matchingAdverts > 1 ? 'ent' : ''} à votre alerte.`,
    );
  lines.push(
    '',
    'À la clôture, les candidats éligibles de chaque logement sont classés par note de cotation, puis par ancienneté de la demande.',
    '',
    `Pour voir les annonces et vos candidatures : ${c.link}`,
  );
  return { subject: `Le cycle « ${c.cycleName} » se clôt le ${when}`, body: lines.join('\n') + SIGNATURE };
}

export interface DecisionSummary {
  kind: DecisionKind;
  rank: number | null;
  reasonCodes: readonly string[];
  reasonText: string | null;
  missingDocument: string | null;
  /** The date of the commission (YYYY-MM-DD). */
  heldOn: string;
  typology: number;
  communeName: string;
  landlordName: string;
  link: string;
}

/** The commission's decision, with its legal label and, for a refusal, its reasons (L441-2-2). */
export function decisionMessage(d: DecisionSummary): Message {
  const home = `${typologyText(d.typology)} à ${d.communeName}`;
  const label = DECISION_LABELS[d.kind];
  const lines = [
    'Bonjour,',
    '',
    `La commission d’attribution de ${d.landlordName} s’est réunie le ${formatDate(d.heldOn)} pour le logement ${home} auquel vous aviez candidaté.`,
    '',
    `Décision : ${label}.`,
    '',
  ];
  switch (d.kind) {
    case 'allocation':
      lines.push(
        'Le logement vous est attribué. Le bailleur va vous le proposer : vous pourrez l’accepter ou le refuser (un refus doit être motivé).',
      );
      break;
    case 'ranked-allocation':
      lines.push(
        d.rank === 1
          ? 'Le logement vous est attribué en premier rang : le bailleur va vous le proposer ; vous pourrez l’accepter ou le refuser.'
          : `Vous êtes classé(e) au rang ${d.rank ?? '?'} : le logement vous sera proposé si les ${d.rank && d.rank > 2 ? `${d.rank - 1} candidats classés` : 'candidats classés'} avant vous le refusent.`,
      );
      break;
    case 'suspensive-condition':
      lines.push(
        `Le logement vous est attribué sous condition suspensive : le bail ne pourra être signé qu’après réception de la pièce suivante : ${d.missingDocument ?? 'pièce à fournir'}.`,
      );
      break;
    case 'non-allocation':
    case 'rejection': {
      const reasons = d.reasonCodes.map((c) => (isReasonCode(c) ? REASON_CODES[c] : c));
      lines.push(
        d.kind === 'rejection'
          ? `Votre candidature a été rejetée parce que votre demande n’est pas recevable, pour ${reasons.length > 1 ? 'les motifs suivants' : 'le motif suivant'} :`
          : `Le logement ne vous a pas été attribué, pour ${reasons.length > 1 ? 'les motifs suivants' : 'le motif suivant'} :`,
      );
      for (const r of reasons) lines.push(`• ${r}`);
      if (d.reasonText) lines.push('', `Précision de la commission : ${d.reasonText}`);
      lines.push(
        '',
        d.kind === 'rejection'
          ? 'Vous pouvez demander des explications au bailleur ; si votre situation a changé, mettez votre demande à jour.'
          : 'Votre demande reste active : vous pouvez candidater à d’autres annonces.',
      );
      break;
    }
  }
  lines.push('', `Pour suivre vos candidatures et vos décisions : ${d.link}`);
  return {
    subject: `Décision de la commission d’attribution : ${label} (${home})`,
    body: lines.join('\n') + SIGNATURE,
  };
}
