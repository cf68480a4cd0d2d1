/**
 * The domain rules a breach case enforces, as small pure functions. The machine uses them as its
 * guards (under the same names), and the workflow uses RULES to explain a refusal to a person.
 */
import type { BreachCaseContext, MediationFee } from './context';
import type { FeeParty, MediationResult } from './events';
import { MONITOR_MAX_YEARS, meetingNotInFuture, monitoringDateSensible, sessionDayReached, sessionNotInPast } from './date-rules';

export * from './date-rules';

export const REOPEN_WINDOW_DAYS = 90;
/** Version 2: a reporter may ask for a rejection to be reviewed until the end of this many working days (the service works out the date). */
export const REVIEW_WINDOW_WORKING_DAYS = 20;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RuleDefinition {
  /** Shown to the person whose request was refused, so it says what to do instead. */
  message: string;
  /**
   * 'rule' forbids something; 'branch' only chooses between the transitions of one event (e.g.
   * whether this payment completes the fee) and is never the reason a request is refused unless
   * no branch matched at all.
   */
  kind: 'rule' | 'branch';
  /**
   * Whether the rule reads the event's payload. Rules that read only the case and the time are
   * checked when listing what can be done next, so a person is not offered an action that would
   * certainly be refused (e.g. REOPEN after 90 days).
   */
  usesPayload: boolean;
  /** The payload field a refusal is about, so a page can show the message beside that field. */
  field?: string;
}

export const RULES = {
  feePartyHasNotAgreed: {
    message: 'That party has already agreed the quoted fee.',
    kind: 'rule',
    usesPayload: true,
  },
  otherFeePartyHasAgreed: {
    message: 'The other party has not agreed the fee yet.',
    kind: 'branch',
    usesPayload: true,
  },
  paymentWithinOutstandingShare: {
    message: "The payment is more than that party still owes of its share of the fee; record the amount actually received, up to the party's outstanding share.",
    kind: 'rule',
    usesPayload: true,
  },
  paymentCompletesFee: {
    message: 'The fee is not yet paid in full.',
    kind: 'branch',
    usesPayload: true,
  },
  feeSettled: {
    message: 'A mediator can be appointed only once both parties have agreed the fee and it is paid in full, or the fee is waived.',
    kind: 'rule',
    usesPayload: false,
  },
  mediatorIsIndependent: {
    message: 'The mediator is tied to the reporting organisation or the respondent; appoint someone independent.',
    kind: 'rule',
    usesPayload: true,
  },
  withinReopenWindow: {
    message: `A closed case can be reopened only within ${REOPEN_WINDOW_DAYS} days of closing; report a new breach instead.`,
    kind: 'rule',
    usesPayload: false,
  },
  mediationSettled: {
    message: 'The mediation did not settle the dispute.',
    kind: 'branch',
    usesPayload: true,
  },
  mediationFailedAndClose: {
    message: "The mediation did not settle and the case is to be closed: give next 'close'.",
    kind: 'branch',
    usesPayload: true,
  },
  mediationFailedAndReturn: {
    message: "The mediation did not settle and the case goes back to advocacy: give next 'returnToAdvocacy'.",
    kind: 'branch',
    usesPayload: true,
  },
  // Dates that make no sense; the functions are in date-rules.ts, shared with the report's checks.
  meetingNotInFuture: {
    message: 'The date of the meeting must be today or in the past.',
    kind: 'rule',
    usesPayload: true,
    field: 'heldOn',
  },
  sessionNotInPast: {
    message: 'The date and time of the session must be in the future.',
    kind: 'rule',
    usesPayload: true,
    field: 'startsAt',
  },
  sessionDayReached: {
    message: 'The session can be recorded as held from the day it takes place.',
    kind: 'rule',
    usesPayload: false,
  },
  monitoringDateSensible: {
    message: `The date to monitor until must be today or later, and within ${MONITOR_MAX_YEARS} years.`,
    kind: 'rule',
    usesPayload: true,
    field: 'monitorUntil',
  },
  // Version 2.
  noExtensionYet: {
    message: 'You have already asked for more time once.',
    kind: 'rule',
    usesPayload: false,
  },
  extensionPending: {
    message: 'The public body has not asked for more time, or its request has already been decided.',
    kind: 'rule',
    usesPayload: false,
  },
  feeShareOutstanding: {
    message: "That party's share of the fee is already recorded as paid in full.",
    kind: 'rule',
    usesPayload: true,
    field: 'party',
  },
  proposedTimesNotInPast: {
    message: 'Every time you propose for the session must be in the future.',
    kind: 'rule',
    usesPayload: true,
    field: 'times',
  },
  rejectionOpenToReview: {
    message: 'Only a rejected report can be reviewed, and only once for each rejection.',
    kind: 'rule',
    usesPayload: false,
  },
  withinReviewWindow: {
    message: `A review can be asked for within ${REVIEW_WINDOW_WORKING_DAYS} working days of the rejection.`,
    kind: 'rule',
    usesPayload: false,
  },
  reviewerIsNotRejecter: {
    message: 'A different caseworker must decide the review.',
    kind: 'rule',
    usesPayload: true,
  },
} as const satisfies Record<string, RuleDefinition>;

