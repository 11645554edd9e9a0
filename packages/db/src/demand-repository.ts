import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Demand } from '@mosaique/domain/demand';
import {
  type FirstQuartileThresholdResult,
  firstQuartileThreshold,
  isDemandActiveOn,
} from '@mosaique/domain/demand';
import {
  DemandRowValidator,
  type DemandValidation,
  type DemandValidationOptions,
} from '@mosaique/domain/demand/import';
import { CsvParser, CsvSyntaxError } from '@mosaique/domain/shared/csv.ts';
import { type BulkColumn, type BulkResult, bulkWrite } from './bulk.ts';
import type { Db } from './db.ts';

/** Columns of `demand` written by an import (`household_id` is left as it is: null for imported rows). */
export const DEMAND_COLUMNS: readonly BulkColumn[] = [
  { name: 'sne_number', type: 'text' },
  { name: 'epci_code', type: 'text' },
  { name: 'registered_on', type: 'date' },
  { name: 'applicant_birth_date', type: 'date' },
  { name: 'household_type', type: 'text' },
  { name: 'persons_14_or_more', type: 'smallint' },
  { name: 'persons_under_14', type: 'smallint' },
  { name: 'monthly_resources_eur', type: 'double precision' },
  { name: 'reference_tax_income_eur', type: 'double precision' },
  { name: 'current_housing', type: 'text' },
  { name: 'current_commune_code', type: 'text' },
  { name: 'reasons', type: 'text[]' },
  { name: 'desired_communes', type: 'text[]' },
  { name: 'desired_typologies', type: 'smallint[]' },
  { name: 'max_rent_eur', type: 'double precision' },
  { name: 'priority_criteria', type: 'text[]' },
  { name: 'dalo', type: 'boolean' },
  { name: 'urban_renewal_relocation', type: 'boolean' },
  { name: 'current_social_tenant', type: 'boolean' },
  { name: 'wheelchair_access', type: 'boolean' },
  { name: 'status', type: 'text' },
  { name: 'closed_on', type: 'date' },
  { name: 'generated', type: 'boolean' },
];

/** What the validation of a demand file needs from the database: its EPCIs and communes. */
export interface DemandImportContext {
  knownEpcis: Set<string>;
  /** Commune INSEE code → code of its EPCI. */
  knownCommunes: Map<string, string>;
}

export async function demandImportContext(db: Db): Promise<DemandImportContext> {
  const epcis = await db.query<{ code: string }>('SELECT code FROM epci');
  const communes = await db.query<{ code: string; epci_code: string }>('SELECT code, epci_code FROM commune');
  return {
    knownEpcis: new Set(epcis.map((e) => e.code)),
    knownCommunes: new Map(communes.map((c) => [c.code, c.epci_code])),
  };
}

/** Rows per statement of a demand import. */
const BATCH_SIZE = 20_000;

/**
 * Streams a demand file through a validator, in 1 MiB chunks (the file is never held as one string);
 * `afterChunk` runs after each chunk. A quote never closed becomes a file-level issue.
 */
async function streamDemandFile(
  file: string,
  validator: DemandRowValidator,
  afterChunk: () => Promise<void> = async () => {},
): Promise<DemandValidation> {
  const parser = new CsvParser(',');
  const push = validator.push.bind(validator);
  try {
    for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      parser.push(chunk as string, push);
      await afterChunk();
    }
    parser.end(push);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    validator.fail({ file: path.basename(file), line: error.line, rule: 'guillemet ouvert jamais fermé' });
  }
  return validator.finish();
}

/**
 * Reads and validates a demand file (docs/formats/demands.md) without writing anything. Messages name
 * the file by its base name.
 */
export async function readDemandFile(
  file: string,
  options: Omit<DemandValidationOptions, 'file'>,
): Promise<DemandValidation> {
  return streamDemandFile(file, new DemandRowValidator({ ...options, file: path.basename(file) }));
}

