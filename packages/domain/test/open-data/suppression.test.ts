import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AdditiveSystem,
  AdditiveSystemError,
  type CountTableInput,
  determinedCells,
  type PublishedTable,
  publishTables,
  SECRECY_THRESHOLD,
  suppressCells,
} from '../../src/open-data/index.ts';

/**
 * Independent oracle: the secret cells that the published cells and the table's additive relations
 * pin to one value, by exact rational Gaussian elimination (BigInt fractions), written apart from
 * the implementation's floating-point audit.
 */
function pinnedCells(system: AdditiveSystem, secret: readonly boolean[]): Set<number> {
  const unknowns = secret.flatMap((s, i) => (s ? [i] : []));
  const col = new Map(unknowns.map((c, k) => [c, k]));
  type Q = [bigint, bigint];
  const norm = ([n, d]: Q): Q => {
    if (n === 0n) return [0n, 1n];
    const g = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : g(b, a % b));
    const k = g(n, d) * (d < 0n ? -1n : 1n);
    return [n / k, d / k];
  };
  const sub = (a: Q, b: Q): Q => norm([a[0] * b[1] - b[0] * a[1], a[1] * b[1]]);
  const mul = (a: Q, b: Q): Q => norm([a[0] * b[0], a[1] * b[1]]);
  const div = (a: Q, b: Q): Q => norm([a[0] * b[1], a[1] * b[0]]);
  const m: Q[][] = system.relations.map((r) => {
    const line: Q[] = unknowns.map(() => [0n, 1n]);
    if (secret[r.total]) line[col.get(r.total)!] = [-1n, 1n];
    for (const p of r.parts) if (secret[p]) line[col.get(p)!] = [line[col.get(p)!]![0] + 1n, 1n];
    return line;
  });
  const pivots: number[] = [];
  let rank = 0;
  for (let c = 0; c < unknowns.length; c++) {
    const r = m.findIndex((line, i) => i >= rank && line[c]![0] !== 0n);
    if (r < 0) continue;
    [m[rank], m[r]] = [m[r]!, m[rank]!];
    const p = m[rank]![c]!;
    m[rank] = m[rank]!.map((x) => div(x, p));
    for (let i = 0; i < m.length; i++) {
      if (i === rank || m[i]![c]![0] === 0n) continue;
      const f = m[i]![c]!;
      m[i] = m[i]!.map((x, k) => sub(x, mul(f, m[rank]![k]!)));
    }
    pivots.push(c);
    rank++;
  }
  const pinned = new Set<number>();
  pivots.forEach((c, r) => {
    if (m[r]!.every((x, k) => k === c || x[0] === 0n)) pinned.add(unknowns[c]!);
  });
  return pinned;
}

/** Rebuilds the additive system of published tables (same cell order as the rows) for the oracle. */
function systemOf(input: CountTableInput, table: PublishedTable, truth: number[][]) {
  const width = input.columns.length;
  const values: number[] = [];
  const secret: boolean[] = [];
  const index = new Map<string, number[]>();
  table.rows.forEach((r, k) => {
    const cells = [...r.cells, r.total];
    index.set(
      k === 0 ? '∅whole' : r.code,
      cells.map((_, c) => values.length + c),
    );
    cells.forEach((cell, c) => {
      values.push(truth[k]![c]!);
      secret.push(cell.secret);
    });
  });
  const relations = [];
  for (const [code, cells] of index) {
    relations.push({ total: cells[width]!, parts: cells.slice(0, width) });
    const kids = table.rows.filter((r, k) => k > 0 && (r.parent ?? '∅whole') === code);
    if (kids.length === 0) continue;
    for (let c = 0; c <= width; c++)
      relations.push({ total: cells[c]!, parts: kids.map((kid) => index.get(kid.code)![c]!) });
  }
  return { system: { values, relations }, secret };
}

