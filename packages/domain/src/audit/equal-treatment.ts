/**
 * The equal-treatment audit (issue 8; docs/audit.md; RULES.md §6): for each outcome of the
 * allocation process (housed in the period, housed within N months of the demand, shortlisted,
 * proposed to the commission), does a lawful group of applicants get it less often than the others,
 * other things equal? « Other things equal » = within strata of cotation score decile × typology
 * sought × eligibility (income under the PLUS ceiling), pooled with the Mantel–Haenszel common odds
 * ratio and its Robins–Breslow–Greenland interval (review/disparity.ts). A group is flagged when its
 * interval at the Bonferroni-corrected level (α ÷ the number of tests of the whole audit) lies below 1
 * and its estimate below 0.9. Pure: the caller supplies demands, lease dates and platform outcomes.
 *
 * Only lawful variables are used (Code pénal 225-1 criteria the platform holds for allocation); no
 * ethnic or racial data exists anywhere in Mosaïque (Conseil constitutionnel 2007-557 DC).
 */
import type { CotationGrid } from '../cotation/grid.ts';
import { scoreDemands } from '../cotation/score.ts';
import { consumptionUnitScaleOn, consumptionUnits } from '../demand/consumption-units.ts';
import type { Demand, HouseholdType } from '../demand/types.ts';
import { ageOn, householdCategory } from '../eligibility/household-category.ts';
import { incomeCeilingOn } from '../eligibility/income-ceilings.ts';
import { zoningOf } from '../eligibility/zones.ts';
import { mantelHaenszel, type Stratum } from '../review/disparity.ts';

export type AuditOutcome = 'housed' | 'housed-within' | 'shortlisted' | 'proposed';
export type AuditVariable =
  | 'age-band'
  | 'household-type'
  | 'economic-vulnerability'
  | 'residence-qpv'
  | 'residence-commune'
  | 'disability'
  | 'social-tenant';
export type StratumDimension = 'score-decile' | 'typology' | 'eligibility' | 'commune-sought';

export const AUDIT_VARIABLE_LABELS: Readonly<Record<AuditVariable, string>> = {
  'age-band': 'Âge de la personne de référence',
  'household-type': 'Composition du ménage',
  'economic-vulnerability': 'Niveau de ressources (vulnérabilité économique)',
  'residence-qpv': 'Lieu de résidence : quartier prioritaire (QPV)',
  'residence-commune': 'Lieu de résidence : commune',
  disability: 'Handicap',
  'social-tenant': 'Locataire du parc social (mutation)',
};

export const HOUSEHOLD_TYPE_LABELS: Readonly<Record<HouseholdType, string>> = {
  single: 'personnes seules',
  couple: 'couples sans enfant',
  'single-parent': 'familles monoparentales',
  'couple-with-children': 'couples avec enfants',
  other: 'autres ménages',
};

export interface AuditSettings {
  /** Economic vulnerability: monthly resources per consumption unit below this (€; OFCE 2023 for the Défenseur des droits). */
  vulnerabilityEurPerUcMonth: number;
  /** « Housed within N months of the demand ». */
  waitingMonths: number;
  /** Family-wise error rate of the whole audit (Bonferroni over all its tests, groups × outcomes). */
  alpha: number;
  /** A flag also needs the estimate below this: a material disadvantage, not only a significant one. */
  threshold: number;
  /** Score quantiles (10 = deciles). */
  scoreQuantiles: number;
  /** Lower bounds of the age bands after the first (years). */
  ageBands: number[];
  /** A group is tested when it and the others each count at least this many persons. */
  minGroup: number;
  /** A commune of residence is tested as a group when at least this many applicants live there. */
  minCommune: number;
  strata: StratumDimension[];
}

