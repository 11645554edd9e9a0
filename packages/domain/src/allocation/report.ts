/**
 * What the engine returns to people: the proposal, three ranked candidates per home for the
 * commission (CALEOL, R441-3: at least three candidates per home), every target row with its slack
 * and, when the pool cannot meet it, the households that would have been needed; per home an
 * explanation in French of why the first candidate was chosen and which target moved whom.
 */
import type { EngineSolution } from './engine.ts';
import { relativeGap } from './engine.ts';
import { type AllocationModel, FIRST_QUARTILE, PRIORITY, URBAN_RENEWAL } from './model.ts';
import type { AllocationResult, AssignmentReport, ConstraintKind, ConstraintReport } from './types.ts';

const HOLDER_LABELS: Record<string, string> = {
  state: 'État',
  'action-logement': 'Action Logement',
  commune: 'commune',
  landlord: 'bailleur (logements non réservés)',
};

export function constraintLabel(kind: ConstraintKind, scope: string): string {
  switch (kind) {
    case 'firstQuartileOutsideQpv':
      return `Ménages du premier quartile ou relogés (renouvellement urbain) hors QPV, EPCI ${scope}`;
    case 'nonFirstQuartileInsideQpv':
      return `Ménages hors premier quartile en QPV, EPCI ${scope}`;
    case 'priorityPerReservationHolder':
      return `Publics prioritaires, réservataire ${HOLDER_LABELS[scope] ?? scope}`;
  }
}

function qualifyingWords(kind: ConstraintKind): string {
  switch (kind) {
    case 'firstQuartileOutsideQpv':
      return 'du premier quartile ou relogé';
    case 'nonFirstQuartileInsideQpv':
      return 'hors premier quartile';
    case 'priorityPerReservationHolder':
      return 'prioritaire';
  }
}

/** French decimal comma, at most `digits` decimals (values here stay below 10,000: no grouping). */
function formatNumber(x: number, digits = 1): string {
  const f = 10 ** digits;
  return String(Math.round(x * f) / f).replace('.', ',');
}

function applicantTraits(flags: number): string {
  const traits: string[] = [];
  if (flags & FIRST_QUARTILE) traits.push('premier quartile');
  if (flags & URBAN_RENEWAL) traits.push('relogé renouvellement urbain');
  if (flags & PRIORITY) traits.push('public prioritaire');
  return traits.length > 0 ? `, ${traits.join(', ')}` : '';
}