/** Random tables: 1–6 groups, communes with 1–4 IRIS, counts skewed toward small ones. */
const count = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 11, max: 60 }));
const hierarchical = fc
  .record({ width: fc.integer({ min: 1, max: 5 }), communes: fc.integer({ min: 1, max: 4 }) })
  .chain(({ width, communes }) =>
    fc.array(
      fc.array(fc.array(count, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 4 }),
      {
        minLength: communes,
        maxLength: communes,
      },
    ),
  )
  .map((communes): CountTableInput => {
    const width = communes[0]![0]!.length;
    return {
      id: 'test',
      title: 'test',
      whole: { level: 'epci', code: 'E', label: 'EPCI' },
      columns: Array.from({ length: width }, (_, c) => ({ code: `g${c}`, label: `groupe ${c}` })),
      units: communes.flatMap((iris, i) => [
        { level: 'commune', code: `C${i}`, label: `commune ${i}`, parent: null },
        ...iris.map((counts, j) => ({
          level: 'iris',
          code: `C${i}-${j}`,
          label: `IRIS ${j}`,
          parent: `C${i}`,
          counts,
        })),
      ]),
    };
  });
const flat = fc
  .record({ width: fc.integer({ min: 1, max: 6 }), rows: fc.integer({ min: 1, max: 8 }) })
  .chain(({ width, rows }) =>
    fc.array(fc.array(count, { minLength: width, maxLength: width }), { minLength: rows, maxLength: rows }),
  )
  .map(
    (rows): CountTableInput => ({
      id: 'flat',
      title: 'flat',
      whole: { level: 'epci', code: 'E', label: 'EPCI' },
      columns: rows[0]!.map((_, c) => ({ code: `g${c}`, label: `groupe ${c}` })),
      units: rows.map((counts, i) => ({
        level: 'bailleur',
        code: `L${i}`,
        label: `bailleur ${i}`,
        parent: null,
        counts,
      })),
    }),
  );

/** The true counts of every row of the published table (whole, parents, leaves), with the total last. */
function truthOf(input: CountTableInput, table: PublishedTable): number[][] {
  const leaf = new Map(input.units.filter((u) => u.counts).map((u) => [u.code, u.counts!]));
  const countsOf = (code: string | null): number[] => {
    const own = code === null ? undefined : leaf.get(code);
    if (own) return [...own];
    const kids = input.units.filter((u) => u.parent === code);
    return input.columns.map((_, c) => kids.reduce((s, k) => s + countsOf(k.code)[c]!, 0));
  };
  return table.rows.map((r, k) => {
    const counts = countsOf(k === 0 ? null : r.code);
    return [...counts, counts.reduce((s, x) => s + x, 0)];
  });
}

