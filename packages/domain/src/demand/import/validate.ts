/**
 * Validation of a demand file (docs/formats/demands.md): CSV records in, demands and every problem
 * out. Pure and incremental: `DemandRowValidator` takes the records one at a time as a streaming
 * `CsvParser` yields them, so a file of any size is never held as one string; `validateDemandRows`
 * does the same over any iterable. Every row is checked, so one run names every bad row at once.
 */
import {
  CURRENT_HOUSING_CODES,
  HOUSEHOLD_TYPE_CODES,
  PRIORITY_CRITERION_BITS,
} from '../../cotation/columns.ts';
import type { CsvRecord } from '../../shared/csv.ts';
import type { ImportIssue } from '../../shared/import-error.ts';
import type { Typology } from '../../stock/types.ts';
import type { CurrentHousing, Demand, DemandStatus, HouseholdType, PriorityCriterion } from '../types.ts';

/** Columns every demand file must have, in the documented order. */
export const DEMAND_REQUIRED_COLUMNS = [
  'sne_number',
  'registered_on',
  'epci',
  'applicant_birth_date',
  'persons_14_or_more',
  'persons_under_14',
  'monthly_resources_eur',
  'reference_tax_income_eur',
  'desired_communes',
  'desired_typologies',
  'priority_criteria',
  'dalo',
  'urban_renewal_relocation',
  'current_social_tenant',
] as const;

/** Columns a demand file may have; their defaults are in docs/formats/demands.md. */
export const DEMAND_OPTIONAL_COLUMNS = [
  'household_type',
  'current_housing',
  'current_commune',
  'reasons',
  'max_rent_eur',
  'wheelchair_access',
  'status',
  'closed_on',
] as const;

export type DemandColumn =
  | (typeof DEMAND_REQUIRED_COLUMNS)[number]
  | (typeof DEMAND_OPTIONAL_COLUMNS)[number];

/** Columns added to the rejects file: ignored, so a corrected rejects file can be imported as it is. */
export const REJECTS_COLUMNS = ['line', 'rejection_reasons'] as const;

const KNOWN_COLUMNS: ReadonlySet<string> = new Set([
  ...DEMAND_REQUIRED_COLUMNS,
  ...DEMAND_OPTIONAL_COLUMNS,
  ...REJECTS_COLUMNS,
]);
const PRIORITY_CODES: ReadonlySet<string> = new Set(Object.keys(PRIORITY_CRITERION_BITS));
const HOUSING_CODES: ReadonlySet<string> = new Set(CURRENT_HOUSING_CODES);
const HOUSEHOLD_CODES: ReadonlySet<string> = new Set(HOUSEHOLD_TYPE_CODES);
const STATUSES: ReadonlySet<string> = new Set<DemandStatus>(['active', 'housed', 'cancelled']);

/** Most persons of either age group accepted in one demand. */
export const MAX_PERSONS = 99;
/** Earliest year accepted in a date. */
const MIN_YEAR = 1900;

const SNE_NUMBER = /^[0-9A-Za-z]{1,30}$/;
const EPCI_CODE = /^[0-9]{9}$/;
const COMMUNE_CODE = /^[0-9][0-9AB][0-9]{3}$/;
const REASON_CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

export interface DemandValidationOptions {
  /** File name used in the messages. */
  file: string;
  /** EPCI codes of the database. */
  knownEpcis: ReadonlySet<string>;
  /** Commune INSEE code → code of its EPCI, for the communes of the database. */
  knownCommunes: ReadonlyMap<string, string>;
  /** Today's ISO date: no date of the file may be later. */
  today: string;
  /** When given, every row must belong to this EPCI (`--epci`). */
  epci?: string | undefined;
  /** SNE numbers that an import may not use: those of the generated (demo) demands of the database. */
  generatedSneNumbers?: ReadonlySet<string> | undefined;
}

/** A row that is not imported, as read (for the rejects file). */
export interface RejectedRow {
  line: number;
  fields: readonly string[];
}

