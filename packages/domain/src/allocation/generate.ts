/**
 * Seeded generator of realistic allocation instances, for benchmarks, tests and demos.
 *
 * Orders of magnitude (RULES.md §1, §3): ~30 % of applicants in the first quartile, ~20 % priority
 * publics (more often among the first quartile), ~3 % relocated by urban renewal; ~30 % of homes
 * inside QPV; four reservation holders (state ~30 %, Action Logement ~20 %, commune ~20 %, landlord
 * ~30 %). Cotation scores mix seniority and priority points (0–100). Demand is concentrated: home
 * attractiveness is log-normal, homes in QPV are less sought after, and 85 % of an applicant's
 * choices stay in the EPCI they live in. Leases signed earlier in the year sit around the targets,
 * so that some targets bind.
 */
import { createRandom, type Random } from '../shared/random.ts';
import type {
  AllocationApplicant,
  AllocationApplication,
  AllocationHome,
  AllocationInstance,
  EpciYearToDate,
  ReservationYearToDate,
} from './types.ts';
import { DEFAULT_TARGETS } from './types.ts';

export interface AllocationGeneratorOptions {
  homes: number;
  applicants: number;
  /** Applications per applicant (distinct homes). */
  choices: number;
  epcis: number;
  seed: number;
}

export const RESERVATION_HOLDERS = ['state', 'action-logement', 'commune', 'landlord'] as const;
const HOLDER_SHARES = [0.3, 0.2, 0.2, 0.3];

/** A 9-digit SIREN-like code per EPCI (not real SIRENs). */
function epciCode(i: number): string {
  return String(200040000 + i * 101);
}

function pad(prefix: string, i: number, width: number): string {
  return `${prefix}${String(i).padStart(width, '0')}`;
}

