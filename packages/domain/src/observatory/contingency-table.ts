import { SegregationInputError } from './segregation-input-error.ts';

/**
 * The contingency table every segregation index reads: counts of people by unit × group, with the
 * units possibly nested in coarser units (EPCI > commune > IRIS > residence).
 *
 * Layout, chosen for tables of millions of cells: the cells of the finest units are stored
 * compressed by row (CSR) — the cells of finest unit `u` are `cellStart[u] … cellStart[u + 1] − 1`,
 * each with its group index and its count, sorted by group, without duplicates or zeros. A dense
 * units × groups array would waste memory as soon as groups are many and cells sparse (a table of
 * 2,045 schools transposed has 2,045 groups); with 4 groups the CSR costs one Int32 per cell more.
 * Coarser levels are parent-index arrays: level k unit `i` sits in level k − 1 unit `parent[i]`.
 *
 * Invariants of every table built here: each group and each unit of each level has a positive
 * total (rows with a zero count are dropped, as R `segregation`'s `prepare_data` does), there are
 * at least two groups, and a unit label has one parent.
 */
export interface ContingencyTable {
  /** Group labels, by group index. */
  readonly groups: readonly string[];
  /** Unit levels, outermost first; the last one is the unit of analysis ("finest" units). */
  readonly levels: readonly UnitLevel[];
  /** Length finest-unit count + 1: start of each finest unit's cells. */
  readonly cellStart: Int32Array;
  /** Group index of each cell. */
  readonly cellGroup: Int32Array;
  /** Count of each cell (> 0; not necessarily an integer: weights are allowed). */
  readonly cellCount: Float64Array;
  /** t_u: total of each finest unit. */
  readonly unitTotals: Float64Array;
  /** t_g: total of each group. */
  readonly groupTotals: Float64Array;
  /** T: grand total. */
  readonly total: number;
}

export interface UnitLevel {
  /** Name of the level (a column name, `commune`, `iris`…). */
  readonly name: string;
  /** Label of each unit of this level, by index. Labels are unique within a level. */
  readonly labels: readonly string[];
  /** Index in the previous (coarser) level of each unit's parent; empty for the outermost level. */
  readonly parent: Int32Array;
}

/** One row of a long table: the unit labels (outermost first), the group and the count. */
export interface LongRow {
  readonly units: readonly string[];
  readonly group: string;
  readonly n: number;
}

/** Builds a table from long rows; `levelNames` names the unit levels, outermost first. */
export function contingencyTableFromRows(
  levelNames: readonly string[],
  rows: Iterable<LongRow>,
): ContingencyTable {
  const builder = new ContingencyTableBuilder(levelNames);
  for (const row of rows) builder.addCell(row.units, row.group, row.n);
  return builder.build();
}

/**
 * Builds a table from a dense units × groups matrix (one level), e.g. a wide census file
 * `tract, WHITE, BLACK…`. `counts[u][g]`.
 */
export function contingencyTableFromMatrix(
  unitLabels: readonly string[],
  groupLabels: readonly string[],
  counts: readonly (readonly number[])[],
  levelName = 'unit',
): ContingencyTable {
  const builder = new ContingencyTableBuilder([levelName]);
  const units = [''];
  counts.forEach((row, u) => {
    units[0] = unitLabels[u]!;
    groupLabels.forEach((group, g) => {
      builder.addCell(units, group, row[g]!);
    });
  });
  return builder.build();
}

/**
 * Incremental builder, for readers that stream millions of rows: labels are mapped to integer ids
 * once (a Map per level), cells go into growable typed arrays, and `build` sorts them by unit in
 * linear time. Repeated (unit, group) rows are summed. The last labels seen are cached, so a file
 * sorted by unit costs one string comparison per level and row.
 */
