import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ImportError } from '@mosaique/domain/shared/import-error.ts';
import type { TerritoryData } from '@mosaique/domain/territory';
import type { Command } from 'commander';
import { UserError } from '../user-error.ts';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

function parseSeed(value: string): number {
  if (!/^\d{1,15}$/.test(value.trim())) {
    throw new UserError(
      `graine invalide : « ${value} ». Donnez un entier positif ou nul, par exemple --seed 1.`,
    );
  }
  return Number(value.trim());
}

const number = (n: number): string => n.toLocaleString('fr-FR');

/**
 * `mosaique demo …`: the generated demo population. `demo generate` writes it as files; loading it
 * into the database and exporting it from there (commands/demo-database.ts) join the same group,
 * whichever module registers first.
 */
export function register(program: Command): void {
  const demo =
    program.commands.find((c) => c.name() === 'demo') ??
    program
      .command('demo')
      .description('Population de démonstration générée (fictive, reproductible, étiquetée comme telle)');

  demo
    .command('generate')
    .description(
      'Génère la population de démonstration (parc social, ménages, demandes, baux 2023-2025, seuils du premier quartile) en fichiers CSV avec un manifeste. Même graine, mêmes octets.',
    )
    .option('--seed <entier>', 'graine du générateur (entier positif ou nul), obligatoire')
    .option('--out <dossier>', 'dossier où écrire les fichiers (créé au besoin), obligatoire')
    .option('--territory <dossier>', 'dossier du territoire (défaut : Grenoble-Alpes Métropole)')
    .action(async (options: { seed?: string; out?: string; territory?: string }) => {
      if (options.seed === undefined)
        throw new UserError('indiquez la graine : --seed <entier>, par exemple --seed 1.');
      if (options.out === undefined) throw new UserError('indiquez le dossier de sortie : --out <dossier>.');
      const seed = parseSeed(options.seed);
      const started = performance.now();
      // Loaded here, not at start-up: only this command needs them.
      const { DEMO_TERRITORY_DIR, readTerritoryFolder } = await import('@mosaique/db');
      const { DEMO_MANIFEST, demoPopulationFiles, generateDemoPopulation } = await import(
        '@mosaique/domain/demo'
      );
      let territory: TerritoryData;
      try {
        territory = await readTerritoryFolder(options.territory ?? DEMO_TERRITORY_DIR);
      } catch (error) {
        if (error instanceof ImportError) throw new UserError(error.message);
        throw error;
      }
      const loaded = performance.now();
      const population = generateDemoPopulation(territory, { seed });
      const generated = performance.now();
      const files = demoPopulationFiles(population, sha256);
      const serialised = performance.now();
      const out = path.resolve(options.out);
      try {
        await mkdir(out, { recursive: true });
        for (const [name, text] of Object.entries(files)) await writeFile(path.join(out, name), text, 'utf8');
      } catch (error) {
        const reason = error instanceof Error && 'code' in error ? ` (${String(error.code)})` : '';
        throw new UserError(`impossible d'écrire dans le dossier ${out}${reason}.`);
      }
      const seconds = (ms: number) => `${(ms / 1000).toFixed(2).replace('.', ',')} s`;
      process.stdout.write(
        [
          `Population de démonstration générée (graine ${seed}, générateur ${population.generatorVersion}) — données fictives.`,
          `  territoire      ${territory.epci.name} (${territory.epci.code})`,
          `  bailleurs       ${number(population.landlords.length)}`,
          `  résidences      ${number(population.residences.length)}`,
          `  logements       ${number(population.homes.length)}`,
          `  ménages         ${number(population.households.length)}`,
          `  demandes        ${number(population.demands.length)}`,
          `  baux signés     ${number(population.leases.length)}`,
          `  seuils Q1       ${population.firstQuartileThresholds.map((t) => `${t.year} : ${number(t.eur)} €`).join(' ; ')}`,
          `Écrit dans ${out} (${Object.keys(files).length} fichiers, dont ${DEMO_MANIFEST}).`,
          `Durée : lecture ${seconds(loaded - started)}, génération ${seconds(generated - loaded)}, fichiers ${seconds(serialised - generated)}, total ${seconds(performance.now() - started)}.`,
          '',
        ].join('\n'),
      );
    });
}
