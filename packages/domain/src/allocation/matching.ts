/**
 * Maximum-weight bipartite matching on a sparse graph (homes × applicants, one edge per
 * application), where every home may stay unlet and every applicant may stay without a home.
 *
 * Successive shortest augmenting paths (Hungarian method, Kuhn 1955; sparse form as in Jonker &
 * Volgenant 1987): homes are inserted one at a time; Dijkstra on reduced costs finds the best way to
 * serve the new home — take a free applicant, push a chain of applicants along, or leave a home
 * empty. Dual variables u (homes) and v (applicants) stay feasible throughout:
 * u_h + v_a ≥ w_e, u, v ≥ 0, equality on matched edges, zero on unmatched vertices. At the end
 * Σu + Σv = Σ matched weights, which certifies optimality. Exact up to floating-point rounding.
 */

import { NodeHeap } from './node-heap.ts';

export interface SparseBipartiteGraph {
  homeCount: number;
  applicantCount: number;
  /** CSR by home. */
  homeStart: Int32Array;
  edgeApplicant: Int32Array;
  edgeHome: Int32Array;
}

const NONE = -1;

export class MaxWeightMatcher {
  /** Matched edge of each home, −1 when unlet. */
  readonly homeEdge: Int32Array;
  /** Matched edge of each applicant, −1 when without a home. */
  readonly applicantEdge: Int32Array;
  readonly homePotential: Float64Array;
  readonly applicantPotential: Float64Array;

  private readonly dist: Float64Array;
  private readonly predEdge: Int32Array;
  private readonly settled: Uint8Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private readonly scannedHomes: Int32Array;
  private readonly scannedDist: Float64Array;
  private scannedCount = 0;
  private readonly heap = new NodeHeap();

  constructor(private readonly graph: SparseBipartiteGraph) {
    const { homeCount, applicantCount } = graph;
    this.homeEdge = new Int32Array(homeCount).fill(NONE);
    this.applicantEdge = new Int32Array(applicantCount).fill(NONE);
    this.homePotential = new Float64Array(homeCount);
    this.applicantPotential = new Float64Array(applicantCount);
    this.dist = new Float64Array(applicantCount + 1).fill(Number.POSITIVE_INFINITY);
    this.predEdge = new Int32Array(applicantCount + 1).fill(NONE);
    this.settled = new Uint8Array(applicantCount + 1);
    this.touched = new Int32Array(applicantCount + 1);
    this.scannedHomes = new Int32Array(homeCount);
    this.scannedDist = new Float64Array(homeCount);
  }

  /**
   * Solves from scratch for the given edge weights; returns the matched weight.
   * Ties are broken towards lower applicant indices (ids in code-unit order).
   */
  solve(weight: Float64Array): number {
    const { homeCount, homeStart, edgeApplicant } = this.graph;
    this.homeEdge.fill(NONE);
    this.applicantEdge.fill(NONE);
    this.applicantPotential.fill(0);
    const u = this.homePotential;
    const v = this.applicantPotential;
    for (let h = 0; h < homeCount; h++) {
      // u_h = max(0, max_e w_e − v_a) makes every arc out of h non-negative.
      let best = 0;
      let bestEdge = NONE;
      for (let e = homeStart[h]!; e < homeStart[h + 1]!; e++) {
        const r = weight[e]! - v[edgeApplicant[e]!]!;
        if (r > best) {
          best = r;
          bestEdge = e;
        }
      }
      u[h] = best;
      if (bestEdge === NONE) continue; // nothing worth letting: stays unlet, u_h = 0
      const a = edgeApplicant[bestEdge]!;
      if (this.applicantEdge[a] === NONE && v[a] === 0) {
        // Fast path: the best applicant is free; the edge is tight.
        this.homeEdge[h] = bestEdge;
        this.applicantEdge[a] = bestEdge;
        continue;
      }
      this.augment(h, weight);
    }
    let total = 0;
    for (let h = 0; h < homeCount; h++) {
      const e = this.homeEdge[h]!;
      if (e !== NONE) total += weight[e]!;
    }
    return total;
  }

  /** Dual value Σu + Σv: an upper bound on any matching's weight, equal to the optimum here. */
  dualValue(): number {
    let total = 0;
    const u = this.homePotential;
    const v = this.applicantPotential;
    for (let h = 0; h < u.length; h++) total += u[h]!;
    for (let a = 0; a < v.length; a++) total += v[a]!;
    return total;
  }

