import { type CsvRecord, CsvSyntaxError, parseCsv } from '../shared/csv.ts';
import { ImportError, type ImportIssue } from '../shared/import-error.ts';
import type {
  Commune,
  DatasetSource,
  Epci,
  Geometry,
  Iris,
  IrisIncome,
  Qpv,
  School,
  SchoolYearIps,
  TerritoryData,
} from './types.ts';

/**
 * A territory folder is described by `territory.json`: the EPCI code, the file playing each role,
 * and the sources to credit. This keeps the import generic (any EPCI, any vintage) while the demo
 * ships Grenoble-Alpes Métropole.
 */
export interface TerritoryManifest {
  epci: string;
  files: {
    epci: string;
    communeGeometries: string;
    iris: string;
    irisIncome?: string | null;
    qpv: string;
    qpvIrisApproximation?: string | null;
    qpvPerimeters?: string | null;
    colleges?: string | null;
    ecoles?: string | null;
  };
  /** Vintage of the income file, e.g. "2018". */
  irisIncomeYear?: string;
  sources: DatasetSource[];
}

export const TERRITORY_MANIFEST = 'territory.json';

/** Reads the manifest; `files` then names the other files to read. */
export function parseTerritoryManifest(text: string): TerritoryManifest {
  const issues: ImportIssue[] = [];
  const file = TERRITORY_MANIFEST;
  const json = parseJson(text, file, issues);
  if (!isObject(json)) {
    throw new ImportError(issues.length ? issues : [{ file, rule: 'doit être un objet JSON' }]);
  }
  if (typeof json.epci !== 'string' || !/^\d{9}$/.test(json.epci)) {
    issues.push({
      file,
      field: 'epci',
      value: String(json.epci),
      rule: 'doit être un code SIREN de 9 chiffres',
    });
  }
  const files = isObject(json.files) ? json.files : {};
  for (const role of ['epci', 'communeGeometries', 'iris', 'qpv']) {
    if (typeof files[role] !== 'string')
      issues.push({ file, field: `files.${role}`, rule: 'fichier obligatoire' });
  }
  for (const [role, name] of Object.entries(files)) {
    if (name !== null && (typeof name !== 'string' || name.includes('/') || name.includes('..'))) {
      issues.push({
        file,
        field: `files.${role}`,
        value: String(name),
        rule: 'doit être un nom de fichier du dossier',
      });
    }
  }
  if (!Array.isArray(json.sources)) issues.push({ file, field: 'sources', rule: 'doit être une liste' });
  if (issues.length) throw new ImportError(issues);
  return json as unknown as TerritoryManifest;
}

/**
 * Parses and cross-checks every file of a territory folder (contents given as text, keyed by file
 * name). Collects every issue before failing with an ImportError; returns plain data otherwise.
 */
