import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_TERRITORY_DIR, openDb } from '@mosaique/db';
import { firstQuartileThreshold } from '@mosaique/domain/demand';
import { validateDemandRows } from '@mosaique/domain/demand/import';
import { parseCsv } from '@mosaique/domain/shared/csv.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const EPCI = '200040715';
const HEADER =
  'sne_number,registered_on,epci,applicant_birth_date,persons_14_or_more,persons_under_14,monthly_resources_eur,reference_tax_income_eur,desired_communes,desired_typologies,priority_criteria,dalo,urban_renewal_relocation,current_social_tenant,status,closed_on';

/** A valid row; demands 1 to 30, some closed in 2023 (not active on 31 December). */
function row(i: number, resources = 500 + 97 * ((i * 7) % 30)): string {
  const closed = i % 10 === 0;
  return [
    `0382301${String(i).padStart(7, '0')}`,
    `2023-${String(1 + (i % 12)).padStart(2, '0')}-10`,
    EPCI,
    '1979-03-15',
    1 + (i % 2),
    i % 3,
    resources,
    12 * resources,
    i % 2 ? '38185|38151' : '38185',
    i % 2 ? 'T2|T3' : 'T3',
    i % 4 ? '' : 'homeless',
    i % 8 === 0,
    false,
    false,
    closed ? 'housed' : 'active',
    closed ? '2023-12-20' : '',
  ].join(',');
}
const GOOD = `${[HEADER, ...Array.from({ length: 30 }, (_, i) => row(i + 1))].join('\n')}\n`;

let tmp: string;
let env: Record<string, string>;
const file = (name: string, content: string) => {
  const p = path.join(tmp, name);
  writeFileSync(p, content);
  return p;
};

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'mosaique-cli-demands-'));
  env = { MOSAIQUE_DATA_DIR: path.join(tmp, 'db') };
  const territory = await runCli(['territory', 'import', DEMO_TERRITORY_DIR], env);
  expect(territory.code).toBe(0);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function demandRows(): Promise<Record<string, unknown>[]> {
  const db = await openDb({ dataDir: env.MOSAIQUE_DATA_DIR });
  try {
    return await db.query('SELECT * FROM demand ORDER BY sne_number');
  } finally {
    await db.close();
  }
}