export function buildAllocationResult(
  model: AllocationModel,
  solution: EngineSolution,
  seconds: number,
): AllocationResult {
  const m = model;
  const { homeEdge, lambda } = solution;
  const penaltyRate = m.settings.shortfallPenalty;
  const prudent = m.settings.unletHomes === 'nonQualifying';
  const applicantEdge = new Int32Array(m.applicantCount).fill(-1);
  for (let h = 0; h < m.homeCount; h++)
    if (homeEdge[h]! >= 0) applicantEdge[m.edgeApplicant[homeEdge[h]!]!] = homeEdge[h]!;
  const unconstrainedApplicantEdge = new Int32Array(m.applicantCount).fill(-1);
  for (let h = 0; h < m.homeCount; h++) {
    const e = solution.unconstrainedHomeEdge[h]!;
    if (e >= 0) unconstrainedApplicantEdge[m.edgeApplicant[e]!] = e;
  }

  // Assignments and row activities.
  const assignments: AssignmentReport[] = [];
  const unlet: string[] = [];
  const lets = new Int32Array(m.rows.length);
  const qualifying = new Int32Array(m.rows.length);
  let weight = 0;
  for (let h = 0; h < m.homeCount; h++) {
    const e = homeEdge[h]!;
    if (e < 0) {
      unlet.push(m.homeIds[h]!);
      continue;
    }
    const a = m.edgeApplicant[e]!;
    weight += m.edgeWeight[e]!;
    assignments.push({
      home: m.homeIds[h]!,
      applicant: m.applicantIds[a]!,
      rank: m.edgeRank[e]!,
      score: m.applicantScore[a]!,
      weight: m.edgeWeight[e]!,
    });
    for (const r of [m.homeEpciRow[h]!, m.homeHolderRow[h]!]) {
      lets[r]!++;
      const coefficient = r === m.homeEpciRow[h] ? m.edgeEpciCoefficient[e]! : m.edgeHolderCoefficient[e]!;
      // In the `excluded` rule the coefficient is q − t: q = coefficient + t > 0.
      if (prudent ? coefficient > 0 : coefficient + m.rows[r]!.target > 0.5) qualifying[r]!++;
    }
  }

  let shortfallTotal = 0;
  const constraints: ConstraintReport[] = m.rows.map((row, r) => {
    const counted = row.yearToDateTotal + (prudent ? row.homes : lets[r]!);
    const required = row.target * counted;
    const achieved = row.yearToDateQualifying + qualifying[r]!;
    let slack = achieved - required;
    if (Math.abs(slack) < 1e-9) slack = 0;
    const shortfall = Math.max(0, -slack);
    shortfallTotal += shortfall;
    return {
      name: `${row.kind}:${row.scope}`,
      kind: row.kind,
      scope: row.scope,
      label: constraintLabel(row.kind, row.scope),
      target: row.target,
      homes: row.homes,
      lets: lets[r]!,
      counted,
      required,
      achieved,
      slack,
      shortfall,
      missingHouseholds: Math.max(0, Math.ceil(shortfall - 1e-9)),
      multiplier: lambda[r]!,
    };
  });
  const penalty = penaltyRate * shortfallTotal;
  const objective = weight - penalty;
  const upperBound = Math.max(solution.upperBound, objective);

  // Candidates: the assigned applicant, then the home's other eligible applicants, those without a
  // proposed home first, then by weight including the target prices (w + λ·c), then by id.
  const candidates: Record<string, string[]> = {};
  const explanations: Record<string, string> = {};
  const adjusted = (h: number, e: number) =>
    m.edgeWeight[e]! +
    lambda[m.homeEpciRow[h]!]! * m.edgeEpciCoefficient[e]! +
    lambda[m.homeHolderRow[h]!]! * m.edgeHolderCoefficient[e]!;
  for (let h = 0; h < m.homeCount; h++) {
    const id = m.homeIds[h]!;
    const chosen = homeEdge[h]!;
    const before = (x: number, y: number) => {
      const bx = applicantEdge[m.edgeApplicant[x]!]! >= 0 ? 1 : 0;
      const by = applicantEdge[m.edgeApplicant[y]!]! >= 0 ? 1 : 0;
      if (bx !== by) return bx < by;
      const ax = adjusted(h, x);
      const ay = adjusted(h, y);
      return ax !== ay ? ax > ay : m.edgeApplicant[x]! < m.edgeApplicant[y]!;
    };
    // The two best alternatives by a single scan.
    let first = -1;
    let second = -1;
    for (let e = m.homeStart[h]!; e < m.homeStart[h + 1]!; e++) {
      if (e === chosen) continue;
      if (first < 0 || before(e, first)) {
        second = first;
        first = e;
      } else if (second < 0 || before(e, second)) second = e;
    }
    const list = [chosen, first, second].filter((e) => e >= 0).slice(0, 3);
    candidates[id] = list.map((e) => m.applicantIds[m.edgeApplicant[e]!]!);
    explanations[id] = explainHome(model, solution, h, applicantEdge, unconstrainedApplicantEdge);
  }

  return {
    assignments,
    unlet,
    candidates,
    objective,
    weight,
    penalty,
    upperBound,
    gap: relativeGap(upperBound, objective),
    constraints,
    priceOfMix: solution.unconstrainedWeight - weight,
    unconstrainedWeight: solution.unconstrainedWeight,
    explanations,
    status: solution.status,
    seconds,
    iterations: solution.iterations,
    settings: m.settings,
    targets: m.targets,
  };
}

function describe(model: AllocationModel, e: number): string {
  const a = model.edgeApplicant[e]!;
  return `« ${model.applicantIds[a]} » (score ${formatNumber(model.applicantScore[a]!)}, choix n° ${model.edgeRank[e]}${applicantTraits(model.applicantFlags[a]!)})`;
}

