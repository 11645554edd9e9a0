import { readFileSync, writeFileSync } from 'node:fs';
import {
  AllocationInstanceError,
  type AllocationResult,
  type AllocationSettings,
  allocate,
  generateAllocationInstance,
} from '@mosaique/domain/allocation';
import type { Command } from 'commander';
import { UserError } from '../user-error.ts';

/**
 * `mosaique allocate INSTANCE.json [--out RESULT.json] [--time-limit S]`: proposes who should get
 * which home of a closed letting cycle under the CIA targets (CCH L441-1), with the certified gap to
 * the best possible. `mosaique allocate generate …` (a subcommand with its own options and help)
 * writes a realistic seeded instance. Formats: docs/formats/allocation.md.
 */
export function register(program: Command): void {
  // Commander reads a command's options before its subcommand's name only when every ancestor does
  // so too; `mosaique` itself has no options but --help and --version, which this leaves unchanged.
  program.enablePositionalOptions();
  const allocate = program
    .command('allocate')
    .description(
      'Propose une attribution des logements d’un cycle de location clos sous les objectifs de la CIA et les obligations des réservataires, avec l’écart certifié à l’optimum. « mosaique allocate generate … » écrit une instance réaliste et reproductible.',
    )
    .usage('INSTANCE.json [--out RESULT.json] [--time-limit S] [--gap-tolerance G]')
    // `allocate`'s options are read before the subcommand name only: `generate` has its own --out.
    .enablePositionalOptions()
    .argument('[instance]', 'instance JSON (voir docs/formats/allocation.md)')
    .option('--out <fichier>', 'fichier JSON du résultat (sinon sur la sortie standard)')
    .option('--time-limit <secondes>', 'temps maximal du moteur, en secondes (défaut 60)')
    .option(
      '--gap-tolerance <écart>',
      'arrêt dès que l’écart relatif à la borne est au plus cette valeur (défaut 1e-6)',
    )
    .action((instance: string | undefined, options: AllocateOptions) => {
      if (instance === undefined)
        throw new UserError(
          'indiquez le fichier d’instance (mosaique allocate INSTANCE.json) ou la sous-commande « generate »',
        );
      runAllocate(instance, options);
    });
  // A file literally named "generate" is still reachable as ./generate.
  allocate
    .command('generate')
    .description(
      'Écrit une instance d’attribution réaliste et reproductible (même graine, même fichier) : logements, candidats, candidatures classées, baux de l’année.',
    )
    .option('--homes <n>', 'nombre de logements (obligatoire)')
    .option('--applicants <n>', 'nombre de candidats (obligatoire)')
    .option('--choices <k>', 'candidatures par candidat', '5')
    .option('--epcis <n>', 'nombre d’EPCI', '1')
    .option('--seed <graine>', 'graine du générateur', '1')
    .option('--out <fichier>', 'fichier JSON de l’instance écrite (obligatoire)')
    .action((options: GenerateOptions) => runGenerate(options));
}

interface GenerateOptions {
  homes?: string;
  applicants?: string;
  choices: string;
  epcis: string;
  seed: string;
  out?: string;
}

function runGenerate(options: GenerateOptions): void {
  if (options.homes === undefined || options.applicants === undefined || options.out === undefined)
    throw new UserError('generate demande --homes, --applicants et --out');
  const homes = positiveInteger('--homes', options.homes);
  const choices = positiveInteger('--choices', options.choices);
  if (choices > homes) throw new UserError(`--choices (${choices}) dépasse --homes (${homes})`);
  const instance = generateAllocationInstance({
    homes,
    applicants: positiveInteger('--applicants', options.applicants),
    choices,
    epcis: positiveInteger('--epcis', options.epcis),
    seed: integer('--seed', options.seed),
  });
  writeFileSync(options.out, `${JSON.stringify(instance)}\n`);
  process.stdout.write(
    `Instance écrite dans ${options.out} : ${instance.homes.length} logements, ${instance.applicants.length} candidats, ${instance.applications.length} candidatures.\n`,
  );
}

