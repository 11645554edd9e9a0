import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImportError } from '../../src/shared/import-error.ts';
import { parseTerritory, parseTerritoryManifest, type TerritoryManifest } from '../../src/territory/parse.ts';

const DIR = path.resolve(import.meta.dirname, '../../../../data/demo/grenoble-alpes-metropole');
let files: Record<string, string>;
let manifest: TerritoryManifest;

beforeAll(() => {
  files = Object.fromEntries(readdirSync(DIR).map((f) => [f, readFileSync(path.join(DIR, f), 'utf8')]));
  manifest = parseTerritoryManifest(files['territory.json']!);
});

/** Parses with one file replaced, and returns the error's issues. */
function issuesWith(file: string, text: string) {
  try {
    parseTerritory(manifest, { ...files, [file]: text });
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return { issues: (error as ImportError).issues, message: (error as Error).message };
  }
  throw new Error('the import should have failed');
}

describe('parseTerritory on the demo folder', () => {
  it('reads the 49 communes, 201 IRIS (131 with Filosofi 2018 income), 10 QPV and the schools', () => {
    const t = parseTerritory(manifest, files);
    expect(t.epci).toMatchObject({ code: '200040715', populationMunicipal: 449509 });
    expect(t.communes).toHaveLength(49);
    expect(t.iris).toHaveLength(201);
    expect(t.iris.filter((i) => i.income)).toHaveLength(131);
    expect(t.qpvs).toHaveLength(10);
    expect(t.qpvs.every((q) => q.approximate && q.irisCodes.length > 0)).toBe(true);
    // Source: ips-colleges-2022.csv lists 41 collèges; ips-ecoles-2022-2024.csv 164 écoles × 3 years.
    expect(t.schools.filter((s) => s.level === 'college')).toHaveLength(41);
    expect(t.schoolYears.filter((y) => y.ips === null).length).toBeGreaterThan(0);
  });

  it('takes commune names from the EPCI file, which keeps the articles the IGN file drops', () => {
    const t = parseTerritory(manifest, files);
    expect(t.communes.find((c) => c.code === '38317')?.name).toBe('Le Pont-de-Claix');
  });

  it('keeps the Filosofi 2018 values of an IRIS and null where INSEE withholds them', () => {
    const t = parseTerritory(manifest, files);
    // filosofi-2018-disp-iris.csv, row 381510101: median 24,290 €, poverty rate 12.2 %.
    expect(t.iris.find((i) => i.code === '381510101')?.income).toMatchObject({
      median: 24290,
      povertyRate: 12.2,
    });
    expect(t.iris.find((i) => i.code === '381510102')?.income).toBeNull();
  });
});

describe('parseTerritory refuses malformed files and says where', () => {
  it('names the file of invalid JSON', () => {
    const { issues } = issuesWith('iris-2020.simplified.geojson', '{"type": "FeatureCollection", ');
    expect(issues[0]).toMatchObject({ file: 'iris-2020.simplified.geojson' });
    expect(issues[0]!.rule).toMatch(/JSON invalide/);
  });

  it('names the feature and field of an IRIS without a code', () => {
    const geo = JSON.parse(files['iris-2020.simplified.geojson']!);
    delete geo.features[3].properties.code_iris;
    const { issues, message } = issuesWith('iris-2020.simplified.geojson', JSON.stringify(geo));
    expect(issues).toContainEqual(
      expect.objectContaining({
        location: 'entité n° 4',
        field: 'code_iris',
        rule: 'code IRIS manquant ou invalide',
      }),
    );
    expect(message).toContain('iris-2020.simplified.geojson, entité n° 4, champ « code_iris »');
  });

  it('names the line of a CSV row with a wrong column count', () => {
    const lines = files['filosofi-2018-disp-iris.csv']!.split('\n');
    lines[5] = lines[5]!.split(';').slice(0, 10).join(';');
    const { issues } = issuesWith('filosofi-2018-disp-iris.csv', lines.join('\n'));
    expect(issues).toContainEqual(expect.objectContaining({ file: 'filosofi-2018-disp-iris.csv', line: 6 }));
    expect(issues.find((i) => i.line === 6)!.rule).toMatch(/10 colonne\(s\) au lieu de 29/);
  });

  it('names the line, field and value of a non-numeric value', () => {
    const lines = files['filosofi-2018-disp-iris.csv']!.split('\n');
    const cells = lines[2]!.split(';');
    cells[3] = 'beaucoup';
    lines[2] = cells.join(';');
    const { issues } = issuesWith('filosofi-2018-disp-iris.csv', lines.join('\n'));
    expect(issues).toContainEqual({
      file: 'filosofi-2018-disp-iris.csv',
      line: 3,
      field: 'DISP_MED18',
      value: 'beaucoup',
      rule: 'doit être un nombre',
    });
  });

  it('reports every bad row at once, not only the first', () => {
    const lines = files['ips-colleges-2022.csv']!.split('\n');
    const cells = lines[1]!.split(';');
    cells[10] = 'abc'; // IPS
    lines[1] = cells.join(';');
    lines[2] = lines[2]!.replace('public', 'associatif');
    const { issues } = issuesWith('ips-colleges-2022.csv', lines.join('\n'));
    expect(issues.map((i) => i.line)).toEqual([2, 3]);
  });

  it('refuses a manifest without the EPCI code', () => {
    expect(() => parseTerritoryManifest('{"files": {}, "sources": []}')).toThrow(/epci/);
  });
});
