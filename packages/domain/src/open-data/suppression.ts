import { STATISTICAL_SECRECY_MIN_HOUSEHOLDS } from '../observatory/mix-analysis.ts';

/**
 * Statistical secrecy of published counts (docs/open-data.md, docs/decisions/0012-open-data-suppression.md).
 *
 * A published table is a set of cells (counts of households) tied by additive relations: every row
 * total is the sum of its cells, every commune the sum of its IRIS, the EPCI the sum of its communes.
 * The rule:
 * 1. Primary suppression: every cell counting 1 to 10 households (fewer than the threshold, 11) is
 *    secret. A zero is published: it describes no one.
 * 2. Secondary suppression, line by line: in every relation (a total and its parts), either no cell
 *    is secret or at least two are; and when the total is published, the secret parts together
 *    count 0 or at least 11 households — so no secret cell comes back by subtraction and the hidden
 *    remainder of a line is not itself a small count.
 * 3. Secondary suppression, whole system: no secret cell may be determined by combining relations
 *    (rows and columns together); the exact linear audit below finds such a cell, and one more cell
 *    of one of its relations is made secret, until none is left.
 * Complementary cells are taken among the published non-zero cells of the relation, the smallest
 * that makes the hidden remainder reach the threshold first, parts before totals: least information
 * lost. A zero is never secret: hiding it would protect nothing (a zero total, or non-negativity,
 * gives it back) and a secret cell is then known to count at least one household, which the rule
 * above accounts for (two secret cells of a line hide at least 11 households together).
 * Pure, deterministic: the same counts give the same secrets.
 */

/**
 * Households below which a count is not published: the observatory's threshold (the INSEE rule for
 * household counts, 11), one figure for every publication of the platform.
 */
export const SECRECY_THRESHOLD = STATISTICAL_SECRECY_MIN_HOUSEHOLDS;

/** A total and the cells that add up to it (indices into the system's values). */
export interface AdditiveRelation {
  readonly total: number;
  readonly parts: readonly number[];
}

export interface AdditiveSystem {
  /** Non-negative integer counts. */
  readonly values: readonly number[];
  readonly relations: readonly AdditiveRelation[];
}

/**
 * published; primary: a small count; secondary: hidden so that a small count cannot be recovered;
 * unpublished: a count never published (the difference of two published tables) that is not small —
 * unknown to the reader, so it hides what it is added to, but needing no protection itself.
 */
export type CellStatus = 'published' | 'primary' | 'secondary' | 'unpublished';

export class AdditiveSystemError extends Error {}

/** Checks the counts and that every relation adds up; throws AdditiveSystemError (French message). */
export function checkAdditiveSystem(system: AdditiveSystem): void {
  system.values.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0)
      throw new AdditiveSystemError(`cellule ${i} : effectif entier positif ou nul attendu, reçu ${v}`);
  });
  for (const r of system.relations) {
    for (const i of [r.total, ...r.parts]) {
      if (!(i >= 0 && i < system.values.length))
        throw new AdditiveSystemError(`relation : cellule ${i} inexistante`);
    }
    const sum = r.parts.reduce((s, p) => s + system.values[p]!, 0);
    if (sum !== system.values[r.total])
      throw new AdditiveSystemError(
        `relation : la cellule ${r.total} vaut ${system.values[r.total]}, ses parties ${sum}`,
      );
  }
}

/**
 * The status of every cell under the rule above. `forced` cells (indices) are secret from the start
 * (secondary), e.g. cells already secret in another publication of the same figures. `unpublished`
 * cells are never published — counts that a reader could otherwise compute from two tables (all
 * households minus the social stock's occupants of an IRIS): a small one is protected like any small
 * count (primary), the others only hide.
 */