export class ContingencyTableBuilder {
  private readonly levelNames: readonly string[];
  private readonly unitIds: Map<string, number>[];
  private readonly unitLabels: string[][];
  private readonly unitParents: GrowableInt32[];
  private readonly lastLabel: (string | null)[];
  private readonly lastParent: Int32Array;
  private readonly lastId: Int32Array;
  private readonly groupIds = new Map<string, number>();
  private readonly groupLabels: string[] = [];
  private readonly cellUnit = new GrowableInt32();
  private readonly cellGroup = new GrowableInt32();
  private readonly cellCount = new GrowableFloat64();

  constructor(levelNames: readonly string[]) {
    if (levelNames.length === 0) {
      throw new SegregationInputError('invalid-units', 'il faut au moins un niveau d’unités');
    }
    this.levelNames = [...levelNames];
    this.unitIds = levelNames.map(() => new Map());
    this.unitLabels = levelNames.map(() => []);
    this.unitParents = levelNames.map(() => new GrowableInt32());
    this.lastLabel = levelNames.map(() => null);
    this.lastParent = new Int32Array(levelNames.length);
    this.lastId = new Int32Array(levelNames.length);
  }

  /**
   * Adds `n` people of `group` in the unit whose labels are `units` (outermost first). Throws a
   * `SegregationInputError` for a negative or non-finite count or a unit already seen under
   * another parent.
   */
  addCell(units: readonly string[], group: string, n: number): void {
    const depth = this.levelNames.length;
    if (units.length !== depth) {
      throw new SegregationInputError(
        'invalid-units',
        `une ligne donne ${units.length} niveaux d’unités au lieu de ${depth} (${this.levelNames.join(', ')})`,
      );
    }
    if (!Number.isFinite(n) || n < 0) {
      throw new SegregationInputError(
        'invalid-count',
        `effectif invalide : ${n} (attendu : un nombre fini positif ou nul)`,
      );
    }
    let parent = -1;
    for (let k = 0; k < depth; k++) parent = this.unitId(k, units[k]!, parent);
    let g = this.groupIds.get(group);
    if (g === undefined) {
      g = this.groupLabels.length;
      this.groupIds.set(group, g);
      this.groupLabels.push(group);
    }
    this.cellUnit.push(parent);
    this.cellGroup.push(g);
    this.cellCount.push(n);
  }

  /** Sorts and merges the cells; throws for an empty table or fewer than two groups. */
  build(): ContingencyTable {
    return assembleTable(
      this.levelNames,
      this.unitLabels,
      this.unitParents.map((p) => p.view()),
      this.groupLabels,
      this.cellUnit.view(),
      this.cellGroup.view(),
      this.cellCount.view(),
    );
  }

  private unitId(level: number, label: string, parent: number): number {
    if (this.lastLabel[level] === label && this.lastParent[level] === parent) return this.lastId[level]!;
    const ids = this.unitIds[level]!;
    let id = ids.get(label);
    if (id === undefined) {
      id = this.unitLabels[level]!.length;
      ids.set(label, id);
      this.unitLabels[level]!.push(label);
      if (level > 0) this.unitParents[level]!.push(parent);
    } else if (level > 0) {
      const known = this.unitParents[level]!.at(id);
      if (known !== parent) {
        const parentLabels = this.unitLabels[level - 1]!;
        throw new SegregationInputError(
          'conflicting-parent',
          `l’unité « ${label} » (${this.levelNames[level]}) est rattachée à deux unités ` +
            `${this.levelNames[level - 1]} différentes : « ${parentLabels[known]} » et « ${parentLabels[parent]} »`,
        );
      }
    }
    this.lastLabel[level] = label;
    this.lastParent[level] = parent;
    this.lastId[level] = id;
    return id;
  }
}

/** A table given by integer ids, for readers that intern labels themselves (see `contingencyTableFromIds`). */
export interface ContingencyTableIds {
  /** Unit levels, outermost first: names, labels by id, parent ids (empty array for the outermost). */
  readonly levels: readonly UnitLevel[];
  readonly groups: readonly string[];
  /** Per cell (any order, repeats summed): finest unit id, group id, count ≥ 0. */
  readonly cellUnit: Int32Array;
  readonly cellGroup: Int32Array;
  readonly cellCount: Float64Array;
}

