/**
 * Delivery of the outbox: when a notification is due, how long to wait after a failure, when to give
 * up, and errors cleaned of addresses before they are stored. Pure; the settings are data.
 */

export interface NotificationSettings {
  /** A letting cycle is « closing soon » this many hours before its closing time. */
  closingSoonHours: number;
  /** Sending attempts before a message is marked failed. */
  maxAttempts: number;
  /** Wait after the first failure, ms; doubled after each further failure… */
  firstRetryMs: number;
  /** …up to this wait, ms. */
  maxRetryMs: number;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  closingSoonHours: 48,
  maxAttempts: 6,
  firstRetryMs: 60_000,
  maxRetryMs: 6 * 3_600_000,
};

/** The wait before the next attempt after `attempts` failed attempts (1, 2, …): exponential, capped. */
export function retryDelayMs(
  attempts: number,
  settings: NotificationSettings = DEFAULT_NOTIFICATION_SETTINGS,
): number {
  const n = Math.max(1, Math.floor(attempts));
  return Math.min(settings.firstRetryMs * 2 ** (n - 1), settings.maxRetryMs);
}

/** What to do after a failed attempt: try again at `retryAt`, or give up. */
export function afterFailure(
  attempts: number,
  now: Date,
  settings: NotificationSettings = DEFAULT_NOTIFICATION_SETTINGS,
): { giveUp: true } | { giveUp: false; retryAt: Date } {
  if (attempts >= settings.maxAttempts) return { giveUp: true };
  return { giveUp: false, retryAt: new Date(now.getTime() + retryDelayMs(attempts, settings)) };
}

/** Whether a cycle closing at `closesAt` is closing soon at `now` (still open, within the window). */
export function closingSoon(
  closesAt: string | Date,
  now: Date,
  settings: NotificationSettings = DEFAULT_NOTIFICATION_SETTINGS,
): boolean {
  const left = new Date(closesAt).getTime() - now.getTime();
  return left > 0 && left <= settings.closingSoonHours * 3_600_000;
}

const ADDRESS = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;

/** An error message fit to be stored: addresses replaced by « [adresse] », at most 500 characters. */
export function cleanError(message: string): string {
  return message.replace(ADDRESS, '[adresse]').replace(/\s+/g, ' ').trim().slice(0, 500);
}

/** Whether a text looks like an e-mail address (one @, a dot in the domain, no spaces). */
export function isEmailAddress(text: string): boolean {
  return /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/.test(text) && text.length <= 254;
}
