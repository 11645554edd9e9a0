import { type ContingencyTable, contingencyTableFromIds, type UnitLevel } from './contingency-table.ts';
import { locationQuotients } from './local-composition.ts';
import {
  INSIDE_QPV,
  MIX_GROUPS,
  MIX_LEVEL_LABELS,
  MIX_SCALE_LEVELS,
  type MixLevel,
  type MixPopulation,
  type MixScale,
  type MixVariable,
  OUTSIDE_QPV,
} from './mix-groups.ts';
import { mixReading } from './mix-reading.ts';
import type { MixMembers, MixSnapshot } from './mix-snapshot.ts';
import { multigroupDissimilarity } from './multigroup.ts';
import { mutualInformationDecomposition } from './mutual-information.ts';
import { SegregationInputError } from './segregation-input-error.ts';
import {
  type MutualInformationBootstrap,
  type MutualInformationUnderIndependence,
  mutualInformationBootstrap,
  mutualInformationUnderIndependence,
} from './uncertainty.ts';

/**
 * One observatory figure: segregation of a population by a variable across the units of a scale,
 * with the nested decomposition (EPCI > commune > IRIS > residence, or QPV / outside > each QPV),
 * bootstrap intervals (`mixBootstrap`, asked separately: it is the costly part), the value expected with no segregation, local scores and location quotients
 * of every unit, and a reading in French. Pure: the snapshot in, plain data out.
 */

export interface MixQuery {
  readonly variable: MixVariable;
  readonly population: MixPopulation;
  readonly scale: MixScale;
  /** Year of the leases, for population `lettings` (ignored otherwise). */
  readonly year?: number | null | undefined;
}

export type MixQueryErrorCode = 'scale-not-applicable' | 'year-required' | 'unknown-year' | 'not-measurable';

/** A query that cannot be answered on this data; the message is French and names the reason. */
export class MixQueryError extends Error {
  constructor(
    readonly code: MixQueryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MixQueryError';
  }
}

export interface MixAnalysisOptions {
  /** Seed of the bootstrap and of the draws under independence (default MIX_SEED). */
  readonly seed?: number;
  /** Redrawn tables for each (default 100). */
  readonly iterations?: number;
}

/** Seed of every observatory figure: the same data gives the same intervals on every machine. */
export const MIX_SEED = 20_260_101;

export interface MixGroupCount {
  readonly code: string;
  readonly label: string;
  readonly count: number;
  readonly share: number;
}

export interface MixDecompositionTerm {
  readonly level: MixLevel;
  readonly label: string;
  /** Term of M (nats) for segregation between the units of this level within the coarser ones. */
  readonly M: number;
  /** The same term divided by the entropy of the groups; the H terms sum to H. */
  readonly H: number;
  /** Share of M, between 0 and 1. */
  readonly share: number;
}

export interface MixUnit {
  readonly level: MixLevel;
  readonly code: string;
  readonly name: string;
  /** Commune of an IRIS or a residence (code and name), null at the other scales. */
  readonly commune: { readonly code: string; readonly name: string } | null;
  /** IRIS of a residence, null at the other scales. */
  readonly iris: { readonly code: string; readonly name: string } | null;
  /** Households (or lettings) counted in the unit. */
  readonly total: number;
  /** Local segregation score L_u (nats): how far the unit's composition is from the whole's. */
  readonly localScore: number;
  /** Share of M due to the unit: p_u L_u / M. */
  readonly contribution: number;
  /** Share of each group in the unit, by group index of the variable. */
  readonly shares: readonly number[];
  /** Location quotient of each group (share in the unit / share in the whole); null for a group absent from the whole. */
  readonly locationQuotients: readonly (number | null)[];
  /** true when some of its households were placed in (or outside) a QPV through their IRIS, or the QPV perimeter is approximate. */
  readonly approximate: boolean;
  /** Location of a residence (WGS84), null for areas. */
  readonly point: { readonly longitude: number; readonly latitude: number } | null;
}

export interface MixAnalysis {
  readonly epci: string;
  readonly dataVersion: string;
  readonly variable: MixVariable;
  readonly population: MixPopulation;
  readonly scale: MixScale;
  readonly year: number | null;
  /** Households (or lettings) counted. */
  readonly total: number;
  readonly groups: readonly MixGroupCount[];
  /** Units with at least one household counted. */
  readonly unitCount: number;
  readonly M: number;
  readonly H: number;
  /** Entropy of the groups E(G), nats. */
  readonly entropy: number;
  /** Multigroup dissimilarity D (Reardon & Firebaugh 2002), between 0 and 1. */
  readonly dissimilarity: number;
  readonly underIndependence: MutualInformationUnderIndependence;
  readonly decomposition: readonly MixDecompositionTerm[];
  readonly units: readonly MixUnit[];
  /** true when QPV membership was approximated (QPV scale only). */
  readonly approximate: boolean;
  /** Quartile cuts of the income per consumption unit of all the EPCI's households, €/year. */
  readonly incomeQuartileCuts: readonly [number, number, number];
  /** The reading in French: a headline sentence, then how to read the total and any caveat. */
  readonly reading: readonly string[];
}