/**
 * Builds a table from ids: checks them, sorts the cells by unit in linear time, sums repeated
 * cells and drops zeros. The fastest way in for a streaming reader with its own label interning.
 */
export function contingencyTableFromIds(ids: ContingencyTableIds): ContingencyTable {
  const { levels, groups, cellUnit, cellGroup, cellCount } = ids;
  if (levels.length === 0)
    throw new SegregationInputError('invalid-units', 'il faut au moins un niveau d’unités');
  levels.forEach((level, k) => {
    const parentCount = k === 0 ? 0 : levels[k - 1]!.labels.length;
    const expected = k === 0 ? 0 : level.labels.length;
    if (level.parent.length !== expected || level.parent.some((p) => !(p >= 0 && p < parentCount))) {
      throw new SegregationInputError(
        'invalid-units',
        `niveau « ${level.name} » : ${level.parent.length} parents pour ${level.labels.length} unités, ou parent hors limites`,
      );
    }
  });
  const units = levels[levels.length - 1]!.labels.length;
  if (cellUnit.length !== cellCount.length || cellGroup.length !== cellCount.length) {
    throw new SegregationInputError('invalid-units', 'tableaux de cellules de longueurs différentes');
  }
  for (let c = 0; c < cellCount.length; c++) {
    const n = cellCount[c]!;
    if (!Number.isFinite(n) || n < 0) {
      throw new SegregationInputError(
        'invalid-count',
        `effectif invalide : ${n} (attendu : un nombre fini positif ou nul)`,
      );
    }
    const u = cellUnit[c]!;
    const g = cellGroup[c]!;
    if (!(u >= 0 && u < units && g >= 0 && g < groups.length)) {
      throw new SegregationInputError(
        'invalid-units',
        `cellule ${c} : unité ${u} ou groupe ${g} hors limites`,
      );
    }
  }
  return assembleTable(
    levels.map((l) => l.name),
    levels.map((l) => l.labels),
    levels.map((l) => l.parent),
    groups,
    cellUnit,
    cellGroup,
    cellCount,
  );
}

/** Index of a level given by name or index; negative indices count from the finest (−1). */
export function levelIndex(table: ContingencyTable, level: number | string): number {
  const depth = table.levels.length;
  if (typeof level === 'number') {
    const k = level < 0 ? depth + level : level;
    if (Number.isInteger(k) && k >= 0 && k < depth) return k;
  } else {
    const k = table.levels.findIndex((l) => l.name === level);
    if (k >= 0) return k;
  }
  throw new SegregationInputError(
    'unknown-level',
    `niveau d’unités inconnu : ${level} (niveaux : ${table.levels.map((l) => l.name).join(', ')})`,
  );
}

/** Index of a group given by label; throws `unknown-group`. */
export function groupIndex(table: ContingencyTable, group: string): number {
  const g = table.groups.indexOf(group);
  if (g < 0) {
    throw new SegregationInputError(
      'unknown-group',
      `groupe inconnu : « ${group} » (groupes : ${table.groups.join(', ')})`,
    );
  }
  return g;
}

/** For each finest unit, the index of its ancestor at `level` (itself at the finest level). */
export function unitAncestors(table: ContingencyTable, level: number | string): Int32Array {
  const k = levelIndex(table, level);
  const finest = table.levels.length - 1;
  const ancestors = new Int32Array(table.unitTotals.length);
  for (let u = 0; u < ancestors.length; u++) ancestors[u] = u;
  for (let j = finest; j > k; j--) {
    const parent = table.levels[j]!.parent;
    for (let u = 0; u < ancestors.length; u++) ancestors[u] = parent[ancestors[u]!]!;
  }
  return ancestors;
}

/** Labels of a finest unit at every level, outermost first. */
export function unitPath(table: ContingencyTable, unit: number): string[] {
  const path: string[] = [];
  let id = unit;
  for (let k = table.levels.length - 1; k >= 0; k--) {
    const level = table.levels[k]!;
    path.push(level.labels[id]!);
    id = level.parent[id] ?? -1;
  }
  return path.reverse();
}

