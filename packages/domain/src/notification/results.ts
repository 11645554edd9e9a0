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
}

/** The rules in force, newest last. */
export const RESULT_PUBLICATION_RULES: readonly ResultPublicationRule[] = [
  {
    validFrom: '2024-01-01',
    minApplicants: 3,
    fineFromApplicants: 10,
    scoreBandWidth: { fine: 10, coarse: 25 },
    seniorityBandsYears: { fine: [0, 1, 2, 4, 6, 10], coarse: [0, 2, 6] },
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