export interface DemandValidation {
  /** The header as read (empty for an empty file). */
  header: readonly string[];
  /** The valid rows as demands (`generated = false`), in file order. */
  demands: Demand[];
  /** The line of each demand of `demands`. */
  lines: number[];
  /** Every problem found, in file order. */
  issues: ImportIssue[];
  /** The data rows that have at least one issue. */
  rejected: RejectedRow[];
  /**
   * The file as a whole is unusable, even with `--skip-invalid`: wrong header (missing, unknown or
   * repeated columns), empty file, or a quote never closed.
   */
  fileInvalid: boolean;
  /** Number of data rows read. */
  rows: number;
}

/** Validates the records of a demand file one at a time; the first record is the header. */
export class DemandRowValidator {
  private header: string[] | null = null;
  private index = new Map<string, number>();
  private fileInvalid = false;
  private rows = 0;
  private readonly demands: Demand[] = [];
  private readonly lines: number[] = [];
  private readonly issues: ImportIssue[] = [];
  private readonly rejected: RejectedRow[] = [];
  private readonly lineOfSne = new Map<string, number>();

  constructor(private readonly options: DemandValidationOptions) {}

  /** The valid demands so far: a caller may write them while the rest of the file is read. */
  get validDemands(): readonly Demand[] {
    return this.demands;
  }

  /** Number of issues so far. */
  get issueCount(): number {
    return this.issues.length;
  }

  push(record: CsvRecord): void {
    if (this.header === null) this.readHeader(record);
    else this.readRow(record);
  }

  /** Records a problem that makes the whole file unusable (e.g. a quote never closed, from `CsvSyntaxError`). */
  fail(issue: ImportIssue): void {
    this.issues.push(issue);
    this.fileInvalid = true;
  }

  finish(): DemandValidation {
    if (this.header === null) {
      this.fileInvalid = true;
      this.issues.push({ file: this.options.file, rule: "fichier vide : une ligne d'en-tête est attendue" });
    }
    return {
      header: this.header ?? [],
      demands: this.demands,
      lines: this.lines,
      issues: this.issues,
      rejected: this.rejected,
      fileInvalid: this.fileInvalid,
      rows: this.rows,
    };
  }

  private readHeader(record: CsvRecord): void {
    const { file } = this.options;
    this.header = record.fields.map((f) => f.trim());
    this.header.forEach((name, i) => {
      if (this.index.has(name)) {
        this.issues.push({ file, line: record.line, field: name, rule: 'colonne en double' });
        this.fileInvalid = true;
      } else if (!KNOWN_COLUMNS.has(name)) {
        this.issues.push({
          file,
          line: record.line,
          field: name,
          rule: 'colonne inconnue (voir docs/formats/demands.md)',
        });
        this.fileInvalid = true;
      } else {
        this.index.set(name, i);
      }
    });
    for (const name of DEMAND_REQUIRED_COLUMNS) {
      if (!this.index.has(name)) {
        this.issues.push({ file, line: record.line, field: name, rule: 'colonne obligatoire absente' });
        this.fileInvalid = true;
      }
    }
  }