export function parseTerritory(
  manifest: TerritoryManifest,
  files: Readonly<Record<string, string>>,
): TerritoryData {
  const issues: ImportIssue[] = [];
  const read = (name: string | null | undefined): string | null => {
    if (!name) return null;
    const text = files[name];
    if (text === undefined) {
      issues.push({ file: name, rule: 'fichier introuvable dans le dossier' });
      return null;
    }
    return text;
  };

  const epciText = read(manifest.files.epci);
  const { epci, memberPopulations } = epciText
    ? parseEpci(epciText, manifest.files.epci, manifest.epci, issues)
    : { epci: null, memberPopulations: new Map<string, { name: string; population: number }>() };

  const communeText = read(manifest.files.communeGeometries);
  const communes = communeText
    ? parseCommunes(communeText, manifest.files.communeGeometries, manifest.epci, memberPopulations, issues)
    : [];
  const communeCodes = new Set(communes.map((c) => c.code));

  const incomeText = read(manifest.files.irisIncome);
  const incomes = incomeText
    ? parseFilosofi(incomeText, manifest.files.irisIncome!, manifest.irisIncomeYear ?? '', issues)
    : new Map<string, IrisIncome>();

  const irisText = read(manifest.files.iris);
  const iris = irisText
    ? parseIris(irisText, manifest.files.iris, manifest.epci, communeCodes, incomes, issues)
    : [];
  const irisCodes = new Set(iris.map((i) => i.code));

  const qpvText = read(manifest.files.qpv);
  const approxText = read(manifest.files.qpvIrisApproximation);
  const perimetersText = read(manifest.files.qpvPerimeters);
  const qpvs = qpvText
    ? parseQpvs(
        qpvText,
        manifest.files.qpv,
        manifest.epci,
        communeCodes,
        approxText ? { text: approxText, file: manifest.files.qpvIrisApproximation! } : null,
        perimetersText ? { text: perimetersText, file: manifest.files.qpvPerimeters! } : null,
        irisCodes,
        issues,
      )
    : [];

  const schools: School[] = [];
  const schoolYears: SchoolYearIps[] = [];
  const collegesText = read(manifest.files.colleges);
  if (collegesText) {
    parseColleges(
      collegesText,
      manifest.files.colleges!,
      manifest.epci,
      communeCodes,
      schools,
      schoolYears,
      issues,
    );
  }
  const ecolesText = read(manifest.files.ecoles);
  if (ecolesText) {
    parseEcoles(
      ecolesText,
      manifest.files.ecoles!,
      manifest.epci,
      communeCodes,
      schools,
      schoolYears,
      issues,
    );
  }

  if (issues.length || !epci) throw new ImportError(issues);
  return { epci, communes, iris, qpvs, schools, schoolYears, sources: manifest.sources };
}

function parseEpci(
  text: string,
  file: string,
  expected: string,
  issues: ImportIssue[],
): { epci: Epci | null; memberPopulations: Map<string, { name: string; population: number }> } {
  const memberPopulations = new Map<string, { name: string; population: number }>();
  const json = parseJson(text, file, issues);
  if (!isObject(json)) return { epci: null, memberPopulations };
  if (json.code !== expected) {
    issues.push({
      file,
      field: 'code',
      value: String(json.code),
      rule: `doit être l'EPCI ${expected} du manifeste`,
    });
  }
  const populationTotal = requireNumber(json.populationTotale, { file, field: 'populationTotale' }, issues);
  const populationMunicipal = requireNumber(
    json.populationMunicipale,
    { file, field: 'populationMunicipale' },
    issues,
  );
  if (typeof json.nom !== 'string' || !json.nom) issues.push({ file, field: 'nom', rule: 'nom obligatoire' });
  const members = Array.isArray(json.membres) ? json.membres : [];
  if (!members.length)
    issues.push({ file, field: 'membres', rule: "l'EPCI doit avoir au moins une commune" });
  members.forEach((m, i) => {
    const location = `membres[${i}]`;
    if (!isObject(m) || typeof m.code !== 'string' || !/^[0-9][0-9AB][0-9]{3}$/.test(m.code)) {
      issues.push({
        file,
        location,
        field: 'code',
        rule: 'doit être un code INSEE de commune (5 caractères)',
      });
      return;
    }
    const population = requireNumber(
      m.populationMunicipale,
      { file, location, field: 'populationMunicipale' },
      issues,
    );
    memberPopulations.set(m.code, { name: String(m.nom ?? ''), population: population ?? 0 });
  });
  return {
    epci:
      typeof json.nom === 'string' && populationTotal !== null && populationMunicipal !== null
        ? { code: expected, name: json.nom, populationTotal, populationMunicipal }
        : null,
    memberPopulations,
  };
}

