import {
  type AdvertView,
  alertsMatchingHome,
  alertsOfEpci,
  applicantsWithApplicationsIn,
  cyclesClosingBetween,
  type Db,
  decisionFacts,
  getAdvert,
  insertNotification,
  listAdverts,
  loadDemands,
  withoutCycleReminders,
} from '@mosaique/db';
import type { Demand } from '@mosaique/domain/demand';
import { eligibility } from '@mosaique/domain/eligibility';
import {
  advertMatchMessage,
  cycleClosingMessage,
  DEFAULT_NOTIFICATION_SETTINGS,
  decisionMessage,
  matchesCriteria,
  type NotificationSettings,
} from '@mosaique/domain/notification';

/**
 * Writes notifications to the outbox, in the transaction of the event that causes them (an advert
 * published, commission decisions recorded), or — for cycles closing soon — once per cycle and
 * recipient (the outbox's unique `dedupe_key`). Messages are composed by the pure domain module.
 */

/** Address of the platform in the links of messages (MOSAIQUE_PUBLIC_URL; default the local demo). */
export function publicUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.MOSAIQUE_PUBLIC_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
}

const advertLink = (a: AdvertView) =>
  `${publicUrl()}/annonces?communes=${a.home.commune}&typologies=${a.home.typology}`;

/** Whether the demand may apply to the home (eligible or « à vérifier »), as GET /adverts lists by default. */
function mayApply(demand: Demand | undefined, advert: AdvertView, date: string): boolean {
  if (demand?.status !== 'active') return false;
  return eligibility(demand, { ...advert.home, commune: advert.home.commune }, date).eligible !== false;
}

/**
 * An advert was just published: a message to every applicant whose saved search it matches and who
 * may apply to it. Call it in the publishing transaction. Returns the number of messages queued.
 */
export async function notifyAdvertPublished(
  tx: Db,
  advertId: string,
  now: Date = new Date(),
): Promise<number> {
  const advert = await getAdvert(tx, advertId);
  if (advert?.status !== 'published') return 0;
  const date = now.toISOString().slice(0, 10);
  let queued = 0;
  const alerts = (await alertsMatchingHome(tx, advert.epci, advert.home)).filter((a) =>
    matchesCriteria(a, advert.home),
  );
  const demands = await demandsOf(tx, advert.epci, alerts);
  for (const alert of alerts) {
    if (!mayApply(demands.get(alert.sneNumber), advert, date)) continue;
    const message = advertMatchMessage({
      ...advert.home,
      cycleName: advert.cycle.name,
      closesAt: advert.cycle.closesAt,
      link: advertLink(advert),
    });
    if (
      await insertNotification(tx, {
        userId: alert.userId,
        epci: advert.epci,
        kind: 'advert-match',
        ...message,
        dedupeKey: `advert-match:${advert.id}:${alert.userId}`,
      })
    )
      queued++;
  }
  return queued;
}

/**
 * Commission decisions were just recorded: a message to each applicant concerned who has an account,
 * with the decision and its reasons. Call it in the deciding transaction.
 */
export async function notifyDecisions(tx: Db, decisionIds: readonly string[]): Promise<number> {
  let queued = 0;
  for (const d of await decisionFacts(tx, decisionIds)) {
    if (!d.userId) continue;
    const message = decisionMessage({ ...d, link: `${publicUrl()}/mes-candidatures` });
    if (
      await insertNotification(tx, {
        userId: d.userId,
        epci: d.epci,
        kind: 'decision',
        ...message,
        dedupeKey: `decision:${d.decisionId}`,
      })
    )
      queued++;
  }
  return queued;
}

/**
 * Letting cycles closing within `closingSoonHours`: one message per cycle to each applicant with
 * active applications in it, or with a saved search that some published advert of the cycle matches
 * and they may apply to — unless they turned these reminders off. Sent once: a second run queues
 * nothing (dedupe key per cycle and account).
 */
export async function queueClosingReminders(
  db: Db,
  now: Date = new Date(),
  settings: NotificationSettings = DEFAULT_NOTIFICATION_SETTINGS,
): Promise<number> {
  const until = new Date(now.getTime() + settings.closingSoonHours * 3_600_000);
  const date = now.toISOString().slice(0, 10);
  let queued = 0;
  for (const cycle of await cyclesClosingBetween(db, now, until)) {
    queued += await db.transaction(async (tx) => {
      const recipients = new Map<string, { active: number; matching: number }>();
      for (const a of await applicantsWithApplicationsIn(tx, cycle.id))
        recipients.set(a.userId, { active: a.active, matching: 0 });
      const alerts = await alertsOfEpci(tx, cycle.epci);
      if (alerts.length > 0) {
        const adverts = await listAdverts(tx, {
          epci: cycle.epci,
          cycleId: cycle.id,
          statuses: ['published'],
          limit: 10_000,
        });
        const demands = await demandsOf(tx, cycle.epci, alerts);
        for (const alert of alerts) {
          const matching = adverts.filter((a) => matchesCriteria(alert, a.home));
          if (matching.length === 0) continue;
          const demand = demands.get(alert.sneNumber);
          const open = matching.filter((a) => mayApply(demand, a, date)).length;
          if (open === 0) continue;
          const entry = recipients.get(alert.userId) ?? { active: 0, matching: 0 };
          recipients.set(alert.userId, { ...entry, matching: open });
        }
      }
      const optedOut = await withoutCycleReminders(tx, [...recipients.keys()]);
      let n = 0;
      for (const [userId, r] of recipients) {
        if (optedOut.has(userId)) continue;
        const message = cycleClosingMessage({
          cycleName: cycle.name,
          closesAt: cycle.closesAt,
          activeApplications: r.active,
          maxActiveApplications: cycle.maxActiveApplications,
          matchingAdverts: r.matching,
          link: `${publicUrl()}/annonces`,
        });
        if (
          await insertNotification(tx, {
            userId,
            epci: cycle.epci,
            kind: 'cycle-closing',
            ...message,
            dedupeKey: `cycle-closing:${cycle.id}:${userId}`,
          })
        )
          n++;
      }
      return n;
    });
  }
  return queued;
}

/** The demands behind a set of alerts, in one query, by SNE number. */
async function demandsOf(
  tx: Db,
  epci: string,
  alerts: readonly { sneNumber: string }[],
): Promise<Map<string, Demand>> {
  if (alerts.length === 0) return new Map();
  const demands = await loadDemands(tx, epci, { sneNumbers: alerts.map((a) => a.sneNumber) });
  return new Map(demands.map((d) => [d.sneNumber, d]));
}
