import {
  MIX_GROUPS,
  MIX_VARIABLES,
  type MixPopulation,
  type MixQuery,
  MixQueryError,
  type MixScale,
  type MixSnapshot,
  type MixUnit,
  type MixVariable,
  mixTable,
} from '../observatory/index.ts';
import { SECRECY_THRESHOLD } from './suppression.ts';
import {
  type CountTableInput,
  type CountUnit,
  type PublishedCell,
  type PublishedTable,
  publishTables,
} from './tables.ts';

/**
 * Statistical secrecy of the observatory's figures (docs/decisions/0006-observatory-data-path.md):
 * the counts behind a unit's shares, location quotients and local score, and behind the EPCI's
 * group counts, under the open data's rule (suppression.ts: no count from 1 to 10 households,
 * secondary suppression within a unit — its shares sum to 1 — and across the nesting of units).
 *
 * One system per population and year, shared by every variable and every scale, so that a cell
 * hidden in one figure is not read in another: for each variable, the area scales nested EPCI >
 * commune > IRIS (> residence for the social stock and the lettings) and the QPV scale (EPCI > in or
 * outside a QPV > QPV) sharing the EPCI row; a unit's total is one figure under every variable (the
 * same households), tied across the variables' tables. Pure, deterministic.
 */

export interface MixCounts {
  /** Count of each group (order of MIX_GROUPS[variable]), null when secret. */
  readonly cells: readonly PublishedCell[];
  readonly total: PublishedCell;
}

export interface MixSecrecy {
  readonly threshold: number;
  /** The EPCI's row: its group counts and total. */
  readonly whole: MixCounts;
  /** The units of every scale, by `mixSecrecyKey(level, code)`. */
  readonly units: ReadonlyMap<string, MixCounts>;
}

/** Key of a unit in `MixSecrecy.units`: its level (commune, iris, residence, qpv-status, qpv) and code. */
export const mixSecrecyKey = (level: string, code: string) => `${level}:${code}`;

/** The scales whose tables make one system for a population (the others are their levels). */
export function mixSecrecyScales(population: MixPopulation): readonly MixScale[] {
  return population === 'households' ? ['iris', 'qpv'] : ['residence', 'qpv'];
}

/**
 * The published counts of every unit of every scale, for each variable that can be measured on the
 * population (a variable with a single group, e.g. tenure in the social stock, is left out: nothing
 * of it is published).
 */
export function mixSecrecy(
  snapshot: MixSnapshot,
  query: Pick<MixQuery, 'population' | 'year'>,
  threshold = SECRECY_THRESHOLD,
): Partial<Record<MixVariable, MixSecrecy>> {
  const byVariable = new Map<MixVariable, CountTableInput[]>();
  for (const variable of MIX_VARIABLES) {
    const tables = mixSecrecyScales(query.population).flatMap((scale) => {
      try {
        return [countTable(snapshot, { ...query, variable, scale })];
      } catch (error) {
        // Not measurable (a single group, no QPV): none of its units is published.
        if (error instanceof MixQueryError) return [];
        throw error;
      }
    });
    if (tables.length > 0) byVariable.set(variable, tables);
  }
  // A unit's total counts the same households under every variable: one figure, hidden alike. Each
  // variable is protected on its own with the totals secret under any variable forced secret,
  // until no variable hides a further total (the forced set only grows: it ends).
  const hidden = new Map<string, { level: string; code: string }>();
  let published = new Map<MixVariable, PublishedTable[]>();
  for (let round = 0; ; round++) {
    const size = hidden.size;
    published = new Map(
      [...byVariable].map(([variable, tables]) => [
        variable,
        publishTables(
          tables,
          threshold,
          [],
          tables.flatMap((t) => [...hidden.values()].map((h) => ({ table: t.id, ...h }))),
        ),
      ]),
    );
    for (const tables of published.values())
      for (const t of tables)
        for (const row of t.rows)
          if (row.total.secret) hidden.set(`${row.level}|${row.code}`, { level: row.level, code: row.code });
    if (hidden.size === size || round > byVariable.size * 4) break;
  }
  const out: Partial<Record<MixVariable, MixSecrecy>> = {};
  for (const [variable, tables] of published) {
    const units = new Map<string, MixCounts>();
    for (const t of tables)
      for (const row of t.rows.slice(1)) units.set(row.code, { cells: row.cells, total: row.total });
    const whole = tables[0]!.rows[0]!;
    out[variable] = { threshold, whole: { cells: whole.cells, total: whole.total }, units };
  }
  return out;
}