export const DEFAULT_AUDIT_SETTINGS: AuditSettings = {
  vulnerabilityEurPerUcMonth: 800,
  waitingMonths: 12,
  alpha: 0.05,
  threshold: 0.9,
  scoreQuantiles: 10,
  ageBands: [30, 50, 65],
  minGroup: 30,
  minCommune: 400,
  strata: ['score-decile', 'typology', 'eligibility', 'commune-sought'],
};

export interface PlatformOutcome {
  /** At least one application of the period was kept on a shortlist. */
  shortlisted: boolean;
  /** Examined by the allocation commission (candidate on an agenda item) at least once. */
  proposed: boolean;
}

export interface AuditInput {
  demands: readonly Demand[];
  /** Date of the first lease signed after each demand's registration, by SNE number. */
  housedOn: ReadonlyMap<string, string>;
  /** Residence in a QPV when known for the applicants (geocoded address); absent: not audited. */
  residenceQpv?: ReadonlyMap<string, boolean>;
  /** The platform's letting outcomes of the applicants who applied during the period, by SNE number. */
  platform?: ReadonlyMap<string, PlatformOutcome>;
  /** The cotation grid whose score is controlled for. */
  grid: CotationGrid;
  /** The period audited, ISO dates (inclusive). */
  from: string;
  to: string;
  settings?: Partial<AuditSettings>;
}

export interface AuditGroupResult {
  variable: AuditVariable;
  /** Code of the group (a band, a type, a commune code…). */
  group: string;
  label: string;
  /** Persons of the group in the outcome's population. */
  persons: number;
  /** Crude rates of the outcome in the group and among the others. */
  rate: number;
  othersRate: number;
  tested: boolean;
  /** Why the group was not tested. */
  note: string | null;
  oddsRatio: number | null;
  lower: number | null;
  upper: number | null;
  /** Strata with at least two persons. */
  strata: number;
  flagged: boolean;
}

export interface AuditOutcomeResult {
  outcome: AuditOutcome;
  label: string;
  /** Who is counted and what the outcome is, in one French sentence. */
  definition: string;
  persons: number;
  events: number;
  /** Strata with at least one person. */
  strata: number;
  /** Groups tested for this outcome, and the confidence level of the intervals (1 − α ÷ the audit's tests). */
  tests: number;
  level: number;
  groups: AuditGroupResult[];
}

export interface EqualTreatmentAudit {
  from: string;
  to: string;
  settings: AuditSettings;
  /** Tests performed over all outcomes (the Bonferroni divisor). */
  tests: number;
  outcomes: AuditOutcomeResult[];
  /** Variables or outcomes that could not be audited, with the reason. */
  unavailable: { what: string; reason: string }[];
  flagged: number;
}

/** ISO date shifted by whole months (day clamped to the month's end). */
export function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(Number(date.slice(8, 10)), last);
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Monthly resources per consumption unit, with the scale in force on the date. */
export function monthlyResourcesPerUc(
  d: Pick<Demand, 'monthlyResourcesEur' | 'persons14OrMore' | 'personsUnder14'>,
  date: string,
): number {
  return (
    d.monthlyResourcesEur /
    consumptionUnits(d.persons14OrMore, d.personsUnder14, consumptionUnitScaleOn(date))
  );
}

/** Income under the PLUS ceiling in force (zone of the first commune sought), or null when unknown. */
export function plusEligible(d: Demand, date: string): boolean | null {
  const commune = d.desiredCommunes[0] ?? d.currentCommune;
  let area: ReturnType<typeof zoningOf>['area'];
  try {
    area = zoningOf(commune).area;
  } catch {
    return null;
  }
  const ceiling = incomeCeilingOn('PLUS', area, householdCategory(d, date).category, date);
  return 'unknown' in ceiling ? null : d.referenceTaxIncomeEur <= ceiling.eur;
}

/** Quantile class (0 … q−1) of each value: the share of values strictly below it, times q. Ties share a class. */
export function quantileClasses(values: ArrayLike<number>, q: number): Uint8Array {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  const result = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    result[i] = Math.min(q - 1, Math.floor((lo * q) / n));
  }
  return result;
}

