import type { DeadlineKind, NotificationTemplate } from '@cc/workflows';

/**
 * The due times a change gives its clocks, as the clock effects worked them out (policy lengths,
 * bank holidays, extensions), so that a notice written in the same statement can say "by Friday
 * 29 January 2027" rather than "within 20 working days". They cannot be read back from the
 * deadlines table: the clock is written by a sibling part of the same statement, which the
 * notice's INSERT does not see. Kept per change (the effect context object every handler of one
 * change is given), and forgotten with it. The clock handler runs before the notice handler; if it
 * has not, a notice simply gives the clock's usual length instead of a date.
 */
const planned = new WeakMap<object, Map<DeadlineKind, string>>();

export function notePlannedDue(change: object, kind: DeadlineKind, dueAt: Date): void {
  const clocks = planned.get(change) ?? new Map<DeadlineKind, string>();
  clocks.set(kind, dueAt.toISOString());
  planned.set(change, clocks);
}

export function plannedDue(change: object, kind: DeadlineKind): string | undefined {
  return planned.get(change)?.get(kind);
}

/**
 * The clock a notice tells its readers to act by: its due time as the same change sets it, or,
 * when the change leaves it alone, as it runs (read by the notice's own statement).
 */
export const NOTICE_CLOCK: Partial<Record<NotificationTemplate, DeadlineKind>> = {
  informationRequested: 'informationRequest',
  respondentContacted: 'respondentReply',
  feeQuoted: 'feeAgreement',
  feeAgreed: 'feePayment',
  extensionRequested: 'respondentReply',
  extensionGranted: 'respondentReply',
  extensionRefused: 'respondentReply',
  feePaymentReported: 'feePayment',
  reopenedAfterReview: 'triage',
};
