import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_TERRITORY_DIR, openDb } from '@mosaique/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

let tmp: string;
let env: Record<string, string>;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'mosaique-cli-'));
  env = { MOSAIQUE_DATA_DIR: path.join(tmp, 'db') };
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function countRows(): Promise<Record<string, number>> {
  const db = await openDb({ dataDir: env.MOSAIQUE_DATA_DIR });
  try {
    const out: Record<string, number> = {};
    for (const t of ['commune', 'iris', 'qpv', 'school_year']) {
      const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`);
      out[t] = row!.n;
    }
    return out;
  } finally {
    await db.close();
  }
}

describe('mosaique territory import', () => {
  it('imports the demo folder, and a second run changes nothing', async () => {
    const first = await runCli(['territory', 'import', DEMO_TERRITORY_DIR], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/commune\s+49 créé\(s\)\s+0 modifié\(s\)\s+0 inchangé\(s\)/);
    const second = await runCli(['territory', 'import', DEMO_TERRITORY_DIR], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/iris\s+0 créé\(s\)\s+0 modifié\(s\)\s+201 inchangé\(s\)/);
    expect(await countRows()).toEqual({ commune: 49, iris: 201, qpv: 10, school_year: 532 });
  });

  it('refuses a malformed folder, names file, line, field and rule, and leaves the database unchanged', async () => {
    const before = await countRows();
    const bad = path.join(tmp, 'bad');
    cpSync(DEMO_TERRITORY_DIR, bad, { recursive: true });
    const filosofi = path.join(bad, 'filosofi-2018-disp-iris.csv');
    const lines = readFileSync(filosofi, 'utf8').split('\n');
    lines[4] = lines[4]!.replace(/;(\d+);/, ';douze;');
    writeFileSync(filosofi, lines.join('\n'));
    const iris = path.join(bad, 'iris-2020.simplified.geojson');
    const geo = JSON.parse(readFileSync(iris, 'utf8'));
    geo.features[0].properties.code_iris = undefined;
    writeFileSync(iris, JSON.stringify(geo));

    const result = await runCli(['territory', 'import', bad], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("Import refusé, 2 erreur(s) ; rien n'a été modifié.");
    expect(result.stderr).toMatch(
      /filosofi-2018-disp-iris\.csv, ligne 5, champ « DISP_\w+ » : doit être un nombre \(valeur « douze »\)/,
    );
    expect(result.stderr).toContain('iris-2020.simplified.geojson, entité n° 1, champ « code_iris »');
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
    expect(await countRows()).toEqual(before);
  });

  it('says when the folder does not exist', async () => {
    const result = await runCli(['territory', 'import', path.join(tmp, 'nowhere')], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/dossier introuvable/);
  });
});
