/**
 * The allocation commission (CALEOL, CCH L441-2, R441-3; docs/RULES.md §4): the five legal
 * decisions, the reason codes of a refusal and the rules a home's decisions must follow.
 * Pure functions; messages in French.
 */

export type DecisionKind =
  | 'allocation'
  | 'ranked-allocation'
  | 'suspensive-condition'
  | 'non-allocation'
  | 'rejection';

export const DECISION_KINDS: readonly DecisionKind[] = [
  'allocation',
  'ranked-allocation',
  'suspensive-condition',
  'non-allocation',
  'rejection',
];

export const DECISION_LABELS: Readonly<Record<DecisionKind, string>> = {
  allocation: 'attribution',
  'ranked-allocation': 'attribution par ordre de priorité',
  'suspensive-condition': 'attribution sous condition suspensive',
  'non-allocation': 'non-attribution',
  rejection: 'rejet pour irrecevabilité',
};

/** Reason codes of a non-allocation or a rejection (L441-2-2: every refusal is notified with its reasons). */
export const REASON_CODES = {
  'ressources-insuffisantes': 'ressources insuffisantes au regard du loyer et des charges',
  'plafonds-depasses': 'plafonds de ressources dépassés',
  'dossier-incomplet': 'dossier incomplet (pièce manquante)',
  'inadequation-typologie': 'inadéquation entre la typologie du logement et la composition du ménage',
  'demande-non-valide': 'demande non valide (non renouvelée ou radiée)',
  'sejour-irregulier': 'absence de titre de séjour régulier',
  'proprietaire-adapte': 'ménage propriétaire d’un logement adapté à ses besoins',
  'autre-candidat-prioritaire': 'logement attribué à un candidat mieux classé',
  'fausse-declaration': 'fausse déclaration ou dossier frauduleux',
} as const;
export type ReasonCode = keyof typeof REASON_CODES;
export const isReasonCode = (code: string): code is ReasonCode => Object.hasOwn(REASON_CODES, code);

/** The reasons that make a demand inadmissible: only they may justify a rejection. */
export const REJECTION_REASON_CODES: readonly ReasonCode[] = [
  'plafonds-depasses',
  'demande-non-valide',
  'sejour-irregulier',
  'fausse-declaration',
];

export interface DecisionInput {
  sneNumber: string;
  kind: DecisionKind;
  rank?: number | null;
  reasonCodes?: readonly string[];
  reasonText?: string | null;
  missingDocument?: string | null;
}

export interface HomeToDecide {
  /** The candidates examined, in order. */
  candidates: readonly string[];
  /** Eligible applicants available for the home (the shortlist). */
  available: number;
  /** A DALO household designated by the préfet. */
  daloDesignated: boolean;
}

/**
 * Whether the candidate list satisfies the "3 candidates per home" rule (R441-3), or why not:
 * fewer are allowed only when fewer eligible applicants exist or for a DALO household designated by
 * the préfet.
 */
export function candidateCountProblem(home: HomeToDecide): string | null {
  const n = home.candidates.length;
  if (n === 0) return 'aucun candidat n’est examiné pour ce logement';
  if (n >= 3 || home.daloDesignated || n >= home.available) return null;
  return `la commission doit examiner au moins 3 candidats par logement (${n} examiné(s) alors que ${home.available} candidats éligibles sont disponibles), sauf ménage DALO désigné par le préfet`;
}

/** Whether the candidates differ from the engine's proposal (membership or order). */
export function deviatesFromProposal(
  proposal: readonly string[] | null,
  candidates: readonly string[],
): boolean {
  if (proposal === null) return false;
  return proposal.length !== candidates.length || proposal.some((s, i) => candidates[i] !== s);
}

/** Problems of an edit of the candidate list: a deviation from the proposal needs a written justification. */
export function candidateListProblems(
  proposal: readonly string[] | null,
  candidates: readonly string[],
  justification: string | null | undefined,
): string[] {
  const problems: string[] = [];
  if (new Set(candidates).size !== candidates.length)
    problems.push('un candidat figure deux fois dans la liste');
  if (deviatesFromProposal(proposal, candidates) && (justification ?? '').trim().length < 10) {
    problems.push(
      'tout écart avec la proposition du moteur doit être justifié par écrit (au moins 10 caractères)',
    );
  }
  return problems;
}

