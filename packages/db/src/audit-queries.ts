import {
  type AuditSettings,
  type EqualTreatmentAudit,
  equalTreatmentAudit,
  type PlatformOutcome,
} from '@mosaique/domain/audit';
import { DEFAULT_COTATION_GRID } from '@mosaique/domain/cotation';
import { activeGrid, loadDemands } from './cotation-repository.ts';
import type { Db } from './db.ts';

/** Date of the first lease signed by each demand of the EPCI. */
export async function auditHousedOn(db: Db, epci: string): Promise<Map<string, string>> {
  const rows = await db.query<{ sne: string; on: string }>(
    `SELECT sne_number AS sne, to_char(min(signed_on), 'YYYY-MM-DD') AS on
     FROM lease WHERE epci_code = $1 GROUP BY sne_number`,
    [epci],
  );
  return new Map(rows.map((r) => [r.sne, r.on]));
}

/**
 * The platform's letting outcomes of the applicants who applied to adverts of letting cycles closed
 * during the period (applications not withdrawn): shortlisted = among the first three of at least one
 * shortlist (the CALEOL examines three candidates per home, CCH R441-3); proposed = a candidate of
 * the commission for at least one of those adverts.
 */
export async function auditPlatformOutcomes(
  db: Db,
  epci: string,
  from: string,
  to: string,
): Promise<Map<string, PlatformOutcome>> {
  const rows = await db.query<{ sne: string; shortlisted: boolean; proposed: boolean }>(
    `SELECT a.sne_number AS sne,
            bool_or(s.rank IS NOT NULL AND s.rank <= 3) AS shortlisted,
            bool_or(EXISTS (SELECT 1 FROM agenda_item i
                            WHERE i.advert_id = a.advert_id AND a.sne_number = ANY (i.candidates))) AS proposed
     FROM application a
     JOIN letting_cycle c ON c.id = a.cycle_id
     LEFT JOIN shortlist s ON s.advert_id = a.advert_id AND s.sne_number = a.sne_number
     WHERE a.epci_code = $1 AND a.status <> 'withdrawn' AND c.status = 'closed'
       AND c.closes_at >= $2::date AND c.closes_at < $3::date + 1
     GROUP BY a.sne_number`,
    [epci, from, to],
  );
  return new Map(rows.map((r) => [r.sne, { shortlisted: r.shortlisted, proposed: r.proposed }]));
}

/**
 * The year an audit covers by default: the last calendar year ended before `today` with signed
 * leases, else the current year when only it has some; null without any lease.
 */
export async function lastLeaseYear(db: Db, epci: string, today: string): Promise<number | null> {
  const [row] = await db.query<{ ended: number | null; any: number | null }>(
    `SELECT extract(year FROM max(signed_on) FILTER (WHERE signed_on < date_trunc('year', $2::date)))::int AS ended,
            extract(year FROM max(signed_on))::int AS any
     FROM lease WHERE epci_code = $1`,
    [epci, today],
  );
  return row?.ended ?? row?.any ?? null;
}

export interface EqualTreatmentReport extends EqualTreatmentAudit {
  epci: string;
  /** The cotation grid whose score is controlled for. */
  grid: { id: string; version: number; label: string; active: boolean };
}

/**
 * The equal-treatment audit of an EPCI over a period, from its demands, leases, and the platform's
 * applications, shortlists and commission agendas; communes named. The score controlled for is the
 * EPCI's active grid's, or the default grid when none is active (said in `grid.active`).
 */
export async function equalTreatmentReport(
  db: Db,
  epci: string,
  from: string,
  to: string,
  settings: Partial<AuditSettings> = {},
): Promise<EqualTreatmentReport> {
  const active = await activeGrid(db, epci);
  const grid = active ?? DEFAULT_COTATION_GRID;
  const audit = equalTreatmentAudit({
    demands: await loadDemands(db, epci),
    housedOn: await auditHousedOn(db, epci),
    platform: await auditPlatformOutcomes(db, epci, from, to),
    grid,
    from,
    to,
    settings,
  });
  const names = new Map(
    (await db.query<{ code: string; name: string }>('SELECT code, name FROM commune')).map((c) => [
      c.code,
      c.name,
    ]),
  );
  for (const o of audit.outcomes)
    for (const g of o.groups)
      if (g.variable === 'residence-commune') g.label = `résidant à ${names.get(g.group) ?? g.group}`;
  return {
    ...audit,
    epci,
    grid: { id: grid.id, version: grid.version, label: grid.label, active: active !== null },
  };
}
