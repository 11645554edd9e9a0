import type { Member } from './types.ts';

/** Pure helpers of the commission pages (tested in apps/web/test/commission.test.ts). */

export const SESSION_STATUS = { planned: 'programmée', held: 'tenue', closed: 'close' } as const;
export const ITEM_STATUS = { open: 'à décider', decided: 'décidé', let: 'bail signé' } as const;

/** What the page says when another member changed or decided the home first (HTTP 409). */
export const CONFLICT_MESSAGE =
  'Un autre membre a modifié ou décidé ce logement entre-temps. La page a été rechargée : vérifiez l’état actuel avant de recommencer.';

const number = (x: number, digits: number) =>
  x.toLocaleString('fr-FR', { minimumFractionDigits: 0, maximumFractionDigits: digits });

/** « 1 234,5 » */
export const frNumber = (x: number, digits = 1): string => number(x, digits);

/** The relative gap as a percentage with enough digits to show 1e-4 (« 0,0100 % »), 0 as « 0 % ». */
export const frGap = (gap: number): string =>
  gap === 0 ? '0 %' : `${(100 * gap).toLocaleString('fr-FR', { maximumSignificantDigits: 3 })} %`;

/** « 12 mars 2026 » */
export const frLongDate = (iso: string): string =>
  new Date(`${iso.slice(0, 10)}T00:00:00Z`).toLocaleDateString('fr-FR', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });

export interface SessionForm {
  landlordId: string;
  heldOn: string;
  members: Member[];
  quorum: string;
}

/** Problems of the new-session form, by field, in French (empty when it can be sent). */
export function sessionFormProblems(
  form: SessionForm,
): Partial<Record<'landlordId' | 'heldOn' | 'members' | 'quorum', string>> {
  const problems: Partial<Record<'landlordId' | 'heldOn' | 'members' | 'quorum', string>> = {};
  if (!form.landlordId) problems.landlordId = 'choisissez le bailleur dont c’est la commission';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.heldOn)) problems.heldOn = 'indiquez la date de la séance';
  const members = form.members.filter((m) => m.name.trim() || m.role.trim());
  if (members.length === 0) problems.members = 'indiquez au moins un membre (nom et qualité)';
  else if (members.some((m) => !m.name.trim() || !m.role.trim()))
    problems.members = 'chaque membre doit avoir un nom et une qualité';
  const quorum = Number(form.quorum);
  if (!Number.isInteger(quorum) || quorum < 1)
    problems.quorum = 'le quorum est un nombre entier de membres, au moins 1';
  else if (quorum > members.length)
    problems.quorum = `le quorum (${quorum}) dépasse le nombre de membres (${members.length})`;
  return problems;
}

/** The list with the entry at `index` moved by `delta` places (unchanged when it would leave the list). */
export function moveEntry<T>(list: readonly T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return [...list];
  const out = [...list];
  const [moved] = out.splice(index, 1);
  out.splice(to, 0, moved!);
  return out;
}

/** « 2 sur 3 » style position announcement for a moved entry. */
export function positionText(label: string, position: number, total: number): string {
  return `${label} est maintenant en position ${position} sur ${total}.`;
}