  private readRow(record: CsvRecord): void {
    this.rows++;
    const { file, knownEpcis, knownCommunes } = this.options;
    const { line, fields } = record;
    this.line = line;
    this.fields = fields;
    const header = this.header!;
    const before = this.issues.length;

    if (fields.length !== header.length) {
      this.issues.push({
        file,
        line,
        rule: `${fields.length} champ(s) au lieu de ${header.length} (colonnes de l'en-tête)`,
      });
      this.rejected.push({ line, fields });
      return;
    }
    // Identity and dates.
    const sneNumber = this.required('sne_number');
    if (sneNumber !== undefined) {
      const seen = this.lineOfSne.get(sneNumber);
      if (!SNE_NUMBER.test(sneNumber)) {
        this.issue('sne_number', sneNumber, 'numéro SNE invalide (lettres et chiffres, 30 au plus)');
      } else if (seen !== undefined) {
        this.issue('sne_number', sneNumber, `numéro SNE en double dans le fichier (déjà ligne ${seen})`);
      } else if (this.options.generatedSneNumbers?.has(sneNumber)) {
        this.lineOfSne.set(sneNumber, line);
        this.issue(
          'sne_number',
          sneNumber,
          'numéro SNE déjà pris par une demande de démonstration (générée)',
        );
      } else {
        this.lineOfSne.set(sneNumber, line);
      }
    }
    const registeredOn = this.date('registered_on', this.required('registered_on'));
    const applicantBirthDate = this.date('applicant_birth_date', this.required('applicant_birth_date'));
    if (
      registeredOn !== undefined &&
      applicantBirthDate !== undefined &&
      registeredOn <= applicantBirthDate
    ) {
      this.issue(
        'registered_on',
        registeredOn,
        `demande déposée avant la naissance du demandeur (date de naissance : ${applicantBirthDate})`,
      );
    }

    // EPCI and desired communes.
    let epci = this.required('epci');
    if (epci !== undefined) {
      if (!EPCI_CODE.test(epci)) {
        this.issue('epci', epci, 'code EPCI de 9 chiffres attendu');
        epci = undefined;
      } else if (!knownEpcis.has(epci)) {
        this.issue('epci', epci, "EPCI absent de la base (importez d'abord son territoire)");
        epci = undefined;
      } else if (this.options.epci !== undefined && epci !== this.options.epci) {
        this.issue('epci', epci, `EPCI différent de celui de l'import (--epci ${this.options.epci})`);
        epci = undefined;
      }
    }
    const desiredCommunesText = this.get('desired_communes');
    const desiredCommunes = this.list(desiredCommunesText);
    if (desiredCommunesText !== undefined && desiredCommunes.length === 0) {
      this.issue('desired_communes', '', 'au moins une commune souhaitée');
    }
    for (const code of desiredCommunes) {
      const owner = knownCommunes.get(code);
      if (owner === undefined) this.issue('desired_communes', code, 'commune inconnue');
      else if (epci !== undefined && owner !== epci) {
        this.issue('desired_communes', code, `commune hors de l'EPCI ${epci}`);
      }
    }

    // Household and resources.
    const persons14OrMore = this.count('persons_14_or_more', 1, 'au moins une personne de 14 ans ou plus');
    const personsUnder14 = this.count('persons_under_14', 0, 'doit être positif ou nul');
    const monthlyResourcesEur = this.amount(
      'monthly_resources_eur',
      this.required('monthly_resources_eur'),
      'ressources négatives',
    );
    const referenceTaxIncomeEur = this.amount(
      'reference_tax_income_eur',
      this.required('reference_tax_income_eur'),
      'revenu fiscal de référence négatif',
    );

    // Wishes and priorities.
    const typologiesText = this.get('desired_typologies');
    const desiredTypologies: Typology[] = [];
    for (const t of this.list(typologiesText)) {
      const n = /^T[1-6]$/.test(t) ? (Number(t[1]) as Typology) : undefined;
      if (n === undefined) this.issue('desired_typologies', t, 'typologie attendue : T1 à T6');
      else desiredTypologies.push(n);
    }
    if (typologiesText !== undefined && typologiesText === '') {
      this.issue('desired_typologies', '', 'au moins une typologie souhaitée');
    }
    desiredTypologies.sort(byNumber);
    const priorityCriteria: PriorityCriterion[] = [];
    for (const c of this.list(this.get('priority_criteria'))) {
      if (PRIORITY_CODES.has(c)) priorityCriteria.push(c as PriorityCriterion);
      else
        this.issue('priority_criteria', c, 'critère de priorité inconnu (codes : docs/formats/demands.md)');
    }
    const dalo = this.flag('dalo', this.required('dalo'));
    const urbanRenewalRelocation = this.flag(
      'urban_renewal_relocation',
      this.required('urban_renewal_relocation'),
    );
    const currentSocialTenant = this.flag('current_social_tenant', this.required('current_social_tenant'));

    // Optional columns.
    const householdTypeText = this.get('household_type') || undefined;
    if (householdTypeText !== undefined && !HOUSEHOLD_CODES.has(householdTypeText)) {
      this.issue(
        'household_type',
        householdTypeText,
        `type de ménage inconnu (${HOUSEHOLD_TYPE_CODES.join(', ')})`,
      );
    }
    const currentHousingText = this.get('current_housing') || undefined;
    if (currentHousingText !== undefined) {
      if (!HOUSING_CODES.has(currentHousingText)) {
        this.issue(
          'current_housing',
          currentHousingText,
          'logement actuel inconnu (codes : docs/formats/demands.md)',
        );
      } else if (
        currentSocialTenant !== undefined &&
        (currentHousingText === 'social-tenant') !== currentSocialTenant
      ) {
        this.issue(
          'current_housing',
          currentHousingText,
          `incohérent avec current_social_tenant = ${currentSocialTenant}`,
        );
      }
    }
    const currentCommune = this.get('current_commune') ?? '';
    if (currentCommune !== '' && !COMMUNE_CODE.test(currentCommune)) {
      this.issue('current_commune', currentCommune, 'code INSEE de commune invalide');
    }
    const reasons = this.list(this.get('reasons'));
    for (const r of reasons) {
      if (!REASON_CODE.test(r)) this.issue('reasons', r, 'motif invalide (minuscules, chiffres et tirets)');
    }
    const maxRentText = this.get('max_rent_eur') || undefined;
    const maxRentEur = this.amount('max_rent_eur', maxRentText, 'doit être positif ou nul');
    const wheelchairText = this.get('wheelchair_access') || undefined;
    const wheelchairAccess =
      wheelchairText === undefined ? false : this.flag('wheelchair_access', wheelchairText);
    const statusText = this.get('status') || 'active';
    if (!STATUSES.has(statusText))
      this.issue('status', statusText, 'statut attendu : active, housed ou cancelled');
    const closedOnText = this.get('closed_on') || undefined;
    const closedOn = this.date('closed_on', closedOnText);
    if (STATUSES.has(statusText)) {
      if (statusText === 'active' && closedOnText !== undefined) {
        this.issue('closed_on', closedOnText, "une demande active n'a pas de date de clôture");
      } else if (statusText !== 'active' && closedOnText === undefined) {
        this.issue('closed_on', '', `date de clôture obligatoire pour le statut ${statusText}`);
      }
    }
    if (closedOn !== undefined && registeredOn !== undefined && closedOn < registeredOn) {
      this.issue('closed_on', closedOn, `clôture avant le dépôt de la demande (${registeredOn})`);
    }

    if (this.issues.length > before || this.fileInvalid) {
      if (this.issues.length > before) this.rejected.push({ line, fields });
      return;
    }
    this.lines.push(line);
    this.demands.push({
      sneNumber: sneNumber!,
      epci: epci!,
      household: null,
      registeredOn: registeredOn!,
      applicantBirthDate: applicantBirthDate!,
      householdType:
        (householdTypeText as HouseholdType | undefined) ??
        defaultHouseholdType(persons14OrMore!, personsUnder14!),
      persons14OrMore: persons14OrMore!,
      personsUnder14: personsUnder14!,
      monthlyResourcesEur: monthlyResourcesEur!,
      referenceTaxIncomeEur: referenceTaxIncomeEur!,
      currentHousing:
        (currentHousingText as CurrentHousing | undefined) ??
        (currentSocialTenant ? 'social-tenant' : 'other'),
      currentCommune,
      reasons,
      desiredCommunes,
      desiredTypologies,
      maxRentEur: maxRentEur ?? null,
      priorityCriteria,
      dalo: dalo!,
      urbanRenewalRelocation: urbanRenewalRelocation!,
      currentSocialTenant: currentSocialTenant!,
      wheelchairAccess: wheelchairAccess!,
      status: statusText as DemandStatus,
      closedOn: closedOn ?? null,
      generated: false,
    });
  }

