/**
 * Primal repair of a Lagrangian matching: turns the matching of the subproblem at λ (optimal for the
 * weights w + λ·c, but possibly a household short on some target rows, or a household over on rows
 * whose price λ_r is positive) into an allocation that meets the rows, at the smallest loss.
 *
 * A move is an alternating cycle through the "outside" node t (a free applicant gets a home, a
 * housed applicant becomes free, a home becomes unlet or gets let): e.g. t → a_old → h → a_new → t
 * gives home h to a_new instead of a_old. Its cost in the subproblem is the sum of the reduced costs
 * u_h + v_a − w'_e of its arcs, non-negative thanks to the matcher's dual potentials, so the cheapest
 * move that adds a qualifying household to row r is a Dijkstra search on the graph doubled by a flag
 * "row r gained". Arcs that would take a household from a row already at its target are closed.
 * After each accepted move the weights of the arcs it used are raised to their reduced cost (and the
 * option values of homes left unlet and applicants left free likewise), which keeps every reduced
 * cost non-negative for the next search. Every move is re-evaluated on the true penalised objective
 * and kept only if it improves it.
 */
import type { AllocationModel } from './model.ts';
import { NodeHeap } from './node-heap.ts';

const NONE = -1;
const EPSILON = 1e-9;

export class PrimalRepair {
  readonly homeEdge: Int32Array;
  readonly applicantEdge: Int32Array;
  readonly activity: Float64Array;
  private readonly u: Float64Array;
  private readonly v: Float64Array;
  private readonly wt: Float64Array;
  private readonly homeOption: Float64Array;
  private readonly applicantOption: Float64Array;
  private readonly nodes: number;
  private readonly dist: Float64Array;
  private readonly settled: Uint8Array;
  private readonly predEdge: Int32Array;
  private readonly predState: Uint8Array;
  private readonly scanned: Uint8Array;
  private readonly touched: number[] = [];
  private readonly scannedList: number[] = [];
  private readonly heap = new NodeHeap();
  moves = 0;
  /** Rows no move could raise: not searched again. */
  private readonly hopeless = new Set<number>();

  constructor(
    private readonly model: AllocationModel,
    homeEdge: Int32Array,
    homePotential: Float64Array,
    applicantPotential: Float64Array,
    lagrangianWeights: Float64Array,
    private readonly lambda: Float64Array,
  ) {
    this.homeEdge = homeEdge.slice();
    this.applicantEdge = new Int32Array(model.applicantCount).fill(NONE);
    for (let h = 0; h < model.homeCount; h++) {
      const e = this.homeEdge[h]!;
      if (e >= 0) this.applicantEdge[model.edgeApplicant[e]!] = e;
    }
    this.u = homePotential.slice();
    this.v = applicantPotential.slice();
    this.wt = lagrangianWeights.slice();
    this.homeOption = new Float64Array(model.homeCount);
    this.applicantOption = new Float64Array(model.applicantCount);
    this.activity = new Float64Array(model.rows.length);
    for (let h = 0; h < model.homeCount; h++) {
      const e = this.homeEdge[h]!;
      if (e < 0) continue;
      this.activity[model.homeEpciRow[h]!]! += model.edgeEpciCoefficient[e]!;
      this.activity[model.homeHolderRow[h]!]! += model.edgeHolderCoefficient[e]!;
    }
    this.nodes = model.applicantCount + 1;
    this.dist = new Float64Array(2 * this.nodes).fill(Number.POSITIVE_INFINITY);
    this.settled = new Uint8Array(2 * this.nodes);
    this.predEdge = new Int32Array(2 * this.nodes).fill(NONE);
    this.predState = new Uint8Array(2 * this.nodes);
    this.scanned = new Uint8Array(2 * model.homeCount);
    const rows = model.rows.length;
    this.rowStart = new Int32Array(rows + 1);
    for (let h = 0; h < model.homeCount; h++) {
      this.rowStart[model.homeEpciRow[h]! + 1]!++;
      this.rowStart[model.homeHolderRow[h]! + 1]!++;
    }
    for (let r = 0; r < rows; r++) this.rowStart[r + 1]! += this.rowStart[r]!;
    this.rowHomes = new Int32Array(this.rowStart[rows]!);
    const fill = this.rowStart.slice(0, rows);
    for (let h = 0; h < model.homeCount; h++) {
      this.rowHomes[fill[model.homeEpciRow[h]!]!++] = h;
      this.rowHomes[fill[model.homeHolderRow[h]!]!++] = h;
    }
  }

