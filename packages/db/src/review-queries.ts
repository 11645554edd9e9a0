import { ciaReview, ciaSettingsOn, projectToYearEnd, type ReviewLease } from '@mosaique/domain/review';
import type { Typology } from '@mosaique/domain/stock';
import type { Db } from './db.ts';

/** The signed leases of an EPCI in a year, with what the CIA review counts (QPV of the residence). */
export async function reviewLeases(db: Db, epci: string, year: number): Promise<ReviewLease[]> {
  const rows = await db.query<Omit<ReviewLease, 'typology'> & { typology: number }>(
    `SELECT l.id AS "leaseId", to_char(l.signed_on, 'YYYY-MM-DD') AS "signedOn", l.home_id AS "homeId",
            r.commune_code AS commune, r.qpv_code IS NOT NULL AS qpv, r.landlord_id AS landlord,
            l.reservation_holder_id AS "reservationHolder", m.typology, l.household_id AS "householdId",
            l.first_quartile AS "firstQuartile", l.urban_renewal_relocation AS "urbanRenewalRelocation",
            l.priority_public AS "priorityPublic", l.transfer
     FROM lease l JOIN home m ON m.id = l.home_id JOIN residence r ON r.id = m.residence_id
     WHERE l.epci_code = $1 AND l.signed_on >= make_date($2::int, 1, 1) AND l.signed_on < make_date($2::int + 1, 1, 1)
     ORDER BY l.signed_on, l.id`,
    [epci, year],
  );
  return rows.map((r) => ({ ...r, typology: r.typology as Typology }));
}

/** Years with signed leases, oldest first. */
export async function reviewYears(db: Db, epci: string): Promise<number[]> {
  const rows = await db.query<{ year: number }>(
    'SELECT DISTINCT extract(year FROM signed_on)::int AS year FROM lease WHERE epci_code = $1 ORDER BY 1',
    [epci],
  );
  return rows.map((r) => r.year);
}

/** The first-quartile threshold used for a year: the official value when recorded, else the computed one. */
export async function thresholdUsed(
  db: Db,
  epci: string,
  year: number,
): Promise<{
  computed: number | null;
  official: number | null;
  used: number | null;
  origin: 'official' | 'computed' | null;
}> {
  const [row] = await db.query<{ computed_eur: number | null; official_eur: number | null }>(
    'SELECT computed_eur, official_eur FROM first_quartile_threshold WHERE epci_code = $1 AND year = $2',
    [epci, year],
  );
  const computed = row?.computed_eur ?? null;
  const official = row?.official_eur ?? null;
  return {
    computed,
    official,
    used: official ?? computed,
    origin: official !== null ? 'official' : computed !== null ? 'computed' : null,
  };
}

export class NoLeasesError extends Error {}

/**
 * The annual CIA review as published (CLI `mosaique review`, API): the review of the year up to
 * `until`, the first-quartile threshold used, the trend over the years before, and the projection to
 * 31 December when `until` is earlier. Throws NoLeasesError without a signed lease that year, and the
 * dated-rule error when no target is in force.
 */
export async function ciaReviewReport(db: Db, epci: string, year: number, until = `${year}-12-31`) {
  const leases = await reviewLeases(db, epci, year);
  if (leases.length === 0) throw new NoLeasesError(`aucun bail signé en ${year} pour l'EPCI ${epci}`);
  const review = ciaReview(epci, year, leases, ciaSettingsOn(until), until);
  const trend = [];
  for (const y of await reviewYears(db, epci)) {
    if (y > year) continue;
    const r =
      y === year ? review : ciaReview(epci, y, await reviewLeases(db, epci, y), ciaSettingsOn(`${y}-12-31`));
    trend.push({
      year: y,
      leases: r.leases,
      outsideQpvShare: r.outsideQpv.share,
      insideQpvShare: r.insideQpv.share,
    });
  }
  const names = await db.query<{ id: string; name: string }>(
    `SELECT id, name FROM reservation_holder UNION ALL SELECT id, name FROM landlord
     UNION ALL SELECT code, name FROM commune WHERE epci_code = $1`,
    [epci],
  );
  return {
    ...review,
    /** Names of the reservation holders, landlords and communes the breakdowns are keyed by. */
    labels: Object.fromEntries(names.map((n) => [n.id, n.name])) as Record<string, string>,
    threshold: await thresholdUsed(db, epci, year),
    trend,
    projection: until < `${year}-12-31` ? projectToYearEnd(review) : null,
  };
}
