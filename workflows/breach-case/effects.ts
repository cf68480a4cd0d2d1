/**
 * What a transition asks the outside world to do. The machine never performs these itself (it is
 * pure); it declares them as named actions with params, the pure `transition()` returns them, and
 * the service layer carries them out in the same database transaction as the state change.
 */

/** Every clock a case can run. Lengths are defaults a Compact's deadline policy may override. */
export const DEADLINE_KINDS = {
  /** Caseworker's triage target from submission. */
  triage: { workingDays: 5, waitsOn: 'caseworker' },
  /** Reporter's time to answer an information request; on expiry the case lapses. */
  informationRequest: { workingDays: 10, waitsOn: 'reporter' },
  /** Public body's time to reply; reminder at 15 working days. CHASE gives 10 more. */
  respondentReply: { workingDays: 20, reminderAfterWorkingDays: 15, waitsOn: 'respondent' },
  /** Review of a negotiation. */
  negotiationReview: { workingDays: 30, waitsOn: 'caseworker' },
  /** Both parties' time to agree a quoted mediation fee. */
  feeAgreement: { workingDays: 10, waitsOn: 'parties' },
  /** Time to pay an agreed fee in full. */
  feePayment: { workingDays: 10, waitsOn: 'parties' },
  /** Reminder two days before a scheduled mediation session (dueAt given by the effect). */
  sessionReminder: { workingDays: null, waitsOn: 'parties' },
  /** Agreed actions are monitored until a date (dueAt given by the effect). */
  monitoring: { workingDays: null, waitsOn: 'respondent' },
} as const;
export type DeadlineKind = keyof typeof DEADLINE_KINDS;

export type DeadlineEndStatus = 'met' | 'cancelled';

/** Who a notification goes to; the service turns these into addresses. */
export type Audience = 'reporter' | 'caseworkers' | 'assignee' | 'mediator' | 'respondent';

export type NotificationTemplate =
  | 'caseSubmitted'
  | 'caseAssigned'
  | 'informationRequested'
  | 'informationProvided'
  | 'caseAccepted'
  | 'caseRejected'
  | 'respondentContacted'
  | 'responseOverdue'
  | 'responseRecorded'
  | 'caseResolved'
  | 'negotiationOpened'
  | 'referredToMediation'
  | 'feeQuoted'
  | 'feeAgreed'
  | 'feeDeclined'
  | 'feeWaived'
  | 'feePaid'
  | 'mediatorAppointed'
  | 'sessionScheduled'
  | 'outcomeRecorded'
  | 'campaignStarted'
  | 'caseClosed'
  | 'caseWithdrawn'
  | 'caseReopened'
  | 'notImplementedReported'
  // Version 2
  | 'extensionRequested'
  | 'extensionGranted'
  | 'extensionRefused'
  | 'feePaymentReported'
  | 'sessionTimesProposed'
  | 'actionsReportedDone'
  | 'reviewRequested'
  | 'rejectionUpheld'
  | 'reopenedAfterReview'
  // Not from the machine: a message written on the case to or from the public body.
  | 'messageReceived';

export type CaseEffect =
  /** Start a clock. Exactly one of workingDays (from the event time) or dueAt is given. */
  | { type: 'startDeadline'; kind: DeadlineKind; workingDays?: number; dueAt?: string }
  /** Stop a running (or paused) clock: met when its purpose was served, cancelled otherwise. */
  | { type: 'endDeadline'; kind: DeadlineKind; status: DeadlineEndStatus }
  /** The case now waits on the reporter: stop this clock, keeping the time left. */
  | { type: 'pauseDeadline'; kind: DeadlineKind }
  /** Restart a paused clock with the time that was left. */
  | { type: 'resumeDeadline'; kind: DeadlineKind }
  /** Version 2: move a running clock's due time later by this many working days (an extension granted). */
  | { type: 'extendDeadline'; kind: DeadlineKind; workingDays: number }
  | { type: 'notify'; template: NotificationTemplate; audience: Audience[] };
