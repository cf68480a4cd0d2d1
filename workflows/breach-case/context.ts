/**
 * What a breach case remembers between events. Everything here is JSON-safe because the persisted
 * snapshot is stored as JSON and must restore to the same behaviour.
 */
import type { FeeParty, RejectionReason } from './events';

export type CaseOutcome = 'resolved' | 'unresolved' | 'rejected' | 'withdrawn' | 'lapsed';

export interface MediationFee {
  amountPence: number;
  /** Whole percent of the fee the reporting organisation pays; the respondent pays the rest. */
  reporterSharePercent: number;
  agreed: Record<FeeParty, boolean>;
  paidPence: Record<FeeParty, number>;
  waived: boolean;
}

export interface MediationSession {
  /** ISO 8601 date-time. */
  startsAt: string;
  location: string;
}

export interface CaseRejection {
  reason: RejectionReason;
  explanation: string;
  duplicateOfReference: string | null;
  /** Version 2: the caseworker who rejected (never the reviewer). */
  rejectedBy?: string | null;
  /** Version 2: ISO time after which a review can no longer be asked for. */
  reviewableUntil?: string | null;
}

/** Version 2: the public body's one request for more time to reply. */
export interface ExtensionRequest {
  reason: string;
  workingDaysAsked: number;
  requestedAt: string;
  decision: 'granted' | 'refused' | null;
  workingDaysGranted: number | null;
}

/** Version 2: times a party offered for a mediation session. */
export interface SessionProposal {
  /** Null when the service did not say which party offered them. */
  party: FeeParty | null;
  times: string[];
  at: string;
}

/** Version 2: the reporter's request for a rejection to be reviewed. */
export interface RejectionReview {
  reason: string;
  requestedAt: string;
}

export interface BreachCaseContext {
  reportingOrganisationId: string;
  respondentOrganisationId: string;
  /** ISO 8601 time the report was filed. */
  submittedAt: string;
  assigneeId: string | null;
  mediatorId: string | null;
  fee: MediationFee | null;
  session: MediationSession | null;
  agreedActions: string[];
  /** YYYY-MM-DD: last day the agreed actions are monitored. */
  monitorUntil: string | null;
  outcome: CaseOutcome | null;
  /** ISO 8601 time the case was (last) closed; the reopening window counts from it. */
  closedAt: string | null;
  rejection: CaseRejection | null;
  timesReopened: number;
  // Version 2 only (absent on version 1 snapshots).
  extension?: ExtensionRequest | null;
  sessionProposals?: SessionProposal[];
  /** When each party said it had paid its share (ISO time), before an administrator confirms. */
  feePaidReported?: Record<FeeParty, string | null>;
  /** The public body's report that the agreed actions are done. */
  actionsReportedDone?: { summary: string; at: string } | null;
  review?: RejectionReview | null;
}

export interface BreachCaseInput {
  reportingOrganisationId: string;
  respondentOrganisationId: string;
  submittedAt: string;
}
