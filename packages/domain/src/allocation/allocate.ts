/**
 * Entry point of the allocation engine: validates an instance, compiles it, solves it and reports.
 * Pure and synchronous; the only clock read is for the time limit.
 */
import { solveAllocationModel } from './engine.ts';
import { compileAllocationModel } from './model.ts';
import { buildAllocationResult } from './report.ts';
import type { AllocationResult, AllocationSettings } from './types.ts';
import { validateAllocationInstance } from './validate.ts';

/**
 * Proposes who should get which home of a closed letting cycle, under the year's CIA targets
 * (CCH L441-1) and each reservation holder's priority duty; `settings` override the instance's.
 * Throws AllocationInstanceError on an invalid instance.
 */
export function allocate(instance: unknown, settings: Partial<AllocationSettings> = {}): AllocationResult {
  const startedAt = Date.now();
  const valid = validateAllocationInstance(instance);
  const model = compileAllocationModel(valid, settings);
  const solution = solveAllocationModel(model, startedAt);
  return buildAllocationResult(model, solution, (Date.now() - startedAt) / 1000);
}
