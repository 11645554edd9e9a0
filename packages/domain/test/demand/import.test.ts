import { describe, expect, it } from 'vitest';
import {
  DEMAND_REQUIRED_COLUMNS,
  type DemandValidationOptions,
  defaultHouseholdType,
  demandRejectsLines,
  validateDemandRows,
} from '../../src/demand/import/index.ts';
import { CsvParser, type CsvRecord, csvLine, parseCsv } from '../../src/shared/csv.ts';
import { formatImportIssue } from '../../src/shared/import-error.ts';

const EPCI = '200040715';
const OTHER_EPCI = '243800604';
const options: DemandValidationOptions = {
  file: 'demandes.csv',
  knownEpcis: new Set([EPCI, OTHER_EPCI]),
  knownCommunes: new Map([
    ['38185', EPCI],
    ['38151', EPCI],
    ['38563', OTHER_EPCI],
  ]),
  today: '2026-11-22',
};

type Row = Record<string, string>;
const good = (n: number, overrides: Row = {}): Row => ({
  sne_number: `0382301${String(n).padStart(7, '0')}`,
  registered_on: '2023-01-05',
  epci: EPCI,
  applicant_birth_date: '1985-04-02',
  persons_14_or_more: '2',
  persons_under_14: '1',
  monthly_resources_eur: '1450.50',
  reference_tax_income_eur: '15800',
  desired_communes: '38185|38151',
  desired_typologies: 'T2|T3',
  priority_criteria: 'domestic-violence|homeless',
  dalo: 'false',
  urban_renewal_relocation: 'true',
  current_social_tenant: 'false',
  ...overrides,
});

function csv(rows: Row[], columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]): string {
  return `${[csvLine(columns), ...rows.map((r) => csvLine(columns.map((c) => r[c] ?? '')))].join('\n')}\n`;
}

const validate = (text: string, extra: Partial<DemandValidationOptions> = {}) =>
  validateDemandRows(parseCsv(text), { ...options, ...extra });

/** The issues as « line field: rule » for compact assertions. */
const summary = (text: string, extra: Partial<DemandValidationOptions> = {}) =>
  validate(text, extra).issues.map((i) => `${i.line ?? '-'} ${i.field ?? '-'}: ${i.rule}`);