export type RuleName = keyof typeof RULES;

export function isRuleName(name: string): name is RuleName {
  return Object.prototype.hasOwnProperty.call(RULES, name);
}

export const otherParty = (party: FeeParty): FeeParty => (party === 'reporter' ? 'respondent' : 'reporter');

/**
 * Each party's share in whole pence. The reporter's share is rounded half up and the respondent
 * pays the remainder, so the shares always add up to the fee exactly.
 */
export function feeShares(fee: Pick<MediationFee, 'amountPence' | 'reporterSharePercent'>): Record<FeeParty, number> {
  const reporter = Math.floor((fee.amountPence * fee.reporterSharePercent + 50) / 100);
  return { reporter, respondent: fee.amountPence - reporter };
}

export function outstandingShare(fee: MediationFee, party: FeeParty): number {
  return feeShares(fee)[party] - fee.paidPence[party];
}

export function feePartyHasNotAgreed(ctx: BreachCaseContext, party: FeeParty): boolean {
  return ctx.fee !== null && !ctx.fee.agreed[party];
}

export function otherFeePartyHasAgreed(ctx: BreachCaseContext, party: FeeParty): boolean {
  return ctx.fee !== null && ctx.fee.agreed[otherParty(party)];
}

export function paymentWithinOutstandingShare(ctx: BreachCaseContext, party: FeeParty, amountPence: number): boolean {
  return ctx.fee !== null && !ctx.fee.waived && amountPence > 0 && amountPence <= outstandingShare(ctx.fee, party);
}

export function paymentCompletesFee(ctx: BreachCaseContext, _party: FeeParty, amountPence: number): boolean {
  if (ctx.fee === null) return false;
  const paid = ctx.fee.paidPence.reporter + ctx.fee.paidPence.respondent + amountPence;
  return paid === ctx.fee.amountPence;
}

export function feeSettled(ctx: BreachCaseContext): boolean {
  const fee = ctx.fee;
  if (fee === null) return false;
  if (fee.waived) return true;
  const shares = feeShares(fee);
  return (
    fee.agreed.reporter &&
    fee.agreed.respondent &&
    fee.paidPence.reporter === shares.reporter &&
    fee.paidPence.respondent === shares.respondent
  );
}

export function mediatorIsIndependent(ctx: BreachCaseContext, mediatorTies: readonly string[]): boolean {
  return !mediatorTies.includes(ctx.reportingOrganisationId) && !mediatorTies.includes(ctx.respondentOrganisationId);
}

export function withinReopenWindow(ctx: BreachCaseContext, at: string): boolean {
  if (ctx.closedAt === null) return false;
  return Date.parse(at) - Date.parse(ctx.closedAt) <= REOPEN_WINDOW_DAYS * DAY_MS;
}