interface AllocateOptions {
  out?: string;
  timeLimit?: string;
  gapTolerance?: string;
}

function integer(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UserError(`${name} : entier attendu, reçu « ${value} »`);
  return n;
}

function positiveInteger(name: string, value: string): number {
  const n = integer(name, value);
  if (n < 1) throw new UserError(`${name} : entier ≥ 1 attendu, reçu « ${value} »`);
  return n;
}

function runAllocate(file: string, options: AllocateOptions): void {
  const settings: Partial<AllocationSettings> = {};
  if (options.timeLimit !== undefined) {
    const s = Number(options.timeLimit);
    if (!Number.isFinite(s) || s <= 0)
      throw new UserError(`--time-limit : durée en secondes > 0 attendue, reçu « ${options.timeLimit} »`);
    settings.timeLimitSeconds = s;
  }
  if (options.gapTolerance !== undefined) {
    const g = Number(options.gapTolerance);
    if (!Number.isFinite(g) || g < 0)
      throw new UserError(`--gap-tolerance : nombre ≥ 0 attendu, reçu « ${options.gapTolerance} »`);
    settings.relativeGapTolerance = g;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`lecture impossible de ${file} : ${(error as Error).message}`);
  }
  let instance: unknown;
  try {
    instance = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file} n’est pas un JSON valide : ${(error as Error).message}`);
  }
  let result: AllocationResult;
  try {
    result = allocate(instance, settings);
  } catch (error) {
    if (error instanceof AllocationInstanceError) throw new UserError(`${file} : ${error.message}`);
    throw error;
  }
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (options.out !== undefined) {
    writeFileSync(options.out, json);
    process.stdout.write(summary(result, options.out));
  } else {
    process.stdout.write(json);
    process.stderr.write(summary(result, undefined));
  }
}

function fr(x: number, digits = 1): string {
  return x.toLocaleString('fr-FR', { maximumFractionDigits: digits });
}

function summary(result: AllocationResult, out: string | undefined): string {
  const homes = result.assignments.length + result.unlet.length;
  const statusText = {
    optimal: 'optimal',
    withinTolerance: 'dans la tolérance',
    timeLimit: 'arrêté par la limite de temps',
    stalled: 'sans progrès possible',
  }[result.status];
  const lines = [
    `Attribution : ${result.assignments.length} logement(s) attribué(s) sur ${homes}, ${result.unlet.length} non attribué(s).`,
    `Objectif : ${fr(result.objective)} ; borne supérieure ${fr(result.upperBound)} ; écart relatif ${(result.gap * 100).toLocaleString('fr-FR', { maximumSignificantDigits: 3 })} % (${statusText}, ${fr(result.seconds, 2)} s).`,
    `Prix de la mixité : ${fr(result.priceOfMix)} points de poids par rapport à la meilleure attribution sans objectifs (${fr(result.unconstrainedWeight)}).`,
  ];
  const missed = result.constraints.filter((c) => c.shortfall > 0);
  if (missed.length === 0)
    lines.push(`Objectifs CIA : les ${result.constraints.length} objectifs sont atteints.`);
  else {
    lines.push(
      `Objectifs CIA : ${missed.length} objectif(s) sur ${result.constraints.length} hors d’atteinte avec ce vivier :`,
    );
    for (const c of missed.slice(0, 10))
      lines.push(
        `  - ${c.label} : ${fr(c.achieved, 2)} ménages pour ${fr(c.required, 2)} requis ; il aurait fallu ${c.missingHouseholds} ménage(s) de plus.`,
      );
    if (missed.length > 10) lines.push(`  … et ${missed.length - 10} autre(s).`);
  }
  if (out !== undefined) lines.push(`Résultat écrit dans ${out}.`);
  return `${lines.join('\n')}\n`;
}
