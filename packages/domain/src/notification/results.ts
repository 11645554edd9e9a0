/**
 * Published results of past lets (« résultats des attributions »), anonymised: for each home let,
 * the number of applicants and the score and seniority of the household housed — as bands, never
 * exact values, and coarser or suppressed when the home had few applicants, so that the household
 * cannot be re-identified (docs/notifications.md, decision 0009). Pure; the rule is data.
 */

export interface ResultPublicationRule {
  /** First day the rule applies (YYYY-MM-DD). */
  validFrom: string;
  /** Below this many applicants, neither the score nor the seniority band is published. */
  minApplicants: number;
  /** From this many applicants, the fine bands; between minApplicants and this, the coarse ones. */
  fineFromApplicants: number;
  /** Width of the score bands, points: fine, coarse. */
  scoreBandWidth: { fine: number; coarse: number };
  /** Lower bounds of the seniority bands, in whole years: fine, coarse. */
  seniorityBandsYears: { fine: readonly number[]; coarse: readonly number[] };
  /**
   * Each published combination of cycle, commune and typology is shared by at least this many lets
   * (k-anonymity): the commune or the typology are published less precisely, or not at all, when
   * fewer lets of the cycle share them (`comparablePublication`); below it in the whole cycle, the
   * bands are withheld.
   */
  minComparableLets: number;
}

/** The rules in force, newest last. */
export const RESULT_PUBLICATION_RULES: readonly ResultPublicationRule[] = [
  {
    validFrom: '2024-01-01',
    minApplicants: 3,
    fineFromApplicants: 10,
    scoreBandWidth: { fine: 10, coarse: 25 },
    seniorityBandsYears: { fine: [0, 1, 2, 4, 6, 10], coarse: [0, 2, 6] },
    minComparableLets: 3,
  },
];

/** The rule in force on `date`. */
export function publicationRuleOn(
  date: string,
  rules: readonly ResultPublicationRule[] = RESULT_PUBLICATION_RULES,
): ResultPublicationRule {
  const inForce = rules
    .filter((r) => r.validFrom <= date)
    .sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  return inForce[inForce.length - 1] ?? rules[0]!;
}

export type Precision = 'fine' | 'coarse' | 'suppressed';

export interface Band {
  /** Inclusive lower bound. */
  min: number;
  /** Exclusive upper bound; null: open-ended. */
  max: number | null;
  label: string;
}

/** The score band of `score` with bands of `width` points: « de 40 à 49 points ». */
export function scoreBand(score: number, width: number): Band {
  const min = Math.max(0, Math.floor(score / width) * width);
  const max = min + width;
  return { min, max, label: `de ${min} à ${max - 1} points` };
}

/** Whole years between two dates (YYYY-MM-DD), as a birthday count. */
export function wholeYearsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.slice(0, 10).split('-').map(Number) as [number, number, number];
  let years = ty - fy;
  if (tm < fm || (tm === fm && td < fd)) years--;
  return Math.max(0, years);
}

const yearsText = (n: number) => `${n} an${n > 1 ? 's' : ''}`;

/** The seniority band of a demand registered on `registeredOn`, judged on `on`. */
export function seniorityBand(registeredOn: string, on: string, lowerBounds: readonly number[]): Band {
  const years = wholeYearsBetween(registeredOn, on);
  let i = 0;
  while (i + 1 < lowerBounds.length && years >= lowerBounds[i + 1]!) i++;
  const min = lowerBounds[i]!;
  const max = lowerBounds[i + 1] ?? null;
  const label =
    max === null
      ? `${yearsText(min)} ou plus`
      : min === 0
        ? `moins de ${yearsText(max)}`
        : `de ${yearsText(min)} à moins de ${yearsText(max)}`;
  return { min, max, label };
}

export interface LetFacts {
  /** Applicants to the advert at the closing of the cycle (its shortlist, excluded ones included). */
  applicants: number;
  /** The housed household's score at the closing (null when it had none). */
  score: number | null;
  /** Registration date of the housed household's demand. */
  registeredOn: string;
  /** The date the shortlist was built (closing of the cycle). */
  closedOn: string;
  /** The date of the commission's decision. */
  decidedOn: string;
}

export interface PublishedLet {
  applicants: number;
  precision: Precision;
  scoreBand: Band | null;
  seniorityBand: Band | null;
  /** Why bands are coarse or missing, in French; null with fine bands. */
  note: string | null;
}