  private augment(start: number, weight: Float64Array): void {
    const { homeStart, edgeApplicant, edgeHome, applicantCount } = this.graph;
    const u = this.homePotential;
    const v = this.applicantPotential;
    const dist = this.dist;
    const predEdge = this.predEdge;
    const settled = this.settled;
    const sink = applicantCount;
    this.heap.clear();
    this.touchedCount = 0;
    this.scannedCount = 0;
    // predEdge[sink]: −2 − h when the path ends by leaving home h unlet, else the free applicant is
    // found through predEdge of that applicant and sinkApplicant.
    let sinkApplicant = NONE;
    let sinkHome = NONE;

    const touch = (node: number) => {
      if (dist[node] === Number.POSITIVE_INFINITY) this.touched[this.touchedCount++] = node;
    };
    const scanHome = (h: number, d: number) => {
      this.scannedHomes[this.scannedCount] = h;
      this.scannedDist[this.scannedCount++] = d;
      const uh = u[h]!;
      const matched = this.homeEdge[h]!;
      const from = homeStart[h]!;
      const to = homeStart[h + 1]!;
      // Leave h unlet (its occupant, if any, moves on along the path).
      if (d + uh < dist[sink]!) {
        touch(sink);
        dist[sink] = d + uh;
        sinkHome = h;
        sinkApplicant = NONE;
      }
      // First pass: free applicants end the path at once (v = 0), so they only tighten the sink.
      for (let e = from; e < to; e++) {
        const a = edgeApplicant[e]!;
        if (e === matched || this.applicantEdge[a] !== NONE) continue;
        let nd = d + uh + v[a]! - weight[e]!;
        if (nd < d) nd = d; // rounding
        if (nd < dist[sink]!) {
          touch(sink);
          dist[sink] = nd;
          touch(a);
          dist[a] = nd;
          predEdge[a] = e;
          sinkApplicant = a;
          sinkHome = NONE;
        }
      }
      // Second pass: housed applicants, only if they can still beat the best way out.
      const bound = dist[sink]!;
      for (let e = from; e < to; e++) {
        if (e === matched) continue;
        const a = edgeApplicant[e]!;
        if (settled[a] || this.applicantEdge[a] === NONE) continue;
        let nd = d + uh + v[a]! - weight[e]!;
        if (nd < d) nd = d;
        if (nd < bound && nd < dist[a]!) {
          touch(a);
          dist[a] = nd;
          predEdge[a] = e;
          this.heap.push(nd, a);
        }
      }
      // The sink goes in the heap as −1: popped first among equal keys.
      this.heap.push(dist[sink]!, -1);
    };

    scanHome(start, 0);
    let finalDist = 0;
    for (;;) {
      const node = this.heap.pop();
      const d = this.heap.lastKey;
      if (node < 0) {
        if (d > dist[sink]!) continue;
        finalDist = d;
        break;
      }
      if (settled[node] || d > dist[node]!) continue;
      settled[node] = 1;
      const matched = this.applicantEdge[node]!;
      if (matched === NONE) {
        // Free applicant: v = 0, the arc to the sink costs nothing.
        if (d < dist[sink]!) {
          touch(sink);
          dist[sink] = d;
        }
        sinkApplicant = node;
        sinkHome = NONE;
        finalDist = d;
        break;
      }
      scanHome(edgeHome[matched]!, d);
    }

    // Potentials: settled applicants and scanned homes move by (finalDist − their distance).
    for (let i = 0; i < this.touchedCount; i++) {
      const node = this.touched[i]!;
      if (node !== sink && settled[node] && dist[node]! < finalDist) v[node]! += finalDist - dist[node]!;
    }
    for (let i = 0; i < this.scannedCount; i++) {
      const h = this.scannedHomes[i]!;
      const delta = finalDist - this.scannedDist[i]!;
      if (delta > 0) u[h] = Math.max(0, u[h]! - delta);
    }

    // Augment along the path, walking back to the start home.
    let applicant: number;
    if (sinkApplicant !== NONE) {
      applicant = sinkApplicant;
    } else {
      // sinkHome becomes unlet; its occupant takes the previous home on the path.
      const h = sinkHome;
      const old = this.homeEdge[h]!;
      this.homeEdge[h] = NONE;
      u[h] = 0;
      if (old === NONE) applicant = NONE;
      else {
        applicant = edgeApplicant[old]!;
        this.applicantEdge[applicant] = NONE;
      }
    }
    while (applicant !== NONE) {
      const e = predEdge[applicant]!;
      const h = edgeHome[e]!;
      const previous = this.homeEdge[h]!;
      this.homeEdge[h] = e;
      this.applicantEdge[applicant] = e;
      applicant = previous === NONE ? NONE : edgeApplicant[previous]!;
    }

    for (let i = 0; i < this.touchedCount; i++) {
      const node = this.touched[i]!;
      dist[node] = Number.POSITIVE_INFINITY;
      settled[node] = 0;
      predEdge[node] = NONE;
    }
  }
}
