import type { Command } from 'commander';

/**
 * Every command group of `mosaique`. Each module exports `register(program)`;
 * add a group here with one import and one line.
 */
export function registerCommands(program: Command): void {
  void program;
}
