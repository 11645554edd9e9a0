/**
 * An applicant's chance on an advert: their rank among the applicants of the advert, ordered as the
 * shortlist will be (score under the active cotation grid, then seniority of the demand), and a plain
 * band. Only applicants with an active application count; the rank changes as others apply or withdraw.
 */

export interface RankedCandidate {
  sneNumber: string;
  /** Score under the active grid version; null when the demand has no stored score (ranked last). */
  score: number | null;
  /** ISO date of registration of the demand: the older, the better at equal score. */
  registeredOn: string;
}

export type ChanceBand = 'forte' | 'moyenne' | 'faible';

export interface ChanceSettings {
  /** Ranks up to this one are « forte » (default 3: the commission examines at least 3 candidates per home). */
  strongMaxRank: number;
  /** Ranks up to this one are « moyenne » (default 10); beyond, « faible ». */
  mediumMaxRank: number;
}

export const DEFAULT_CHANCE_SETTINGS: ChanceSettings = { strongMaxRank: 3, mediumMaxRank: 10 };

/** Score descending (no score last), then registration date ascending, then SNE number (a stable tie-break). */
export function compareCandidates(a: RankedCandidate, b: RankedCandidate): number {
  const sa = a.score ?? Number.NEGATIVE_INFINITY;
  const sb = b.score ?? Number.NEGATIVE_INFINITY;
  if (sa !== sb) return sb - sa;
  if (a.registeredOn !== b.registeredOn) return a.registeredOn < b.registeredOn ? -1 : 1;
  return a.sneNumber < b.sneNumber ? -1 : a.sneNumber > b.sneNumber ? 1 : 0;
}

export function chanceBand(rank: number, settings: ChanceSettings = DEFAULT_CHANCE_SETTINGS): ChanceBand {
  if (rank <= settings.strongMaxRank) return 'forte';
  if (rank <= settings.mediumMaxRank) return 'moyenne';
  return 'faible';
}

export interface Chance {
  /** 1-based rank of the applicant among the applicants (counting them when they have not applied yet). */
  rank: number;
  applicants: number;
  band: ChanceBand;
  /** The sentence shown to the applicant. */
  message: string;
}

/**
 * The chance of `me` among `applicants` (active applications of the advert). When `me` has not
 * applied, the rank they would have if they applied now.
 */
export function chanceOf(
  me: RankedCandidate,
  applicants: readonly RankedCandidate[],
  settings: ChanceSettings = DEFAULT_CHANCE_SETTINGS,
): Chance {
  const others = applicants.filter((a) => a.sneNumber !== me.sneNumber);
  const rank = 1 + others.filter((a) => compareCandidates(a, me) < 0).length;
  const total = others.length + 1;
  const band = chanceBand(rank, settings);
  const applied = others.length !== applicants.length;
  const position = `${rank}${rank === 1 ? 'er' : 'e'} sur ${total} candidat${total > 1 ? 's' : ''}`;
  return {
    rank,
    applicants: total,
    band,
    message: `${applied ? 'Vous êtes' : 'Si vous candidatez, vous serez'} ${position} : chance ${band}.`,
  };
}