/** The population counted by unit × group, as a contingency table, with what the figures need beside it. */
export interface MixTable {
  readonly table: ContingencyTable;
  readonly year: number | null;
  readonly total: number;
  readonly groups: readonly MixGroupCount[];
  /** Units of the scale, by index of the frame (before empty units are dropped). */
  readonly frame: UnitFrame;
  /** Members placed in or outside a QPV through their IRIS, by frame unit. */
  readonly approximateMembers: Float64Array;
  /** Group totals by group index of the variable. */
  readonly groupTotals: Float64Array;
}

/**
 * Counts the population by unit of the scale × group of the variable in one pass over the
 * snapshot (a dense units × groups array: ~1,100 residences × 5 groups at most). Throws
 * `MixQueryError` for a scale that does not apply, a missing or unknown year, or a table that
 * cannot be measured (a single group).
 */
export function mixTable(snapshot: MixSnapshot, query: MixQuery): MixTable {
  const { variable, population, scale } = query;
  const year = population === 'lettings' ? checkedYear(snapshot, query.year) : null;
  if (scale === 'residence' && population === 'households') {
    throw new MixQueryError(
      'scale-not-applicable',
      'L’échelle de la résidence ne s’applique qu’aux occupants du parc social et aux attributions : ' +
        'les ménages hors du parc social n’ont pas de résidence. Choisissez la commune, l’IRIS ou les QPV.',
    );
  }
  const members = population === 'lettings' ? snapshot.lettings : snapshot.households;
  const include = memberFilter(members, population, year);
  const frame = unitFrame(snapshot, scale);
  const groupDefs = MIX_GROUPS[variable];
  const groupCount = groupDefs.length;
  const unitCount = frame.finest.labels.length;
  const unitOf = frame.unitOf(members);
  const group = members.groups[variable];

  const counts = new Float64Array(unitCount * groupCount);
  const approximateMembers = new Float64Array(unitCount);
  let total = 0;
  for (let k = 0; k < members.length; k++) {
    if (!include(k)) continue;
    const u = unitOf(k);
    if (u < 0) continue;
    counts[u * groupCount + group[k]!]!++;
    approximateMembers[u]! += members.qpvApproximate[k]!;
    total++;
  }
  const groupTotals = new Float64Array(groupCount);
  let cells = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i]! > 0) {
      cells++;
      groupTotals[i % groupCount]! += counts[i]!;
    }
  }
  const groups = groupDefs.map((g, i) => ({
    code: g.code,
    label: g.label,
    count: groupTotals[i]!,
    share: total > 0 ? groupTotals[i]! / total : 0,
  }));
  const cellUnit = new Int32Array(cells);
  const cellGroup = new Int32Array(cells);
  const cellCount = new Float64Array(cells);
  let c = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i]! > 0) {
      cellUnit[c] = Math.floor(i / groupCount);
      cellGroup[c] = i % groupCount;
      cellCount[c] = counts[i]!;
      c++;
    }
  }
  try {
    const table = contingencyTableFromIds({
      levels: frame.levels,
      groups: groupDefs.map((g) => g.code),
      cellUnit,
      cellGroup,
      cellCount,
    });
    return { table, year, total, groups, frame, approximateMembers, groupTotals };
  } catch (error) {
    if (error instanceof SegregationInputError) throw notMeasurable(error, groups, total);
    throw error;
  }
}

/**
 * Every figure of a query but the bootstrap: indices, expected M under independence, nested
 * decomposition, units, reading. Throws `MixQueryError` (see `mixTable`).
 */