function parseCommunes(
  text: string,
  file: string,
  epci: string,
  members: Map<string, { name: string; population: number }>,
  issues: ImportIssue[],
): Commune[] {
  const communes: Commune[] = [];
  const seen = new Set<string>();
  forEachFeature(text, file, issues, (props, geometry, location) => {
    const code = props.code;
    if (typeof code !== 'string' || !code) {
      issues.push({ file, location, field: 'code', rule: 'code de commune manquant' });
      return;
    }
    const member = members.get(code);
    if (!member) {
      issues.push({
        file,
        location,
        field: 'code',
        value: code,
        rule: "commune absente des membres de l'EPCI",
      });
      return;
    }
    if (seen.has(code)) {
      issues.push({ file, location, field: 'code', value: code, rule: 'commune en double' });
      return;
    }
    seen.add(code);
    // Names come from the EPCI file (the IGN source drops articles such as « Le »).
    communes.push({ code, epci, name: member.name, population: member.population, geometry });
  });
  for (const code of members.keys()) {
    if (!seen.has(code))
      issues.push({ file, field: 'code', value: code, rule: "commune de l'EPCI sans contour" });
  }
  return communes;
}

const FILOSOFI_DECILES = ['D1', 'D2', 'D3', 'D4', 'MED', 'D6', 'D7', 'D8', 'D9'];

function parseFilosofi(
  text: string,
  file: string,
  year: string,
  issues: ImportIssue[],
): Map<string, IrisIncome> {
  const result = new Map<string, IrisIncome>();
  const table = csvTable(text, file, ';', issues);
  if (!table) return result;
  const yy = year ? year.slice(2) : inferFilosofiSuffix(table.header);
  const col = (name: string) => `DISP_${name}${yy}`;
  const required = ['IRIS', col('MED'), col('Q1'), col('Q3'), ...FILOSOFI_DECILES.map((d) => col(d))];
  if (!table.requireColumns(required)) return result;
  for (const row of table.rows) {
    const code = row.get('IRIS');
    if (!/^\d{5}\d{4}$|^\d[AB]\d{7}$/.test(code)) {
      issues.push({
        file,
        line: row.line,
        field: 'IRIS',
        value: code,
        rule: 'doit être un code IRIS de 9 caractères',
      });
      continue;
    }
    const deciles = FILOSOFI_DECILES.map((d) => row.number(col(d), { required: true }));
    const q1 = row.number(col('Q1'), { required: true });
    const q3 = row.number(col('Q3'), { required: true });
    const povertyRate = row.number(col('TP60'), { required: false });
    const gini = row.number(col('GI'), { required: false });
    if (deciles.some((d) => d === null) || q1 === null || q3 === null) continue;
    const ds = deciles as number[];
    if (ds.some((d, i) => i > 0 && d < ds[i - 1]!)) {
      issues.push({ file, line: row.line, field: col('D1'), rule: 'les déciles doivent être croissants' });
      continue;
    }
    result.set(code, { deciles: ds, q1, median: ds[4]!, q3, povertyRate, gini, year: year || `20${yy}` });
  }
  return result;
}

function inferFilosofiSuffix(header: string[]): string {
  const med = header.find((h) => /^DISP_MED\d\d$/.test(h));
  return med ? med.slice(-2) : '';
}

function parseIris(
  text: string,
  file: string,
  epci: string,
  communes: Set<string>,
  incomes: Map<string, IrisIncome>,
  issues: ImportIssue[],
): Iris[] {
  const iris: Iris[] = [];
  const seen = new Set<string>();
  forEachFeature(text, file, issues, (props, geometry, location) => {
    const code = props.code_iris;
    if (typeof code !== 'string' || code.length !== 9) {
      issues.push({
        file,
        location,
        field: 'code_iris',
        value: String(code ?? ''),
        rule: 'code IRIS manquant ou invalide',
      });
      return;
    }
    const commune = typeof props.code_commune === 'string' ? props.code_commune : code.slice(0, 5);
    if (!communes.has(commune)) {
      issues.push({ file, location, field: 'code_commune', value: commune, rule: "commune hors de l'EPCI" });
      return;
    }
    if (seen.has(code)) {
      issues.push({ file, location, field: 'code_iris', value: code, rule: 'IRIS en double' });
      return;
    }
    if (!geometry) {
      issues.push({ file, location, field: 'geometry', rule: 'un IRIS doit avoir un contour' });
      return;
    }
    seen.add(code);
    const name = typeof props.nom_iris === 'string' ? props.nom_iris : code;
    iris.push({ code, epci, commune, name, geometry, income: incomes.get(code) ?? null });
  });
  for (const code of incomes.keys()) {
    if (!seen.has(code))
      issues.push({ file, value: code, rule: 'IRIS de Filosofi absent des contours IRIS' });
  }
  return iris;
}