/** The counts of a query's scale as a table: every level of the scale, the finest with its counts. */
function countTable(snapshot: MixSnapshot, query: MixQuery): CountTableInput {
  const groups = MIX_GROUPS[query.variable];
  const { table } = mixTable(snapshot, query);
  const toVariable = table.groups.map((code) => groups.findIndex((g) => g.code === code));
  const units: CountUnit[] = [];
  const finest = table.levels.length - 1;
  table.levels.forEach((level, k) => {
    const parentLevel = k > 0 ? table.levels[k - 1]! : null;
    level.labels.forEach((label, u) => {
      const counts = new Array<number>(groups.length).fill(0);
      if (k === finest) {
        for (let c = table.cellStart[u]!; c < table.cellStart[u + 1]!; c++)
          counts[toVariable[table.cellGroup[c]!]!]! += table.cellCount[c]!;
      }
      units.push({
        level: level.name,
        code: mixSecrecyKey(level.name, label),
        label,
        parent: parentLevel ? mixSecrecyKey(parentLevel.name, parentLevel.labels[level.parent[u]!]!) : null,
        // A coarser unit without finer ones is a leaf of zeros; for a parent the counts are ignored.
        counts,
      });
    });
  });
  return {
    id: `${query.variable}/${query.scale}`,
    title: `${query.variable}/${query.scale}`,
    whole: { level: 'epci', code: snapshot.epci, label: snapshot.epci },
    columns: groups.map((g) => ({ code: g.code, label: g.label })),
    units,
    wholeGroup: query.variable,
  };
}

/** A unit as published: its figures under statistical secrecy. */
export interface PublishedMixUnit
  extends Omit<MixUnit, 'localScore' | 'contribution' | 'shares' | 'locationQuotients'> {
  localScore: number | null;
  contribution: number | null;
  localScoreSecret: boolean;
  shares: (number | null)[];
  sharesSecret: boolean[];
  locationQuotients: (number | null)[];
  locationQuotientsSecret: boolean[];
}

/**
 * The units of an analysis under statistical secrecy: a unit whose total is secret (1 to 10
 * households, or hidden so that another cannot be recovered) is withheld; a share is published
 * only when the group's count is, a location quotient only when the group's count in the unit and in
 * the EPCI are (it is their ratio over the totals), the local score and the share of M only when
 * every count of the unit and of the EPCI is (with the total, they pin the hidden shares). A unit
 * missing from the system is withheld (fail closed).
 */
export function publishedMixUnits(
  units: readonly MixUnit[],
  secrecy: MixSecrecy,
): { units: PublishedMixUnit[]; withheld: number } {
  const wholeSecret = secrecy.whole.cells.some((c) => c.secret);
  const published: PublishedMixUnit[] = [];
  for (const u of units) {
    const counts = secrecy.units.get(mixSecrecyKey(u.level, u.code));
    if (!counts || counts.total.value === null || counts.total.value !== u.total) continue;
    const sharesSecret = counts.cells.map((c) => c.secret);
    const locationQuotientsSecret = counts.cells.map((c, g) => c.secret || secrecy.whole.cells[g]!.secret);
    const localScoreSecret = wholeSecret || sharesSecret.some(Boolean);
    published.push({
      ...u,
      localScore: localScoreSecret ? null : u.localScore,
      contribution: localScoreSecret ? null : u.contribution,
      localScoreSecret,
      shares: u.shares.map((s, g) => (sharesSecret[g] ? null : s)),
      sharesSecret,
      locationQuotients: u.locationQuotients.map((q, g) => (locationQuotientsSecret[g] ? null : q)),
      locationQuotientsSecret,
    });
  }
  return { units: published, withheld: units.length - published.length };
}
