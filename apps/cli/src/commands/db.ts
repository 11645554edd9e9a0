import type { Command } from 'commander';

export function register(program: Command): void {
  const db = program.command('db').description('Base de données');
  db.command('migrate')
    .description('Applique les migrations en attente (PGlite de MOSAIQUE_DATA_DIR, ou DATABASE_URL)')
    .action(async () => {
      const { dbOptionsFromEnv, migrate, openDb } = await import('@mosaique/db');
      const conn = await openDb(dbOptionsFromEnv());
      try {
        const applied = await migrate(conn);
        process.stdout.write(
          applied.length ? `Migrations appliquées : ${applied.join(', ')}\n` : 'Schéma déjà à jour.\n',
        );
      } finally {
        await conn.close();
      }
    });
}