  /** Homes of each row (CSR): the moves searched first start at one of them. */
  private readonly rowStart: Int32Array;
  private readonly rowHomes: Int32Array;

  shortfall(r: number): number {
    const d = this.model.rhs[r]! - this.activity[r]!;
    return d > EPSILON ? d : 0;
  }

  /**
   * Repairs deficits, then trims households in excess on priced rows, until no move improves.
   * Returns false when the deadline stopped it.
   */
  run(deadline: number, maxPasses = 20): boolean {
    const rows = this.model.rows.length;
    for (let pass = 0; pass < maxPasses; pass++) {
      let improved = false;
      const deficits: number[] = [];
      for (let r = 0; r < rows; r++) if (this.shortfall(r) > 0) deficits.push(r);
      deficits.sort((a, b) => this.shortfall(b) - this.shortfall(a) || a - b);
      for (const r of deficits) {
        if (Date.now() > deadline) return false;
        while (this.shortfall(r) > 0 && !this.hopeless.has(r)) {
          if (this.improve(r, 1)) improved = true;
          else this.hopeless.add(r); // no move can add a qualifying household here any more
        }
      }
      for (let r = 0; r < rows; r++) {
        if (this.lambda[r]! <= EPSILON || this.activity[r]! - 1 < this.model.rhs[r]! - EPSILON) continue;
        if (Date.now() > deadline) return false;
        // A household removed from row r gives back at most λ_r: dearer moves cannot pay.
        if (this.improve(r, -1, this.lambda[r]!)) improved = true;
      }
      if (!improved) break;
    }
    return true;
  }

  /**
   * Applies the cheapest move found that changes row `target` in `direction` (+1 add, −1 remove a
   * qualifying household), cheaper than `cap` in the subproblem, if it improves the penalised
   * objective. A local search (moves that change the row at their first home) runs first; its cost
   * then caps the search over all moves, which only looks for a cheaper one.
   */
  improve(target: number, direction: 1 | -1, cap = Number.POSITIVE_INFINITY): boolean {
    const local = this.search(target, direction, true, cap);
    // A free local move cannot be beaten.
    const wide = local === null || local.cost > EPSILON;
    const global = wide
      ? this.search(target, direction, false, local ? Math.min(cap, local.cost) : cap)
      : null;
    // Keep the move that improves the true objective most.
    let best: Map<number, number> | null = null;
    let bestGain = 0;
    for (const move of [global, local]) {
      if (!move) continue;
      const gain = this.gainOf(move.changes);
      if (gain > bestGain) {
        bestGain = gain;
        best = move.changes;
      }
    }
    if (!best) return false;
    this.applyChanges(best);
    return true;
  }