describe('mosaique demands import', () => {
  it('imports a good file, and a second import changes nothing', async () => {
    const good = file('demandes.csv', GOOD);
    const first = await runCli(['demands', 'import', good, '--epci', EPCI], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/30 créée\(s\), 0 modifiée\(s\), 0 inchangée\(s\)/);
    const second = await runCli(['demands', 'import', good], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/0 créée\(s\), 0 modifiée\(s\), 30 inchangée\(s\)/);
    const rows = await demandRows();
    expect(rows).toHaveLength(30);
    expect(rows.every((r) => r.generated === false && r.epci_code === EPCI)).toBe(true);
  });

  it('refuses a file with bad rows, names every one of them, and leaves the database unchanged', async () => {
    const before = await demandRows();
    const lines = GOOD.split('\n');
    lines[3] = row(3, 99_999); // a changed row that must not be written
    lines[5] = lines[5]!.replace(/,2023-\d\d-10,/, ',2031-02-01,');
    lines[8] = lines[8]!.replace(',38185,', ',38185|99999,');
    lines[12] = lines[1]!; // duplicate SNE number
    const bad = file('mauvaises.csv', lines.join('\n'));
    const result = await runCli(['demands', 'import', bad], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Import refusé, 3 erreur(s) ; rien n'a été modifié.");
    expect(result.stderr).toContain(
      'mauvaises.csv, ligne 6, champ « registered_on » : date dans le futur (valeur « 2031-02-01 »)',
    );
    expect(result.stderr).toContain(
      'mauvaises.csv, ligne 9, champ « desired_communes » : commune inconnue (valeur « 99999 »)',
    );
    expect(result.stderr).toContain(
      'mauvaises.csv, ligne 13, champ « sne_number » : numéro SNE en double dans le fichier (déjà ligne 2)',
    );
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(await demandRows()).toEqual(before);
  });

  it('with --skip-invalid, imports the good rows and writes the bad ones with their reasons', async () => {
    const lines = GOOD.split('\n');
    lines[2] = lines[2]!.replace(',T3,', ',T3|T8,');
    lines[4] = lines[4]!.replace(/,1979-03-15,\d,/, ',1979-03-15,0,');
    lines.push(row(31), `0382301${'9'.padStart(7, '0')}9,2023-01-01`);
    const mixed = file('melange.csv', `${lines.filter((l) => l !== '').join('\n')}\n`);
    const rejects = path.join(tmp, 'rejets.csv');
    const result = await runCli(['demands', 'import', mixed, '--skip-invalid', rejects], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /1 créée\(s\), 0 modifiée\(s\), 28 inchangée\(s\), 3 ligne\(s\) rejetée\(s\)/,
    );
    expect(result.stderr).toContain('3 ligne(s) rejetée(s) sur 32');
    const written = parseCsv(readFileSync(rejects, 'utf8')).map((r) => r.fields);
    expect(written[0]).toEqual([...HEADER.split(','), 'line', 'rejection_reasons']);
    expect(written.slice(1).map((f) => [f.at(-2), f.at(-1)])).toEqual([
      ['3', 'desired_typologies : typologie attendue : T1 à T6 (valeur « T8 »)'],
      ['5', 'persons_14_or_more : au moins une personne de 14 ans ou plus (valeur « 0 »)'],
      ['33', "2 champ(s) au lieu de 16 (colonnes de l'en-tête)"],
    ]);
    expect(written[1]![0]).toBe('03823010000002');
    expect(await demandRows()).toHaveLength(31);
  });

  it('says when the file or the EPCI does not exist', async () => {
    const missing = await runCli(['demands', 'import', path.join(tmp, 'absent.csv')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/fichier introuvable/);
    const epci = await runCli(['demands', 'import', file('d.csv', GOOD), '--epci', '123456789'], env);
    expect(epci.code).toBe(1);
    expect(epci.stderr).toMatch(/l’EPCI 123456789 n’est pas dans la base/);
  });
});

describe('mosaique demands quartile', () => {
  const expected = () => {
    const rows = readFileSync(path.join(tmp, 'melange.csv'), 'utf8');
    const { demands } = validateDemandRows(parseCsv(rows), {
      file: 'x',
      knownEpcis: new Set([EPCI]),
      knownCommunes: new Map([
        ['38185', EPCI],
        ['38151', EPCI],
      ]),
      today: '2100-01-01',
    });
    // The imported demands: the 28 valid rows of melange.csv, plus rows 2 and 4 of demandes.csv.
    const first = validateDemandRows(parseCsv(GOOD), {
      file: 'x',
      knownEpcis: new Set([EPCI]),
      knownCommunes: new Map([
        ['38185', EPCI],
        ['38151', EPCI],
      ]),
      today: '2100-01-01',
    }).demands;
    const all = new Map([...first, ...demands].map((d) => [d.sneNumber, d]));
    expect(all.size).toBe(31);
    return firstQuartileThreshold([...all.values()], EPCI, 2024);
  };

  it('prints the threshold computed from the imported demands', async () => {
    const result = await runCli(['demands', 'quartile', '--epci', EPCI, '--year', '2024', '--json'], env);
    expect(result.stderr).toBe('');
    const { computed, demands } = expected();
    expect(demands).toBe(28); // 31 demands, 3 closed before 31 December 2023
    expect(JSON.parse(result.stdout)).toEqual({
      epci: EPCI,
      year: 2024,
      computed,
      official: null,
      used: computed,
      demands,
    });
  });

  it('records the official value, then uses it; « none » removes it', async () => {
    const { computed, demands } = expected();
    const recorded = await runCli(
      ['demands', 'quartile', '--epci', EPCI, '--year', '2024', '--official', '9243'],
      env,
    );
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toMatch(/Seuil officiel enregistré : 9\s243 €/);
    const used = await runCli(['demands', 'quartile', '--epci', EPCI, '--year', '2024', '--json'], env);
    expect(JSON.parse(used.stdout)).toEqual({
      epci: EPCI,
      year: 2024,
      computed,
      official: 9243,
      used: 9243,
      demands,
    });
    const removed = await runCli(
      ['demands', 'quartile', '--epci', EPCI, '--year', '2024', '--official', 'none', '--json'],
      env,
    );
    expect(JSON.parse(removed.stdout)).toMatchObject({ official: null, used: computed });
  });

  it('refuses an invalid official value', async () => {
    const result = await runCli(
      ['demands', 'quartile', '--epci', EPCI, '--year', '2024', '--official', '0'],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--official : montant en euros/);
  });
});