function parseQpvs(
  text: string,
  file: string,
  epci: string,
  communes: Set<string>,
  approximation: { text: string; file: string } | null,
  perimeters: { text: string; file: string } | null,
  irisCodes: Set<string>,
  issues: ImportIssue[],
): Qpv[] {
  const qpvs: Qpv[] = [];
  const table = csvTable(text, file, ',', issues);
  if (!table?.requireColumns(['insee_com', 'codes_qp', 'libs_qp'])) return qpvs;
  for (const row of table.rows) {
    const commune = row.get('insee_com');
    if (!communes.has(commune)) continue; // the file covers a whole département or France
    const codes = row
      .get('codes_qp')
      .split(',')
      .map((s) => s.trim());
    const names = row
      .get('libs_qp')
      .split(',')
      .map((s) => s.trim());
    if (codes.length !== names.length) {
      issues.push({
        file,
        line: row.line,
        field: 'libs_qp',
        rule: 'autant de noms que de codes QPV attendus',
      });
      continue;
    }
    codes.forEach((code, i) => {
      if (!/^QN\d{5}[A-Z]$/.test(code)) {
        issues.push({
          file,
          line: row.line,
          field: 'codes_qp',
          value: code,
          rule: 'doit être un code QPV (QN + 5 chiffres + lettre)',
        });
        return;
      }
      qpvs.push({ code, epci, name: names[i]!, commune, irisCodes: [], approximate: true, geometry: null });
    });
  }
  const byCode = new Map(qpvs.map((q) => [q.code, q]));
  if (approximation) {
    const approx = csvTable(approximation.text, approximation.file, ',', issues);
    if (approx?.requireColumns(['qpv_code', 'iris_code'])) {
      for (const row of approx.rows) {
        const qpv = byCode.get(row.get('qpv_code'));
        const irisCode = row.get('iris_code');
        if (!qpv) {
          issues.push({
            file: approximation.file,
            line: row.line,
            field: 'qpv_code',
            value: row.get('qpv_code'),
            rule: 'QPV inconnu',
          });
        } else if (!irisCodes.has(irisCode)) {
          issues.push({
            file: approximation.file,
            line: row.line,
            field: 'iris_code',
            value: irisCode,
            rule: 'IRIS inconnu',
          });
        } else {
          qpv.irisCodes.push(irisCode);
        }
      }
    }
  }
  if (perimeters) {
    forEachFeature(perimeters.text, perimeters.file, issues, (props, geometry, location) => {
      const code = props.code_qp ?? props.code;
      const qpv = typeof code === 'string' ? byCode.get(code) : undefined;
      if (!qpv) return; // official files cover all of France
      if (!geometry) {
        issues.push({ file: perimeters.file, location, field: 'geometry', rule: 'contour manquant' });
        return;
      }
      qpv.geometry = geometry;
      qpv.approximate = false;
    });
  }
  return qpvs;
}

function parseSector(value: string): 'public' | 'private' | null {
  const v = value.toLowerCase();
  if (v === 'public') return 'public';
  if (v.startsWith('priv')) return 'private';
  return null;
}

