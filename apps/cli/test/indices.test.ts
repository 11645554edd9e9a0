import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../packages/domain/src/shared/csv.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'apps/cli/bin/mosaique.js');
const fixtures = join(root, 'packages/domain/test/fixtures/segregation');
const schools00 = join(fixtures, 'schools00.csv');
const dir = mkdtempSync(join(tmpdir(), 'mosaique-indices-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real command (`node apps/cli/bin/mosaique.js indices …`) as a child process. */
function indices(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, 'indices', ...args],
      { cwd: root, maxBuffer: 1 << 26 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function expectRelative(actual: number, expected: number): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(1e-9);
}

describe('mosaique indices on schools00', () => {
  it('prints one JSON object with the reference values and writes the local scores', async () => {
    const local = join(dir, 'local.csv');
    const run = await indices(
      schools00,
      '--group',
      'race',
      '--units',
      'state,district,school',
      '--pair',
      'black,white',
      '--within',
      'state',
      '--bootstrap',
      '20',
      '--seed',
      '7',
      '--local',
      local,
      '--json',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    // Reference values: packages/domain/test/fixtures/segregation/schools00.expected.txt (R
    // `segregation`) and README.md (MultiDissim, PySAL).
    expectRelative(result.M, 0.42553897587642);
    expectRelative(result.H, 0.418808314641945);
    expectRelative(result.entropy, 1.01607098283192);
    expectRelative(result.MultiDissim, 0.619699898863552);
    expectRelative(result.D, 0.728387884871103);
    const isolation: Record<string, number> = {
      asian: 0.0560886193840592,
      black: 0.6119595745214216,
      hisp: 0.4426203359199896,
      white: 0.7943007035654296,
      native: 0.089194461759781,
    };
    expect(Object.keys(result.isolation).sort()).toEqual(Object.keys(isolation).sort());
    for (const [race, value] of Object.entries(isolation)) expectRelative(result.isolation[race], value);
    expect(result.nested.map((t: { level: string }) => t.level)).toEqual(['state', 'district', 'school']);
    const nested = [
      [0.0992437012829429, 0.0976739843572132],
      [0.2387087955059103, 0.2349331882705664],
      [0.0875864790875664, 0.086201142014165],
    ];
    result.nested.forEach((term: { M: number; H: number }, k: number) => {
      expectRelative(term.M, nested[k]![0]!);
      expectRelative(term.H, nested[k]![1]!);
    });
    expectRelative(
      result.nested.reduce((s: number, t: { M: number }) => s + t.M, 0),
      result.M,
    );
    expect(result.within.level).toBe('state');
    expectRelative(result.within.M, 0.326295274593477);
    expectRelative(result.within.H, 0.321134330284731);
    for (const stat of ['M', 'H']) {
      const b = result.bootstrap[stat];
      expect(b.ci[0]).toBeLessThanOrEqual(b.est);
      expect(b.est).toBeLessThanOrEqual(b.ci[1]);
      expect(b.se).toBeGreaterThan(0);
    }
    expect(result.bootstrap.iterations).toBe(20);
    expect(result.rows).toBe(8142);
    expect(result.total).toBe(877739);

    // --local: one row per school, against schools00.local-by-school.expected.csv
    const [header, ...rows] = parseCsv(readFileSync(local, 'utf8')).map((r) => r.fields);
    expect(header).toEqual(['state', 'district', 'school', 'ls', 'p']);
    const expected = new Map(
      parseCsv(readFileSync(join(fixtures, 'schools00.local-by-school.expected.csv'), 'utf8'))
        .slice(1)
        .map((r) => [r.fields[0]!, [Number(r.fields[1]), Number(r.fields[2])]] as const),
    );
    expect(rows).toHaveLength(2045);
    for (const [state, district, school, ls, p] of rows) {
      expect(school!.startsWith(district!)).toBe(true);
      expect(district!.startsWith(state!)).toBe(true);
      expectRelative(Number(ls), expected.get(school!)![0]!);
      expectRelative(Number(p), expected.get(school!)![1]!);
    }
  });

  it('prints a French summary without --json', async () => {
    const run = await indices(
      schools00,
      '--group',
      'race',
      '--units',
      'state,district,school',
      '--pair',
      'black,white',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/877\s739 personnes/); // fr-FR groups digits with a narrow no-break space
    expect(run.stdout).toContain('Information mutuelle M : 0,4255');
    expect(run.stdout).toContain('H de Theil (M / entropie des groupes) : 0,4188');
    expect(run.stdout).toContain('Dissimilarité D entre « black » et « white » : 0,7284');
    expect(run.stdout).toContain('entre « district » au sein de « state » : M = 0,2387');
  });

  it('reads quoted fields and CRLF line ends through the RFC 4180 parser, with the same result', async () => {
    const lines = readFileSync(schools00, 'utf8').trimEnd().split('\n');
    const quoted = file(
      'quoted.csv',
      `${lines.map((line, i) => (i === 3 ? line.replace(/^A,/, '"A",') : line)).join('\r\n')}\r\n`,
    );
    const run = await indices(quoted, '--group', 'race', '--units', 'state,district,school', '--json');
    expect(run.code).toBe(0);
    expectRelative(JSON.parse(run.stdout).M, 0.42553897587642);
  });
});

describe('mosaique indices refuses bad input with a French message and a non-zero exit', () => {
  const good = 'commune,iris,groupe,n\nC1,I1,a,3\nC1,I1,b,1\nC2,I2,a,2\nC2,I2,b,5\n';

  async function refusal(args: string[], ...fragments: string[]): Promise<void> {
    const run = await indices(...args);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr.startsWith('Erreur : ')).toBe(true);
    for (const fragment of fragments) expect(run.stderr).toContain(fragment);
  }

  it.concurrent('names a missing column', async () => {
    const path = file('missing-column.csv', good);
    await refusal(
      [path, '--group', 'groupe', '--units', 'commune,iris', '--count', 'effectif'],
      path,
      'ligne 1',
      '« effectif »',
      'colonne absente',
    );
  });

  it.concurrent('names the line of a negative count', async () => {
    const path = file('negative.csv', 'commune,iris,groupe,n\nC1,I1,a,3\nC1,I1,b,-1\n');
    await refusal(
      [path, '--group', 'groupe', '--units', 'commune,iris'],
      path,
      'ligne 3',
      '« n »',
      'effectif négatif',
    );
  });

  it.concurrent('names the line of a count that is not a number', async () => {
    const path = file('not-a-number.csv', 'commune,iris,groupe,n\nC1,I1,a,3\nC1,I1,b,1\nC2,I2,a,douze\n');
    await refusal(
      [path, '--group', 'groupe', '--units', 'commune,iris'],
      path,
      'ligne 4',
      '« douze »',
      'effectif non numérique',
    );
  });

  it.concurrent('refuses an empty table', async () => {
    const path = file('empty.csv', 'commune,iris,groupe,n\n');
    await refusal([path, '--group', 'groupe', '--units', 'commune,iris'], path, 'table vide');
    const zeros = file('zeros.csv', 'commune,iris,groupe,n\nC1,I1,a,0\nC1,I1,b,0\n');
    await refusal([zeros, '--group', 'groupe', '--units', 'commune,iris'], zeros, 'table vide');
  });

  it.concurrent('refuses a table with fewer than two groups', async () => {
    const path = file('one-group.csv', 'commune,iris,groupe,n\nC1,I1,a,3\nC2,I2,a,2\n');
    await refusal(
      [path, '--group', 'groupe', '--units', 'commune,iris'],
      path,
      'au moins deux groupes',
      '« groupe »',
    );
  });

  it.concurrent('names the line of a unit nested in two parents', async () => {
    const path = file('two-parents.csv', `${good}C2,I1,a,1\n`);
    await refusal(
      [path, '--group', 'groupe', '--units', 'commune,iris'],
      path,
      'ligne 6',
      'l’unité « I1 » (iris) est rattachée à deux unités commune différentes : « C1 » et « C2 »',
    );
  });

  it.concurrent('refuses an unknown group in --pair', async () => {
    const path = file('pair.csv', good);
    await refusal(
      [path, '--group', 'groupe', '--units', 'commune,iris', '--pair', 'a,martien'],
      '--pair : groupe « martien » absent de la colonne « groupe »',
      path,
    );
  });

  it.concurrent('refuses a missing file and a line with too few fields', async () => {
    await refusal(
      [join(dir, 'nowhere.csv'), '--group', 'groupe', '--units', 'commune,iris'],
      'nowhere.csv',
      'introuvable',
    );
    const path = file('short.csv', 'commune,iris,groupe,n\nC1,I1,a\n');
    await refusal([path, '--group', 'groupe', '--units', 'commune,iris'], path, 'ligne 2', '3 champ(s)');
  });
});
