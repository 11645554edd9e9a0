/**
 * The shortlist of an advert when its cycle closes: eligible applicants ranked by cotation score,
 * then seniority of the demand; applicants whose eligibility cannot be settled (a ceiling unknown)
 * are kept, ranked, and flagged « à vérifier »; ineligible applicants are excluded with the rules
 * they fail. It is what the allocation engine and the commission start from.
 */
import { compareCandidates, type RankedCandidate } from './chance.ts';

export interface ShortlistCandidate extends RankedCandidate {
  /** From the eligibility module (or a reason of the letting module, e.g. a demand no longer active). */
  eligibility: { eligible: boolean | null; failures: readonly { message: string }[] };
}

export interface ShortlistEntry {
  sneNumber: string;
  /** 1-based rank among the kept applicants; null when excluded. */
  rank: number | null;
  score: number | null;
  registeredOn: string;
  /** true, or null when « à vérifier »; false when excluded. */
  eligible: boolean | null;
  /** The sentences of the failed rules (empty when kept). */
  excludedReasons: string[];
}

export function buildShortlist(candidates: readonly ShortlistCandidate[]): ShortlistEntry[] {
  const kept = candidates.filter((c) => c.eligibility.eligible !== false).sort(compareCandidates);
  const excluded = candidates.filter((c) => c.eligibility.eligible === false).sort(compareCandidates);
  return [
    ...kept.map((c, i) => ({
      sneNumber: c.sneNumber,
      rank: i + 1,
      score: c.score,
      registeredOn: c.registeredOn,
      eligible: c.eligibility.eligible,
      excludedReasons: [],
    })),
    ...excluded.map((c) => ({
      sneNumber: c.sneNumber,
      rank: null,
      score: c.score,
      registeredOn: c.registeredOn,
      eligible: false,
      excludedReasons: c.eligibility.failures.map((f) => f.message),
    })),
  ];
}
