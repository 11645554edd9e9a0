/**
 * Lagrangian relaxation of the CIA target rows (CCH L441-1) over the assignment polytope.
 *
 * Integer rounding. With the `nonQualifying` rule every row counts households, so its activity A_r
 * is an integer and Σ q·x ≥ b_r is equivalent to A_r ≥ B_r = ⌈b_r⌉ (Chvátal–Gomory rounding). The
 * penalty M·max(0, b_r − A_r) of an integer activity is the convex hull
 *   min { M·φ_r·s1 + M·s2 : A_r + s1 + s2 ≥ B_r, 0 ≤ s1 ≤ 1, s2 ≥ 0 },  φ_r = b_r − B_r + 1 ∈ (0, 1].
 * Relaxing the rows with prices 0 ≤ λ_r ≤ M gives, for every λ, the upper bound
 *   L(λ) = max_matching Σ_e (w_e + Σ_r λ_r c_re) x_e − Σ_r λ_r B_r + Σ_r max(0, λ_r − M φ_r).
 * The assignment polytope is integral, so min_λ L(λ) is the LP bound of the rounded model: never
 * weaker than the plain LP relaxation and, on the benchmark instances, within 1e-5 of the integer
 * optimum (the plain LP bound can be 2e-3 above it).
 * With the `excluded` rule the coefficients are fractional (q − t) and rows are not rounded.
 *
 * The multipliers are found by per-row bisection on the sign of the subgradient
 * g_r = A_r − B_r + [λ_r > M φ_r]: every oracle call updates every row at once, brackets that the
 * coupling between rows made stale are re-opened. Each oracle call is an exact maximum-weight
 * matching (matching.ts); L is computed from its dual value, so the bound is certified.
 */
import { MaxWeightMatcher } from './matching.ts';
import type { AllocationModel } from './model.ts';

export interface LagrangianEvaluation {
  lambda: Float64Array;
  /** L(λ), an upper bound on the penalised objective of any allocation. */
  bound: number;
  /** Matching of the Lagrangian subproblem (edge per home, −1 unlet). */
  homeEdge: Int32Array;
  /** Row activities A_r of that matching. */
  activity: Float64Array;
}

export class LagrangianOracle {
  readonly matcher: MaxWeightMatcher;
  readonly weights: Float64Array;
  /** Rounded right-hand sides B_r. */
  readonly roundedRhs: Float64Array;
  /** φ_r: the part of a household the first missing unit costs, in (0, 1]. */
  readonly firstUnitShare: Float64Array;
  calls = 0;

  constructor(readonly model: AllocationModel) {
    this.matcher = new MaxWeightMatcher(model);
    this.weights = new Float64Array(model.edgeCount);
    const rows = model.rows.length;
    this.roundedRhs = new Float64Array(rows);
    this.firstUnitShare = new Float64Array(rows);
    const integral = model.settings.unletHomes === 'nonQualifying';
    for (let r = 0; r < rows; r++) {
      const b = model.rhs[r]!;
      if (integral) {
        const rounded = Math.ceil(b - 1e-9);
        this.roundedRhs[r] = rounded;
        this.firstUnitShare[r] = Math.min(1, Math.max(1e-12, b - rounded + 1));
      } else {
        this.roundedRhs[r] = b;
        this.firstUnitShare[r] = 1;
      }
    }
  }

  /** w_e + Σ_r λ_r c_re into `this.weights`. */
  setWeights(lambda: Float64Array): void {
    const m = this.model;
    const w = this.weights;
    for (let e = 0; e < m.edgeCount; e++) {
      const h = m.edgeHome[e]!;
      w[e] =
        m.edgeWeight[e]! +
        lambda[m.homeEpciRow[h]!]! * m.edgeEpciCoefficient[e]! +
        lambda[m.homeHolderRow[h]!]! * m.edgeHolderCoefficient[e]!;
    }
  }

