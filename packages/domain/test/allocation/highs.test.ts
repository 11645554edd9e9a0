import loadHighs from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  allocate,
  allocationModelToLp,
  checkAllocation,
  compileAllocationModel,
  generateAllocationInstance,
} from '../../src/allocation/index.ts';

type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

/**
 * Medium instances against HiGHS (MIP solved to optimality, and the plain LP relaxation), on the same
 * model written in CPLEX LP format: the engine's allocation is never better than the optimum, its
 * upper bound never below it, and its bound is at least as tight as the LP relaxation (it rounds the
 * targets to whole households).
 */
describe('allocate against HiGHS', () => {
  const cases = [
    { homes: 120, applicants: 1200, choices: 4, epcis: 1, seed: 1 },
    { homes: 150, applicants: 1500, choices: 5, epcis: 6, seed: 2 },
    { homes: 150, applicants: 900, choices: 3, epcis: 12, seed: 3 },
  ];
  for (const options of cases) {
    it(`brackets the MIP optimum within its reported gap (${options.homes} homes, ${options.epcis} EPCI, seed ${options.seed})`, () => {
      const instance = generateAllocationInstance(options);
      const result = allocate(instance);
      expect(checkAllocation(instance, result).problems).toEqual([]);
      const model = compileAllocationModel(instance);
      const mip = highs.solve(allocationModelToLp(model), {
        mip_rel_gap: 0,
        time_limit: 60,
        output_flag: false,
      });
      expect(mip.Status).toBe('Optimal');
      const lp = highs.solve(allocationModelToLp(model, { relaxed: true }), { output_flag: false });
      expect(lp.Status).toBe('Optimal');
      const optimum = mip.ObjectiveValue;
      const tolerance = 1e-7 * Math.abs(optimum);
      expect(result.objective).toBeLessThanOrEqual(optimum + tolerance);
      expect(result.upperBound).toBeGreaterThanOrEqual(optimum - tolerance);
      expect(result.upperBound).toBeLessThanOrEqual(lp.ObjectiveValue + tolerance);
      expect(result.gap).toBeLessThanOrEqual(1e-4);
    });
  }
});