export function suppressCells(
  system: AdditiveSystem,
  threshold = SECRECY_THRESHOLD,
  forced: readonly number[] = [],
  unpublished: readonly number[] = [],
): CellStatus[] {
  checkAdditiveSystem(system);
  const { values, relations } = system;
  const status: CellStatus[] = values.map((v) => (v > 0 && v < threshold ? 'primary' : 'published'));
  for (const i of unpublished) if (status[i] === 'published') status[i] = 'unpublished';
  for (const i of forced) if (status[i] === 'published') status[i] = 'secondary';
  const secret = (i: number) => status[i] !== 'published';
  /** A secret that must not be recovered (an unpublished count that is not small may be). */
  const sensitive = (i: number) => status[i] === 'primary' || status[i] === 'secondary';
  const relationsOf: number[][] = values.map(() => []);
  relations.forEach((r, k) => {
    for (const i of [r.total, ...r.parts]) relationsOf[i]!.push(k);
  });

  /** Relations other than `r` that hold `p` and no secret cell yet: hiding p would open them. */
  const opened = (p: number, r: AdditiveRelation) =>
    relationsOf[p]!.filter((k) => {
      const other = relations[k]!;
      return other !== r && !secret(other.total) && !other.parts.some(secret);
    }).length;

  /**
   * One more secret cell in relation r (false when every cell of it is secret already): among the
   * cells that bring the hidden remainder to the threshold, the one opening the fewest new lines
   * (closing a rectangle of secrets rather than starting a new one), then the smallest.
   */
  const complement = (r: AdditiveRelation, hidden: number): boolean => {
    const hideable = (i: number) => !secret(i) && values[i]! > 0;
    const parts = r.parts.filter(hideable);
    const pool = parts.length > 0 ? parts : hideable(r.total) ? [r.total] : [];
    if (pool.length === 0) return false;
    const needed = hidden > 0 && hidden < threshold ? threshold - hidden : 0;
    const reaching = pool.filter((p) => values[p]! >= needed);
    const ranked = (reaching.length > 0 ? reaching : pool).map((p) => ({ p, opened: opened(p, r) }));
    ranked.sort(
      (a, b) =>
        a.opened - b.opened ||
        (reaching.length > 0 ? values[a.p]! - values[b.p]! : values[b.p]! - values[a.p]!) ||
        a.p - b.p,
    );
    status[ranked[0]!.p] = 'secondary';
    return true;
  };

  /** The line rule (2) on every relation until it holds; returns whether a cell was added. */
  const lineRule = (): boolean => {
    let changed = false;
    for (let again = true; again; ) {
      again = false;
      for (const r of relations) {
        const cells = [r.total, ...r.parts];
        if (!cells.some(sensitive)) continue;
        const secrets = cells.filter(secret).length;
        const hidden = secret(r.total) ? 0 : r.parts.reduce((s, p) => s + (secret(p) ? values[p]! : 0), 0);
        if (secrets === 1 || (hidden > 0 && hidden < threshold)) {
          if (complement(r, hidden)) again = changed = true;
        }
      }
    }
    return changed;
  };

  for (;;) {
    lineRule();
    const determined = determinedCells(
      system,
      status.map((s) => s !== 'published'),
    ).filter((i) => values[i]! > 0 && sensitive(i));
    if (determined.length === 0) break;
    let added = false;
    for (const i of determined) {
      if (!secret(i)) continue;
      const cell = nearestHideable(i);
      if (cell === null) continue;
      status[cell] = 'secondary';
      added = true;
    }
    // Nothing left to hide: every non-zero cell is secret, and then none is determined (scaling
    // every count keeps every relation), so this only ends the loop.
    if (!added) break;
  }
  return status;

  /**
   * The published non-zero cell nearest to a determined secret cell: the smallest in the relations
   * holding it, else in the relations reached through secret cells from it, else anywhere.
   */
  function nearestHideable(start: number): number | null {
    const seen = new Set<number>([start]);
    let frontier = [start];
    while (frontier.length > 0) {
      const found: number[] = [];
      const next: number[] = [];
      for (const c of frontier) {
        for (const k of relationsOf[c]!) {
          const r = relations[k]!;
          for (const other of [...r.parts, r.total]) {
            if (seen.has(other)) continue;
            seen.add(other);
            if (!secret(other)) {
              if (values[other]! > 0) found.push(other);
            } else next.push(other);
          }
        }
      }
      if (found.length > 0) return found.sort((a, b) => values[a]! - values[b]! || a - b)[0]!;
      frontier = next;
    }
    const anywhere = values.flatMap((v, c) => (v > 0 && !secret(c) ? [c] : []));
    return anywhere.sort((a, b) => values[a]! - values[b]! || a - b)[0] ?? null;
  }
}