interface Subject {
  demand: Demand;
  /** Date covariates and score are taken on. */
  on: string;
  outcome: boolean;
}

/** Demands active at the end of `date`'s eve (registered before it, not closed before it). */
function activeOn(d: Demand, date: string): boolean {
  return d.registeredOn < date && (d.closedOn === null || d.closedOn >= date);
}

function subjectsOf(
  outcome: AuditOutcome,
  input: AuditInput,
  s: AuditSettings,
): { subjects: Subject[]; definition: string } | { reason: string } {
  const { from, to, demands, housedOn } = input;
  switch (outcome) {
    case 'housed':
      return {
        definition: `Demandes actives au ${from} ; issue : bail signé entre le ${from} et le ${to}.`,
        subjects: demands
          .filter((d) => activeOn(d, from))
          .map((d) => {
            const on = housedOn.get(d.sneNumber);
            return { demand: d, on: from, outcome: on !== undefined && on >= from && on <= to };
          }),
      };
    case 'housed-within': {
      const n = s.waitingMonths;
      const first = addMonths(from, -n);
      const last = addMonths(to, -n);
      return {
        definition: `Demandes enregistrées entre le ${first} et le ${last} (suivies ${n} mois) ; issue : bail signé dans les ${n} mois suivant l’enregistrement.`,
        subjects: demands
          .filter((d) => d.registeredOn >= first && d.registeredOn <= last)
          .map((d) => {
            const on = housedOn.get(d.sneNumber);
            return {
              demand: d,
              on: d.registeredOn,
              outcome: on !== undefined && on <= addMonths(d.registeredOn, n),
            };
          }),
      };
    }
    case 'shortlisted':
    case 'proposed': {
      const platform = input.platform;
      if (!platform || platform.size === 0)
        return { reason: 'aucune candidature sur la plateforme pendant la période' };
      const key = outcome === 'shortlisted' ? 'shortlisted' : 'proposed';
      return {
        definition:
          outcome === 'shortlisted'
            ? `Demandeurs ayant candidaté sur la plateforme entre le ${from} et le ${to} ; issue : au moins une candidature retenue sur une liste de candidats.`
            : `Demandeurs ayant candidaté sur la plateforme entre le ${from} et le ${to} ; issue : présenté au moins une fois à la commission d’attribution.`,
        subjects: demands
          .filter((d) => platform.has(d.sneNumber))
          .map((d) => ({ demand: d, on: from, outcome: platform.get(d.sneNumber)![key] })),
      };
    }
  }
}

const OUTCOME_LABELS: Readonly<Record<AuditOutcome, string>> = {
  housed: 'Être logé dans la période',
  'housed-within': 'Être logé dans le délai',
  shortlisted: 'Être retenu sur une liste de candidats',
  proposed: 'Être présenté à la commission',
};

/** Scores of the subjects on their own dates (one batch per date). */
function scoresOf(subjects: readonly Subject[], grid: CotationGrid): Float64Array {
  const byDate = new Map<string, number[]>();
  subjects.forEach((x, i) => {
    const list = byDate.get(x.on);
    if (list) list.push(i);
    else byDate.set(x.on, [i]);
  });
  const scores = new Float64Array(subjects.length);
  for (const [date, idx] of byDate) {
    const totals = scoreDemands(
      idx.map((i) => subjects[i]!.demand),
      grid,
      date,
    );
    idx.forEach((i, k) => {
      scores[i] = totals[k]!;
    });
  }
  return scores;
}

interface GroupDef {
  variable: AuditVariable;
  group: string;
  label: string;
  member: Uint8Array;
}