/** Weighted sampling by binary search on cumulative weights. */
function sampleCumulative(random: Random, cumulative: Float64Array, from: number, to: number): number {
  const low = from === 0 ? 0 : cumulative[from - 1]!;
  const x = low + random.next() * (cumulative[to - 1]! - low);
  let lo = from;
  let hi = to - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function generateAllocationInstance(options: AllocationGeneratorOptions): AllocationInstance {
  const { homes: homeCount, applicants: applicantCount, choices, epcis: epciCount, seed } = options;
  for (const [name, value] of Object.entries({
    homes: homeCount,
    applicants: applicantCount,
    choices,
    epcis: epciCount,
  })) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${name} doit être un entier ≥ 1 (reçu ${value})`);
  }
  if (choices > homeCount)
    throw new Error(`choices (${choices}) dépasse le nombre de logements (${homeCount})`);
  const random = createRandom(seed);
  const homeRandom = random.fork(1);
  const applicantRandom = random.fork(2);
  const choiceRandom = random.fork(3);
  const ytdRandom = random.fork(4);

  const epciWeights = Float64Array.from({ length: epciCount }, (_, i) => 1 / (i + 1) ** 0.5);
  const codes = Array.from({ length: epciCount }, (_, i) => epciCode(i));

  // Homes, grouped by EPCI so that each EPCI's homes are a contiguous index range.
  const homeEpci = Int32Array.from({ length: homeCount }, (_, i) =>
    i < epciCount ? i : homeRandom.weighted(epciWeights),
  );
  const order = Array.from({ length: homeCount }, (_, i) => i).sort(
    (a, b) => homeEpci[a]! - homeEpci[b]! || a - b,
  );
  const homes: AllocationHome[] = [];
  const attractiveness = new Float64Array(homeCount);
  const homeQpv = new Uint8Array(homeCount);
  const epciFrom = new Int32Array(epciCount + 1);
  for (let k = 0; k < homeCount; k++) {
    const epci = homeEpci[order[k]!]!;
    const qpv = homeRandom.bernoulli(0.3);
    homes.push({
      id: pad('h', k + 1, 5),
      epci: codes[epci]!,
      qpv,
      reservationHolder: RESERVATION_HOLDERS[homeRandom.weighted(HOLDER_SHARES)]!,
    });
    attractiveness[k] = Math.exp(0.8 * homeRandom.normal());
    homeQpv[k] = qpv ? 1 : 0;
    epciFrom[epci + 1]!++;
  }
  for (let i = 0; i < epciCount; i++) epciFrom[i + 1]! += epciFrom[i]!;
  // First-quartile households seek cheaper rents, hence QPV homes, more than others do.
  const cumulativeFor = (qpvFactor: number) => {
    const cumulative = new Float64Array(homeCount);
    let running = 0;
    for (let k = 0; k < homeCount; k++) {
      running += attractiveness[k]! * (homeQpv[k] ? qpvFactor : 1);
      cumulative[k] = running;
    }
    return cumulative;
  };
  const cumulativeFirstQuartile = cumulativeFor(1.5);
  const cumulativeOthers = cumulativeFor(0.7);

  const applicants: AllocationApplicant[] = [];
  const applications: AllocationApplication[] = [];
  const picked = new Set<number>();
  for (let i = 0; i < applicantCount; i++) {
    const firstQuartile = applicantRandom.bernoulli(0.3);
    const urbanRenewalRelocation = applicantRandom.bernoulli(0.03);
    const priorityPublic = applicantRandom.bernoulli(firstQuartile ? 0.35 : 0.13);
    const seniorityYears = -Math.log(1 - applicantRandom.next()) * 2;
    const raw =
      Math.min(40, 10 * seniorityYears) +
      (priorityPublic ? 20 : 0) +
      (urbanRenewalRelocation ? 15 : 0) +
      8 * applicantRandom.normal() +
      10;
    const id = pad('a', i + 1, 6);
    applicants.push({
      id,
      score: Math.max(0, Math.min(100, Math.round(raw))),
      firstQuartile,
      urbanRenewalRelocation,
      priorityPublic,
    });
    const home = applicantRandom.weighted(epciWeights);
    const cumulative = firstQuartile ? cumulativeFirstQuartile : cumulativeOthers;
    const localFrom = epciFrom[home]!;
    const localTo = epciFrom[home + 1]!;
    picked.clear();
    let attempts = 0;
    while (picked.size < choices) {
      attempts++;
      let h: number;
      if (attempts > 50 * choices) h = choiceRandom.int(homeCount);
      else if (localTo - localFrom > choices && choiceRandom.bernoulli(0.85))
        h = sampleCumulative(choiceRandom, cumulative, localFrom, localTo);
      else h = sampleCumulative(choiceRandom, cumulative, 0, homeCount);
      if (picked.has(h)) continue;
      picked.add(h);
      applications.push({ applicant: id, home: homes[h]!.id, rank: picked.size });
    }
  }

  const yearToDate: EpciYearToDate[] = [];
  for (let i = 0; i < epciCount; i++) {
    let outside = 0;
    let inside = 0;
    for (let k = epciFrom[i]!; k < epciFrom[i + 1]!; k++) {
      if (homes[k]!.qpv) inside++;
      else outside++;
    }
    const outsideQpv = Math.round(1.5 * outside * (0.8 + 0.4 * ytdRandom.next()));
    const insideQpv = Math.round(1.5 * inside * (0.8 + 0.4 * ytdRandom.next()));
    yearToDate.push({
      epci: codes[i]!,
      outsideQpv,
      outsideQpvFirstQuartile: Math.round(outsideQpv * (0.08 + 0.06 * ytdRandom.next())),
      insideQpv,
      insideQpvNonFirstQuartile: Math.round(insideQpv * (0.38 + 0.08 * ytdRandom.next())),
    });
  }
  const reservationYearToDate: ReservationYearToDate[] = RESERVATION_HOLDERS.map((holder) => {
    const count = homes.filter((h) => h.reservationHolder === holder).length;
    const total = Math.round(1.5 * count * (0.8 + 0.4 * ytdRandom.next()));
    return {
      reservationHolder: holder,
      total,
      priority: Math.round(total * (0.12 + 0.08 * ytdRandom.next())),
    };
  });

  return {
    targets: { ...DEFAULT_TARGETS },
    homes,
    applicants,
    applications,
    yearToDate,
    reservationYearToDate,
  };
}