/**
 * The secret cells whose value follows exactly from the published cells and the relations (the
 * linear system has a single solution for them). Exact: Gaussian elimination on the relations
 * restricted to the secret cells, one connected group of secret cells at a time.
 */
export function determinedCells(system: AdditiveSystem, secret: readonly boolean[]): number[] {
  const { relations } = system;
  const unknown = secret.flatMap((s, i) => (s ? [i] : []));
  if (unknown.length === 0) return [];
  // Group the secret cells that share a relation (union-find): independent sub-systems.
  const parent = new Map<number, number>(unknown.map((i) => [i, i]));
  const find = (i: number): number => {
    let root = i;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(i, root);
    return root;
  };
  const rows: { cells: number[]; signs: number[] }[] = [];
  for (const r of relations) {
    const cells: number[] = [];
    const signs: number[] = [];
    if (secret[r.total]) {
      cells.push(r.total);
      signs.push(-1);
    }
    for (const p of r.parts) {
      if (secret[p]) {
        cells.push(p);
        signs.push(1);
      }
    }
    if (cells.length === 0) continue;
    for (const c of cells.slice(1)) parent.set(find(c), find(cells[0]!));
    rows.push({ cells, signs });
  }
  const groups = new Map<number, { cells: number[]; rows: { cells: number[]; signs: number[] }[] }>();
  for (const i of unknown) {
    const root = find(i);
    if (!groups.has(root)) groups.set(root, { cells: [], rows: [] });
    groups.get(root)!.cells.push(i);
  }
  for (const row of rows) groups.get(find(row.cells[0]!))!.rows.push(row);

  const determined: number[] = [];
  for (const group of groups.values()) {
    const column = new Map(group.cells.map((c, k) => [c, k]));
    const n = group.cells.length;
    const matrix = group.rows.map((row) => {
      const line = new Float64Array(n);
      row.cells.forEach((c, k) => {
        const at = column.get(c)!;
        line[at] = line[at]! + row.signs[k]!;
      });
      return line;
    });
    // Reduced row echelon form; a pivot whose row has no other non-zero entry is determined.
    const pivotRows: { col: number; row: Float64Array }[] = [];
    let rank = 0;
    for (let col = 0; col < n && rank < matrix.length; col++) {
      let best = -1;
      for (let r = rank; r < matrix.length; r++) {
        if (
          Math.abs(matrix[r]![col]!) > 1e-9 &&
          (best < 0 || Math.abs(matrix[r]![col]!) > Math.abs(matrix[best]![col]!))
        )
          best = r;
      }
      if (best < 0) continue;
      [matrix[rank], matrix[best]] = [matrix[best]!, matrix[rank]!];
      const pivot = matrix[rank]!;
      const scale = pivot[col]!;
      for (let k = 0; k < n; k++) pivot[k] = pivot[k]! / scale;
      for (let r = 0; r < matrix.length; r++) {
        if (r === rank) continue;
        const factor = matrix[r]![col]!;
        if (Math.abs(factor) <= 1e-12) continue;
        const line = matrix[r]!;
        for (let k = 0; k < n; k++) line[k] = line[k]! - factor * pivot[k]!;
      }
      pivotRows.push({ col, row: pivot });
      rank++;
    }
    for (const { col, row } of pivotRows) {
      let alone = true;
      for (let k = 0; k < n && alone; k++) if (k !== col && Math.abs(row[k]!) > 1e-9) alone = false;
      if (alone) determined.push(group.cells[col]!);
    }
  }
  return determined.sort((a, b) => a - b);
}