describe.each([
  ['flat tables (EPCI > landlords)', flat],
  ['nested tables (EPCI > communes > IRIS)', hierarchical],
])('statistical secrecy on %s', (_, tables) => {
  it('publishes no count from 1 to 10, every published count true, and no secret cell recoverable from the others', () => {
    fc.assert(
      fc.property(tables, (input) => {
        const [table] = publishTables([input]);
        const truth = truthOf(input, table!);
        table!.rows.forEach((r, k) => {
          [...r.cells, r.total].forEach((cell, c) => {
            if (cell.secret) expect(cell.value).toBeNull();
            else {
              expect(cell.value).toBe(truth[k]![c]);
              expect(cell.value === 0 || cell.value! >= SECRECY_THRESHOLD).toBe(true);
            }
          });
        });
        const { system, secret } = systemOf(input, table!, truth);
        // Within a row or a column: never exactly one secret cell; the hidden remainder of a line
        // whose total is published is 0 or at least 11.
        for (const r of system.relations) {
          const cells = [r.total, ...r.parts];
          expect(cells.filter((c) => secret[c]).length).not.toBe(1);
          if (!secret[r.total]) {
            const hidden = r.parts.filter((p) => secret[p]).reduce((s, p) => s + system.values[p]!, 0);
            expect(hidden === 0 || hidden >= SECRECY_THRESHOLD).toBe(true);
          }
        }
        // Zeros are never secret; across rows and columns together, no secret cell is pinned (exact oracle).
        secret.forEach((s, c) => {
          if (s) expect(system.values[c]).toBeGreaterThan(0);
        });
        expect([...pinnedCells(system, secret)]).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(tables, (input) => {
        expect(publishTables([input])).toEqual(publishTables([input]));
      }),
      { numRuns: 50 },
    );
  });
});

describe('statistical secrecy, worked examples', () => {
  const table = (rows: number[][]): CountTableInput => ({
    id: 't',
    title: 't',
    whole: { level: 'epci', code: 'E', label: 'EPCI' },
    columns: rows[0]!.map((_, c) => ({ code: `g${c}`, label: `g${c}` })),
    units: rows.map((counts, i) => ({ level: 'u', code: `U${i}`, label: `U${i}`, parent: null, counts })),
  });
  const view = (t: PublishedTable) => t.rows.map((r) => [...r.cells, r.total].map((c) => c.value ?? 's'));

  it('hides a small count with the smallest cells of its row and column that reach 11 households', () => {
    const [t] = publishTables([
      table([
        [3, 40, 25],
        [20, 30, 50],
        [15, 12, 60],
      ]),
    ]);
    // 3 is primary; in its row the smallest cell bringing the hidden part to ≥ 11 is 25, in its
    // column 15; then 60 closes the rectangle (row 3 and column 3 would otherwise hide one cell).
    expect(view(t!)).toEqual([
      [38, 82, 135, 255],
      ['s', 40, 's', 68],
      [20, 30, 50, 100],
      ['s', 12, 's', 87],
    ]);
    expect(t!.secretCells).toBe(4);
  });

  it('publishes zeros and whole tables without small counts unchanged', () => {
    const [t] = publishTables([
      table([
        [0, 40],
        [12, 0],
      ]),
    ]);
    expect(view(t!)).toEqual([
      [12, 40, 52],
      [0, 40, 40],
      [12, 0, 12],
    ]);
  });

  it('hides a total forced secret (secret in another publication) and what would give it back', () => {
    const rows = [
      [20, 30],
      [30, 40],
      [25, 20],
    ];
    const [free] = publishTables([table(rows)]);
    expect(free!.secretCells).toBe(0);
    const [forced] = publishTables(
      [table(rows)],
      SECRECY_THRESHOLD,
      [],
      [{ table: 't', level: 'u', code: 'U0' }],
    );
    // U0's total is hidden; its row then hides a cell (20), whose column hides another (25), whose
    // row hides its total: a cycle of secrets, none of which the published cells pin.
    expect(view(forced!)).toEqual([
      [75, 90, 165],
      ['s', 30, 's'],
      [30, 40, 70],
      ['s', 20, 's'],
    ]);
  });

  it('hides a whole unit under 11 households and what would give it back', () => {
    const [t] = publishTables([
      table([
        [2, 5],
        [30, 40],
        [25, 20],
      ]),
    ]);
    expect(view(t!)[1]).toEqual(['s', 's', 's']);
    expect(t!.rows.every((r) => r.cells.filter((c) => c.secret).length !== 1)).toBe(true);
  });

  it('refuses counts that do not add up or are not counts', () => {
    expect(() => suppressCells({ values: [1, 2, 4], relations: [{ total: 2, parts: [0, 1] }] })).toThrow(
      AdditiveSystemError,
    );
    expect(() => suppressCells({ values: [-1], relations: [] })).toThrow(/entier positif ou nul/);
  });

  it('finds a cell pinned across rows and columns that no single line gives away', () => {
    // Two rectangles of secret cells joined by one cell: every line holds two secrets, yet the
    // joining cell is the sum of rows 0–1 minus columns 0–1.
    const grid = [
      [1, 1, 1, 0],
      [1, 1, 0, 0],
      [0, 0, 1, 1],
      [0, 0, 1, 1],
    ];
    const values: number[] = grid.flat().map(() => 20);
    const relations = [
      ...grid.map((_, i) => ({ total: values.push(80) - 1, parts: [0, 1, 2, 3].map((j) => i * 4 + j) })),
      ...grid.map((_, j) => ({ total: values.push(80) - 1, parts: [0, 1, 2, 3].map((i) => i * 4 + j) })),
    ];
    const secret = values.map((_, k) => k < 16 && grid[Math.floor(k / 4)]![k % 4] === 1);
    expect(determinedCells({ values, relations }, secret)).toEqual([2]);
    expect([...pinnedCells({ values, relations }, secret)]).toEqual([2]);
  });
});

describe('statistical secrecy across tables', () => {
  it('hides a total published in two tables alike in both', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(count, count, count), { minLength: 2, maxLength: 6 }),
        fc.array(fc.nat(100), { minLength: 6, maxLength: 6 }),
        (rows, splits) => {
          // Same units and totals, split differently: [a, b, c] against [a + b, c].
          const unit = (i: number, counts: number[]) => ({
            level: 'u',
            code: `U${i}`,
            label: `U${i}`,
            parent: null,
            counts,
          });
          const whole = { level: 'epci', code: 'E', label: 'EPCI' };
          const first: CountTableInput = {
            id: 'a',
            title: 'a',
            whole,
            columns: ['x', 'y', 'z'].map((code) => ({ code, label: code })),
            units: rows.map((r, i) => unit(i, r)),
          };
          const second: CountTableInput = {
            id: 'b',
            title: 'b',
            whole,
            columns: ['xy', 'z'].map((code) => ({ code, label: code })),
            units: rows.map(([x, y, z], i) => {
              const total = x + y + z;
              const left = total === 0 ? 0 : splits[i]! % (total + 1);
              return unit(i, [left, total - left]);
            }),
          };
          const [a, b] = publishTables([first, second], SECRECY_THRESHOLD, [
            { tables: ['a', 'b'], levels: ['epci', 'u'] },
          ]);
          expect(a!.rows.map((r) => r.total)).toEqual(b!.rows.map((r) => r.total));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('statistical secrecy of differences between tables', () => {
  const whole = { level: 'epci', code: 'E', label: 'EPCI' };
  const columns = ['q1', 'q2'].map((code) => ({ code, label: code }));
  const table = (id: string, rows: number[][]): CountTableInput => ({
    id,
    title: id,
    whole,
    columns,
    units: rows.map((counts, i) => ({
      level: 'iris',
      code: `I${i}`,
      label: `IRIS ${i}`,
      parent: null,
      counts,
    })),
  });

  it('hides a cell of one table when its difference with the other would be a small count', () => {
    // IRIS 0, q1: 34 households of which 30 social occupants: 4 others, a small count.
    const tables = [
      table('all', [
        [34, 50],
        [60, 70],
      ]),
      table('social', [
        [30, 20],
        [40, 45],
      ]),
    ];
    const [all, social] = publishTables(
      tables,
      SECRECY_THRESHOLD,
      [],
      [],
      [{ whole: 'all', part: 'social' }],
    );
    const q1 = [all!.rows[1]!.cells[0]!, social!.rows[1]!.cells[0]!];
    expect(q1.some((c) => c.secret)).toBe(true);
    // Without the tie, both tables publish every cell (no count from 1 to 10 in either).
    const apart = publishTables(tables);
    expect(apart.every((t) => t.secretCells === 0)).toBe(true);
  });

  it('leaves no difference from 1 to 10 between two published cells, and refuses a part larger than its whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(count, count, fc.nat(60), fc.nat(60)), { minLength: 1, maxLength: 6 }),
        (rows) => {
          // all = social + others, cell by cell.
          const social = rows.map(([a, b]) => [a, b]);
          const all = rows.map(([a, b, x, y]) => [a + x, b + y]);
          const [pa, ps] = publishTables(
            [table('all', all), table('social', social)],
            SECRECY_THRESHOLD,
            [],
            [],
            [{ whole: 'all', part: 'social' }],
          );
          pa!.rows.forEach((row, r) => {
            [...row.cells, row.total].forEach((cell, c) => {
              const other = [...ps!.rows[r]!.cells, ps!.rows[r]!.total][c]!;
              if (cell.value === null || other.value === null) return;
              const difference = cell.value - other.value;
              expect(difference === 0 || difference >= SECRECY_THRESHOLD).toBe(true);
            });
          });
          for (const t of [pa!, ps!])
            for (const row of t.rows)
              for (const cell of [...row.cells, row.total])
                if (cell.value !== null)
                  expect(cell.value === 0 || cell.value >= SECRECY_THRESHOLD).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
    expect(() =>
      publishTables(
        [table('all', [[5, 5]]), table('social', [[6, 5]])],
        SECRECY_THRESHOLD,
        [],
        [],
        [{ whole: 'all', part: 'social' }],
      ),
    ).toThrow(/social : EPCI compte plus de ménages que dans all/);
  });
});
