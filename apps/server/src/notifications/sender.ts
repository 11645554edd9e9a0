import {
  claimDueNotifications,
  type Db,
  markNotificationAttemptFailed,
  markNotificationSent,
} from '@mosaique/db';
import {
  afterFailure,
  cleanError,
  DEFAULT_NOTIFICATION_SETTINGS,
  type NotificationSettings,
} from '@mosaique/domain/notification';
import nodemailer from 'nodemailer';
import { queueClosingReminders } from './queue.ts';

/**
 * The outbox's sender: takes due messages, sends them through SMTP (nodemailer), records success or
 * the failure (cleaned of addresses) and retries with exponential backoff until it gives up. Without
 * SMTP configured (the demo), messages stay in the outbox, unsent, and the « E-mails envoyés » page
 * shows them. Logs carry counts and ids only: never an address, a subject or a body.
 */

export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
  close(): void;
}

/** An SMTP mailer for MOSAIQUE_SMTP_URL (smtp:// or smtps://) sending from MOSAIQUE_MAIL_FROM, or null when unset. */
export function smtpMailerFromEnv(env: NodeJS.ProcessEnv = process.env): Mailer | null {
  const url = env.MOSAIQUE_SMTP_URL?.trim();
  if (!url) return null;
  const from = env.MOSAIQUE_MAIL_FROM?.trim();
  if (!from)
    throw new Error('MOSAIQUE_MAIL_FROM requis quand MOSAIQUE_SMTP_URL est défini (adresse d’expéditeur)');
  if (!/^smtps?:\/\//.test(url))
    throw new Error('MOSAIQUE_SMTP_URL invalide : smtp://… ou smtps://… attendu');
  return smtpMailer(url, from);
}

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    close() {
      transport.close();
    },
  };
}

export interface SendOutcome {
  sent: number;
  retried: number;
  failed: number;
}

/** Sends the messages due at `now` (at most `batch`), one at a time. */
export async function sendDueNotifications(
  db: Db,
  mailer: Mailer,
  now: Date = new Date(),
  options: { batch?: number; settings?: NotificationSettings } = {},
): Promise<SendOutcome> {
  const settings = options.settings ?? DEFAULT_NOTIFICATION_SETTINGS;
  // A message is leased for 10 minutes: should this process stop mid-way, it is taken again then.
  const due = await claimDueNotifications(db, now, new Date(now.getTime() + 600_000), options.batch ?? 20);
  const outcome: SendOutcome = { sent: 0, retried: 0, failed: 0 };
  for (const m of due) {
    try {
      if (!m.to) throw new Error('aucune adresse électronique pour ce compte');
      await mailer.send({ to: m.to, subject: m.subject, text: m.body });
      await markNotificationSent(db, m.id, new Date());
      outcome.sent++;
    } catch (error) {
      const at = new Date();
      const next = afterFailure(m.attempts + 1, at, settings);
      await markNotificationAttemptFailed(db, m.id, {
        at,
        retryAt: next.giveUp ? null : next.retryAt,
        error: cleanError(error instanceof Error ? error.message : String(error)),
      });
      if (next.giveUp) outcome.failed++;
      else outcome.retried++;
    }
  }
  return outcome;
}

export interface Notifier {
  /** 'smtp' when messages are sent, 'demo' when they stay in the outbox. */
  delivery: 'smtp' | 'demo';
  /** One round now: closing reminders queued, due messages sent (tests, and the timer). */
  tick(now?: Date): Promise<void>;
  /** Stops the timer, waits for the round in progress and closes the SMTP connection. */
  stop(): Promise<void>;
}

interface Log {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * The background loop of start.ts: every `intervalMs`, queues the reminders of cycles closing soon
 * and, with SMTP, sends what is due. Without SMTP, the outbox only fills.
 */
export function startNotifier(
  db: Db,
  options: { env?: NodeJS.ProcessEnv; log: Log; intervalMs?: number; mailer?: Mailer | null },
): Notifier {
  const mailer = options.mailer !== undefined ? options.mailer : smtpMailerFromEnv(options.env);
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const round = async (now = new Date()) => {
    const reminders = await queueClosingReminders(db, now);
    if (reminders > 0) options.log.info({ reminders }, 'rappels de clôture de cycle mis en file');
    if (!mailer) return;
    const outcome = await sendDueNotifications(db, mailer, now);
    if (outcome.sent + outcome.retried + outcome.failed > 0)
      options.log.info({ ...outcome }, 'envoi des e-mails');
  };
  const tick = (now?: Date) => {
    running = running
      .then(() => (stopped ? undefined : round(now)))
      .catch((error: unknown) => {
        options.log.error(
          { err: error instanceof Error ? { message: cleanError(error.message) } : {} },
          'envoi des notifications',
        );
      });
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 30_000);
  timer.unref();
  return {
    delivery: mailer ? 'smtp' : 'demo',
    tick,
    async stop() {
      clearInterval(timer);
      stopped = true;
      await running;
      mailer?.close();
    },
  };
}
