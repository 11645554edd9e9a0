import { describe, expect, it } from 'vitest';
import {
  ContingencyTableBuilder,
  contingencyTableAtLevel,
  contingencyTableFromIds,
  contingencyTableFromRows,
  contingencyTableOfGroups,
  mutualInformation,
  SegregationInputError,
  unitAncestors,
  unitPath,
} from '../../src/observatory/index.ts';

const rows = [
  { units: ['EPCI1', 'C1', 'I1'], group: 'a', n: 3 },
  { units: ['EPCI1', 'C1', 'I1'], group: 'b', n: 1 },
  { units: ['EPCI1', 'C2', 'I2'], group: 'b', n: 4 },
  { units: ['EPCI2', 'C3', 'I3'], group: 'a', n: 2 },
  { units: ['EPCI1', 'C1', 'I1'], group: 'a', n: 2 },
  { units: ['EPCI2', 'C3', 'I4'], group: 'c', n: 0 },
];

function errorOf(f: () => unknown): SegregationInputError {
  try {
    f();
  } catch (error) {
    if (error instanceof SegregationInputError) return error;
    throw error;
  }
  throw new Error('no error thrown');
}

describe('contingency table', () => {
  it('sums repeated cells, drops zero rows with their empty unit and group, and keeps the nesting', () => {
    const table = contingencyTableFromRows(['epci', 'commune', 'iris'], rows);
    expect(table.groups).toEqual(['a', 'b']);
    expect(table.levels.map((l) => l.labels)).toEqual([
      ['EPCI1', 'EPCI2'],
      ['C1', 'C2', 'C3'],
      ['I1', 'I2', 'I3'],
    ]);
    expect([...table.cellStart]).toEqual([0, 2, 3, 4]);
    expect([...table.cellGroup]).toEqual([0, 1, 1, 0]);
    expect([...table.cellCount]).toEqual([5, 1, 4, 2]);
    expect([...table.unitTotals]).toEqual([6, 4, 2]);
    expect([...table.groupTotals]).toEqual([7, 5]);
    expect(table.total).toBe(12);
    expect([...unitAncestors(table, 'epci')]).toEqual([0, 0, 1]);
    expect(unitPath(table, 2)).toEqual(['EPCI2', 'C3', 'I3']);
  });

  it('aggregates at a coarser level and restricts to some groups', () => {
    const table = contingencyTableFromRows(['epci', 'commune', 'iris'], rows);
    const epci = contingencyTableAtLevel(table, 0);
    expect(epci.levels.map((l) => l.name)).toEqual(['epci']);
    expect([...epci.cellCount]).toEqual([5, 5, 2]);
    const onlyB = () => contingencyTableOfGroups(table, ['b']);
    expect(errorOf(onlyB).code).toBe('single-group');
  });

  it('builds the same table from ids as from labels, and checks the ids', () => {
    const levels = [
      { name: 'epci', labels: ['EPCI1', 'EPCI2'], parent: new Int32Array(0) },
      { name: 'commune', labels: ['C1', 'C2', 'C3'], parent: Int32Array.of(0, 0, 1) },
      { name: 'iris', labels: ['I1', 'I2', 'I3'], parent: Int32Array.of(0, 1, 2) },
    ];
    const table = contingencyTableFromIds({
      levels,
      groups: ['a', 'b'],
      cellUnit: Int32Array.of(2, 0, 0, 1, 0),
      cellGroup: Int32Array.of(0, 1, 0, 1, 0),
      cellCount: Float64Array.of(2, 1, 3, 4, 2),
    });
    const fromRows = contingencyTableFromRows(['epci', 'commune', 'iris'], rows);
    expect([...table.cellStart]).toEqual([...fromRows.cellStart]);
    expect([...table.cellGroup]).toEqual([...fromRows.cellGroup]);
    expect([...table.cellCount]).toEqual([...fromRows.cellCount]);
    const bad = (parent: Int32Array) =>
      errorOf(() =>
        contingencyTableFromIds({
          levels: [levels[0]!, { ...levels[1]!, parent }],
          groups: ['a', 'b'],
          cellUnit: Int32Array.of(0, 1),
          cellGroup: Int32Array.of(0, 1),
          cellCount: Float64Array.of(1, 1),
        }),
      );
    expect(bad(Int32Array.of(0, 0, 2)).code).toBe('invalid-units');
    expect(bad(Int32Array.of(0, 0)).code).toBe('invalid-units');
  });

  it('rejects an empty table', () => {
    const error = errorOf(() => contingencyTableFromRows(['iris'], []));
    expect(error.code).toBe('empty-table');
    expect(error.message).toMatch(/table vide/);
    expect(
      errorOf(() => contingencyTableFromRows(['iris'], [{ units: ['I1'], group: 'a', n: 0 }])).code,
    ).toBe('empty-table');
  });

  it('rejects a table with fewer than two groups', () => {
    const error = errorOf(() =>
      contingencyTableFromRows(
        ['iris'],
        [
          { units: ['I1'], group: 'a', n: 3 },
          { units: ['I2'], group: 'a', n: 1 },
          { units: ['I2'], group: 'b', n: 0 },
        ],
      ),
    );
    expect(error.code).toBe('single-group');
    expect(error.message).toBe('il faut au moins deux groupes d’effectif positif (trouvé : « a »)');
  });

  it('rejects a negative or non-finite count', () => {
    const builder = new ContingencyTableBuilder(['iris']);
    for (const n of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = errorOf(() => builder.addCell(['I1'], 'a', n));
      expect(error.code).toBe('invalid-count');
      expect(error.message).toMatch(/effectif invalide/);
    }
  });

  it('rejects a unit nested in two different parents, naming both', () => {
    const builder = new ContingencyTableBuilder(['commune', 'iris']);
    builder.addCell(['C1', 'I1'], 'a', 1);
    builder.addCell(['C2', 'I2'], 'a', 1);
    const error = errorOf(() => builder.addCell(['C2', 'I1'], 'b', 1));
    expect(error.code).toBe('conflicting-parent');
    expect(error.message).toBe(
      'l’unité « I1 » (iris) est rattachée à deux unités commune différentes : « C1 » et « C2 »',
    );
  });

  it('rejects a row with the wrong number of unit levels, and an unknown level', () => {
    const builder = new ContingencyTableBuilder(['commune', 'iris']);
    expect(errorOf(() => builder.addCell(['C1'], 'a', 1)).code).toBe('invalid-units');
    const table = contingencyTableFromRows(['epci', 'commune', 'iris'], rows);
    expect(errorOf(() => mutualInformation(table, { level: 'region' })).code).toBe('unknown-level');
    expect(errorOf(() => mutualInformation(table, { base: 1 })).code).toBe('invalid-option');
  });
});
