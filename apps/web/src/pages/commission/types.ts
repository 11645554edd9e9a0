/** Shapes of the commission API (apps/server/src/routes/commission.ts; docs/commission.md). */
import type { DecisionKind } from '@mosaique/domain/commission';

export type { DecisionKind };

export interface Member {
  name: string;
  role: string;
}

export interface CommissionSession {
  id: string;
  epci: string;
  landlordId: string;
  heldOn: string;
  members: Member[];
  quorum: number;
  status: 'planned' | 'held' | 'closed';
  minutesNotes: string | null;
  epciName?: string;
  landlordName?: string;
  generated?: boolean;
}

export interface ProposalConstraint {
  name: string;
  label: string;
  slack: number;
  target?: number;
  required?: number;
  achieved?: number;
  shortfall?: number;
  missingHouseholds?: number;
}

export interface ProposalCandidate {
  sneNumber: string;
  score: number;
  rank: number;
  firstQuartile: boolean;
  priorityPublic: boolean;
  urbanRenewalRelocation: boolean;
}

export interface Proposal {
  jobId: string;
  candidates: string[];
  objective: number;
  upperBound: number;
  gap: number;
  status: string;
  constraints: ProposalConstraint[];
  explanation: string | null;
  priceOfMix?: number;
  details?: ProposalCandidate[];
}

export interface AgendaHome {
  homeId: string;
  typology: number;
  surfaceM2: number;
  rentEur: number;
  chargesEur: number;
  residenceName: string;
  communeName: string;
  qpv: boolean;
  reservationHolderName: string;
}

export interface PublicDecision {
  id: string;
  agendaItemId: string;
  homeId: string;
  sneNumber: string;
  kind: DecisionKind;
  label: string;
  rank: number | null;
  reasonCodes: string[];
  reasons: string[];
  reasonText: string | null;
  missingDocument: string | null;
  decidedAt: string;
  response: 'accepted' | 'refused' | null;
  responseReason: string | null;
  leaseId: string | null;
}

export interface AgendaItem {
  id: string;
  homeId: string;
  advertId: string | null;
  reservationHolderId: string;
  proposal: Proposal | null;
  candidates: string[];
  available: number;
  daloDesignated: boolean;
  deviationJustification: string | null;
  status: 'open' | 'decided' | 'let';
  version: number;
  home: AgendaHome | null;
  decisions: PublicDecision[];
}

export interface SessionDetail {
  session: CommissionSession;
  agenda: AgendaItem[];
}

export interface ReasonList {
  decisions: { kind: DecisionKind; label: string }[];
  reasons: { code: string; label: string; rejection: boolean }[];
}

export interface JobState {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  done: number;
  total: number;
  message: string | null;
}

export interface CycleRef {
  id: string;
  epci: string;
  landlordId: string | null;
  name: string;
  closesAt: string;
  status: 'open' | 'closed';
}