function parseColleges(
  text: string,
  file: string,
  epci: string,
  communes: Set<string>,
  schools: School[],
  years: SchoolYearIps[],
  issues: ImportIssue[],
): void {
  const table = csvTable(text, file, ';', issues);
  const cols = {
    year: 'Rentrée scolaire',
    uai: 'UAI',
    name: "Nom de l'établissment",
    commune: 'Code INSEE de la commune',
    sector: 'Secteur',
    pupils: 'Effectifs',
    ips: 'IPS',
    sd: "Ecart-type de l'IPS",
  };
  if (!table?.requireColumns(Object.values(cols))) return;
  for (const row of table.rows) {
    const school = schoolFromRow(row, cols, 'college', epci, communes, file, issues);
    if (!school) continue;
    const ips = row.number(cols.ips, { required: true });
    const pupils = row.number(cols.pupils, { required: false });
    const sd = row.number(cols.sd, { required: false });
    if (ips === null) continue;
    if (!schools.some((s) => s.uai === school.uai)) schools.push(school);
    years.push({ uai: school.uai, schoolYear: row.get(cols.year), pupils, ips, ipsStandardDeviation: sd });
  }
}

function parseEcoles(
  text: string,
  file: string,
  epci: string,
  communes: Set<string>,
  schools: School[],
  years: SchoolYearIps[],
  issues: ImportIssue[],
): void {
  const table = csvTable(text, file, ';', issues);
  const cols = {
    year: 'rentree_scolaire',
    uai: 'uai',
    name: 'nom_de_l_etablissement',
    commune: 'code_insee_de_la_commune',
    sector: 'secteur',
    ips: 'ips',
  };
  if (!table?.requireColumns(Object.values(cols))) return;
  const known = new Set(schools.map((s) => s.uai));
  for (const row of table.rows) {
    const school = schoolFromRow(row, cols, 'ecole', epci, communes, file, issues);
    if (!school) continue;
    // « NS » (non significatif): the DEPP withholds the IPS of schools with too few pupils.
    const ips = row.number(cols.ips, { required: true, withheld: ['NS'] });
    if (!known.has(school.uai)) {
      known.add(school.uai);
      schools.push(school);
    }
    years.push({
      uai: school.uai,
      schoolYear: row.get(cols.year),
      pupils: null,
      ips,
      ipsStandardDeviation: null,
    });
  }
}

function schoolFromRow(
  row: CsvRow,
  cols: { year: string; uai: string; name: string; commune: string; sector: string },
  level: 'college' | 'ecole',
  epci: string,
  communes: Set<string>,
  file: string,
  issues: ImportIssue[],
): School | null {
  const commune = row.get(cols.commune).padStart(5, '0');
  if (!communes.has(commune)) return null; // files may cover a whole département
  const uai = row.get(cols.uai);
  if (!/^\d{7}[A-Z]$/.test(uai)) {
    issues.push({
      file,
      line: row.line,
      field: cols.uai,
      value: uai,
      rule: 'doit être un UAI (7 chiffres + lettre)',
    });
    return null;
  }
  if (!/^\d{4}-\d{4}$/.test(row.get(cols.year))) {
    issues.push({
      file,
      line: row.line,
      field: cols.year,
      value: row.get(cols.year),
      rule: 'doit être une année scolaire AAAA-AAAA',
    });
    return null;
  }
  const sector = parseSector(row.get(cols.sector));
  if (!sector) {
    issues.push({
      file,
      line: row.line,
      field: cols.sector,
      value: row.get(cols.sector),
      rule: 'doit être « public » ou « privé »',
    });
    return null;
  }
  return { uai, epci, name: row.get(cols.name), level, commune, sector };
}

// ---- small readers shared by the parsers above ----

interface CsvRow {
  line: number;
  get(column: string): string;
  /** A number, or null when empty and not required; a non-numeric value is recorded as an issue. */
  number(column: string, options: { required: boolean; withheld?: string[] }): number | null;
}

