import { once } from 'node:events';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '@mosaique/db';
import type { FirstQuartileThresholdResult } from '@mosaique/domain/demand';
import type { Command } from 'commander';
import { UserError } from '../user-error.ts';

/**
 * `mosaique demands import FILE.csv [--epci CODE] [--skip-invalid REJECTS.csv]` and
 * `mosaique demands quartile --epci CODE --year YYYY [--json] [--official EUR|none]`.
 * Format and rules: docs/formats/demands.md.
 */
export function register(program: Command): void {
  const demands = program
    .command('demands')
    .description('Demandes de logement social (SNE) : import, seuil du premier quartile');

  demands
    .command('import')
    .argument('<fichier>', 'fichier CSV des demandes (voir docs/formats/demands.md)')
    .description(
      'Importe des demandes (mise à jour par numéro SNE : un second import ne change rien). Toutes les lignes invalides sont signalées à la fois ; par défaut rien n’est importé si une ligne est invalide.',
    )
    .option('--epci <code>', 'n’accepter que les demandes de cet EPCI')
    .option(
      '--skip-invalid <rejets.csv>',
      'importer les lignes valides et écrire les autres, avec leurs motifs, dans ce fichier',
    )
    .action(async (file: string, options: { epci?: string; skipInvalid?: string }) => {
      await runImport(file, options);
    });

  demands
    .command('quartile')
    .description(
      'Seuil du premier quartile d’un EPCI pour une année : calculé à partir des demandes actives au 31 décembre de l’année précédente, officiel (arrêté) s’il est enregistré. --official l’enregistre (--official none le retire).',
    )
    .requiredOption('--epci <code>', 'EPCI (9 chiffres)')
    .requiredOption('--year <aaaa>', 'année du seuil')
    .option(
      '--official <eur>',
      'enregistre le seuil officiel de l’arrêté (€ par UC et par an, > 0), ou « none »',
    )
    .option('--json', 'sortie JSON')
    .action(async (options: { epci: string; year: string; official?: string; json?: boolean }) => {
      await runQuartile(options);
    });
}

/** The database layer, loaded only by the commands that use it. */
const loadDb = () => import('@mosaique/db');

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const { dbOptionsFromEnv, migrate, openDb } = await loadDb();
  const db = await openDb(dbOptionsFromEnv());
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

const EPCI_CODE = /^[0-9]{9}$/;
/** Issues printed before « … et N autre(s) ». */
const SHOWN_ISSUES = 20;

function checkEpciOption(epci: string): void {
  if (!EPCI_CODE.test(epci))
    throw new UserError(`--epci : code EPCI de 9 chiffres attendu, reçu « ${epci} »`);
}

async function checkEpciKnown(db: Db, epci: string): Promise<void> {
  const rows = await db.query('SELECT 1 FROM epci WHERE code = $1', [epci]);
  if (rows.length === 0)
    throw new UserError(
      `l’EPCI ${epci} n’est pas dans la base : importez d’abord son territoire (mosaique territory import)`,
    );
}

/** Today in France, YYYY-MM-DD: no date of a demand may be later. */
function todayInFrance(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(new Date());
}