export function analyseMix(
  snapshot: MixSnapshot,
  query: MixQuery,
  options: MixAnalysisOptions = {},
): MixAnalysis {
  const { variable, population, scale } = query;
  const { table, year, total, groups, frame, approximateMembers, groupTotals } = mixTable(snapshot, query);
  const groupDefs = MIX_GROUPS[variable];
  const groupCount = groupDefs.length;

  const decomposition = mutualInformationDecomposition(table);
  const seed = options.seed ?? MIX_SEED;
  const iterations = options.iterations ?? 100;
  const underIndependence = mutualInformationUnderIndependence(table, { seed, iterations });
  const dissimilarity = multigroupDissimilarity(table);

  const levels = MIX_SCALE_LEVELS[scale];
  const terms: MixDecompositionTerm[] = decomposition.nested.map((term, k) => {
    const level = levels[k]!;
    const m = Math.max(0, term.M);
    return {
      level,
      label: MIX_LEVEL_LABELS[level],
      M: m,
      H: Math.max(0, term.H),
      share: decomposition.M > 0 ? m / decomposition.M : 0,
    };
  });

  // Units of the table (empty ones dropped), mapped back to the frame by code.
  const finestLevel = table.levels[table.levels.length - 1]!;
  const tableGroupToVariable = table.groups.map((code) => groupDefs.findIndex((g) => g.code === code));
  const quotients = locationQuotients(table);
  const tableGroups = table.groups.length;
  const units: MixUnit[] = finestLevel.labels.map((code, u) => {
    const frameIndex = frame.indexOf.get(code)!;
    const tu = table.unitTotals[u]!;
    const shares = new Array<number>(groupCount).fill(0);
    const lq: (number | null)[] = groupDefs.map((_, g) => (groupTotals[g]! > 0 ? 0 : null));
    for (let cell = table.cellStart[u]!; cell < table.cellStart[u + 1]!; cell++) {
      const g = tableGroupToVariable[table.cellGroup[cell]!]!;
      shares[g] = table.cellCount[cell]! / tu;
    }
    for (let tg = 0; tg < tableGroups; tg++) lq[tableGroupToVariable[tg]!] = quotients[u * tableGroups + tg]!;
    const localScore = decomposition.local.ls[u]!;
    const weight = decomposition.local.p[u]!;
    return {
      ...frame.describe(frameIndex),
      total: tu,
      localScore,
      contribution: decomposition.M > 0 ? (weight * localScore) / decomposition.M : 0,
      shares,
      locationQuotients: lq,
      approximate: scale === 'qpv' && (frame.approximate(frameIndex) || approximateMembers[frameIndex]! > 0),
    };
  });

  const approximate = scale === 'qpv' && units.some((u) => u.approximate);
  const reading = mixReading({
    variable,
    population,
    scale,
    year,
    M: decomposition.M,
    H: decomposition.H,
    decomposition: terms,
    expectedM: underIndependence.M.mean,
    approximate,
  });

  return {
    epci: snapshot.epci,
    dataVersion: snapshot.version,
    variable,
    population,
    scale,
    year,
    total,
    groups,
    unitCount: units.length,
    M: decomposition.M,
    H: decomposition.H,
    entropy: decomposition.entropy,
    dissimilarity,
    underIndependence,
    decomposition: terms,
    units,
    approximate,
    incomeQuartileCuts: snapshot.incomeQuartileCuts,
    reading,
  };
}

/** Bootstrap of M and H for a query (R `mutual_total(se = TRUE)`): the costly part, asked separately. */
export function mixBootstrap(
  snapshot: MixSnapshot,
  query: MixQuery,
  options: MixAnalysisOptions = {},
): MutualInformationBootstrap {
  const { table } = mixTable(snapshot, query);
  return mutualInformationBootstrap(table, {
    seed: options.seed ?? MIX_SEED,
    iterations: options.iterations ?? 100,
  });
}

/**
 * Statistical secrecy: minimum number of households a unit must count to be published in unit
 * tables, maps and downloads (the threshold INSEE applies to household counts, 11). The indices
 * themselves are computed on every household.
 */
export const STATISTICAL_SECRECY_MIN_HOUSEHOLDS = 11;

function checkedYear(snapshot: MixSnapshot, year: number | null | undefined): number {
  if (year === null || year === undefined) {
    throw new MixQueryError(
      'year-required',
      `Choisissez l’année des attributions (années disponibles : ${snapshot.years.join(', ') || 'aucune'}).`,
    );
  }
  if (!snapshot.years.includes(year)) {
    throw new MixQueryError(
      'unknown-year',
      `Aucun bail signé en ${year} (années disponibles : ${snapshot.years.join(', ') || 'aucune'}).`,
    );
  }
  return year;
}

function memberFilter(
  members: MixMembers,
  population: MixPopulation,
  year: number | null,
): (k: number) => boolean {
  if (population === 'social-occupants') return (k) => members.residence[k]! >= 0;
  if (population === 'lettings') {
    const years = members.year!;
    return (k) => years[k] === year;
  }
  return () => true;
}

function notMeasurable(
  error: SegregationInputError,
  groups: readonly MixGroupCount[],
  total: number,
): MixQueryError {
  if (total === 0) {
    return new MixQueryError('not-measurable', 'Aucun ménage dans cette population : rien à mesurer.');
  }
  const present = groups.filter((g) => g.count > 0);
  if (present.length < 2) {
    return new MixQueryError(
      'not-measurable',
      `Tous les ménages de cette population appartiennent au même groupe (« ${present[0]?.label ?? '—'} ») : ` +
        'la mixité selon cette variable ne peut pas être mesurée. Choisissez une autre variable ou une autre population.',
    );
  }
  return new MixQueryError('not-measurable', error.message);
}