  // Per-row helpers, as methods (closures created for every row cost more than the checks).
  private line = 0;
  private fields: readonly string[] = [];

  private issue(field: DemandColumn, value: string, rule: string): undefined {
    this.issues.push({ file: this.options.file, line: this.line, field, value, rule });
    return undefined;
  }

  /** The trimmed value of a column; undefined when the column is absent from the header. */
  private get(name: DemandColumn): string | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.fields[i]!.trim();
  }

  /** A required value: undefined (after an issue) when empty; undefined silently when the column is absent. */
  private required(name: DemandColumn): string | undefined {
    const v = this.get(name);
    return v === '' ? this.issue(name, v, 'valeur obligatoire manquante') : v;
  }

  private date(name: DemandColumn, v: string | undefined): string | undefined {
    if (v === undefined) return undefined;
    const problem = dateProblem(v, this.options.today);
    return problem ? this.issue(name, v, problem) : v;
  }

  private count(name: DemandColumn, min: number, belowMin: string): number | undefined {
    const v = this.required(name);
    if (v === undefined) return undefined;
    if (!INTEGER.test(v)) return this.issue(name, v, 'doit être un nombre entier');
    const n = Number(v);
    if (n < min) return this.issue(name, v, belowMin);
    if (n > MAX_PERSONS) return this.issue(name, v, `${MAX_PERSONS} au plus`);
    return n;
  }

  private amount(name: DemandColumn, v: string | undefined, negative: string): number | undefined {
    if (v === undefined) return undefined;
    if (!DECIMAL.test(v)) return this.issue(name, v, 'doit être un nombre (chiffres, point décimal)');
    const n = Number(v);
    return n < 0 ? this.issue(name, v, negative) : n;
  }

  private flag(name: DemandColumn, v: string | undefined): boolean | undefined {
    if (v === undefined) return undefined;
    if (v === 'true') return true;
    if (v === 'false') return false;
    return this.issue(name, v, 'true ou false attendu');
  }

  /** The distinct trimmed items of a `|`-separated list. */
  private list(v: string | undefined): string[] {
    const items: string[] = [];
    if (v === undefined || v === '') return items;
    for (const part of v.split('|')) {
      const item = part.trim();
      if (!items.includes(item)) items.push(item);
    }
    return items;
  }
}

