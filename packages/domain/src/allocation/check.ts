/**
 * Independent check of an allocation result against its instance, recomputed from the plain JSON
 * objects (no shared code with the engine's typed arrays): one home per applicant and one applicant
 * per home, only eligible applications, weights, every target row with the year-to-date leases
 * (CCH L441-1), shortfalls and the objective. Used by the tests and the benchmark.
 */

import type { AllocationInstance, AllocationResult } from './types.ts';
import { DEFAULT_SETTINGS, DEFAULT_TARGETS } from './types.ts';

export interface AllocationCheck {
  /** Empty when the result is consistent with the instance. */
  problems: string[];
  weight: number;
  penalty: number;
  objective: number;
}

const TOLERANCE = 1e-6;

export function checkAllocation(instance: AllocationInstance, result: AllocationResult): AllocationCheck {
  const problems: string[] = [];
  const settings = { ...DEFAULT_SETTINGS, ...instance.settings, ...result.settings };
  const targets = { ...DEFAULT_TARGETS, ...instance.targets };
  const homes = new Map(instance.homes.map((h) => [h.id, h]));
  const applicants = new Map(instance.applicants.map((a) => [a.id, a]));
  const applications = new Map<string, number>();
  for (const app of instance.applications)
    if (app.eligible !== false) applications.set(`${app.applicant}\u0000${app.home}`, app.rank);

  const homeTaken = new Map<string, string>();
  const applicantTaken = new Map<string, string>();
  let weight = 0;
  for (const { home, applicant } of result.assignments) {
    if (homeTaken.has(home)) problems.push(`logement ${home} attribué deux fois`);
    if (applicantTaken.has(applicant)) problems.push(`candidat ${applicant} proposé deux fois`);
    homeTaken.set(home, applicant);
    applicantTaken.set(applicant, home);
    const rank = applications.get(`${applicant}\u0000${home}`);
    const a = applicants.get(applicant);
    if (rank === undefined || a === undefined || !homes.has(home)) {
      problems.push(`${applicant} → ${home} n’est pas une candidature éligible`);
      continue;
    }
    weight += a.score * (1 + settings.rankWeight * (settings.rankReference - rank));
  }

  // Target rows, recomputed.
  interface Row {
    target: number;
    homes: number;
    lets: number;
    qualifying: number;
    ytdTotal: number;
    ytdQualifying: number;
  }
  const rows = new Map<string, Row>();
  const row = (name: string, target: number) => {
    let r = rows.get(name);
    if (!r) {
      r = { target, homes: 0, lets: 0, qualifying: 0, ytdTotal: 0, ytdQualifying: 0 };
      rows.set(name, r);
    }
    return r;
  };
  for (const h of instance.homes) {
    const epciRow = h.qpv
      ? row(`nonFirstQuartileInsideQpv:${h.epci}`, targets.nonFirstQuartileInsideQpv)
      : row(`firstQuartileOutsideQpv:${h.epci}`, targets.firstQuartileOutsideQpv);
    const holderRow = row(
      `priorityPerReservationHolder:${h.reservationHolder}`,
      targets.priorityPerReservationHolder,
    );
    epciRow.homes++;
    holderRow.homes++;
    const applicant = homeTaken.get(h.id);
    const a = applicant === undefined ? undefined : applicants.get(applicant);
    if (!a) continue;
    epciRow.lets++;
    holderRow.lets++;
    const epciQualifies = h.qpv ? !a.firstQuartile : a.firstQuartile || a.urbanRenewalRelocation;
    if (epciQualifies) epciRow.qualifying++;
    if (a.priorityPublic) holderRow.qualifying++;
  }
  for (const y of instance.yearToDate ?? []) {
    const outside = rows.get(`firstQuartileOutsideQpv:${y.epci}`);
    if (outside) {
      outside.ytdTotal = y.outsideQpv;
      outside.ytdQualifying = y.outsideQpvFirstQuartile;
    }
    const inside = rows.get(`nonFirstQuartileInsideQpv:${y.epci}`);
    if (inside) {
      inside.ytdTotal = y.insideQpv;
      inside.ytdQualifying = y.insideQpvNonFirstQuartile;
    }
  }
  for (const y of instance.reservationYearToDate ?? []) {
    const r = rows.get(`priorityPerReservationHolder:${y.reservationHolder}`);
    if (r) {
      r.ytdTotal = y.total;
      r.ytdQualifying = y.priority;
    }
  }

  let shortfallTotal = 0;
  const reported = new Map(result.constraints.map((c) => [c.name, c]));
  for (const [name, r] of rows) {
    const counted = r.ytdTotal + (settings.unletHomes === 'nonQualifying' ? r.homes : r.lets);
    const required = r.target * counted;
    const achieved = r.ytdQualifying + r.qualifying;
    const shortfall = Math.max(0, required - achieved);
    shortfallTotal += shortfall < 1e-9 ? 0 : shortfall;
    const c = reported.get(name);
    if (!c) {
      problems.push(`contrainte ${name} absente du résultat`);
      continue;
    }
    if (Math.abs(c.required - required) > TOLERANCE)
      problems.push(`${name} : required ${c.required} ≠ ${required}`);
    if (Math.abs(c.achieved - achieved) > TOLERANCE)
      problems.push(`${name} : achieved ${c.achieved} ≠ ${achieved}`);
    if (Math.abs(c.shortfall - shortfall) > TOLERANCE)
      problems.push(`${name} : shortfall ${c.shortfall} ≠ ${shortfall}`);
    if (c.missingHouseholds !== Math.max(0, Math.ceil(shortfall - 1e-9)))
      problems.push(
        `${name} : missingHouseholds ${c.missingHouseholds} ≠ ${Math.max(0, Math.ceil(shortfall - 1e-9))}`,
      );
  }
  if (reported.size !== rows.size) problems.push(`${reported.size} contraintes au lieu de ${rows.size}`);

  const penalty = settings.shortfallPenalty * shortfallTotal;
  const objective = weight - penalty;
  const scale = Math.max(1, Math.abs(objective));
  if (Math.abs(result.weight - weight) > TOLERANCE * scale)
    problems.push(`weight ${result.weight} ≠ ${weight}`);
  if (Math.abs(result.objective - objective) > TOLERANCE * scale)
    problems.push(`objective ${result.objective} ≠ ${objective}`);
  if (result.upperBound < objective - TOLERANCE * scale)
    problems.push(`upperBound ${result.upperBound} < objective ${objective}`);

  // Candidates: at most three, distinct, eligible, the assigned applicant first.
  for (const h of instance.homes) {
    const list = result.candidates[h.id];
    if (!list) {
      problems.push(`pas de candidats pour ${h.id}`);
      continue;
    }
    if (list.length > 3 || new Set(list).size !== list.length)
      problems.push(`candidats de ${h.id} invalides`);
    for (const a of list)
      if (!applications.has(`${a}\u0000${h.id}`)) problems.push(`candidat ${a} non éligible pour ${h.id}`);
    const assigned = homeTaken.get(h.id);
    if (assigned !== undefined && list[0] !== assigned)
      problems.push(`${h.id} : le premier candidat n’est pas l’attributaire`);
  }
  return { problems, weight, penalty, objective };
}
