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
}

export interface BreachCaseInput {
  reportingOrganisationId: string;
  respondentOrganisationId: string;
  submittedAt: string;
}
