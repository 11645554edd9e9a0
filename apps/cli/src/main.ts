import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.ts';
import { UserError } from './user-error.ts';

/** Builds the `mosaique` program; each command group lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('mosaique')
    .description(
      'Mosaïque — location choisie, attribution sous objectifs de mixité, observatoire de la mixité',
    )
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof UserError) {
      process.stderr.write(`Erreur : ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    throw error;
  }
}
