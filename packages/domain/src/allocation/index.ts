/**
 * Allocation of a closed letting cycle under the CIA targets (CCH L441-1) and the reservation
 * holders' priority duties. Import as `@mosaique/domain/allocation`.
 */
export { allocate } from './allocate.ts';
export { type AllocationCheck, checkAllocation } from './check.ts';
export { type EngineSolution, relativeGap, solveAllocationModel } from './engine.ts';
export {
  type AllocationGeneratorOptions,
  generateAllocationInstance,
  RESERVATION_HOLDERS,
} from './generate.ts';
export { allocationModelToLp } from './lp-format.ts';
export { type AllocationModel, compileAllocationModel, penalisedObjective, type TargetRow } from './model.ts';
export { constraintLabel } from './report.ts';
export * from './types.ts';
export { AllocationInstanceError, validateAllocationInstance } from './validate.ts';
