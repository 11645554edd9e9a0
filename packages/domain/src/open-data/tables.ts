import {
  type AdditiveRelation,
  AdditiveSystemError,
  type CellStatus,
  SECRECY_THRESHOLD,
  suppressCells,
} from './suppression.ts';

/**
 * Tables of counts as they are published in the open data: units (EPCI > communes > IRIS, or EPCI >
 * landlords…) in rows, groups in columns, a total per row; counts of households under the secrecy
 * rule (suppression.ts), applied to every table of a publication together, so that a cell hidden in
 * one cannot be read from another (the commune rows are the sums of their IRIS, the EPCI row is
 * shared by the tables with the same columns).
 */

export interface CountColumn {
  readonly code: string;
  readonly label: string;
}

/** A unit of a table; counts are given for the leaves only, parents are their sums. */
export interface CountUnit {
  /** Level of the unit, e.g. 'commune', 'iris', 'bailleur'. */
  readonly level: string;
  readonly code: string;
  readonly label: string;
  /** Code of the parent unit; null under the whole. */
  readonly parent: string | null;
  /** Counts per column, for a leaf (a unit no other unit names as parent); ignored for a parent. */
  readonly counts?: readonly number[];
}

export interface CountTableInput {
  /** Identifier of the table in the publication (file names, API). */
  readonly id: string;
  readonly title: string;
  /** The whole (the EPCI): its row is the sum of the units under it. */
  readonly whole: { readonly level: string; readonly code: string; readonly label: string };
  readonly columns: readonly CountColumn[];
  readonly units: readonly CountUnit[];
  /**
   * Tables of one group with the same columns share their whole row (the same counts published
   * twice must hide the same cells); by default a table is its own group.
   */
  readonly wholeGroup?: string;
}

export interface PublishedCell {
  /** The count; null when secret. */
  readonly value: number | null;
  readonly secret: boolean;
}

export interface PublishedRow {
  readonly level: string;
  readonly code: string;
  readonly label: string;
  readonly parent: string | null;
  readonly cells: readonly PublishedCell[];
  readonly total: PublishedCell;
}

export interface PublishedTable {
  readonly id: string;
  readonly title: string;
  readonly columns: readonly CountColumn[];
  readonly secrecyThreshold: number;
  /** The whole first, then every unit, each parent before its children, in input order. */
  readonly rows: readonly PublishedRow[];
  /** Secret cells of the table (totals included). */
  readonly secretCells: number;
}

/** A row whose total is secret from the start (e.g. secret in another publication of the same figure). */
export interface ForcedTotal {
  readonly table: string;
  readonly level: string;
  readonly code: string;
}

/** Two tables whose rows of these levels (same code) count the same households in total. */
export interface EqualTotals {
  readonly tables: readonly [string, string];
  readonly levels: readonly string[];
}

/**
 * Table `part` counts some of the households of table `whole`, row by row and column by column (the
 * social stock's occupants among all households, by IRIS and quartile): the difference of two of
 * their published cells is a count too — never published, and protected like a published one.
 */
export interface Complement {
  readonly whole: string;
  readonly part: string;
}

interface BuiltRow {
  level: string;
  code: string;
  label: string;
  parent: string | null;
  /** Cell indices in the system: one per column, then the row total. */
  cells: number[];
}

/**
 * Applies the secrecy rule to every table at once and returns them with their secret cells;
 * `forcedTotals` are row totals hidden from the start (secondary); `complements` tie a table to one
 * counting a subset of its households. Throws AdditiveSystemError (French message) for an unknown
 * parent, a leaf without counts or counts of the wrong length, tables sharing a whole with different
 * counts, or a part counting more households than its whole.
 */