async function runImport(file: string, options: { epci?: string; skipInvalid?: string }): Promise<void> {
  const started = performance.now();
  if (!existsSync(file) || !statSync(file).isFile()) throw new UserError(`fichier introuvable : ${file}`);
  if (options.epci !== undefined) checkEpciOption(options.epci);
  const rejectsFile = options.skipInvalid;
  if (rejectsFile !== undefined && path.resolve(rejectsFile) === path.resolve(file))
    throw new UserError('--skip-invalid : le fichier des rejets doit être différent du fichier importé');

  const { ImportError, formatImportIssue } = await import('@mosaique/domain/shared/import-error.ts');
  const { demandRejectsLines } = await import('@mosaique/domain/demand/import');
  const { demandImportContext, generatedDemandSneNumbers, importDemandFile } = await loadDb();

  await withDb(async (db) => {
    if (options.epci !== undefined) await checkEpciKnown(db, options.epci);
    const { validation, report } = await importDemandFile(db, file, {
      ...(await demandImportContext(db)),
      generatedSneNumbers: await generatedDemandSneNumbers(db),
      today: todayInFrance(),
      epci: options.epci,
      skipInvalid: rejectsFile !== undefined,
    });
    const { issues, rejected } = validation;
    if (report === null) {
      const rows =
        rejected.length > 0 ? `\n${rejected.length} ligne(s) en erreur sur ${validation.rows}.` : '';
      throw new UserError(`${new ImportError(issues).message}${rows}`);
    }
    if (rejectsFile !== undefined) {
      const out = createWriteStream(rejectsFile, 'utf8');
      const done = new Promise<void>((resolve, reject) => {
        out.on('finish', resolve);
        out.on('error', reject);
      });
      for (const line of demandRejectsLines(validation))
        if (!out.write(`${line}\n`)) await once(out, 'drain');
      out.end();
      await done;
      if (issues.length > 0) {
        const shown = issues.slice(0, SHOWN_ISSUES).map(formatImportIssue);
        if (issues.length > SHOWN_ISSUES)
          shown.push(`… et ${issues.length - SHOWN_ISSUES} autre(s) erreur(s)`);
        process.stderr.write(
          `${rejected.length} ligne(s) rejetée(s) sur ${validation.rows}, écrites avec leurs motifs dans ${rejectsFile} :\n${shown.join('\n')}\n`,
        );
      }
    }
    process.stdout.write(
      `Demandes de ${path.basename(file)} importées en ${Math.round(performance.now() - started)} ms : ${report.inserted} créée(s), ${report.updated} modifiée(s), ${report.unchanged} inchangée(s)${rejected.length > 0 ? `, ${rejected.length} ligne(s) rejetée(s)` : ''}\n`,
    );
  });
}

async function runQuartile(options: {
  epci: string;
  year: string;
  official?: string;
  json?: boolean;
}): Promise<void> {
  checkEpciOption(options.epci);
  if (!/^\d{4}$/.test(options.year) || Number(options.year) < 2000 || Number(options.year) > 2100)
    throw new UserError(`--year : année entre 2000 et 2100 attendue, reçu « ${options.year} »`);
  const year = Number(options.year);
  let official: number | null | undefined;
  if (options.official !== undefined) {
    const text = options.official.trim();
    official = text === 'none' ? null : /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
    if (official !== null && !(official > 0))
      throw new UserError(
        `--official : montant en euros par UC et par an, supérieur à 0 (ex. 9243), ou « none » attendu, reçu « ${options.official} »`,
      );
  }
  const { firstQuartileThresholdOf, setOfficialFirstQuartileThreshold } = await loadDb();
  const result = await withDb(async (db) => {
    await checkEpciKnown(db, options.epci);
    return official === undefined
      ? firstQuartileThresholdOf(db, options.epci, year)
      : setOfficialFirstQuartileThreshold(db, options.epci, year, official);
  });
  if (options.json) {
    const { epci, computed, demands, used } = result;
    process.stdout.write(
      `${JSON.stringify({ epci, year, computed, official: result.official, used, demands })}\n`,
    );
    return;
  }
  process.stdout.write(`${describeThreshold(result, official)}\n`);
}

const euros = (v: number) => `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(v)} €`;

function describeThreshold(r: FirstQuartileThresholdResult, recorded: number | null | undefined): string {
  const lines: string[] = [];
  if (recorded !== undefined)
    lines.push(
      recorded === null ? 'Seuil officiel retiré.' : `Seuil officiel enregistré : ${euros(recorded)}.`,
    );
  lines.push(
    `Seuil du premier quartile, EPCI ${r.epci}, année ${r.year} (revenu annuel par UC ; ${r.demands} demande(s) active(s) au ${r.countedOn}) :`,
    `  calculé  : ${r.computed === null ? 'aucune demande active' : euros(r.computed)}`,
    `  officiel : ${r.official === null ? 'non enregistré' : euros(r.official)}`,
    `  retenu   : ${r.used === null ? 'aucun' : `${euros(r.used)} (${r.official !== null ? 'officiel' : 'calculé'})`}`,
  );
  return lines.join('\n');
}