/** What may be published of one let under the rule in force on its decision date. */
export function publishLet(
  facts: LetFacts,
  rules: readonly ResultPublicationRule[] = RESULT_PUBLICATION_RULES,
): PublishedLet {
  const rule = publicationRuleOn(facts.decidedOn, rules);
  if (facts.applicants < rule.minApplicants) {
    return {
      applicants: facts.applicants,
      precision: 'suppressed',
      scoreBand: null,
      seniorityBand: null,
      note: `moins de ${rule.minApplicants} candidats : note et ancienneté non publiées`,
    };
  }
  const precision: Precision = facts.applicants >= rule.fineFromApplicants ? 'fine' : 'coarse';
  return {
    applicants: facts.applicants,
    precision,
    scoreBand: facts.score === null ? null : scoreBand(facts.score, rule.scoreBandWidth[precision]),
    seniorityBand: seniorityBand(facts.registeredOn, facts.closedOn, rule.seniorityBandsYears[precision]),
    note: precision === 'coarse' ? `moins de ${rule.fineFromApplicants} candidats : tranches élargies` : null,
  };
}

// ── Comparable lets (k-anonymity of the published rows) ─────────────────────────────────────────

/** The classes a typology is published as when the exact typology would single a let out. */
export function typologyClass(typology: number): string {
  return typology <= 2 ? 'T1–T2' : typology <= 4 ? 'T3–T4' : 'T5 et plus';
}

export interface LetToPublish {
  cycleId: string;
  commune: string;
  typology: number;
}

/** How precisely one let's place and home are published. */
export interface Comparability {
  /** The commune is published. */
  commune: boolean;
  /** The typology is published exactly, as its class (`typologyClass`), or not at all. */
  typology: 'exact' | 'class' | 'hidden';
  /** false: fewer than k lets in the cycle are left to hide among — the bands are withheld too. */
  comparable: boolean;
}

/** From the most precise to the least: what each step publishes of a let, and its grouping key. */
const STEPS: readonly { commune: boolean; typology: Comparability['typology'] }[] = [
  { commune: true, typology: 'exact' },
  { commune: true, typology: 'class' },
  { commune: true, typology: 'hidden' },
  { commune: false, typology: 'exact' },
  { commune: false, typology: 'class' },
  { commune: false, typology: 'hidden' },
];

/**
 * What may be published of each let's commune and typology so that anyone who knows where and when
 * a household moved in cannot tell its row from at least `k - 1` others (k-anonymity over the
 * cycle, the commune and the typology; the decision date is not published). Steps, most precise
 * first (`STEPS`): the lets of a cycle sharing commune and typology are published as such when they
 * are at least k; the others are grouped again with the typology's class, then without the
 * typology, then without the commune…; a let still in a group under k at the last step (the cycle
 * alone) is not comparable: its bands are withheld. Each group is made of lets left over by the
 * previous steps only, so every published combination is shared by at least k published rows.
 * Answers in the order of `lets`.
 */
export function comparablePublication(lets: readonly LetToPublish[], k: number): Comparability[] {
  const out: (Comparability | undefined)[] = lets.map(() => undefined);
  let left = lets.map((_, i) => i);
  for (const step of STEPS) {
    const groups = new Map<string, number[]>();
    for (const i of left) {
      const l = lets[i]!;
      const typology =
        step.typology === 'exact'
          ? String(l.typology)
          : step.typology === 'class'
            ? typologyClass(l.typology)
            : '';
      const key = `${l.cycleId}\u0000${step.commune ? l.commune : ''}\u0000${typology}`;
      const group = groups.get(key);
      if (group) group.push(i);
      else groups.set(key, [i]);
    }
    left = [];
    for (const group of groups.values()) {
      if (group.length >= k) for (const i of group) out[i] = { ...step, comparable: true };
      else left.push(...group);
    }
  }
  for (const i of left) out[i] = { commune: false, typology: 'hidden', comparable: false };
  return out as Comparability[];
}

/** The number of applicants as published: a range, the same on every row of a published group. */
export interface ApplicantsRange {
  min: number;
  max: number;
  /** « 12 candidats », or « de 6 à 12 candidats ». */
  label: string;
}

/**
 * The number of applicants published on each row: the range over the rows that publish the same
 * group (`groups[i]`: cycle, and the commune and typology as published). An advert's count of
 * applicants is public while it is open; an exact count on each row would tell apart the rows of a
 * group that `comparablePublication` made indistinguishable. For the same reason the bands' precision
 * is judged on the group's smallest count (`publishLet` with `min`). Answers in the order given.
 */
export function applicantsRanges(
  groups: readonly string[],
  applicants: readonly number[],
): ApplicantsRange[] {
  const byGroup = new Map<string, { min: number; max: number }>();
  groups.forEach((g, i) => {
    const n = applicants[i]!;
    const range = byGroup.get(g);
    if (range) {
      range.min = Math.min(range.min, n);
      range.max = Math.max(range.max, n);
    } else byGroup.set(g, { min: n, max: n });
  });
  return groups.map((g) => {
    const { min, max } = byGroup.get(g)!;
    const label = min === max ? `${min} candidat${min > 1 ? 's' : ''}` : `de ${min} à ${max} candidats`;
    return { min, max, label };
  });
}
