/** Shapes of the relocation API (apps/server/src/routes/relocation.ts). */
export type {
  FileStage,
  ProposalResponse,
  RelocationConstraints as Constraints,
  RelocationWishes as Wishes,
} from '@mosaique/domain/relocation';

import type {
  RelocationConstraints as Constraints,
  FileStage,
  ProposalResponse,
  RelocationWishes as Wishes,
} from '@mosaique/domain/relocation';

export interface OperationSummary {
  id: string;
  epci: string;
  name: string;
  kind: 'demolition' | 'restructuring';
  qpv: string;
  qpvName: string;
  landlordName: string;
  households: number;
  rehoused: number;
  generated: boolean;
}

export interface FileRow {
  id: string;
  householdId: string;
  sneNumber: string;
  persons: number;
  originHomeId: string;
  residenceName: string;
  stage: FileStage;
  stageLabel: string;
  diagnosisOn: string | null;
  proposals: number;
  leaseSignedOn: string | null;
}

export interface Operation extends Omit<OperationSummary, 'households' | 'rehoused'> {
  kindLabel: string;
  landlordId: string;
  milestones: { label: string; date: string }[];
  residences: { id: string; name: string; commune: string }[];
  officers: { id: string; displayName: string }[];
  rights: { read: boolean; writeFiles: boolean; administer: boolean; reserveHomes: boolean };
  files: FileRow[];
}

export interface Proposal {
  rank: number;
  homeId: string;
  advertId: string | null;
  /** The commission decision the proposal was made through, if any. */
  decisionId: string | null;
  proposedOn: string;
  response: ProposalResponse;
  answeredOn: string | null;
  refusalReason: string | null;
  refusalLabel: string | null;
  home: {
    residenceName: string;
    commune: string;
    communeName: string;
    qpv: string | null;
    typology: number;
    surfaceM2: number;
    floor: number;
    lift: boolean;
    rentEur: number;
    chargesEur: number;
    constructionYear: number;
  };
}

export interface Step {
  id: number;
  kind: string;
  onDate: string;
  note: string | null;
  details: Record<string, unknown>;
  recordedBy: string | null;
}

export interface RelocationFile {
  id: string;
  operationId: string;
  operationName: string;
  siteQpv: string;
  householdId: string;
  sneNumber: string;
  persons: number;
  origin: {
    homeId: string;
    residenceName: string;
    surfaceM2: number;
    rentEur: number;
    chargesEur: number;
    housingBenefitEur: number | null;
  };
  diagnosisOn: string | null;
  diagnosisNotes: string | null;
  wishes: Wishes;
  constraints: Constraints;
  proposals: Proposal[];
  lease: {
    id: string;
    signedOn: string;
    homeId: string;
    qpv: string | null;
    surfaceM2: number;
    rentEur: number;
    chargesEur: number;
    housingBenefitEur: number | null;
    residenceName: string;
    communeName: string;
  } | null;
  stage: FileStage;
  stageLabel: string;
  steps: Step[];
  generated: boolean;
}

export interface MatchingHome {
  homeId: string;
  advertId: string | null;
  reserved: boolean;
  residenceName: string;
  commune: string;
  communeName: string;
  qpv: string | null;
  typology: number;
  surfaceM2: number;
  floor: number;
  lift: boolean;
  accessible: boolean;
  rentEur: number;
  chargesEur: number;
  constructionYear: number;
  match: { matches: boolean; unmet: string[] };
}

/** The trajectory indicators as the API answers them (computed by the domain). */
export type { Share, TrajectoryIndicators as Indicators } from '@mosaique/domain/relocation';

export interface Reference {
  refusalReasons: { code: string; label: string }[];
  steps: Record<string, string>;
  stages: Record<FileStage, string>;
}
