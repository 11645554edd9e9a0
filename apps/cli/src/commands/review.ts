import { writeFile } from 'node:fs/promises';
import type { Db } from '@mosaique/db';
import { LETTINGS_COLUMNS } from '@mosaique/domain/review';
import type { Command } from 'commander';
import { UserError } from '../user-error.ts';

function checkOptions(options: { epci: string; year: string; until?: string }): { year: number } {
  if (!/^\d{9}$/.test(options.epci))
    throw new UserError(`--epci : code SIREN de 9 chiffres attendu, reçu « ${options.epci} »`);
  const year = Number(options.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw new UserError(`--year : année attendue, reçu « ${options.year} »`);
  if (
    options.until !== undefined &&
    !(/^\d{4}-\d{2}-\d{2}$/.test(options.until) && options.until.startsWith(`${year}-`))
  ) {
    throw new UserError(`--until : date AAAA-MM-JJ de l'année ${year} attendue, reçu « ${options.until} »`);
  }
  return { year };
}

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const { dbOptionsFromEnv, migrate, openDb } = await import('@mosaique/db');
  const db = await openDb(dbOptionsFromEnv());
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

export function register(program: Command): void {
  program
    .command('review')
    .description(
      'Bilan annuel de la CIA : baux signés hors QPV (premier quartile ou relogés) contre 25 %, en QPV (hors premier quartile) contre 50 %, publics prioritaires par réservataire contre 25 %, par bailleur, réservataire, commune et typologie',
    )
    .requiredOption('--epci <code>', 'EPCI (SIREN)')
    .requiredOption('--year <année>', 'année')
    .option(
      '--until <date>',
      'à date (AAAA-MM-JJ) : bilan depuis le 1er janvier, avec projection au 31 décembre',
    )
    .option('--json', 'sortie JSON')
    .option('--xlsx <fichier>', 'écrit aussi le bilan en classeur XLSX (le même que l’API)')
    .action(
      async (options: { epci: string; year: string; until?: string; json?: boolean; xlsx?: string }) => {
        const { year } = checkOptions(options);
        const { ciaReviewReport, NoLeasesError } = await import('@mosaique/db');
        const { RuleNotInForceError } = await import('@mosaique/domain/shared/dated.ts');
        const result = await withDb(async (db) => {
          try {
            const report = await ciaReviewReport(db, options.epci, year, options.until);
            if (options.xlsx) {
              const { ciaReviewXlsx, reviewEpci } = await import('@mosaique/server');
              const epci = await reviewEpci(db, options.epci);
              await writeFile(options.xlsx, await ciaReviewXlsx(report, epci.name, epci.generated));
              process.stderr.write(`bilan écrit dans ${options.xlsx}\n`);
            }
            return report;
          } catch (error) {
            // No lease that year, or no target in force on that date: the user's input, said plainly.
            if (error instanceof NoLeasesError || error instanceof RuleNotInForceError) {
              throw new UserError((error as Error).message);
            }
            throw error;
          }
        });
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);
        const line = (
          label: string,
          o: {
            leases: number;
            qualifying: number;
            share: number | null;
            target: number;
            missingHouseholds: number;
          },
        ) =>
          `${label} : ${o.qualifying} sur ${o.leases} baux (${pct(o.share)}, objectif ${pct(o.target)})${o.missingHouseholds ? `, manque ${o.missingHouseholds} ménage(s)` : ', objectif atteint'}`;
        const lines = [
          `Bilan CIA ${result.epci} ${result.year} (baux signés jusqu'au ${result.until}) : ${result.leases} baux ; seuil du premier quartile ${result.threshold.used ?? '—'} € (${result.threshold.origin === 'official' ? 'arrêté' : 'calculé'})`,
          line('Hors QPV, premier quartile ou relogés', result.outsideQpv),
          line('En QPV, hors premier quartile', result.insideQpv),
          ...result.priorityByReservationHolder.map((r) =>
            line(`Publics prioritaires, ${r.reservationHolder}`, r),
          ),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      },
    );

  const exportGroup =
    program.commands.find((c) => c.name() === 'export') ?? program.command('export').description('Exports');
  exportGroup
    .command('lettings')
    .description(
      `Les baux signés d'un EPCI et d'une année, un par ligne, de quoi recalculer le bilan : ${LETTINGS_COLUMNS.join(',')}`,
    )
    .requiredOption('--epci <code>', 'EPCI (SIREN)')
    .requiredOption('--year <année>', 'année')
    .requiredOption('--out <fichier>', 'fichier CSV à écrire')
    .action(async (options: { epci: string; year: string; out: string }) => {
      const { year } = checkOptions(options);
      const { reviewLeases } = await import('@mosaique/db');
      const { lettingsCsv } = await import('@mosaique/domain/review');
      const leases = await withDb((db) => reviewLeases(db, options.epci, year));
      if (leases.length === 0) throw new UserError(`aucun bail signé en ${year} pour l'EPCI ${options.epci}`);
      await writeFile(options.out, lettingsCsv(leases), 'utf8');
      process.stderr.write(`${leases.length} bail(baux) écrit(s) dans ${options.out}\n`);
    });
}
