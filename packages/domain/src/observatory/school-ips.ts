import { SegregationInputError } from './segregation-input-error.ts';

/**
 * Between-school segregation of pupils' social position, from the IPS (indice de position sociale,
 * DEPP) that the Ministry publishes per school: pupil count, mean IPS and its standard deviation.
 *
 * The share of the pupils' IPS variance that lies between schools, the correlation ratio
 * η² = Σ_s n_s (IPS_s − IPS)² / [Σ_s n_s (IPS_s − IPS)² + Σ_s n_s σ_s²], where IPS = Σ n_s IPS_s / N
 * is the pupil-weighted mean (law of total variance; the standard deviation σ_s is taken as the
 * population one, divisor n_s). 0: every school mirrors the whole; 1: pupils of a school all share
 * one IPS, schools differ.
 */
export interface SchoolIps {
  /** n_s: pupils of the school. Schools with no pupil are ignored. */
  readonly pupils: number;
  /** IPS_s: mean IPS of its pupils. */
  readonly meanIps: number;
  /** σ_s: standard deviation of its pupils' IPS; null or undefined when not published. */
  readonly sdIps?: number | null;
}

export interface IpsSegregation {
  /** Schools with pupils. */
  readonly schools: number;
  /** N = Σ n_s. */
  readonly pupils: number;
  /** Pupil-weighted mean IPS. */
  readonly meanIps: number;
  /** Between-school variance per pupil: Σ n_s (IPS_s − IPS)² / N. */
  readonly betweenVariance: number;
  /** Within-school variance per pupil: Σ n_s σ_s² / N; null when a school lacks σ_s. */
  readonly withinVariance: number | null;
  /**
   * η² = between / (between + within). null when a school lacks σ_s — only the between part is
   * known then, and a share cannot be formed without the within part — or when all pupils share
   * one IPS (no variance to split).
   */
  readonly eta2: number | null;
}

export interface IpsSegregationGroup extends IpsSegregation {
  /** The grouping key (commune, sector, year…). */
  readonly group: string;
}

/** η² of a set of schools; throws for a set without pupils or invalid figures. */
export function ipsSegregation(schools: readonly SchoolIps[]): IpsSegregation {
  const result = ipsSegregationOrEmpty(schools);
  if (result.pupils === 0) {
    throw new SegregationInputError(
      'empty-table',
      'aucun élève : impossible de mesurer la ségrégation scolaire',
    );
  }
  return result;
}

/** As `ipsSegregation`, but a set without pupils gives 0 pupils, a NaN mean and null η². */
function ipsSegregationOrEmpty(schools: readonly SchoolIps[]): IpsSegregation {
  let pupils = 0;
  let weighted = 0;
  schools.forEach((school, i) => {
    checkSchool(school, i);
    pupils += school.pupils;
    weighted += school.pupils * school.meanIps;
  });
  if (!(pupils > 0)) {
    return {
      schools: 0,
      pupils: 0,
      meanIps: Number.NaN,
      betweenVariance: 0,
      withinVariance: null,
      eta2: null,
    };
  }
  const meanIps = weighted / pupils;
  let between = 0;
  let within = 0;
  let withinKnown = true;
  let count = 0;
  for (const school of schools) {
    if (!(school.pupils > 0)) continue;
    count++;
    between += school.pupils * (school.meanIps - meanIps) ** 2;
    const sd = school.sdIps;
    if (sd === null || sd === undefined || Number.isNaN(sd)) withinKnown = false;
    else within += school.pupils * sd * sd;
  }
  const betweenVariance = between / pupils;
  const withinVariance = withinKnown ? within / pupils : null;
  const variance = withinVariance === null ? 0 : betweenVariance + withinVariance;
  return {
    schools: count,
    pupils,
    meanIps,
    betweenVariance,
    withinVariance,
    eta2: withinVariance !== null && variance > 0 ? betweenVariance / variance : null,
  };
}

/**
 * η² per group of schools (e.g. per commune, per sector, per year) and over all schools; groups
 * in order of first appearance. A group without pupils gets a null η² (the overall set must have
 * pupils).
 */
export function ipsSegregationByGroup<S extends SchoolIps>(
  schools: readonly S[],
  groupOf: (school: S) => string,
): { readonly overall: IpsSegregation; readonly groups: readonly IpsSegregationGroup[] } {
  const byGroup = new Map<string, S[]>();
  for (const school of schools) {
    const key = groupOf(school);
    const list = byGroup.get(key);
    if (list) list.push(school);
    else byGroup.set(key, [school]);
  }
  return {
    overall: ipsSegregation(schools),
    groups: [...byGroup].map(([group, list]) => ({ group, ...ipsSegregationOrEmpty(list) })),
  };
}

function checkSchool(school: SchoolIps, index: number): void {
  const sd = school.sdIps;
  if (
    !Number.isFinite(school.pupils) ||
    school.pupils < 0 ||
    (school.pupils > 0 && !Number.isFinite(school.meanIps)) ||
    (sd !== null && sd !== undefined && !Number.isNaN(sd) && !(Number.isFinite(sd) && sd >= 0))
  ) {
    throw new SegregationInputError(
      'invalid-count',
      `établissement n° ${index + 1} : effectif ${school.pupils}, IPS moyen ${school.meanIps}, ` +
        `écart-type ${sd} — attendu un effectif positif ou nul, un IPS fini, un écart-type positif ou nul`,
    );
  }
}
