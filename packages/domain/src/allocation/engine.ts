/**
 * The allocation engine on a compiled model: Lagrangian multipliers on the target rows by per-row
 * bisection (lagrangian.ts), each step an exact maximum-weight matching (matching.ts); then a primal
 * repair of the best Lagrangian matchings (repair.ts), path relinking with the last Lagrangian
 * matchings (relink.ts) and a polish that keeps every home's household profile (polish.ts). The
 * best multipliers give the upper bound, so the gap of the returned allocation is certified.
 * Deterministic for a given model as long as the time limit is not reached.
 */
import { type LagrangianEvaluation, LagrangianOracle, MultiplierSearch } from './lagrangian.ts';
import { type AllocationModel, penalisedObjective } from './model.ts';
import { polishWithinProfiles } from './polish.ts';
import { relink } from './relink.ts';
import { PrimalRepair } from './repair.ts';
import type { AllocationStatus } from './types.ts';

export interface EngineSolution {
  homeEdge: Int32Array;
  objective: number;
  upperBound: number;
  /** Multipliers of the best bound (objective points per qualifying household). */
  lambda: Float64Array;
  /** Best allocation without the target rows (λ = 0). */
  unconstrainedHomeEdge: Int32Array;
  unconstrainedWeight: number;
  status: AllocationStatus;
  iterations: number;
}

/** (upperBound − objective) / max(|upperBound|, 1). */
export function relativeGap(upperBound: number, objective: number): number {
  return Math.max(0, upperBound - objective) / Math.max(Math.abs(upperBound), 1);
}

export function solveAllocationModel(model: AllocationModel, startedAt = Date.now()): EngineSolution {
  const { settings } = model;
  const deadline = startedAt + settings.timeLimitSeconds * 1000;
  const tolerance = settings.relativeGapTolerance;
  const rows = model.rows.length;
  const oracle = new LagrangianOracle(model);

  let oracleMs = 0;
  const evaluate = (lambda: Float64Array): LagrangianEvaluation => {
    const t = Date.now();
    const ev = oracle.evaluate(lambda);
    oracleMs = Math.max(oracleMs, Date.now() - t);
    return ev;
  };

  let ev = evaluate(new Float64Array(rows));
  const unconstrainedHomeEdge = ev.homeEdge;
  let unconstrainedWeight = 0;
  for (const e of unconstrainedHomeEdge) if (e >= 0) unconstrainedWeight += model.edgeWeight[e]!;

  let best = ev;
  let incumbent = ev.homeEdge;
  let incumbentValue = penalisedObjective(model, incumbent);
  /** Multipliers whose Lagrangian matching is the incumbent (repairs restart from it). */
  let incumbentLambda: Float64Array | null = ev.lambda;
  const offer = (homeEdge: Int32Array, lambda: Float64Array | null) => {
    const value = penalisedObjective(model, homeEdge);
    if (value > incumbentValue + 1e-9 * Math.max(1, Math.abs(value))) {
      incumbentValue = value;
      incumbent = homeEdge;
      incumbentLambda = lambda;
    }
  };
  const gap = () => relativeGap(best.bound, incumbentValue);
  const timeLeft = () => deadline - Date.now();
  // The multiplier search leaves a fifth of the budget to the repair of its best matchings.
  const budget = settings.timeLimitSeconds * 1000;
  const dualTimeLeft = () => deadline - 0.2 * budget - Date.now();

  let scale = 1;
  for (const w of model.edgeWeight) scale = Math.max(scale, Math.abs(w));
  const search = new MultiplierSearch(rows, scale, settings.shortfallPenalty);
  let iterations = 0;
  let sinceImprovement = 0;
  let stationary = false;
  let timedOut = false;
  /** Matchings of the last multiplier steps, for path relinking. */
  const recent: Int32Array[] = [];

  const dualRound = (maxIterations: number) => {
    for (let k = 0; k < maxIterations; k++) {
      if (gap() <= tolerance) return;
      if (dualTimeLeft() < 2 * oracleMs + 20) {
        timedOut = true;
        return;
      }
      const current = ev;
      const moved = search.update((r) => oracle.subgradient(r, current.lambda, current.activity));
      if (moved === 0) {
        stationary = true;
        return;
      }
      ev = evaluate(search.lambda);
      iterations++;
      offer(ev.homeEdge, ev.lambda);
      recent.push(ev.homeEdge);
      if (recent.length > 12) recent.shift();
      if (ev.bound < best.bound - 1e-9 * Math.max(1, Math.abs(best.bound))) {
        best = ev;
        sinceImprovement = 0;
      } else sinceImprovement++;
      if (sinceImprovement >= 12 && search.width() < scale * 1e-4) return;
    }
  };

  const repairFrom = (lambda: Float64Array) => {
    if (gap() <= tolerance) return;
    if (timeLeft() < 2 * oracleMs + 20) {
      timedOut = true;
      return;
    }
    const start = evaluate(lambda);
    const repair = new PrimalRepair(
      model,
      start.homeEdge,
      oracle.matcher.homePotential,
      oracle.matcher.applicantPotential,
      oracle.weights,
      lambda,
    );
    if (!repair.run(deadline)) timedOut = true;
    offer(repair.homeEdge, null);
  };

  if (rows > 0 && gap() > tolerance) {
    dualRound(40);
    // Even when the multiplier search ran out of time, its best matchings are repaired if time is left.
    for (let round = 0; round < 8 && gap() > tolerance && (round === 0 || !timedOut); round++) {
      const gapBefore = gap();
      // Repair the matchings of the best bound, of the upper brackets (the side where rows were
      // met) and of the incumbent's multipliers.
      const starts = [best.lambda, search.upper()];
      if (incumbentLambda) starts.push(incumbentLambda);
      for (const lambda of starts) repairFrom(lambda);
      for (const other of [best.homeEdge, ...recent]) {
        if (gap() <= tolerance || timeLeft() < 2 * oracleMs + 20) break;
        offer(relink(model, incumbent, other, best.lambda), null);
      }
      if (gap() > tolerance && timeLeft() > 2 * oracleMs + 20)
        offer(polishWithinProfiles(model, incumbent), null);
      if (gap() <= tolerance || timedOut) break;
      sinceImprovement = 0;
      stationary = false;
      dualRound(20);
      // Another round only if this one closed at least 5 % of the gap (a stationary search has
      // met every priced row exactly: nothing more to gain from the prices).
      if (stationary || gap() > 0.95 * gapBefore) break;
    }
  }

  const finalGap = gap();
  const status: AllocationStatus =
    finalGap <= 1e-9
      ? 'optimal'
      : finalGap <= tolerance
        ? 'withinTolerance'
        : timedOut
          ? 'timeLimit'
          : 'stalled';
  return {
    homeEdge: incumbent,
    objective: incumbentValue,
    upperBound: Math.max(best.bound, incumbentValue),
    lambda: best.lambda,
    unconstrainedHomeEdge,
    unconstrainedWeight,
    status,
    iterations,
  };
}