function csvTable(
  text: string,
  file: string,
  separator: string,
  issues: ImportIssue[],
): { header: string[]; rows: CsvRow[]; requireColumns(columns: string[]): boolean } | null {
  let records: CsvRecord[];
  try {
    records = parseCsv(text, separator);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      issues.push({ file, line: error.line, rule: 'guillemet ouvert jamais fermé' });
      return null;
    }
    throw error;
  }
  if (!records.length) {
    issues.push({ file, rule: 'fichier vide (en-tête attendu)' });
    return null;
  }
  const header = records[0]!.fields.map((h) => h.trim());
  const index = new Map(header.map((h, i) => [h, i]));
  const rows: CsvRow[] = [];
  for (const record of records.slice(1)) {
    if (record.fields.length !== header.length) {
      issues.push({
        file,
        line: record.line,
        rule: `${record.fields.length} colonne(s) au lieu de ${header.length} (séparateur « ${separator} »)`,
      });
      continue;
    }
    const fields = record.fields;
    rows.push({
      line: record.line,
      get: (column) => (fields[index.get(column)!] ?? '').trim(),
      number(column, { required, withheld = [] }) {
        const raw = (fields[index.get(column)!] ?? '').trim();
        if (withheld.includes(raw)) return null;
        if (raw === '') {
          if (required) issues.push({ file, line: record.line, field: column, rule: 'valeur obligatoire' });
          return null;
        }
        const value = Number(raw.replace(',', '.'));
        if (!Number.isFinite(value)) {
          issues.push({ file, line: record.line, field: column, value: raw, rule: 'doit être un nombre' });
          return null;
        }
        return value;
      },
    });
  }
  return {
    header,
    rows,
    requireColumns(columns) {
      const missing = columns.filter((c) => !index.has(c));
      for (const c of missing) issues.push({ file, line: 1, field: c, rule: 'colonne manquante' });
      return missing.length === 0;
    },
  };
}

function forEachFeature(
  text: string,
  file: string,
  issues: ImportIssue[],
  visit: (props: Record<string, unknown>, geometry: Geometry | null, location: string) => void,
): void {
  const json = parseJson(text, file, issues);
  if (json === undefined) return;
  if (!isObject(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    issues.push({ file, rule: 'doit être une FeatureCollection GeoJSON' });
    return;
  }
  json.features.forEach((feature, i) => {
    const location = `entité n° ${i + 1}`;
    if (!isObject(feature) || !isObject(feature.properties)) {
      issues.push({ file, location, field: 'properties', rule: 'entité sans propriétés' });
      return;
    }
    const geometry = feature.geometry === null ? null : checkGeometry(feature.geometry);
    if (geometry === undefined) {
      issues.push({
        file,
        location,
        field: 'geometry',
        rule: 'géométrie Polygon ou MultiPolygon aux coordonnées numériques attendue',
      });
      return;
    }
    visit(feature.properties, geometry, location);
  });
}

function checkGeometry(g: unknown): Geometry | undefined {
  if (!isObject(g) || !Array.isArray(g.coordinates)) return undefined;
  const isPosition = (p: unknown) =>
    Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
  const isRing = (r: unknown) => Array.isArray(r) && r.length >= 4 && r.every(isPosition);
  const isPolygon = (p: unknown) => Array.isArray(p) && p.length >= 1 && p.every(isRing);
  if (g.type === 'Polygon' && isPolygon(g.coordinates)) return g as Geometry;
  if (g.type === 'MultiPolygon' && g.coordinates.length >= 1 && g.coordinates.every(isPolygon))
    return g as Geometry;
  return undefined;
}

function parseJson(text: string, file: string, issues: ImportIssue[]): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    issues.push({ file, rule: `JSON invalide : ${(error as Error).message}` });
    return undefined;
  }
}

function requireNumber(
  value: unknown,
  where: Omit<ImportIssue, 'rule'>,
  issues: ImportIssue[],
): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  issues.push({ ...where, value: String(value), rule: 'doit être un nombre' });
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> & { [k: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
