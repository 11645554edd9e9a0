import { ImportError } from '@mosaique/domain/shared/import-error.ts';
import type { TerritoryData } from '@mosaique/domain/territory';
import type { Command } from 'commander';
import { UserError } from '../user-error.ts';

export function register(program: Command): void {
  const territory = program
    .command('territory')
    .description('Territoire : EPCI, communes, IRIS, QPV, écoles');
  territory
    .command('import')
    .argument('<dossier>', 'dossier décrit par un territory.json (voir docs/formats/territory.md)')
    .description(
      "Importe un territoire. Idempotent : un second import ne change rien. Un fichier invalide est refusé avec le fichier, la ligne ou l'entité, le champ et la règle ; la base reste inchangée.",
    )
    .action(async (folder: string) => {
      const started = performance.now();
      const { dbOptionsFromEnv, importTerritory, migrate, openDb, readTerritoryFolder } = await import(
        '@mosaique/db'
      );
      let data: TerritoryData;
      try {
        data = await readTerritoryFolder(folder);
      } catch (error) {
        if (error instanceof ImportError) throw new UserError(error.message);
        throw error;
      }
      const db = await openDb(dbOptionsFromEnv());
      try {
        await migrate(db);
        const report = await importTerritory(db, data);
        const lines = Object.entries(report).map(
          ([table, r]) =>
            `  ${table.padEnd(12)} ${String(r.inserted).padStart(5)} créé(s) ${String(r.updated).padStart(5)} modifié(s) ${String(r.unchanged).padStart(5)} inchangé(s)`,
        );
        process.stdout.write(
          `Territoire ${data.epci.name} (${data.epci.code}) importé en ${Math.round(performance.now() - started)} ms :\n${lines.join('\n')}\n`,
        );
      } finally {
        await db.close();
      }
    });
}
