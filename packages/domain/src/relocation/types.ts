/**
 * Urban-renewal relocation (NPNRU; docs/RULES.md §7): when a building of a priority neighbourhood
 * (QPV) is demolished or restructured, every household living there is rehoused. Each household has
 * a relocation file: social diagnosis interview, wishes, constraints, follow-up notes, up to three
 * proposals (each accepted or refused with a reason) and the new lease; every step is dated.
 */

export type OperationKind = 'demolition' | 'restructuring';
export const OPERATION_KIND_LABELS: Record<OperationKind, string> = {
  demolition: 'démolition',
  restructuring: 'restructuration lourde',
};

/** A dated milestone of the operation's calendar. */
export interface Milestone {
  /** e.g. « Signature de la convention ANRU », « Début des entretiens », « Démolition ». */
  label: string;
  /** YYYY-MM-DD. */
  date: string;
}

/** What the household wishes for its new home; an empty list or null means « indifférent ». */
export interface RelocationWishes {
  /** INSEE codes of the communes wished. */
  communes: string[];
  /** Typologies (1 = T1 … 6 = T6) wished. */
  typologies: number[];
  /** Highest floor accepted without a lift (null: any floor). */
  maxFloorWithoutLift: number | null;
  /** New or recent home (built less than 5 years before), older home, or either. */
  age: 'new-or-recent' | 'older' | 'either';
  /** Highest monthly rent plus charges the household accepts, € (null: not said). */
  maxRentWithChargesEur: number | null;
}

/** Constraints that any proposal must respect. */
export interface RelocationConstraints {
  /** Communes where a member works (the new home should stay reachable). */
  workCommunes: string[];
  /** Communes where the children go to school (keep the school: stay in one of them). */
  schoolCommunes: string[];
  /** A health condition that needs care nearby (the nature is never recorded). */
  healthCare: boolean;
  /** A member uses a wheelchair: only accessible homes fit. */
  wheelchairAccess: boolean;
  /** A member has reduced mobility: ground floor or a lift. */
  reducedMobility: boolean;
}

export const EMPTY_WISHES: RelocationWishes = {
  communes: [],
  typologies: [],
  maxFloorWithoutLift: null,
  age: 'either',
  maxRentWithChargesEur: null,
};

export const EMPTY_CONSTRAINTS: RelocationConstraints = {
  workCommunes: [],
  schoolCommunes: [],
  healthCare: false,
  wheelchairAccess: false,
  reducedMobility: false,
};

/** Reasons a household refuses a proposal (the reasons ANRU's relocation reviews count). */
export const REFUSAL_REASONS = [
  'location',
  'size',
  'rent',
  'floor-or-access',
  'condition',
  'schooling-or-work',
  'neighbourhood',
  'other',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];
export const REFUSAL_REASON_LABELS: Record<RefusalReason, string> = {
  location: 'localisation (commune, quartier)',
  size: 'taille ou typologie',
  rent: 'loyer ou reste à charge trop élevé',
  'floor-or-access': 'étage ou accessibilité',
  condition: 'état ou qualité du logement',
  'schooling-or-work': 'éloignement de l’école ou du travail',
  neighbourhood: 'environnement, voisinage',
  other: 'autre motif',
};

/** Most proposals a household receives (ANRU's relocation charters: three proposals). */
export const MAX_PROPOSALS = 3;

export type ProposalResponse = 'pending' | 'accepted' | 'refused';

export type StepKind =
  | 'import'
  | 'diagnosis'
  | 'wishes'
  | 'constraints'
  | 'note'
  | 'proposal'
  | 'proposal-answer'
  | 'lease';
export const STEP_LABELS: Record<StepKind, string> = {
  import: 'ménage inscrit à l’opération',
  diagnosis: 'entretien de diagnostic social',
  wishes: 'souhaits enregistrés',
  constraints: 'contraintes enregistrées',
  note: 'note de suivi',
  proposal: 'proposition de logement',
  'proposal-answer': 'réponse à une proposition',
  lease: 'bail signé',
};

/** Where a file stands, derived from its steps. */
export type FileStage = 'to-meet' | 'diagnosed' | 'proposal-pending' | 'searching' | 'rehoused';
export const FILE_STAGE_LABELS: Record<FileStage, string> = {
  'to-meet': 'à rencontrer',
  diagnosed: 'diagnostic fait',
  'proposal-pending': 'proposition en attente de réponse',
  searching: 'recherche en cours',
  rehoused: 'relogé',
};

export function fileStage(file: {
  diagnosisOn: string | null;
  leaseSignedOn: string | null;
  proposals: readonly { response: ProposalResponse }[];
}): FileStage {
  if (file.leaseSignedOn) return 'rehoused';
  if (file.proposals.some((p) => p.response === 'pending' || p.response === 'accepted'))
    return 'proposal-pending';
  if (file.proposals.length > 0) return 'searching';
  if (file.diagnosisOn) return 'diagnosed';
  return 'to-meet';
}
