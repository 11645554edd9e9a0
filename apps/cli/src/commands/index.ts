import type { Command } from 'commander';
import { register as registerAllocate } from './allocate.ts';
import { register as registerDb } from './db.ts';
import { register as registerDemands } from './demands.ts';
import { register as registerDemo } from './demo.ts';
import { register as registerDemoDatabase } from './demo-database.ts';
import { register as registerDev } from './dev.ts';
import { register as registerIndices } from './indices.ts';
import { register as registerReview } from './review.ts';
import { register as registerStart } from './start.ts';
import { register as registerTerritory } from './territory.ts';

/**
 * Every command group of `mosaique`. Each module exports `register(program)`;
 * add a group here with one import and one line.
 */
export function registerCommands(program: Command): void {
  registerStart(program);
  registerDev(program);
  registerDb(program);
  registerTerritory(program);
  registerDemo(program);
  registerDemoDatabase(program);
  registerDemands(program);
  registerIndices(program);
  registerAllocate(program);
  registerReview(program);
}