  /** Solves the subproblem at λ; the matcher keeps the matching and its potentials. */
  evaluate(lambda: Float64Array): LagrangianEvaluation {
    this.calls++;
    this.setWeights(lambda);
    const primal = this.matcher.solve(this.weights);
    // The dual value certifies the maximum even with rounding; take the larger of the two.
    let bound = Math.max(primal, this.matcher.dualValue());
    const penalty = this.model.settings.shortfallPenalty;
    for (let r = 0; r < lambda.length; r++) {
      bound -= lambda[r]! * this.roundedRhs[r]!;
      bound += Math.max(0, lambda[r]! - penalty * this.firstUnitShare[r]!);
    }
    const homeEdge = this.matcher.homeEdge.slice();
    const activity = new Float64Array(lambda.length);
    const m = this.model;
    for (let h = 0; h < m.homeCount; h++) {
      const e = homeEdge[h]!;
      if (e < 0) continue;
      activity[m.homeEpciRow[h]!]! += m.edgeEpciCoefficient[e]!;
      activity[m.homeHolderRow[h]!]! += m.edgeHolderCoefficient[e]!;
    }
    return { lambda: lambda.slice(), bound, homeEdge, activity };
  }

  /** Subgradient component of L at λ for row r. */
  subgradient(r: number, lambda: Float64Array, activity: Float64Array): number {
    const over = lambda[r]! > this.model.settings.shortfallPenalty * this.firstUnitShare[r]! ? 1 : 0;
    return activity[r]! - this.roundedRhs[r]! + over;
  }
}

/**
 * Per-row bisection of the multipliers. Keeps brackets [low_r, high_r] on λ_r: a deficit
 * (g_r < 0) raises low_r, a surplus with λ_r > 0 lowers high_r. Without an upper end the step
 * doubles. When a bracket has shrunk to nothing while its sign persists (other rows moved the
 * breakpoint), it is re-opened.
 */
export class MultiplierSearch {
  readonly lambda: Float64Array;
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private readonly step: Float64Array;
  private readonly minWidth: number;

  constructor(
    rows: number,
    private readonly scale: number,
    private readonly maximum: number,
  ) {
    this.lambda = new Float64Array(rows);
    this.low = new Float64Array(rows);
    this.high = new Float64Array(rows).fill(Number.POSITIVE_INFINITY);
    this.step = new Float64Array(rows).fill(scale / 64);
    this.minWidth = scale * 1e-6;
  }

  /** Moves λ from the subgradient signs; returns how many rows moved. */
  update(sign: (r: number) => number): number {
    let moved = 0;
    const { lambda, low, high, step } = this;
    for (let r = 0; r < lambda.length; r++) {
      const g = sign(r);
      const current = lambda[r]!;
      if (g < 0) {
        if (current >= this.maximum) continue;
        low[r] = current;
        if (high[r]! <= current + this.minWidth) {
          // Stale upper end: search upwards again from a small step.
          high[r] = Number.POSITIVE_INFINITY;
          step[r] = this.scale / 256;
        }
        if (high[r] === Number.POSITIVE_INFINITY) {
          lambda[r] = Math.min(this.maximum, current + step[r]!);
          step[r]! *= 2;
        } else lambda[r] = (low[r]! + high[r]!) / 2;
      } else if (g > 0 && current > 0) {
        high[r] = current;
        if (low[r]! >= current - this.minWidth) {
          // Stale lower end: re-open it below.
          low[r] = Math.max(0, current - this.scale / 256);
        }
        lambda[r] = (low[r]! + high[r]!) / 2;
      } else continue;
      if (lambda[r] !== current) moved++;
    }
    return moved;
  }

  /** Largest open bracket width (∞ while a row is still searching upwards). */
  width(): number {
    let w = 0;
    for (let r = 0; r < this.lambda.length; r++) {
      if (this.high[r] === Number.POSITIVE_INFINITY) {
        if (this.low[r] === this.lambda[r] && this.lambda[r]! > 0) return Number.POSITIVE_INFINITY;
        continue;
      }
      w = Math.max(w, this.high[r]! - this.low[r]!);
    }
    return w;
  }

  /** Upper bracket ends (finite ones), the side where each row was seen satisfied. */
  upper(): Float64Array {
    const out = this.lambda.slice();
    for (let r = 0; r < out.length; r++) if (Number.isFinite(this.high[r]!)) out[r] = this.high[r]!;
    return out;
  }
}