function explainHome(
  m: AllocationModel,
  solution: EngineSolution,
  h: number,
  applicantEdge: Int32Array,
  unconstrainedApplicantEdge: Int32Array,
): string {
  const from = m.homeStart[h]!;
  const to = m.homeStart[h + 1]!;
  if (to === from) return 'Aucune candidature éligible : logement non attribué, à remettre en location.';
  const chosen = solution.homeEdge[h]!;
  const free = solution.unconstrainedHomeEdge[h]!;
  // The eligible application of highest weight (ties: lowest applicant id).
  let best = from;
  for (let e = from + 1; e < to; e++) if (m.edgeWeight[e]! > m.edgeWeight[best]!) best = e;
  const parts: string[] = [];
  const count = to - from;

  if (chosen < 0) {
    let available = 0;
    for (let e = from; e < to; e++) if (applicantEdge[m.edgeApplicant[e]!]! < 0) available++;
    parts.push(
      available === 0
        ? `Non attribué : les ${count} candidats éligibles sont tous proposés pour d’autres logements.`
        : `Non attribué : les ${available} candidats encore disponibles n’apportent rien (poids nul ou négatif) ou éloigneraient un objectif de mixité.`,
    );
    const b = m.edgeApplicant[best]!;
    const elsewhere = applicantEdge[b]!;
    if (elsewhere >= 0)
      parts.push(
        `Le mieux placé, « ${m.applicantIds[b]} », est proposé pour le logement « ${m.homeIds[m.edgeHome[elsewhere]!]} » (son choix n° ${m.edgeRank[elsewhere]}).`,
      );
  } else {
    parts.push(`Proposé à ${describe(m, chosen)}, poids ${formatNumber(m.edgeWeight[chosen]!)}.`);
    if (m.edgeApplicant[chosen] === m.edgeApplicant[best] || m.edgeWeight[chosen] === m.edgeWeight[best]) {
      parts.push(
        count === 1
          ? 'C’est la seule candidature éligible.'
          : `C’est la candidature de plus fort poids parmi les ${count} candidatures éligibles.`,
      );
    } else {
      const b = m.edgeApplicant[best]!;
      const elsewhere = applicantEdge[b]!;
      if (elsewhere >= 0)
        parts.push(
          `Le candidat de plus fort poids, ${describe(m, best)}, est proposé pour le logement « ${m.homeIds[m.edgeHome[elsewhere]!]} » (son choix n° ${m.edgeRank[elsewhere]}).`,
        );
      else
        parts.push(
          `Le candidat de plus fort poids, ${describe(m, best)}, n’est pas retenu : les objectifs de mixité l’en écartent (voir ci-dessous).`,
        );
    }
  }

  if (free !== chosen) {
    const moved: string[] = [];
    for (const r of [m.homeEpciRow[h]!, m.homeHolderRow[h]!]) {
      const row = m.rows[r]!;
      const coefficient = (e: number) =>
        e < 0 ? 0 : r === m.homeEpciRow[h] ? m.edgeEpciCoefficient[e]! : m.edgeHolderCoefficient[e]!;
      const diff = coefficient(chosen) - coefficient(free);
      if (diff > 0 && solution.lambda[r]! > 0)
        moved.push(
          `l’objectif « ${constraintLabel(row.kind, row.scope)} » (${formatNumber(row.target * 100, 0)} %) fait préférer un ménage ${qualifyingWords(row.kind)}`,
        );
      else if (diff < 0 && solution.lambda[r]! > 0)
        moved.push(
          `l’objectif « ${constraintLabel(row.kind, row.scope)} » réserve ailleurs les ménages ${qualifyingWords(row.kind)}`,
        );
    }
    const without = free >= 0 ? `serait allé à ${describe(m, free)}` : 'serait resté vacant';
    let where = '';
    if (free >= 0) {
      const a = m.edgeApplicant[free]!;
      const now = applicantEdge[a]!;
      where =
        now >= 0
          ? ` ; ce candidat est proposé pour le logement « ${m.homeIds[m.edgeHome[now]!]} »`
          : ' ; ce candidat n’a pas de logement dans la proposition';
    }
    parts.push(
      `Sans les objectifs de la CIA, ce logement ${without}${where}.${moved.length > 0 ? ` Ici, ${moved.join(' ; ')}.` : ' Le changement vient d’un réarrangement imposé par les objectifs sur d’autres logements.'}`,
    );
    if (chosen >= 0) {
      const a = m.edgeApplicant[chosen]!;
      const before = unconstrainedApplicantEdge[a]!;
      if (before >= 0 && before !== chosen)
        parts.push(
          `Sans ces objectifs, « ${m.applicantIds[a]} » aurait eu le logement « ${m.homeIds[m.edgeHome[before]!]} ».`,
        );
    }
  }
  return parts.join(' ');
}
