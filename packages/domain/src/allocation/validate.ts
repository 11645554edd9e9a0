/**
 * Validation of an allocation instance read from JSON: every issue names its entry
 * (`applications[17] : candidat « a99 » inconnu`), all issues are collected before refusing, so a
 * file is corrected in one pass.
 */
import type { AllocationInstance } from './types.ts';

export class AllocationInstanceError extends Error {
  constructor(readonly issues: readonly string[]) {
    const shown = issues.slice(0, 30);
    const more =
      issues.length > shown.length ? [`… et ${issues.length - shown.length} autre(s) erreur(s)`] : [];
    super(`Instance refusée, ${issues.length} erreur(s) :\n${[...shown, ...more].join('\n')}`);
    this.name = 'AllocationInstanceError';
  }
}

type Json = Record<string, unknown>;

const TARGET_KEYS = ['firstQuartileOutsideQpv', 'nonFirstQuartileInsideQpv', 'priorityPerReservationHolder'];
const SETTING_KEYS = [
  'rankWeight',
  'rankReference',
  'shortfallPenalty',
  'unletHomes',
  'timeLimitSeconds',
  'relativeGapTolerance',
];

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function quote(x: unknown): string {
  const s = typeof x === 'string' ? x : JSON.stringify(x);
  return `« ${s !== undefined && s.length > 60 ? `${s.slice(0, 57)}…` : s} »`;
}