export function publishTables(
  tables: readonly CountTableInput[],
  threshold = SECRECY_THRESHOLD,
  equalTotals: readonly EqualTotals[] = [],
  forcedTotals: readonly ForcedTotal[] = [],
  complements: readonly Complement[] = [],
): PublishedTable[] {
  const values: number[] = [];
  const relations: AdditiveRelation[] = [];
  const cell = (value: number) => values.push(value) - 1;
  // The whole row shared by tables with the same whole and the same columns.
  const wholes = new Map<string, number[]>();

  const built = tables.map((table) => {
    const width = table.columns.length;
    const children = new Map<string | null, CountUnit[]>();
    const known = new Set(table.units.map((u) => u.code));
    for (const u of table.units) {
      if (u.parent !== null && !known.has(u.parent))
        throw new AdditiveSystemError(`${table.id} : unité ${u.code}, parent inconnu ${u.parent}`);
      if (!children.has(u.parent)) children.set(u.parent, []);
      children.get(u.parent)!.push(u);
    }
    const rows: BuiltRow[] = [];
    /** Counts of a unit (sum of its children for a parent), with its rows appended depth first. */
    const visit = (u: CountUnit, depth: number): { counts: number[]; row: BuiltRow } => {
      if (depth > table.units.length) throw new AdditiveSystemError(`${table.id} : unités en cycle`);
      const row: BuiltRow = { level: u.level, code: u.code, label: u.label, parent: u.parent, cells: [] };
      rows.push(row);
      const kids = children.get(u.code) ?? [];
      let counts: number[];
      if (kids.length === 0) {
        if (!u.counts || u.counts.length !== width)
          throw new AdditiveSystemError(`${table.id} : unité ${u.code}, ${width} effectifs attendus`);
        counts = [...u.counts];
        row.cells = [...counts.map(cell), cell(sum(counts))];
      } else {
        const kidRows = kids.map((k) => visit(k, depth + 1));
        counts = Array.from({ length: width }, (_, c) => sum(kidRows.map((k) => k.counts[c]!)));
        row.cells = [...counts.map(cell), cell(sum(counts))];
        for (let c = 0; c <= width; c++)
          relations.push({ total: row.cells[c]!, parts: kidRows.map((k) => k.row.cells[c]!) });
      }
      relations.push({ total: row.cells[width]!, parts: row.cells.slice(0, width) });
      return { counts, row };
    };
    const top = (children.get(null) ?? []).map((u) => visit(u, 1));
    const topRows = top.map((t) => t.row);
    const wholeCounts = Array.from({ length: width }, (_, c) => sum(top.map((t) => t.counts[c]!)));
    const key = JSON.stringify([
      table.wholeGroup ?? `#${table.id}`,
      table.whole.code,
      table.columns.map((c) => c.code),
    ]);
    let wholeCells = wholes.get(key);
    if (wholeCells) {
      wholeCells.forEach((i, c) => {
        const expected = c < width ? wholeCounts[c]! : sum(wholeCounts);
        if (values[i] !== expected)
          throw new AdditiveSystemError(
            `${table.id} : total de ${table.whole.label} différent d’un autre tableau`,
          );
      });
    } else {
      wholeCells = [...wholeCounts.map(cell), cell(sum(wholeCounts))];
      wholes.set(key, wholeCells);
      relations.push({ total: wholeCells[width]!, parts: wholeCells.slice(0, width) });
    }
    for (let c = 0; c <= width; c++)
      relations.push({ total: wholeCells[c]!, parts: topRows.map((r) => r.cells[c]!) });
    const wholeRow: BuiltRow = { ...table.whole, parent: null, cells: wholeCells };
    return { table, rows: [wholeRow, ...rows] };
  });

  // Row totals published in two tables are one figure: tie them (A = B), so that a total hidden in
  // one is hidden in the other. Totals that differ are not the same figure and are left alone.
  for (const link of equalTotals) {
    const [a, b] = link.tables.map((id) => built.find((t) => t.table.id === id));
    if (!a || !b) continue;
    for (const row of a.rows) {
      if (!link.levels.includes(row.level)) continue;
      const other = b.rows.find((r) => r.level === row.level && r.code === row.code);
      const [x, y] = [row.cells.at(-1)!, other?.cells.at(-1)];
      if (y !== undefined && x !== y && values[x] === values[y]) relations.push({ total: x, parts: [y] });
    }
  }
  const forced = forcedTotals.flatMap((f) => {
    const row = built
      .find((t) => t.table.id === f.table)
      ?.rows.find((r) => r.level === f.level && r.code === f.code);
    return row ? [row.cells.at(-1)!] : [];
  });
  // whole = part + difference, cell by cell: the difference is a cell of the system, never published.
  const unpublished: number[] = [];
  for (const link of complements) {
    const [whole, part] = [link.whole, link.part].map((id) => built.find((t) => t.table.id === id));
    if (!whole || !part) continue;
    if (whole.table.columns.map((c) => c.code).join() !== part.table.columns.map((c) => c.code).join())
      throw new AdditiveSystemError(`${part.table.id} : colonnes différentes de ${whole.table.id}`);
    for (const row of whole.rows) {
      const other = part.rows.find((r) => r.level === row.level && r.code === row.code);
      if (!other) continue;
      row.cells.forEach((w, c) => {
        const p = other.cells[c]!;
        const difference = values[w]! - values[p]!;
        if (difference < 0)
          throw new AdditiveSystemError(
            `${part.table.id} : ${row.label} compte plus de ménages que dans ${whole.table.id}`,
          );
        const d = cell(difference);
        unpublished.push(d);
        relations.push({ total: w, parts: [p, d] });
      });
    }
  }
  const status = suppressCells({ values, relations }, threshold, forced, unpublished);
  return built.map(({ table, rows }) => {
    const out = (i: number): PublishedCell =>
      isSecret(status[i]!) ? { value: null, secret: true } : { value: values[i]!, secret: false };
    const published = rows.map((r) => ({
      level: r.level,
      code: r.code,
      label: r.label,
      parent: r.parent,
      cells: r.cells.slice(0, -1).map(out),
      total: out(r.cells.at(-1)!),
    }));
    return {
      id: table.id,
      title: table.title,
      columns: table.columns,
      secrecyThreshold: threshold,
      rows: published,
      secretCells: published.reduce((n, r) => n + [...r.cells, r.total].filter((c) => c.secret).length, 0),
    };
  });
}

const isSecret = (s: CellStatus) => s !== 'published';
const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/** Share of a column in its row, published only when both counts are (else it would reveal a secret). */
export function publishedShare(cell: PublishedCell, total: PublishedCell): number | null {
  if (cell.value === null || total.value === null || total.value === 0) return null;
  return cell.value / total.value;
}