function groupsOf(subjects: readonly Subject[], input: AuditInput, s: AuditSettings): GroupDef[] {
  const n = subjects.length;
  const defs: GroupDef[] = [];
  const add = (variable: AuditVariable, group: string, label: string, test: (x: Subject) => boolean) => {
    const member = new Uint8Array(n);
    subjects.forEach((x, i) => {
      member[i] = test(x) ? 1 : 0;
    });
    defs.push({ variable, group, label, member });
  };
  const bands = s.ageBands;
  const ageBand = (x: Subject) => {
    const age = ageOn(x.demand.applicantBirthDate, x.on);
    let k = 0;
    while (k < bands.length && age >= bands[k]!) k++;
    return k;
  };
  for (let k = 0; k <= bands.length; k++) {
    const label =
      k === 0
        ? `moins de ${bands[0]} ans`
        : k === bands.length
          ? `${bands[k - 1]} ans ou plus`
          : `${bands[k - 1]} à ${bands[k]! - 1} ans`;
    add('age-band', k === 0 ? `<${bands[0]}` : `${bands[k - 1]}+`, label, (x) => ageBand(x) === k);
  }
  for (const type of Object.keys(HOUSEHOLD_TYPE_LABELS) as HouseholdType[])
    add('household-type', type, HOUSEHOLD_TYPE_LABELS[type], (x) => x.demand.householdType === type);
  add(
    'economic-vulnerability',
    `<${s.vulnerabilityEurPerUcMonth}`,
    `moins de ${s.vulnerabilityEurPerUcMonth} € par mois et par unité de consommation`,
    (x) => monthlyResourcesPerUc(x.demand, x.on) < s.vulnerabilityEurPerUcMonth,
  );
  const qpv = input.residenceQpv;
  if (qpv && subjects.every((x) => qpv.has(x.demand.sneNumber)))
    add(
      'residence-qpv',
      'qpv',
      'résidant en quartier prioritaire',
      (x) => qpv.get(x.demand.sneNumber) === true,
    );
  const communes = new Map<string, number>();
  for (const x of subjects)
    communes.set(x.demand.currentCommune, (communes.get(x.demand.currentCommune) ?? 0) + 1);
  for (const [code, count] of [...communes].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (count < s.minCommune) continue;
    add('residence-commune', code, `résidant à ${code}`, (x) => x.demand.currentCommune === code);
  }
  add('disability', 'disability', 'ménages avec une personne handicapée', (x) =>
    x.demand.priorityCriteria.includes('disability'),
  );
  add('social-tenant', 'social-tenant', 'locataires du parc social', (x) => x.demand.currentSocialTenant);
  return defs;
}

/** Stratum key of each subject: first commune sought × score quantile × typologies sought × PLUS eligibility. */
function strataOf(subjects: readonly Subject[], input: AuditInput, s: AuditSettings): Int32Array {
  const n = subjects.length;
  const keys = new Int32Array(n);
  const use = new Set(s.strata);
  const communes = new Map<string, number>();
  const classes = use.has('score-decile')
    ? quantileClasses(scoresOf(subjects, input.grid), s.scoreQuantiles)
    : new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const d = subjects[i]!.demand;
    let typologies = 0;
    if (use.has('typology')) for (const t of d.desiredTypologies) typologies |= 1 << t;
    const e = use.has('eligibility') ? plusEligible(d, subjects[i]!.on) : null;
    let commune = 0;
    if (use.has('commune-sought')) {
      const c = d.desiredCommunes[0] ?? '';
      commune = communes.get(c) ?? communes.set(c, communes.size).size - 1;
    }
    keys[i] = ((commune * 32 + classes[i]!) * 128 + (typologies >> 1)) * 3 + (e === null ? 2 : e ? 1 : 0);
  }
  return keys;
}