/** Validates every record of a demand file (header first). */
export function validateDemandRows(
  records: Iterable<CsvRecord>,
  options: DemandValidationOptions,
): DemandValidation {
  const validator = new DemandRowValidator(options);
  for (const record of records) validator.push(record);
  return validator.finish();
}

/**
 * Household type when the file does not give it, from the persons alone: one person aged 14 or more
 * is single (with children under 14: single parent), two are a couple (with or without children),
 * more is `other`. A guess documented in docs/formats/demands.md.
 */
export function defaultHouseholdType(persons14OrMore: number, personsUnder14: number): HouseholdType {
  if (persons14OrMore === 1) return personsUnder14 > 0 ? 'single-parent' : 'single';
  if (persons14OrMore === 2) return personsUnder14 > 0 ? 'couple-with-children' : 'couple';
  return 'other';
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** What is wrong with an ISO date of the file, or null. */
function dateProblem(v: string, today: string): string | null {
  const m = DATE.exec(v);
  if (!m) return 'date attendue au format AAAA-MM-JJ';
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (days === undefined || day < 1 || day > days) return 'date impossible';
  if (year < MIN_YEAR) return `date antérieure à ${MIN_YEAR}`;
  if (v > today) return 'date dans le futur';
  return null;
}

function byNumber(a: number, b: number): number {
  return a - b;
}