describe('validateDemandRows', () => {
  it('turns valid rows into demands, with the documented defaults', () => {
    const result = validate(csv([good(1), good(2, { persons_14_or_more: '1', persons_under_14: '0' })]));
    expect(result.issues).toEqual([]);
    expect(result.lines).toEqual([2, 3]);
    expect(result.demands[0]).toEqual({
      sneNumber: '03823010000001',
      epci: EPCI,
      household: null,
      registeredOn: '2023-01-05',
      applicantBirthDate: '1985-04-02',
      householdType: 'couple-with-children',
      persons14OrMore: 2,
      personsUnder14: 1,
      monthlyResourcesEur: 1450.5,
      referenceTaxIncomeEur: 15800,
      currentHousing: 'other',
      currentCommune: '',
      reasons: [],
      desiredCommunes: ['38185', '38151'],
      desiredTypologies: [2, 3],
      maxRentEur: null,
      priorityCriteria: ['domestic-violence', 'homeless'],
      dalo: false,
      urbanRenewalRelocation: true,
      currentSocialTenant: false,
      wheelchairAccess: false,
      status: 'active',
      closedOn: null,
      generated: false,
    });
    expect(result.demands[1]!.householdType).toBe('single');
  });

  it('reads the optional columns', () => {
    const row = good(1, {
      household_type: 'single-parent',
      current_housing: 'social-tenant',
      current_social_tenant: 'true',
      current_commune: '38563',
      reasons: 'too-small|divorce',
      max_rent_eur: '620',
      wheelchair_access: 'true',
      status: 'housed',
      closed_on: '2024-06-30',
      priority_criteria: '',
    });
    const [demand] = validate(csv([row])).demands;
    expect(demand).toMatchObject({
      householdType: 'single-parent',
      currentHousing: 'social-tenant',
      currentSocialTenant: true,
      currentCommune: '38563',
      reasons: ['too-small', 'divorce'],
      maxRentEur: 620,
      wheelchairAccess: true,
      status: 'housed',
      closedOn: '2024-06-30',
      priorityCriteria: [],
    });
  });

  it('names each rule of the issue: field, value and French rule', () => {
    const rows = [
      good(1, { desired_communes: '38185|99999' }),
      good(2, { registered_on: '2031-02-01' }),
      good(3, { registered_on: '1984-01-01' }),
      good(4, { persons_14_or_more: '0' }),
      good(5, { monthly_resources_eur: '-12' }),
      good(1),
      good(6, { priority_criteria: 'homeless|rich' }),
    ];
    const result = validate(csv(rows));
    expect(result.issues.map(formatImportIssue)).toEqual([
      'demandes.csv, ligne 2, champ « desired_communes » : commune inconnue (valeur « 99999 »)',
      'demandes.csv, ligne 3, champ « registered_on » : date dans le futur (valeur « 2031-02-01 »)',
      'demandes.csv, ligne 4, champ « registered_on » : demande déposée avant la naissance du demandeur (date de naissance : 1985-04-02) (valeur « 1984-01-01 »)',
      'demandes.csv, ligne 5, champ « persons_14_or_more » : au moins une personne de 14 ans ou plus (valeur « 0 »)',
      'demandes.csv, ligne 6, champ « monthly_resources_eur » : ressources négatives (valeur « -12 »)',
      'demandes.csv, ligne 7, champ « sne_number » : numéro SNE en double dans le fichier (déjà ligne 2) (valeur « 03823010000001 »)',
      'demandes.csv, ligne 8, champ « priority_criteria » : critère de priorité inconnu (codes : docs/formats/demands.md) (valeur « rich »)',
    ]);
    expect(result.demands).toEqual([]);
    expect(result.rejected.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('checks numbers, booleans, typologies, dates and the EPCI', () => {
    const rows = [
      good(1, { persons_under_14: 'deux', reference_tax_income_eur: '15 800', dalo: 'oui' }),
      good(2, {
        desired_typologies: 'T2|T7',
        applicant_birth_date: '1985-02-30',
        registered_on: '05/01/2023',
      }),
      good(3, { epci: '20004071' }),
      good(4, { epci: '200000000' }),
      good(5, { desired_communes: '38563' }),
      good(6, { desired_typologies: '', desired_communes: '' }),
      good(7, { registered_on: '2024-02-29', applicant_birth_date: '1899-12-31' }),
    ];
    expect(summary(csv(rows))).toEqual([
      '2 persons_under_14: doit être un nombre entier',
      '2 reference_tax_income_eur: doit être un nombre (chiffres, point décimal)',
      '2 dalo: true ou false attendu',
      '3 registered_on: date attendue au format AAAA-MM-JJ',
      '3 applicant_birth_date: date impossible',
      '3 desired_typologies: typologie attendue : T1 à T6',
      '4 epci: code EPCI de 9 chiffres attendu',
      "5 epci: EPCI absent de la base (importez d'abord son territoire)",
      `6 desired_communes: commune hors de l'EPCI ${EPCI}`,
      '7 desired_communes: au moins une commune souhaitée',
      '7 desired_typologies: au moins une typologie souhaitée',
      '8 applicant_birth_date: date antérieure à 1900',
    ]);
    expect(summary(csv([good(1)]), { epci: OTHER_EPCI })).toEqual([
      `2 epci: EPCI différent de celui de l'import (--epci ${OTHER_EPCI})`,
    ]);
  });

  it('checks the optional columns and their consistency', () => {
    const rows = [
      good(1, { status: 'housed' }),
      good(2, { closed_on: '2024-01-01' }),
      good(3, { status: 'cancelled', closed_on: '2022-01-01' }),
      good(4, { status: 'lost', household_type: 'family', current_housing: 'castle' }),
      good(5, { current_housing: 'social-tenant', max_rent_eur: '-1', wheelchair_access: '1' }),
      good(6, { current_commune: 'Grenoble', reasons: 'Trop petit' }),
    ];
    expect(summary(csv(rows))).toEqual([
      '2 closed_on: date de clôture obligatoire pour le statut housed',
      "3 closed_on: une demande active n'a pas de date de clôture",
      '4 closed_on: clôture avant le dépôt de la demande (2023-01-05)',
      '5 household_type: type de ménage inconnu (single, couple, single-parent, couple-with-children, other)',
      '5 current_housing: logement actuel inconnu (codes : docs/formats/demands.md)',
      '5 status: statut attendu : active, housed ou cancelled',
      '6 current_housing: incohérent avec current_social_tenant = false',
      '6 max_rent_eur: doit être positif ou nul',
      '6 wheelchair_access: true ou false attendu',
      '7 current_commune: code INSEE de commune invalide',
      '7 reasons: motif invalide (minuscules, chiffres et tirets)',
    ]);
  });

  it('refuses the SNE numbers of generated demands', () => {
    expect(summary(csv([good(1)]), { generatedSneNumbers: new Set(['03823010000001']) })).toEqual([
      '2 sne_number: numéro SNE déjà pris par une demande de démonstration (générée)',
    ]);
  });

  it('reports the header: missing, unknown and repeated columns, and an empty file', () => {
    const columns = [...DEMAND_REQUIRED_COLUMNS.filter((c) => c !== 'dalo'), 'colour', 'epci'];
    const result = validate(csv([good(1)], columns));
    expect(result.fileInvalid).toBe(true);
    expect(result.issues.map((i) => `${i.line} ${i.field}: ${i.rule}`)).toEqual([
      '1 colour: colonne inconnue (voir docs/formats/demands.md)',
      '1 epci: colonne en double',
      '1 dalo: colonne obligatoire absente',
    ]);
    expect(result.demands).toEqual([]);
    const empty = validate('');
    expect(empty.fileInvalid).toBe(true);
    expect(empty.issues.map(formatImportIssue)).toEqual([
      "demandes.csv : fichier vide : une ligne d'en-tête est attendue",
    ]);
  });

  it('reports a wrong number of fields and keeps checking the other rows', () => {
    const text = `${csv([good(1)])}1,2,3\n${csvLine(Object.values(good(2, { dalo: 'peut-être' })))}\n`;
    expect(summary(text)).toEqual([
      "3 -: 3 champ(s) au lieu de 14 (colonnes de l'en-tête)",
      '4 dalo: true ou false attendu',
    ]);
  });

  it('gives the physical line of a record that follows quoted multi-line fields', () => {
    const columns = [...Object.keys(good(0)), 'reasons'];
    const text = csv(
      [
        good(1, { reasons: 'too-small' }),
        good(2, { sne_number: 'A"B\nC', reasons: 'x\ny' }), // lines 3 to 5
        good(3, { monthly_resources_eur: 'beaucoup' }), // line 6
      ],
      columns,
    );
    expect(text.split('\n')[5]).toContain('beaucoup');
    expect(summary(text)).toEqual([
      '3 sne_number: numéro SNE invalide (lettres et chiffres, 30 au plus)',
      '3 reasons: motif invalide (minuscules, chiffres et tirets)',
      '6 monthly_resources_eur: doit être un nombre (chiffres, point décimal)',
    ]);
  });

  it('gives the same result when the file arrives in small chunks (streaming)', () => {
    const text = csv(
      [good(1), good(2, { dalo: 'x', reasons: 'a\nb' }), good(3)],
      [...Object.keys(good(0)), 'reasons'],
    );
    const records: CsvRecord[] = [];
    const parser = new CsvParser(',');
    for (let i = 0; i < text.length; i += 7) parser.push(text.slice(i, i + 7), (r) => records.push(r));
    parser.end((r) => records.push(r));
    expect(validateDemandRows(records, options)).toEqual(validate(text));
  });

  it('writes the rejects file: original columns, line and reasons', () => {
    const columns = [...Object.keys(good(0)), 'reasons'];
    const text = `${csv([good(1, { reasons: 'too-small' }), good(2, { dalo: 'oui', persons_14_or_more: '0' }), good(3)], columns)}a,b\n`;
    const lines = [...demandRejectsLines(validate(text))];
    expect(lines[0]).toBe(`${columns.join(',')},line,rejection_reasons`);
    expect(lines).toHaveLength(3);
    const rows = parseCsv(lines.join('\n')).map((r) => r.fields);
    expect(rows[1]!.slice(0, 5)).toEqual(['03823010000002', '2023-01-05', EPCI, '1985-04-02', '0']);
    expect(rows[1]!.slice(-2)).toEqual([
      '3',
      'persons_14_or_more : au moins une personne de 14 ans ou plus (valeur « 0 »); dalo : true ou false attendu (valeur « oui »)',
    ]);
    expect(rows[2]).toHaveLength(columns.length + 2);
    expect(rows[2]!.slice(0, 2)).toEqual(['a', 'b']);
    expect(rows[2]!.slice(-2)).toEqual(['5', "2 champ(s) au lieu de 15 (colonnes de l'en-tête)"]);
    // A corrected rejects file can be imported again as it is: its two extra columns are ignored.
    const fixed = lines.slice(0, 2).join('\n').replace(',0,1,', ',1,1,').replace(',oui,', ',true,');
    const again = validate(fixed);
    expect(again.issues).toEqual([]);
    expect(again.demands.map((d) => d.sneNumber)).toEqual(['03823010000002']);
  });

  it('guesses the household type from the persons when the file does not give it', () => {
    expect(defaultHouseholdType(1, 0)).toBe('single');
    expect(defaultHouseholdType(1, 2)).toBe('single-parent');
    expect(defaultHouseholdType(2, 0)).toBe('couple');
    expect(defaultHouseholdType(2, 3)).toBe('couple-with-children');
    expect(defaultHouseholdType(3, 0)).toBe('other');
  });
});