export function mediationSettled(result: MediationResult): boolean {
  return result === 'settled' || result === 'partiallySettled';
}

export function mediationFailedAndClose(result: MediationResult, next: 'close' | 'returnToAdvocacy' | undefined): boolean {
  return result === 'notSettled' && next === 'close';
}

export function mediationFailedAndReturn(result: MediationResult, next: 'close' | 'returnToAdvocacy' | undefined): boolean {
  return result === 'notSettled' && next === 'returnToAdvocacy';
}

/**
 * The date rules a command's payload breaks at time `at`, by field: what the machine's guards
 * would refuse, asked before sending so a page can show every problem at once beside its field.
 */
export function commandDateProblems(type: string, payload: Record<string, unknown>, at: string): Array<{ field: string; rule: RuleName }> {
  const problems: Array<{ field: string; rule: RuleName }> = [];
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const heldOn = str(payload.heldOn);
  const startsAt = str(payload.startsAt);
  const monitorUntil = str(payload.monitorUntil);
  if (type === 'RECORD_MEETING' && heldOn && !meetingNotInFuture(heldOn, at)) problems.push({ field: 'heldOn', rule: 'meetingNotInFuture' });
  if ((type === 'SCHEDULE_SESSION' || type === 'RESCHEDULE') && startsAt && !sessionNotInPast(startsAt, at)) problems.push({ field: 'startsAt', rule: 'sessionNotInPast' });
  if ((type === 'RESOLVE' || type === 'AGREE' || type === 'RECORD_OUTCOME') && monitorUntil && !monitoringDateSensible(monitorUntil, at)) {
    problems.push({ field: 'monitorUntil', rule: 'monitoringDateSensible' });
  }
  const times = Array.isArray(payload.times) ? payload.times.filter((t): t is string => typeof t === 'string') : [];
  if (type === 'PROPOSE_SESSION_TIMES' && times.length && !proposedTimesNotInPast(times, at)) problems.push({ field: 'times', rule: 'proposedTimesNotInPast' });
  return problems;
}

/** RECORD_SESSION_HELD's rule, over the case's session. */
export function sessionHeldOnOrAfterItsDay(ctx: BreachCaseContext, at: string): boolean {
  return sessionDayReached(ctx.session?.startsAt, at);
}

// Version 2.

/** The public body may ask for more time once for each request to reply. */
export function noExtensionYet(ctx: BreachCaseContext): boolean {
  return (ctx.extension ?? null) === null;
}

export function extensionPending(ctx: BreachCaseContext): boolean {
  return ctx.extension != null && ctx.extension.decision === null;
}

export function feeShareOutstanding(ctx: BreachCaseContext, party: FeeParty): boolean {
  return ctx.fee !== null && !ctx.fee.waived && outstandingShare(ctx.fee, party) > 0;
}

export function proposedTimesNotInPast(times: readonly string[], at: string): boolean {
  return times.length > 0 && times.every((time) => sessionNotInPast(time, at));
}

/** Closed as rejected, and this rejection not yet reviewed (an upheld rejection cannot be reviewed again). */
export function rejectionOpenToReview(ctx: BreachCaseContext): boolean {
  return ctx.outcome === 'rejected' && ctx.rejection !== null && (ctx.review ?? null) === null;
}

/** Fails closed: a rejection without a review window (one made on version 1, or not enriched) cannot be reviewed. */
export function withinReviewWindow(ctx: BreachCaseContext, at: string): boolean {
  const until = ctx.rejection?.reviewableUntil;
  if (!until) return false;
  return Date.parse(at) <= Date.parse(until);
}

/** Fails closed when the service did not say who is deciding. */
export function reviewerIsNotRejecter(ctx: BreachCaseContext, actorId: string | undefined): boolean {
  if (typeof actorId !== 'string' || actorId === '') return false;
  return actorId !== (ctx.rejection?.rejectedBy ?? null);
}