/** The units of a scale: the levels of the table, how to find a member's unit, and how to describe a unit. */
export interface UnitFrame {
  readonly levels: readonly UnitLevel[];
  readonly finest: UnitLevel;
  readonly indexOf: ReadonlyMap<string, number>;
  unitOf(members: MixMembers): (k: number) => number;
  describe(u: number): Pick<MixUnit, 'level' | 'code' | 'name' | 'commune' | 'iris' | 'point'>;
  approximate(u: number): boolean;
}

const frames = new WeakMap<MixSnapshot, Map<MixScale, UnitFrame>>();

/** The frame of a scale, built once per snapshot. */
function unitFrame(snapshot: MixSnapshot, scale: MixScale): UnitFrame {
  let byScale = frames.get(snapshot);
  if (!byScale) {
    byScale = new Map();
    frames.set(snapshot, byScale);
  }
  let frame = byScale.get(scale);
  if (!frame) {
    frame = buildFrame(snapshot, scale);
    byScale.set(scale, frame);
  }
  return frame;
}

function buildFrame(snapshot: MixSnapshot, scale: MixScale): UnitFrame {
  const communeLevel: UnitLevel = {
    name: 'commune',
    labels: snapshot.communes.map((c) => c.code),
    parent: new Int32Array(0),
  };
  const irisLevel: UnitLevel = {
    name: 'iris',
    labels: snapshot.iris.map((i) => i.code),
    parent: Int32Array.from(snapshot.iris, (i) => i.commune),
  };
  const commune = (i: number) => snapshot.communes[i]!;
  const notApproximate = () => false;
  const area = { iris: null, point: null };
  const indexOf = (level: UnitLevel) => new Map(level.labels.map((code, i) => [code, i]));
  switch (scale) {
    case 'commune':
      return {
        levels: [communeLevel],
        finest: communeLevel,
        indexOf: indexOf(communeLevel),
        unitOf: (m) => (k) => m.commune[k]!,
        describe: (u) => ({ level: 'commune', ...commune(u), commune: null, ...area }),
        approximate: notApproximate,
      };
    case 'iris':
      return {
        levels: [communeLevel, irisLevel],
        finest: irisLevel,
        indexOf: indexOf(irisLevel),
        unitOf: (m) => (k) => m.iris[k]!,
        describe: (u) => {
          const iris = snapshot.iris[u]!;
          return { level: 'iris', code: iris.code, name: iris.name, commune: commune(iris.commune), ...area };
        },
        approximate: notApproximate,
      };
    case 'residence': {
      const residenceLevel: UnitLevel = {
        name: 'residence',
        labels: snapshot.residences.map((r) => r.id),
        parent: Int32Array.from(snapshot.residences, (r) => r.iris),
      };
      return {
        levels: [communeLevel, irisLevel, residenceLevel],
        finest: residenceLevel,
        indexOf: indexOf(residenceLevel),
        unitOf: (m) => (k) => m.residence[k]!,
        describe: (u) => {
          const r = snapshot.residences[u]!;
          const iris = snapshot.iris[r.iris]!;
          return {
            level: 'residence',
            code: r.id,
            name: r.name,
            commune: commune(iris.commune),
            iris: { code: iris.code, name: iris.name },
            point: { longitude: r.longitude, latitude: r.latitude },
          };
        },
        approximate: notApproximate,
      };
    }
    case 'qpv': {
      const outside = snapshot.qpvs.length;
      const statusLevel: UnitLevel = {
        name: 'qpv-status',
        labels: [INSIDE_QPV, OUTSIDE_QPV],
        parent: new Int32Array(0),
      };
      const qpvLevel: UnitLevel = {
        name: 'qpv',
        labels: [...snapshot.qpvs.map((q) => q.code), OUTSIDE_QPV],
        parent: Int32Array.from({ length: outside + 1 }, (_, i) => (i < outside ? 0 : 1)),
      };
      return {
        levels: [statusLevel, qpvLevel],
        finest: qpvLevel,
        indexOf: indexOf(qpvLevel),
        unitOf: (m) => (k) => (m.qpv[k]! >= 0 ? m.qpv[k]! : outside),
        describe: (u) => {
          if (u === outside)
            return { level: 'qpv', code: OUTSIDE_QPV, name: 'Hors QPV', commune: null, ...area };
          const q = snapshot.qpvs[u]!;
          return { level: 'qpv', code: q.code, name: q.name, commune: commune(q.commune), ...area };
        },
        approximate: (u) => u < outside && snapshot.qpvs[u]!.approximate,
      };
    }
  }
}
