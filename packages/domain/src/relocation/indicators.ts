import { isNewOrRecent } from './matching.ts';
import { type ProposalResponse, REFUSAL_REASONS, type RefusalReason } from './types.ts';

/**
 * Trajectory indicators of urban-renewal relocation, as ANRU asks them of every project: where the
 * households went (outside QPV, outside the demolished site, into new or recent homes), what it
 * changed for them (rent to pay after housing benefit, surface per person), how long it took and how
 * many proposals it needed, and why proposals were refused. Pure: computed from the files alone, so
 * that anyone can recompute them from the exported CSV (files.csv).
 */

/** The first national programme's results the indicators are compared with. */
export const FIRST_PROGRAMME_RESULTS = {
  programme: 'premier Programme national de rénovation urbaine (PNRU, 2004–2021)',
  /** Households relocated outside the demolished site. */
  offSiteShare: 0.52,
  /** Households relocated into new or recent homes (less than 5 years old). */
  newOrRecentShare: 0.33,
  source:
    'Résultats nationaux du relogement du premier programme (ANRU), repris dans docs/RULES.md §7 ; source primaire non revérifiée',
} as const;

/** One household's relocation as the indicators need it. */
export interface TrajectoryFile {
  operationId: string;
  /** The QPV of the operation: relocating anywhere else is « hors site ». */
  siteQpv: string;
  /** The household's persons before and after (the same household). */
  persons: number;
  firstInterviewOn: string | null;
  origin: {
    surfaceM2: number;
    rentEur: number;
    chargesEur: number;
    /** Monthly housing benefit (APL/AL) before relocation, € (null: not known). */
    housingBenefitEur: number | null;
  };
  proposals: readonly { response: ProposalResponse; refusalReason: RefusalReason | null }[];
  /** The new home, once the lease is signed. */
  rehousing: {
    signedOn: string;
    qpv: string | null;
    constructionYear: number;
    surfaceM2: number;
    rentEur: number;
    chargesEur: number;
    housingBenefitEur: number | null;
  } | null;
}

export interface Share {
  count: number;
  of: number;
  /** count ÷ of, null when of = 0. */
  share: number | null;
}

export interface TrajectoryIndicators {
  households: number;
  rehoused: number;
  /** Among rehoused households. */
  outsideQpv: Share;
  offSite: Share;
  newOrRecent: Share;
  /** Monthly rent + charges − housing benefit, €, among rehoused households whose benefit is known both times. */
  residualRent: {
    households: number;
    meanBeforeEur: number | null;
    meanAfterEur: number | null;
    meanChangeEur: number | null;
    medianChangeEur: number | null;
  };
  /** Surface per person, m², among rehoused households. */
  surfacePerPerson: { meanBeforeM2: number | null; meanAfterM2: number | null; meanChangeM2: number | null };
  /** Days from the first interview to the new lease, among rehoused households interviewed. */
  daysToLease: { households: number; mean: number | null; median: number | null };
  /** Proposals made, and per rehoused household. */
  proposals: { total: number; perRehousedHousehold: number | null };
  refusals: { total: number; byReason: Record<RefusalReason, number> };
  national: typeof FIRST_PROGRAMME_RESULTS;
}

const share = (count: number, of: number): Share => ({ count, of, share: of > 0 ? count / of : null });
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

export function trajectoryIndicators(files: readonly TrajectoryFile[]): TrajectoryIndicators {
  const rehoused = files.filter((f) => f.rehousing !== null);
  const outside = rehoused.filter((f) => f.rehousing!.qpv === null).length;
  const offSite = rehoused.filter((f) => f.rehousing!.qpv !== f.siteQpv).length;
  const recent = rehoused.filter((f) =>
    isNewOrRecent(f.rehousing!.constructionYear, f.rehousing!.signedOn),
  ).length;
  const known = rehoused.filter(
    (f) => f.origin.housingBenefitEur !== null && f.rehousing!.housingBenefitEur !== null,
  );
  const before = known.map((f) => f.origin.rentEur + f.origin.chargesEur - f.origin.housingBenefitEur!);
  const after = known.map(
    (f) => f.rehousing!.rentEur + f.rehousing!.chargesEur - f.rehousing!.housingBenefitEur!,
  );
  const changes = after.map((a, i) => a - before[i]!);
  const spBefore = rehoused.map((f) => f.origin.surfaceM2 / f.persons);
  const spAfter = rehoused.map((f) => f.rehousing!.surfaceM2 / f.persons);
  const waits = rehoused
    .filter((f) => f.firstInterviewOn !== null)
    .map((f) => days(f.firstInterviewOn!, f.rehousing!.signedOn));
  const byReason = Object.fromEntries(REFUSAL_REASONS.map((r) => [r, 0])) as Record<RefusalReason, number>;
  let refusals = 0;
  let proposals = 0;
  for (const f of files) {
    for (const p of f.proposals) {
      proposals++;
      if (p.response === 'refused') {
        refusals++;
        byReason[p.refusalReason ?? 'other']++;
      }
    }
  }
  const rehousedProposals = rehoused.reduce((n, f) => n + f.proposals.length, 0);
  const spChange = spAfter.map((a, i) => a - spBefore[i]!);
  return {
    households: files.length,
    rehoused: rehoused.length,
    outsideQpv: share(outside, rehoused.length),
    offSite: share(offSite, rehoused.length),
    newOrRecent: share(recent, rehoused.length),
    residualRent: {
      households: known.length,
      meanBeforeEur: mean(before),
      meanAfterEur: mean(after),
      meanChangeEur: mean(changes),
      medianChangeEur: median(changes),
    },
    surfacePerPerson: {
      meanBeforeM2: mean(spBefore),
      meanAfterM2: mean(spAfter),
      meanChangeM2: mean(spChange),
    },
    daysToLease: { households: waits.length, mean: mean(waits), median: median(waits) },
    proposals: {
      total: proposals,
      perRehousedHousehold: rehoused.length ? rehousedProposals / rehoused.length : null,
    },
    refusals: { total: refusals, byReason },
    national: FIRST_PROGRAMME_RESULTS,
  };
}