  /**
   * The cheapest move that changes row `target` in `direction`, cheaper than `cap` (Dijkstra on
   * reduced costs over (node, row changed) states), or null. A `local` search only tries moves that
   * change the row at their first home, which keeps it near the row.
   */
  search(
    target: number,
    direction: 1 | -1,
    local: boolean,
    cap = Number.POSITIVE_INFINITY,
  ): { cost: number; changes: Map<number, number> } | null {
    const m = this.model;
    const { homeStart, edgeApplicant, edgeHome, homeEpciRow, homeHolderRow } = m;
    const cE = m.edgeEpciCoefficient;
    const cH = m.edgeHolderCoefficient;
    const N = this.nodes;
    const sink = N - 1;
    const { dist, settled, predEdge, predState, u, v, wt } = this;
    this.heap.clear();

    const relax = (node: number, state: number, d: number, edge: number, fromState: number) => {
      const id = state * N + node;
      if (d >= cap || settled[id] || d >= dist[id]!) return;
      if (dist[id] === Number.POSITIVE_INFINITY) this.touched.push(id);
      dist[id] = d;
      predEdge[id] = edge;
      predState[id] = fromState;
      this.heap.push(d, id);
    };
    // Effect of giving home h to edge `next` (−1: unlet) instead of its current occupant.
    // Returns the new state, or −1 if the arc is closed.
    const arcState = (h: number, next: number, state: number): number => {
      const old = this.homeEdge[h]!;
      let result = state;
      const rowE = homeEpciRow[h]!;
      const dE = (next >= 0 ? cE[next]! : 0) - (old >= 0 ? cE[old]! : 0);
      const rowH = homeHolderRow[h]!;
      const dH = (next >= 0 ? cH[next]! : 0) - (old >= 0 ? cH[old]! : 0);
      for (let k = 0; k < 2; k++) {
        const row = k === 0 ? rowE : rowH;
        const d = k === 0 ? dE : dH;
        if (d === 0) continue;
        if (row === target) {
          // A removal is wanted once only (the row has one household to spare); additions may repeat.
          if (d * direction > 0 && (direction > 0 || state === 0)) result = 1;
          else return -1;
        } else if (d < 0 && this.activity[row]! + d < m.rhs[row]! - EPSILON) return -1;
      }
      return result;
    };
    const scanHome = (h: number, state: number, d: number) => {
      const key = state * m.homeCount + h;
      if (this.scanned[key]) return;
      this.scanned[key] = 1;
      this.scannedList.push(key);
      const old = this.homeEdge[h]!;
      const uh = u[h]!;
      for (let e = homeStart[h]!; e < homeStart[h + 1]!; e++) {
        if (e === old) continue;
        const s = arcState(h, e, state);
        if (s < 0 || (local && s === 0)) continue;
        const a = edgeApplicant[e]!;
        relax(a, s, d + Math.max(0, uh + v[edgeApplicant[e]!]! - wt[e]!), e, state);
      }
      if (old >= 0) {
        const s = arcState(h, NONE, state);
        if (s > 0 || (s === 0 && !local))
          relax(sink, s, d + Math.max(0, uh - this.homeOption[h]!), -2 - h, state);
      }
    };

    // From t: a housed applicant becomes free, or an unlet home gets a tenant. A local search
    // starts at the row's own homes only.
    const from = local ? this.rowStart[target]! : 0;
    const to = local ? this.rowStart[target + 1]! : m.homeCount;
    for (let k = from; k < to; k++) {
      const h = local ? this.rowHomes[k]! : k;
      const e = this.homeEdge[h]!;
      if (e >= 0) {
        const a = edgeApplicant[e]!;
        relax(a, 0, Math.max(0, v[a]! - this.applicantOption[a]!), NONE, 0);
      } else if (homeStart[h + 1]! > homeStart[h]!) {
        scanHome(h, 0, Math.max(0, this.homeOption[h]! - u[h]!));
      }
    }
    let found = false;
    while (this.heap.size > 0) {
      const id = this.heap.pop();
      const d = this.heap.lastKey;
      if (settled[id] || d > dist[id]!) continue;
      settled[id] = 1;
      const state = id >= N ? 1 : 0;
      const node = id - state * N;
      if (node === sink) {
        if (state === 1) {
          found = true;
          break;
        }
        continue;
      }
      const e = this.applicantEdge[node]!;
      if (e >= 0) scanHome(edgeHome[e]!, state, d);
      else relax(sink, state, d + Math.max(0, v[node]! - this.applicantOption[node]!), node, state);
      // Nothing left in the heap is cheaper than d: a move found at d is optimal (ties are many).
      if (dist[sink + N]! <= d) {
        found = true;
        break;
      }
    }
    const move = found ? this.rebuildPath(sink + N) : null;
    const cost = dist[sink + N]!;
    for (const id of this.touched) {
      dist[id] = Number.POSITIVE_INFINITY;
      settled[id] = 0;
      predEdge[id] = NONE;
    }
    this.touched.length = 0;
    for (const key of this.scannedList) this.scanned[key] = 0;
    this.scannedList.length = 0;
    return move ? { cost, changes: move } : null;
  }

