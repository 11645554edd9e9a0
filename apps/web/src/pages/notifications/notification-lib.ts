import type { AdvertFilters } from '../letting/letting-lib.ts';

/** Pure helpers of the notification pages. */

export interface AlertCriteria {
  communes: string[];
  typologies: number[];
  maxTotalRentEur: number | null;
  accessible: boolean | null;
  lift: boolean | null;
  maxFloorWithoutLift: number | null;
}

export interface SavedAlert extends AlertCriteria {
  epci: string;
  description: string;
  updatedAt: string;
}

export interface Notification {
  id: string;
  kind: 'advert-match' | 'cycle-closing' | 'decision';
  kindLabel: string;
  subject: string;
  body: string;
  createdAt: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  sentAt: string | null;
  failedAt: string | null;
  recipient?: { name: string; identifier: string };
  lastError?: string | null;
}

export interface Mailbox {
  delivery: 'smtp' | 'demo';
  total: number;
  notifications: Notification[];
}

/** The saved search of the adverts page's filters (the same meaning as GET /adverts). */
export function criteriaFromFilters(f: AdvertFilters): AlertCriteria {
  const rent = f.maxTotalRentEur.trim().replace(',', '.');
  return {
    communes: [...f.communes],
    typologies: [...f.typologies].sort((a, b) => a - b),
    maxTotalRentEur: rent !== '' && Number.isFinite(Number(rent)) && Number(rent) >= 0 ? Number(rent) : null,
    accessible: f.accessible ? true : null,
    lift: f.floor === 'lift' ? true : null,
    maxFloorWithoutLift: /^\d+$/.test(f.floor) ? Number(f.floor) : null,
  };
}

/** « envoyé le … », « non envoyé (démonstration) », … */
export function statusText(n: Notification, delivery: 'smtp' | 'demo'): string {
  if (n.status === 'sent') return `envoyé le ${dateTimeText(n.sentAt!)}`;
  if (n.status === 'failed') return `échec de l’envoi après ${n.attempts} tentatives`;
  if (delivery === 'demo') return 'non envoyé : démonstration, aucun serveur d’envoi configuré';
  return n.attempts > 0
    ? `en attente d’un nouvel essai (${n.attempts} tentative${n.attempts > 1 ? 's' : ''})`
    : 'en attente d’envoi';
}

export function dateTimeText(iso: string): string {
  return new Intl.DateTimeFormat('fr-FR', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(new Date(iso));
}

export function dateText(date: string): string {
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${date.slice(0, 10)}T00:00:00Z`),
  );
}