/**
 * The table aggregated at `level`: its units are that level's units, the finer levels are
 * dropped. Mutual information at level k is `mutualInformation(contingencyTableAtLevel(t, k))`.
 */
export function contingencyTableAtLevel(table: ContingencyTable, level: number | string): ContingencyTable {
  const k = levelIndex(table, level);
  if (k === table.levels.length - 1) return table;
  const ancestors = unitAncestors(table, k);
  const cellUnit = new Int32Array(table.cellGroup.length);
  for (let u = 0; u < ancestors.length; u++) {
    cellUnit.fill(ancestors[u]!, table.cellStart[u]!, table.cellStart[u + 1]!);
  }
  const levels = table.levels.slice(0, k + 1);
  return assembleTable(
    levels.map((l) => l.name),
    levels.map((l) => l.labels),
    levels.map((l) => l.parent),
    table.groups,
    cellUnit,
    table.cellGroup,
    table.cellCount,
  );
}

/**
 * The table restricted to some groups, in the order given (e.g. black and white pupils only, for
 * R's two-group `dissimilarity`). Units left empty are dropped.
 */
export function contingencyTableOfGroups(
  table: ContingencyTable,
  groups: readonly string[],
): ContingencyTable {
  const newIndex = new Int32Array(table.groups.length).fill(-1);
  groups.forEach((label, i) => {
    newIndex[groupIndex(table, label)] = i;
  });
  const kept: number[] = [];
  for (let c = 0; c < table.cellGroup.length; c++) if (newIndex[table.cellGroup[c]!]! >= 0) kept.push(c);
  const cellUnit = new Int32Array(kept.length);
  const cellGroup = new Int32Array(kept.length);
  const cellCount = new Float64Array(kept.length);
  const owner = cellOwners(table);
  kept.forEach((c, i) => {
    cellUnit[i] = owner[c]!;
    cellGroup[i] = newIndex[table.cellGroup[c]!]!;
    cellCount[i] = table.cellCount[c]!;
  });
  return assembleTable(
    table.levels.map((l) => l.name),
    table.levels.map((l) => l.labels),
    table.levels.map((l) => l.parent),
    groups,
    cellUnit,
    cellGroup,
    cellCount,
  );
}

/**
 * The table with units and groups swapped (one level: the finest units become the groups). R's
 * `mutual_total(school, race)` and `mutual_local(school, race)` read the transposed table: M is
 * symmetric, H then divides by the entropy of the former units.
 */
export function contingencyTableTranspose(table: ContingencyTable, levelName = 'group'): ContingencyTable {
  const finest = table.levels[table.levels.length - 1]!;
  return assembleTable(
    [levelName],
    [table.groups],
    [new Int32Array(0)],
    finest.labels,
    table.cellGroup,
    cellOwners(table),
    table.cellCount,
  );
}

/** For each cell, its finest unit. */
export function cellOwners(table: ContingencyTable): Int32Array {
  const owner = new Int32Array(table.cellGroup.length);
  for (let u = 0; u + 1 < table.cellStart.length; u++)
    owner.fill(u, table.cellStart[u]!, table.cellStart[u + 1]!);
  return owner;
}

/**
 * Sorts cells by finest unit (counting sort), merges repeated (unit, group) cells, drops zero
 * cells, then groups and units whose total is zero (renumbering), and checks the invariants.
 */