export interface DemandFileImportOptions extends Omit<DemandValidationOptions, 'file'> {
  /** Import the valid rows even when others are bad (`--skip-invalid`). */
  skipInvalid?: boolean;
  /** Rows per statement (default 20,000). */
  batchSize?: number;
}

export interface DemandFileImport {
  validation: DemandValidation;
  /** What was written; null when the file was refused (nothing written). */
  report: BulkResult | null;
}

class Refused extends Error {
  constructor(readonly validation: DemandValidation) {
    super('import refusé');
  }
}

/**
 * Reads, validates and upserts a demand file in one transaction. Batches of valid demands are written
 * while the rest of the file is still read, so that PostgreSQL works while Node parses; when the file
 * turns out to be refused — any issue without `skipInvalid`, a file-level issue with it — the
 * transaction is rolled back and the database is unchanged.
 */
export async function importDemandFile(
  db: Db,
  file: string,
  options: DemandFileImportOptions,
): Promise<DemandFileImport> {
  const { skipInvalid = false, batchSize = BATCH_SIZE, ...validationOptions } = options;
  const validator = new DemandRowValidator({ ...validationOptions, file: path.basename(file) });
  try {
    return await db.transaction(async (tx) => {
      const report: BulkResult = { inserted: 0, updated: 0, unchanged: 0 };
      let written = 0;
      // One batch in flight at a time; its failure is kept and rethrown, never left unhandled.
      let pending: Promise<void> = Promise.resolve();
      let failure: unknown = null;
      const write = async (all: boolean) => {
        const demands = validator.validDemands;
        while (demands.length - written >= batchSize || (all && demands.length > written)) {
          const batch = demands.slice(written, written + batchSize);
          written += batch.length;
          await pending;
          if (failure) throw failure;
          pending = writeDemands(tx, batch).then(
            (r) => {
              report.inserted += r.inserted;
              report.updated += r.updated;
              report.unchanged += r.unchanged;
            },
            (error: unknown) => {
              failure = error;
            },
          );
        }
      };
      const validation = await streamDemandFile(file, validator, async () => {
        if (skipInvalid || validator.issueCount === 0) await write(false);
      });
      await pending;
      if (failure) throw failure;
      if (validation.issues.length > 0 && (!skipInvalid || validation.fileInvalid))
        throw new Refused(validation);
      await write(true);
      await pending;
      if (failure) throw failure;
      return { validation, report };
    });
  } catch (error) {
    if (error instanceof Refused) return { validation: error.validation, report: null };
    throw error;
  }
}

/**
 * SNE numbers of the generated (demo) demands: an import must not turn a generated demand into a real
 * one, nor leave the demo loader colliding with real demands.
 */
export async function generatedDemandSneNumbers(db: Db): Promise<Set<string>> {
  const rows = await db.query<{ sne_number: string }>('SELECT sne_number FROM demand WHERE generated');
  return new Set(rows.map((r) => r.sne_number));
}

/**
 * Inserts or updates demands by SNE number, in one transaction (a failure leaves the table as it
 * was). Rows whose values did not change are not rewritten: importing the same file twice reports
 * everything unchanged.
 */
export async function upsertDemands(db: Db, demands: readonly Demand[]): Promise<BulkResult> {
  return db.transaction((tx) => writeDemands(tx, demands));
}

function writeDemands(db: Db, demands: readonly Demand[]): Promise<BulkResult> {
  return bulkWrite(db, {
    table: 'demand',
    key: ['sne_number'],
    columns: DEMAND_COLUMNS,
    chunkSize: BATCH_SIZE,
    rows: demands.map(demandRow),
  });
}