/**
 * Problems of the decisions taken on a home, in French (empty when valid): one decision per
 * candidate examined; reasons mandatory and known for a non-allocation or a rejection; a rejection
 * only for inadmissibility; ranks 1…n, distinct, for a ranked allocation; a missing document for a
 * suspensive condition; the home goes to one household at a time (one allocation or a ranking).
 */
export function decisionProblems(home: HomeToDecide, decisions: readonly DecisionInput[]): string[] {
  const problems: string[] = [];
  const count = candidateCountProblem(home);
  if (count) problems.push(count);
  const decided = new Set<string>();
  for (const d of decisions) {
    if (!home.candidates.includes(d.sneNumber)) {
      problems.push(`${d.sneNumber} : ce demandeur n’est pas candidat sur ce logement`);
    }
    if (decided.has(d.sneNumber)) problems.push(`${d.sneNumber} : deux décisions pour le même candidat`);
    decided.add(d.sneNumber);
    const codes = d.reasonCodes ?? [];
    for (const c of codes) if (!isReasonCode(c)) problems.push(`${d.sneNumber} : motif inconnu « ${c} »`);
    if (d.kind === 'non-allocation' || d.kind === 'rejection') {
      if (codes.length === 0) {
        problems.push(
          `${d.sneNumber} : une ${DECISION_LABELS[d.kind]} doit être motivée (au moins un motif)`,
        );
      }
      if (d.kind === 'rejection' && codes.some((c) => !REJECTION_REASON_CODES.includes(c as ReasonCode))) {
        problems.push(
          `${d.sneNumber} : un rejet pour irrecevabilité ne peut reposer que sur un motif d’irrecevabilité`,
        );
      }
    } else if (codes.length > 0) {
      problems.push(`${d.sneNumber} : les motifs ne s’appliquent qu’à une non-attribution ou un rejet`);
    }
    if (d.kind === 'ranked-allocation') {
      if (!Number.isInteger(d.rank) || (d.rank ?? 0) < 1) {
        problems.push(`${d.sneNumber} : une attribution par ordre de priorité exige un rang (1, 2, 3…)`);
      }
    } else if (d.rank != null) {
      problems.push(`${d.sneNumber} : un rang ne s’applique qu’à une attribution par ordre de priorité`);
    }
    if (d.kind === 'suspensive-condition' && !(d.missingDocument ?? '').trim()) {
      problems.push(`${d.sneNumber} : une condition suspensive doit nommer la pièce manquante`);
    }
    if (d.kind !== 'suspensive-condition' && d.missingDocument) {
      problems.push(`${d.sneNumber} : une pièce manquante ne s’applique qu’à une condition suspensive`);
    }
  }
  for (const s of home.candidates) {
    if (!decided.has(s)) problems.push(`${s} : ce candidat n’a pas de décision`);
  }
  const single = decisions.filter((d) => d.kind === 'allocation' || d.kind === 'suspensive-condition');
  const ranked = decisions.filter((d) => d.kind === 'ranked-allocation');
  if (single.length > 1)
    problems.push('le logement ne peut être attribué qu’à un seul ménage (sinon, classer les candidats)');
  if (single.length > 0 && ranked.length > 0) {
    problems.push(
      'une attribution simple et une attribution par ordre de priorité ne peuvent pas se combiner',
    );
  }
  const ranks = ranked.map((d) => d.rank ?? 0).sort((a, b) => a - b);
  if (ranks.length > 0 && ranks.some((r, i) => r !== i + 1)) {
    problems.push('les rangs doivent être distincts et suivis, à partir de 1');
  }
  return problems;
}

export interface DecisionState {
  id: string;
  sneNumber: string;
  kind: DecisionKind;
  rank: number | null;
  response: 'accepted' | 'refused' | null;
}

/**
 * The decision that currently holds the offer of the home: the allocation (simple or under
 * suspensive condition), or in a ranking the best-ranked candidate who has not refused. null when
 * nobody holds it (no allocation, or every ranked candidate refused).
 */
export function currentOffer(decisions: readonly DecisionState[]): DecisionState | null {
  const single = decisions.find((d) => d.kind === 'allocation' || d.kind === 'suspensive-condition');
  if (single) return single.response === 'refused' ? null : single;
  const ranked = decisions
    .filter((d) => d.kind === 'ranked-allocation')
    .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  return ranked.find((d) => d.response !== 'refused') ?? null;
}