  /** Rebuilds the move ending at node `end` (t, flagged); null if it uses an applicant or home twice. */
  private rebuildPath(end: number): Map<number, number> | null {
    const m = this.model;
    const N = this.nodes;
    const sink = N - 1;
    const changes = new Map<number, number>(); // home → new edge (−1 unlet)
    const seenApplicants = new Set<number>();
    let id = end;
    for (let guard = 0; guard < 4 * N; guard++) {
      const state = id >= N ? 1 : 0;
      const node = id - state * N;
      const pe = this.predEdge[id]!;
      const ps = this.predState[id]!;
      if (node === sink) {
        if (pe === NONE) return null; // back at the start without a move
        if (pe <= -2) {
          const h = -2 - pe;
          if (changes.has(h)) return null;
          changes.set(h, NONE);
          const old = this.homeEdge[h]!;
          id = ps * N + m.edgeApplicant[old]!;
        } else {
          id = ps * N + pe; // a free applicant that gets a home
        }
        continue;
      }
      if (seenApplicants.has(node)) return null;
      seenApplicants.add(node);
      if (pe === NONE) {
        // Reached from t: the applicant leaves its home; the move starts here.
        break;
      }
      const h = m.edgeHome[pe]!;
      if (changes.has(h)) return null;
      changes.set(h, pe);
      const old = this.homeEdge[h]!;
      if (old < 0) break; // an unlet home reached from t: start of the move
      id = ps * N + m.edgeApplicant[old]!;
    }
    return changes;
  }

  /** Change of the true penalised objective if the move were applied. */
  private gainOf(changes: Map<number, number>): number {
    const m = this.model;
    let deltaWeight = 0;
    const rowDelta = new Map<number, number>();
    const addRow = (row: number, d: number) => rowDelta.set(row, (rowDelta.get(row) ?? 0) + d);
    for (const [h, next] of changes) {
      const old = this.homeEdge[h]!;
      if (next >= 0) {
        deltaWeight += m.edgeWeight[next]!;
        addRow(m.homeEpciRow[h]!, m.edgeEpciCoefficient[next]!);
        addRow(m.homeHolderRow[h]!, m.edgeHolderCoefficient[next]!);
      }
      if (old >= 0) {
        deltaWeight -= m.edgeWeight[old]!;
        addRow(m.homeEpciRow[h]!, -m.edgeEpciCoefficient[old]!);
        addRow(m.homeHolderRow[h]!, -m.edgeHolderCoefficient[old]!);
      }
    }
    let deltaPenalty = 0;
    for (const [row, d] of rowDelta) {
      const before = Math.max(0, m.rhs[row]! - this.activity[row]!);
      const after = Math.max(0, m.rhs[row]! - this.activity[row]! - d);
      deltaPenalty += after - before;
    }
    const gain = deltaWeight - m.settings.shortfallPenalty * deltaPenalty;
    return gain > EPSILON * Math.max(1, Math.abs(deltaWeight)) ? gain : 0;
  }

  /** Applies a move: every home's old occupant leaves, then the new occupants arrive. */
  private applyChanges(changes: Map<number, number>): void {
    const m = this.model;
    const rowDelta = new Map<number, number>();
    const addRow = (row: number, d: number) => rowDelta.set(row, (rowDelta.get(row) ?? 0) + d);
    for (const [h, next] of changes) {
      const old = this.homeEdge[h]!;
      if (next >= 0) {
        addRow(m.homeEpciRow[h]!, m.edgeEpciCoefficient[next]!);
        addRow(m.homeHolderRow[h]!, m.edgeHolderCoefficient[next]!);
      }
      if (old >= 0) {
        addRow(m.homeEpciRow[h]!, -m.edgeEpciCoefficient[old]!);
        addRow(m.homeHolderRow[h]!, -m.edgeHolderCoefficient[old]!);
      }
    }
    const leaving: number[] = [];
    for (const [h] of changes) {
      const old = this.homeEdge[h]!;
      if (old >= 0) {
        leaving.push(m.edgeApplicant[old]!);
        this.applicantEdge[m.edgeApplicant[old]!] = NONE;
      }
    }
    for (const [h, next] of changes) {
      this.homeEdge[h] = next;
      if (next >= 0) {
        const a = m.edgeApplicant[next]!;
        this.applicantEdge[a] = next;
        // Keep the arc tight: its weight becomes its dual cover.
        this.wt[next] = this.u[h]! + this.v[a]!;
      } else {
        this.homeOption[h] = this.u[h]!;
      }
    }
    for (const a of leaving) if (this.applicantEdge[a] === NONE) this.applicantOption[a] = this.v[a]!;
    for (const [row, d] of rowDelta) this.activity[row]! += d;
    this.moves++;
  }
}