/** A demand's values in the order of DEMAND_COLUMNS. */
export function demandRow(d: Demand): unknown[] {
  return [
    d.sneNumber,
    d.epci,
    d.registeredOn,
    d.applicantBirthDate,
    d.householdType,
    d.persons14OrMore,
    d.personsUnder14,
    d.monthlyResourcesEur,
    d.referenceTaxIncomeEur,
    d.currentHousing,
    d.currentCommune,
    d.reasons,
    d.desiredCommunes,
    d.desiredTypologies,
    d.maxRentEur,
    d.priorityCriteria,
    d.dalo,
    d.urbanRenewalRelocation,
    d.currentSocialTenant,
    d.wheelchairAccess,
    d.status,
    d.closedOn,
    d.generated,
  ];
}

/**
 * The first-quartile threshold of `epci` for `year` (docs/RULES.md §1): computed by
 * `firstQuartileThreshold` from every demand of the EPCI (imported or generated) active on
 * 31 December of year − 1; official value from `first_quartile_threshold.official_eur`.
 */
export async function firstQuartileThresholdOf(
  db: Db,
  epci: string,
  year: number,
): Promise<FirstQuartileThresholdResult> {
  const countedOn = `${year - 1}-12-31`;
  // The SQL filter only narrows what is read; `firstQuartileThreshold` applies the rule itself.
  const rows = await db.query<{
    registered_on: string;
    closed_on: string | null;
    monthly_resources_eur: number;
    persons_14_or_more: number;
    persons_under_14: number;
  }>(
    `SELECT to_char(registered_on, 'YYYY-MM-DD') AS registered_on, to_char(closed_on, 'YYYY-MM-DD') AS closed_on,
            monthly_resources_eur, persons_14_or_more, persons_under_14
     FROM demand WHERE epci_code = $1 AND registered_on <= $2::date AND (closed_on IS NULL OR closed_on > $2::date)`,
    [epci, countedOn],
  );
  const demands = rows.map((r) => ({
    epci,
    registeredOn: r.registered_on,
    closedOn: r.closed_on,
    monthlyResourcesEur: Number(r.monthly_resources_eur),
    persons14OrMore: Number(r.persons_14_or_more),
    personsUnder14: Number(r.persons_under_14),
  }));
  const [recorded] = await db.query<{ official_eur: number | null }>(
    'SELECT official_eur FROM first_quartile_threshold WHERE epci_code = $1 AND year = $2',
    [epci, year],
  );
  const official = recorded?.official_eur == null ? null : Number(recorded.official_eur);
  return firstQuartileThreshold(
    demands.filter((d) => isDemandActiveOn(d, countedOn)),
    epci,
    year,
    official,
  );
}

/**
 * Records (or, with null, removes) the official first-quartile threshold of the ministerial order
 * for `epci` and `year`, and stores next to it the threshold computed from the demands at that
 * moment. Returns the threshold as it now stands.
 */
export async function setOfficialFirstQuartileThreshold(
  db: Db,
  epci: string,
  year: number,
  officialEur: number | null,
): Promise<FirstQuartileThresholdResult> {
  if (officialEur !== null && !(Number.isFinite(officialEur) && officialEur > 0)) {
    throw new Error(`seuil officiel invalide : ${officialEur} (nombre > 0 attendu)`);
  }
  return db.transaction(async (tx) => {
    const current = await firstQuartileThresholdOf(tx, epci, year);
    if (officialEur === null) {
      await tx.query(
        'UPDATE first_quartile_threshold SET official_eur = NULL WHERE epci_code = $1 AND year = $2',
        [epci, year],
      );
      // A row kept only for its official value has nothing left to say.
      await tx.query(
        'DELETE FROM first_quartile_threshold WHERE epci_code = $1 AND year = $2 AND computed_eur IS NULL',
        [epci, year],
      );
    } else {
      await tx.query(
        `INSERT INTO first_quartile_threshold (epci_code, year, computed_eur, demands, official_eur)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (epci_code, year) DO UPDATE
         SET computed_eur = EXCLUDED.computed_eur, demands = EXCLUDED.demands, official_eur = EXCLUDED.official_eur`,
        [epci, year, current.computed, current.demands, officialEur],
      );
    }
    return { ...current, official: officialEur, used: officialEur ?? current.computed };
  });
}
