/**
 * Choice-based letting (location choisie): letting cycles, adverts of vacant homes of the stock and
 * the validation of what a landlord agent writes. Rent, typology, surface, floor, lift,
 * accessibility, QPV and reservation holder are those of the home: an advert only adds what the
 * stock does not hold (description, energy label) and the cycle during which it takes applications.
 */

export type LettingCycleStatus = 'open' | 'closed';
export type AdvertStatus = 'draft' | 'published' | 'withdrawn' | 'closed';
export type ApplicationStatus = 'active' | 'withdrawn' | 'shortlisted' | 'excluded';
export type EnergyLabel = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G';
export const ENERGY_LABELS: readonly EnergyLabel[] = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];

export interface LettingCycle {
  id: string;
  epci: string;
  /** The landlord whose cycle it is, or null for a cycle of the whole EPCI. */
  landlord: string | null;
  name: string;
  /** ISO timestamps. */
  opensAt: string;
  closesAt: string;
  status: LettingCycleStatus;
  /** At most this many active applications per applicant in the cycle (data, default 3). */
  maxActiveApplications: number;
}

export interface AdvertText {
  description: string;
  energyLabel: EnergyLabel | null;
}

export const ADVERT_DESCRIPTION_MIN = 20;
export const ADVERT_DESCRIPTION_MAX = 4000;
export const DEFAULT_MAX_ACTIVE_APPLICATIONS = 3;

/** The problems of an advert's text, as French sentences (empty when valid). */
export function advertTextProblems(advert: AdvertText): string[] {
  const problems: string[] = [];
  const description = advert.description.trim();
  if (description.length < ADVERT_DESCRIPTION_MIN)
    problems.push(`la description doit compter au moins ${ADVERT_DESCRIPTION_MIN} caractères`);
  if (description.length > ADVERT_DESCRIPTION_MAX)
    problems.push(`la description doit compter au plus ${ADVERT_DESCRIPTION_MAX} caractères`);
  if (advert.energyLabel !== null && !ENERGY_LABELS.includes(advert.energyLabel))
    problems.push('l’étiquette énergie doit être une lettre de A à G');
  return problems;
}

/** The problems of a letting cycle's dates and limit, as French sentences (empty when valid). */
export function cycleProblems(
  cycle: Pick<LettingCycle, 'opensAt' | 'closesAt' | 'maxActiveApplications'>,
): string[] {
  const problems: string[] = [];
  const opens = Date.parse(cycle.opensAt);
  const closes = Date.parse(cycle.closesAt);
  if (Number.isNaN(opens)) problems.push('date d’ouverture invalide');
  if (Number.isNaN(closes)) problems.push('date de clôture invalide');
  if (!Number.isNaN(opens) && !Number.isNaN(closes) && closes <= opens)
    problems.push('la clôture du cycle doit suivre son ouverture');
  if (
    !Number.isInteger(cycle.maxActiveApplications) ||
    cycle.maxActiveApplications < 1 ||
    cycle.maxActiveApplications > 20
  )
    problems.push('le nombre de candidatures actives par cycle doit être un entier de 1 à 20');
  return problems;
}

/**
 * Whether an advert may still be edited: a draft always; a published advert only while nobody has
 * applied (applicants chose it on what it said). Afterwards it can only be withdrawn with a reason.
 */
export function advertEditable(status: AdvertStatus, applicationsEver: number): boolean {
  return status === 'draft' || (status === 'published' && applicationsEver === 0);
}

/** Whether a cycle takes applications at `now` (ISO timestamp). */
export function cycleTakesApplications(
  cycle: Pick<LettingCycle, 'opensAt' | 'closesAt' | 'status'>,
  now: string,
): boolean {
  const t = Date.parse(now);
  return cycle.status === 'open' && Date.parse(cycle.opensAt) <= t && t < Date.parse(cycle.closesAt);
}