function assembleTable(
  levelNames: readonly string[],
  levelLabels: readonly (readonly string[])[],
  levelParents: readonly Int32Array[],
  groupLabels: readonly string[],
  cellUnit: Int32Array,
  cellGroup: Int32Array,
  cellCount: Float64Array,
): ContingencyTable {
  const depth = levelNames.length;
  const unitCount = levelLabels[depth - 1]!.length;
  const groupCount = groupLabels.length;
  const cells = cellCount.length;

  // Counting sort by unit, skipped when the cells already come by unit (a file sorted by unit).
  const start = new Int32Array(unitCount + 1);
  let sorted = true;
  let previousUnit = -1;
  for (let c = 0; c < cells; c++) {
    if (cellCount[c]! > 0) {
      const u = cellUnit[c]!;
      start[u + 1]!++;
      if (u < previousUnit) sorted = false;
      previousUnit = u;
    }
  }
  for (let u = 0; u < unitCount; u++) start[u + 1]! += start[u]!;
  const sortedGroup = new Int32Array(start[unitCount]!);
  const sortedCount = new Float64Array(start[unitCount]!);
  if (sorted) {
    let at = 0;
    for (let c = 0; c < cells; c++) {
      const n = cellCount[c]!;
      if (n > 0) {
        sortedGroup[at] = cellGroup[c]!;
        sortedCount[at] = n;
        at++;
      }
    }
  } else {
    const cursor = start.slice(0, unitCount);
    for (let c = 0; c < cells; c++) {
      const n = cellCount[c]!;
      if (n > 0) {
        const at = cursor[cellUnit[c]!]!++;
        sortedGroup[at] = cellGroup[c]!;
        sortedCount[at] = n;
      }
    }
  }

  // Within each unit, order the cells by group and sum repeated groups: an insertion sort for the
  // usual few cells, a dense scratch row beyond 16.
  const scratch = new Float64Array(groupCount);
  const seenBy = new Int32Array(groupCount).fill(-1);
  const touched = new Int32Array(groupCount);
  const groupTotals = new Float64Array(groupCount);
  const unitTotals = new Float64Array(unitCount);
  let write = 0;
  for (let u = 0; u < unitCount; u++) {
    const from = start[u]!;
    const to = start[u + 1]!;
    start[u] = write;
    let unitTotal = 0;
    if (to - from <= 16) {
      for (let i = from + 1; i < to; i++) {
        const g = sortedGroup[i]!;
        const n = sortedCount[i]!;
        let j = i - 1;
        while (j >= from && sortedGroup[j]! > g) {
          sortedGroup[j + 1] = sortedGroup[j]!;
          sortedCount[j + 1] = sortedCount[j]!;
          j--;
        }
        sortedGroup[j + 1] = g;
        sortedCount[j + 1] = n;
      }
      for (let i = from; i < to; i++) {
        const g = sortedGroup[i]!;
        const n = sortedCount[i]!;
        if (write > start[u]! && sortedGroup[write - 1] === g) sortedCount[write - 1]! += n;
        else {
          sortedGroup[write] = g;
          sortedCount[write] = n;
          write++;
        }
        unitTotal += n;
        groupTotals[g]! += n;
      }
    } else {
      let touchedLength = 0;
      for (let i = from; i < to; i++) {
        const g = sortedGroup[i]!;
        if (seenBy[g] !== u) {
          seenBy[g] = u;
          scratch[g] = 0;
          touched[touchedLength++] = g;
        }
        scratch[g]! += sortedCount[i]!;
      }
      sortSmall(touched, touchedLength);
      for (let i = 0; i < touchedLength; i++) {
        const g = touched[i]!;
        const n = scratch[g]!;
        sortedGroup[write] = g;
        sortedCount[write] = n;
        write++;
        unitTotal += n;
        groupTotals[g]! += n;
      }
    }
    unitTotals[u] = unitTotal;
  }
  start[unitCount] = write;
  let total = 0;
  for (let g = 0; g < groupCount; g++) total += groupTotals[g]!;

  if (!(total > 0)) {
    throw new SegregationInputError('empty-table', 'table vide : aucun effectif positif');
  }
  const positiveGroups = groupLabels.filter((_, g) => groupTotals[g]! > 0);
  if (positiveGroups.length < 2) {
    throw new SegregationInputError(
      'single-group',
      `il faut au moins deux groupes d’effectif positif (trouvé : ${positiveGroups.map((g) => `« ${g} »`).join(', ') || 'aucun'})`,
    );
  }

  const table: ContingencyTable = {
    groups: [...groupLabels],
    levels: levelNames.map((name, k) => ({ name, labels: levelLabels[k]!, parent: levelParents[k]! })),
    cellStart: start,
    cellGroup: sortedGroup.subarray(0, write),
    cellCount: sortedCount.subarray(0, write),
    unitTotals,
    groupTotals,
    total,
  };
  const hasEmptyUnit = unitTotals.some((t) => !(t > 0));
  return positiveGroups.length < groupCount || hasEmptyUnit || hasEmptyParent(table)
    ? dropEmpty(table)
    : table;
}

