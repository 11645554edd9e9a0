/**
 * One measured solve in its own process, so that peak memories do not mix (bench/allocation.ts).
 *   engine FILE [TOLERANCE]  — allocate() from @mosaique/domain/allocation, then checkAllocation
 *   highs FILE TIME_LIMIT    — HiGHS full MIP (presolve off, symmetry detection off, mip_rel_gap 1e-4)
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import {
  type AllocationInstance,
  allocate,
  allocationModelToLp,
  checkAllocation,
  compileAllocationModel,
} from '@mosaique/domain/allocation';
import loadHighs from 'highs';

const [mode, file, extra] = process.argv.slice(2);
if (!file || (mode !== 'engine' && mode !== 'highs')) {
  process.stderr.write('usage: allocation-worker.ts engine|highs FILE [TOLERANCE|TIME_LIMIT]\n');
  process.exit(2);
}

const peakMb = () => process.resourceUsage().maxRSS / 1024;
let t = performance.now();
const instance = JSON.parse(readFileSync(file, 'utf8')) as AllocationInstance;
const parseSeconds = (performance.now() - t) / 1000;

if (mode === 'engine') {
  const settings = extra !== undefined ? { relativeGapTolerance: Number(extra) } : {};
  const result = allocate(instance, settings);
  const check = checkAllocation(instance, result);
  const missed = result.constraints.filter((c) => c.shortfall > 0);
  process.stdout.write(
    `${JSON.stringify({
      mode,
      parseSeconds,
      seconds: result.seconds,
      objective: result.objective,
      upperBound: result.upperBound,
      gap: result.gap,
      status: result.status,
      iterations: result.iterations,
      priceOfMix: result.priceOfMix,
      rows: result.constraints.length,
      rowsShort: missed.length,
      missingHouseholds: missed.reduce((s, c) => s + c.missingHouseholds, 0),
      problems: check.problems,
      peakMb: peakMb(),
    })}\n`,
  );
} else {
  const highs = await loadHighs();
  t = performance.now();
  const lp = allocationModelToLp(compileAllocationModel(instance));
  const model = highs.createModel({ format: 'lp', data: lp });
  const buildSeconds = (performance.now() - t) / 1000;
  try {
    model.options.set({
      output_flag: false,
      presolve: 'off',
      mip_detect_symmetry: false,
      mip_rel_gap: 1e-4,
      time_limit: Number(extra ?? 120),
    });
    t = performance.now();
    model.run();
    const seconds = (performance.now() - t) / 1000;
    const status = model.getModelStatus();
    const statusName =
      Object.entries(highs.constants.modelStatus).find(([, code]) => code === status)?.[0] ?? String(status);
    const objective = Number(model.info.get('objective_function_value'));
    const dualBound = Number(model.info.get('mip_dual_bound'));
    const hasSolution = Number(model.info.get('primal_solution_status')) === 2;
    process.stdout.write(
      `${JSON.stringify({
        mode,
        parseSeconds,
        buildSeconds,
        seconds,
        status: statusName,
        objective: hasSolution ? objective : null,
        dualBound: Number.isFinite(dualBound) ? dualBound : null,
        gap:
          hasSolution && Number.isFinite(dualBound)
            ? (dualBound - objective) / Math.max(1, Math.abs(dualBound))
            : null,
        peakMb: peakMb(),
      })}\n`,
    );
  } finally {
    model.dispose();
  }
}