/** The equal-treatment audit of a period. */
export function equalTreatmentAudit(input: AuditInput): EqualTreatmentAudit {
  const s: AuditSettings = { ...DEFAULT_AUDIT_SETTINGS, ...input.settings };
  const unavailable: { what: string; reason: string }[] = [];
  if (!input.residenceQpv)
    unavailable.push({
      what: AUDIT_VARIABLE_LABELS['residence-qpv'],
      reason: 'la demande ne donne que la commune de résidence, pas l’adresse géolocalisée',
    });
  const prepared: {
    outcome: AuditOutcome;
    definition: string;
    subjects: Subject[];
    groups: (GroupDef & {
      strata: Stratum[];
      tested: boolean;
      note: string | null;
      persons: number;
      rate: number;
      othersRate: number;
    })[];
    strata: number;
  }[] = [];
  for (const outcome of ['housed', 'housed-within', 'shortlisted', 'proposed'] as AuditOutcome[]) {
    const built = subjectsOf(outcome, input, s);
    if ('reason' in built) {
      unavailable.push({ what: OUTCOME_LABELS[outcome], reason: built.reason });
      continue;
    }
    const { subjects, definition } = built;
    const keys = strataOf(subjects, input, s);
    const index = new Map<number, number>();
    for (const k of keys) if (!index.has(k)) index.set(k, index.size);
    const groups = groupsOf(subjects, input, s).map((g) => {
      const table = Array.from({ length: index.size }, () => ({ a: 0, b: 0, c: 0, d: 0 }));
      let persons = 0;
      let inGroup = 0;
      let inOthers = 0;
      subjects.forEach((x, i) => {
        const t = table[index.get(keys[i]!)!]!;
        if (g.member[i]) {
          persons++;
          if (x.outcome) {
            t.a++;
            inGroup++;
          } else t.b++;
        } else if (x.outcome) {
          t.c++;
          inOthers++;
        } else t.d++;
      });
      const others = subjects.length - persons;
      const tested = persons >= s.minGroup && others >= s.minGroup;
      return {
        ...g,
        strata: table,
        tested,
        note: tested ? null : `moins de ${s.minGroup} personnes dans le groupe ou hors du groupe`,
        persons,
        rate: persons > 0 ? inGroup / persons : 0,
        othersRate: others > 0 ? inOthers / others : 0,
      };
    });
    prepared.push({ outcome, definition, subjects, groups, strata: index.size });
  }
  // Bonferroni over every test of the audit (groups × outcomes): the chance that any group is flagged
  // by chance alone, in the whole audit, is at most α.
  const tests = prepared.reduce((sum, p) => sum + p.groups.filter((g) => g.tested).length, 0);
  const level = 1 - s.alpha / Math.max(1, tests);
  let flagged = 0;
  const outcomes: AuditOutcomeResult[] = prepared.map((p) => {
    const m = p.groups.filter((g) => g.tested).length;
    return {
      outcome: p.outcome,
      label: OUTCOME_LABELS[p.outcome],
      definition: p.definition,
      persons: p.subjects.length,
      events: p.subjects.filter((x) => x.outcome).length,
      strata: p.strata,
      tests: m,
      level,
      groups: p.groups.map((g) => {
        const or = g.tested ? mantelHaenszel(g.strata, level) : null;
        const isFlagged =
          or !== null &&
          or.oddsRatio !== null &&
          or.upper !== null &&
          or.upper < 1 &&
          or.oddsRatio < s.threshold;
        if (isFlagged) flagged++;
        return {
          variable: g.variable,
          group: g.group,
          label: g.label,
          persons: g.persons,
          rate: g.rate,
          othersRate: g.othersRate,
          tested: g.tested,
          note: g.note ?? (or && or.oddsRatio === null ? 'aucune strate informative' : null),
          oddsRatio: or?.oddsRatio ?? null,
          lower: or?.lower ?? null,
          upper: or?.upper ?? null,
          strata: or?.strata ?? 0,
          flagged: isFlagged,
        };
      }),
    };
  });
  return { from: input.from, to: input.to, settings: s, tests, outcomes, unavailable, flagged };
}