function hasEmptyParent(table: ContingencyTable): boolean {
  for (let k = table.levels.length - 1; k > 0; k--) {
    const used = new Uint8Array(table.levels[k - 1]!.labels.length);
    const parent = table.levels[k]!.parent;
    for (let i = 0; i < parent.length; i++) used[parent[i]!] = 1;
    if (used.includes(0)) return true;
  }
  return false;
}

/** Renumbers a table without its zero-total groups and units (at every level). */
function dropEmpty(table: ContingencyTable): ContingencyTable {
  const groupMap = new Int32Array(table.groups.length).fill(-1);
  const groups: string[] = [];
  table.groups.forEach((label, g) => {
    if (table.groupTotals[g]! > 0) {
      groupMap[g] = groups.length;
      groups.push(label);
    }
  });
  const depth = table.levels.length;
  // Units kept at each level: finest units with a positive total, then their ancestors.
  const keep = table.levels.map((l) => new Uint8Array(l.labels.length));
  table.unitTotals.forEach((t, u) => {
    if (t > 0) keep[depth - 1]![u] = 1;
  });
  for (let k = depth - 1; k > 0; k--) {
    const parent = table.levels[k]!.parent;
    keep[k]!.forEach((kept, i) => {
      if (kept) keep[k - 1]![parent[i]!] = 1;
    });
  }
  const maps = keep.map((flags) => {
    const map = new Int32Array(flags.length).fill(-1);
    let next = 0;
    flags.forEach((kept, i) => {
      if (kept) map[i] = next++;
    });
    return map;
  });
  const levels: UnitLevel[] = table.levels.map((level, k) => {
    const labels: string[] = [];
    const parent: number[] = [];
    level.labels.forEach((label, i) => {
      if (!keep[k]![i]) return;
      labels.push(label);
      if (k > 0) parent.push(maps[k - 1]![level.parent[i]!]!);
    });
    return { name: level.name, labels, parent: Int32Array.from(parent) };
  });
  const unitMap = maps[depth - 1]!;
  const unitCount = levels[depth - 1]!.labels.length;
  const cellStart = new Int32Array(unitCount + 1);
  const unitTotals = new Float64Array(unitCount);
  const cellGroup = new Int32Array(table.cellGroup.length);
  let at = 0;
  for (let u = 0; u < table.unitTotals.length; u++) {
    const v = unitMap[u]!;
    if (v < 0) continue;
    cellStart[v] = at;
    unitTotals[v] = table.unitTotals[u]!;
    for (let c = table.cellStart[u]!; c < table.cellStart[u + 1]!; c++)
      cellGroup[at++] = groupMap[table.cellGroup[c]!]!;
  }
  cellStart[unitCount] = at;
  return {
    groups,
    levels,
    cellStart,
    cellGroup,
    cellCount: table.cellCount,
    unitTotals,
    groupTotals: table.groupTotals.filter((t) => t > 0),
    total: table.total,
  };
}

/** Insertion sort of the first `length` entries (rows hold few groups); native sort beyond 32. */
function sortSmall(values: Int32Array, length: number): void {
  if (length > 32) {
    values.subarray(0, length).sort();
    return;
  }
  for (let i = 1; i < length; i++) {
    const v = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > v) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = v;
  }
}

class GrowableInt32 {
  private data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  at(i: number): number {
    return this.data[i]!;
  }
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

class GrowableFloat64 {
  private data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}
