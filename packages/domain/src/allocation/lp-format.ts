/**
 * The allocation model written in CPLEX LP format, for an external MIP solver (HiGHS in the
 * benchmark and tests): the same objective and rows as the engine, so objectives compare exactly.
 *
 *   maximise Σ_e w_e x_e − penalty · Σ_r s_r
 *   Σ_{e ∋ h} x_e ≤ 1 (home h), Σ_{e ∋ a} x_e ≤ 1 (applicant a),
 *   Σ_e c_re x_e + s_r ≥ rhs_r (target row r), x binary, s ≥ 0.
 *
 * Variables: x<edge index>, s<row index>; rows: h<home>, a<applicant>, r<row>.
 */
import type { AllocationModel } from './model.ts';

function term(coefficient: number, name: string): string {
  const sign = coefficient < 0 ? '-' : '+';
  return ` ${sign} ${formatNumber(Math.abs(coefficient))} ${name}`;
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(17).replace(/\.?0+$/, '');
}

export function allocationModelToLp(model: AllocationModel, options: { relaxed?: boolean } = {}): string {
  const { edgeCount, homeCount, applicantCount, homeStart, edgeApplicant, edgeWeight } = model;
  const rowCount = model.rows.length;
  const penalty = model.settings.shortfallPenalty;
  const lines: string[] = ['Maximize', ' obj:'];
  for (let e = 0; e < edgeCount; e++) if (edgeWeight[e] !== 0) lines.push(term(edgeWeight[e]!, `x${e}`));
  for (let r = 0; r < rowCount; r++) lines.push(term(-penalty, `s${r}`));
  lines.push('Subject To');
  for (let h = 0; h < homeCount; h++) {
    if (homeStart[h + 1] === homeStart[h]) continue;
    let line = ` h${h}:`;
    for (let e = homeStart[h]!; e < homeStart[h + 1]!; e++) line += ` + x${e}`;
    lines.push(`${line} <= 1`);
  }
  const byApplicant: number[][] = Array.from({ length: applicantCount }, () => []);
  for (let e = 0; e < edgeCount; e++) byApplicant[edgeApplicant[e]!]!.push(e);
  for (let a = 0; a < applicantCount; a++) {
    const edges = byApplicant[a]!;
    if (edges.length === 0) continue;
    lines.push(` a${a}: ${edges.map((e) => `+ x${e}`).join(' ')} <= 1`);
  }
  const rowTerms: string[][] = Array.from({ length: rowCount }, () => []);
  for (let e = 0; e < edgeCount; e++) {
    const h = model.edgeHome[e]!;
    const ce = model.edgeEpciCoefficient[e]!;
    const ch = model.edgeHolderCoefficient[e]!;
    if (ce !== 0) rowTerms[model.homeEpciRow[h]!]!.push(term(ce, `x${e}`));
    if (ch !== 0) rowTerms[model.homeHolderRow[h]!]!.push(term(ch, `x${e}`));
  }
  for (let r = 0; r < rowCount; r++) {
    lines.push(` r${r}:`);
    for (const t of rowTerms[r]!) lines.push(t);
    lines.push(` + s${r} >= ${formatNumber(model.rhs[r]!)}`);
  }
  lines.push('Bounds');
  for (let e = 0; e < edgeCount; e++) lines.push(` 0 <= x${e} <= 1`);
  if (!options.relaxed) {
    lines.push('Binary');
    for (let e = 0; e < edgeCount; e += 20) {
      const names: string[] = [];
      for (let k = e; k < Math.min(edgeCount, e + 20); k++) names.push(`x${k}`);
      lines.push(` ${names.join(' ')}`);
    }
  }
  lines.push('End');
  return lines.join('\n');
}
