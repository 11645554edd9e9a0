import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Db } from '@mosaique/db';
import { csvLine } from '@mosaique/domain/shared/csv.ts';
import type { Command } from 'commander';
import { UserError } from '../user-error.ts';

const DEMO_EPCI = '200040715';

/** The `demo` group, created here or by commands/demo.ts, whichever registers first. */
function demoGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'demo') ??
    program.command('demo').description('Population de démonstration (générée)')
  );
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

export const HOUSEHOLD_EXPORT_COLUMNS = [
  'household_id',
  'iris',
  'commune',
  'tenure',
  'persons_14_or_more',
  'persons_under_14',
  'annual_disposable_income_eur',
  'reference_age',
  'household_type',
  'income_imputed',
  'generated',
] as const;

export function register(program: Command): void {
  const demo = demoGroup(program);

  demo
    .command('load')
    .description(
      'Génère la population de démonstration avec la graine donnée et remplace celle de la base (une seule transaction)',
    )
    .requiredOption('--seed <n>', 'graine (entier ≥ 0)')
    .action(async (options: { seed: string }) => {
      const seed = Number(options.seed);
      if (!Number.isInteger(seed) || seed < 0)
        throw new UserError(`--seed : entier positif ou nul attendu, reçu « ${options.seed} »`);
      const started = performance.now();
      const say = (line: string) =>
        process.stderr.write(`${line} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
      const { DEMO_TERRITORY_DIR, importTerritory, readTerritoryFolder, replaceDemoPopulation } =
        await loadDb();
      const { generateDemoPopulation } = await import('@mosaique/domain/demo');
      const territory = await readTerritoryFolder(DEMO_TERRITORY_DIR);
      const population = generateDemoPopulation(territory, { seed });
      say(`Population générée (graine ${seed}) : ${population.households.length} ménages`);
      await withDb(async (db) => {
        await importTerritory(db, territory);
        await replaceDemoPopulation(db, population, ({ table, rows }) =>
          say(`  chargé : ${table}, ${rows} ligne(s)`),
        );
      });
      say('Population de démonstration remplacée');
    });

  const exportCommand = demo
    .command('export')
    .description('Exporte la population de démonstration de la base');
  exportCommand
    .command('households')
    .description(`Un ménage par ligne, en CSV : ${HOUSEHOLD_EXPORT_COLUMNS.join(',')}`)
    .requiredOption('--out <fichier>', 'fichier CSV à écrire')
    .option('--epci <code>', 'EPCI', DEMO_EPCI)
    .action(async (options: { out: string; epci: string }) => {
      const written = await withDb(async (db) => {
        const out = createWriteStream(options.out, 'utf8');
        const done = new Promise<void>((resolve, reject) => {
          out.on('finish', resolve);
          out.on('error', reject);
        });
        out.write(`${HOUSEHOLD_EXPORT_COLUMNS.join(',')}\n`);
        let after = '';
        let total = 0;
        // Keyset pages: memory stays flat whatever the number of households.
        for (;;) {
          const rows = await db.query<Record<string, unknown>>(
            `SELECT id, iris_code, commune_code, tenure, persons_14_or_more, persons_under_14,
                    annual_disposable_income_eur, reference_age, type, income_imputed, generated
             FROM household WHERE epci_code = $1 AND id > $2 ORDER BY id LIMIT 20000`,
            [options.epci, after],
          );
          if (rows.length === 0) break;
          let chunk = '';
          for (const r of rows) chunk += `${csvLine(Object.values(r) as (string | number | boolean)[])}\n`;
          if (!out.write(chunk)) await once(out, 'drain');
          total += rows.length;
          after = String(rows[rows.length - 1]!.id);
        }
        out.end();
        await done;
        return total;
      });
      if (written === 0)
        throw new UserError(
          `aucun ménage pour l'EPCI ${options.epci} : lancez « mosaique start » ou « mosaique demo load »`,
        );
      process.stderr.write(`${written} ménage(s) écrit(s) dans ${options.out}\n`);
    });
}