/** Checks the shape and consistency of an instance; returns it typed or throws AllocationInstanceError. */
export function validateAllocationInstance(input: unknown): AllocationInstance {
  const issues: string[] = [];
  if (!isObject(input)) throw new AllocationInstanceError(['l’instance doit être un objet JSON']);
  const add = (where: string, what: string) => issues.push(`${where} : ${what}`);

  const list = (key: string, required: boolean): unknown[] => {
    const value = input[key];
    if (value === undefined && !required) return [];
    if (!Array.isArray(value)) {
      add(key, 'doit être un tableau');
      return [];
    }
    return value;
  };
  const text = (where: string, entry: Json, field: string) => {
    const v = entry[field];
    if (typeof v !== 'string' || v.trim() === '') {
      add(where, `champ « ${field} » manquant ou vide`);
      return undefined;
    }
    return v;
  };
  const flag = (where: string, entry: Json, field: string) => {
    if (typeof entry[field] !== 'boolean') add(where, `champ « ${field} » : booléen attendu (true/false)`);
  };
  const count = (where: string, entry: Json, field: string) => {
    const v = entry[field];
    if (v === undefined) return 0;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      add(where, `champ « ${field} » : entier ≥ 0 attendu, reçu ${quote(v)}`);
      return 0;
    }
    return v;
  };

  if (input.targets !== undefined) {
    if (!isObject(input.targets)) add('targets', 'doit être un objet');
    else
      for (const [key, value] of Object.entries(input.targets)) {
        if (!TARGET_KEYS.includes(key)) add('targets', `objectif inconnu ${quote(key)}`);
        else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1)
          add(`targets.${key}`, `doit être une part entre 0 et 1, reçu ${quote(value)}`);
      }
  }

  if (input.settings !== undefined) {
    if (!isObject(input.settings)) add('settings', 'doit être un objet');
    else
      for (const [key, value] of Object.entries(input.settings)) {
        const where = `settings.${key}`;
        if (!SETTING_KEYS.includes(key)) add('settings', `paramètre inconnu ${quote(key)}`);
        else if (key === 'unletHomes') {
          if (value !== 'nonQualifying' && value !== 'excluded')
            add(where, `« nonQualifying » ou « excluded » attendu, reçu ${quote(value)}`);
        } else if (typeof value !== 'number' || !Number.isFinite(value))
          add(where, `nombre attendu, reçu ${quote(value)}`);
        else if ((key === 'shortfallPenalty' || key === 'timeLimitSeconds') && value <= 0)
          add(where, `doit être > 0, reçu ${value}`);
        else if (key === 'relativeGapTolerance' && value < 0) add(where, `doit être ≥ 0, reçu ${value}`);
      }
  }

  const homeIds = new Map<string, number>();
  list('homes', true).forEach((entry, i) => {
    const where = `homes[${i}]`;
    if (!isObject(entry)) {
      add(where, 'doit être un objet');
      return;
    }
    const id = text(where, entry, 'id');
    text(where, entry, 'epci');
    flag(where, entry, 'qpv');
    text(where, entry, 'reservationHolder');
    if (id === undefined) return;
    const previous = homeIds.get(id);
    if (previous !== undefined) add(where, `logement ${quote(id)} en double (déjà homes[${previous}])`);
    else homeIds.set(id, i);
  });

  const applicantIds = new Map<string, number>();
  list('applicants', true).forEach((entry, i) => {
    const where = `applicants[${i}]`;
    if (!isObject(entry)) {
      add(where, 'doit être un objet');
      return;
    }
    const id = text(where, entry, 'id');
    if (typeof entry.score !== 'number' || !Number.isFinite(entry.score))
      add(where, `champ « score » : nombre attendu, reçu ${quote(entry.score)}`);
    flag(where, entry, 'firstQuartile');
    flag(where, entry, 'urbanRenewalRelocation');
    flag(where, entry, 'priorityPublic');
    if (id === undefined) return;
    const previous = applicantIds.get(id);
    if (previous !== undefined) add(where, `candidat ${quote(id)} en double (déjà applicants[${previous}])`);
    else applicantIds.set(id, i);
  });

  // Duplicate applications: per applicant, the homes already seen (a handful each).
  const seenHomes = new Map<string, Map<string, number>>();
  const applications = list('applications', true);
  for (let i = 0; i < applications.length; i++) {
    const entry = applications[i];
    const where = `applications[${i}]`;
    if (!isObject(entry)) {
      add(where, 'doit être un objet');
      continue;
    }
    const applicant = entry.applicant;
    const home = entry.home;
    if (typeof applicant !== 'string') add(where, 'champ « applicant » manquant');
    else if (!applicantIds.has(applicant)) add(where, `candidat ${quote(applicant)} inconnu`);
    if (typeof home !== 'string') add(where, 'champ « home » manquant');
    else if (!homeIds.has(home)) add(where, `logement ${quote(home)} inconnu`);
    const rank = entry.rank;
    if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1)
      add(where, `rang ${quote(rank)} invalide : entier ≥ 1 attendu`);
    if (entry.eligible !== undefined && typeof entry.eligible !== 'boolean')
      add(where, 'champ « eligible » : booléen attendu');
    if (typeof applicant === 'string' && typeof home === 'string') {
      let homes = seenHomes.get(applicant);
      if (!homes) {
        homes = new Map();
        seenHomes.set(applicant, homes);
      }
      const previous = homes.get(home);
      if (previous !== undefined)
        add(
          where,
          `candidature en double de ${quote(applicant)} sur ${quote(home)} (déjà applications[${previous}])`,
        );
      else homes.set(home, i);
    }
  }

  const epcis = new Map<string, number>();
  list('yearToDate', false).forEach((entry, i) => {
    const where = `yearToDate[${i}]`;
    if (!isObject(entry)) {
      add(where, 'doit être un objet');
      return;
    }
    const epci = text(where, entry, 'epci');
    const outside = count(where, entry, 'outsideQpv');
    const outsideQualifying = count(where, entry, 'outsideQpvFirstQuartile');
    const inside = count(where, entry, 'insideQpv');
    const insideQualifying = count(where, entry, 'insideQpvNonFirstQuartile');
    if (outsideQualifying > outside) add(where, 'outsideQpvFirstQuartile dépasse outsideQpv');
    if (insideQualifying > inside) add(where, 'insideQpvNonFirstQuartile dépasse insideQpv');
    if (epci === undefined) return;
    const previous = epcis.get(epci);
    if (previous !== undefined) add(where, `EPCI ${quote(epci)} en double (déjà yearToDate[${previous}])`);
    else epcis.set(epci, i);
  });

  const holders = new Map<string, number>();
  list('reservationYearToDate', false).forEach((entry, i) => {
    const where = `reservationYearToDate[${i}]`;
    if (!isObject(entry)) {
      add(where, 'doit être un objet');
      return;
    }
    const holder = text(where, entry, 'reservationHolder');
    const total = count(where, entry, 'total');
    const priority = count(where, entry, 'priority');
    if (priority > total) add(where, 'priority dépasse total');
    if (holder === undefined) return;
    const previous = holders.get(holder);
    if (previous !== undefined)
      add(where, `réservataire ${quote(holder)} en double (déjà reservationYearToDate[${previous}])`);
    else holders.set(holder, i);
  });

  if (issues.length > 0) throw new AllocationInstanceError(issues);
  return input as unknown as AllocationInstance;
}
