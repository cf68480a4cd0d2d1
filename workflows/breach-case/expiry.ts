/**
 * What happens when a clock runs out (and what its reminder says), beside the clocks themselves
 * (`DEADLINE_KINDS`), so the process reads in one place. The deadline worker carries it out: it
 * sends the system event in a transaction with the case, or claims the clock and writes the notices
 * in one statement.
 */
import type { Audience, DeadlineKind } from './effects';
import type { SystemEventType } from './events';

/**
 * Who hears of a clock. Besides the workflow's audiences, 'staff': the case's caseworker once it
 * is assigned, until then every caseworker. A clock runs out with no transition (so no context to
 * choose from, as the machine's own notices do), hence the choice is left to the moment it fires.
 */
export type DeadlineNoticeAudience = Audience | 'staff';

export type DeadlineNoticeTemplate = 'deadlineOverdue' | 'deadlineReminder';

export interface DeadlineNotice {
  template: DeadlineNoticeTemplate;
  audience: DeadlineNoticeAudience[];
}

/** Exactly one per clock: it moves the case, or only tells people, or (explicitly) does nothing. */
export type ExpiryConsequence =
  | { type: 'systemEvent'; event: SystemEventType }
  | ({ type: 'notice' } & DeadlineNotice)
  | { type: 'nothing' };

export const ON_EXPIRY: Readonly<Record<DeadlineKind, ExpiryConsequence>> = {
  triage: { type: 'notice', template: 'deadlineOverdue', audience: ['staff'] },
  /** The reporter did not answer: the case lapses. */
  informationRequest: { type: 'systemEvent', event: 'INFORMATION_OVERDUE' },
  respondentReply: { type: 'systemEvent', event: 'RESPONSE_OVERDUE' },
  negotiationReview: { type: 'notice', template: 'deadlineOverdue', audience: ['staff'] },
  /** An unagreed or unpaid fee both send the case back to advocacy. */
  feeAgreement: { type: 'systemEvent', event: 'FEE_AGREEMENT_OVERDUE' },
  feePayment: { type: 'systemEvent', event: 'FEE_AGREEMENT_OVERDUE' },
  sessionReminder: { type: 'notice', template: 'deadlineReminder', audience: ['reporter', 'mediator', 'respondent'] },
  monitoring: { type: 'notice', template: 'deadlineOverdue', audience: ['staff'] },
};

/** The reminder a clock with `reminderAfterWorkingDays` sends before it runs out (the public body's reply). */
export const REMINDER_NOTICE: DeadlineNotice = { template: 'deadlineReminder', audience: ['respondent', 'staff'] };
