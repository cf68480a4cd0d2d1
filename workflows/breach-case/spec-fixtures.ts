/**
 * Shared sample data for the breach case specs. Not used by production code.
 *
 * Every command sample is a payload the API would accept (a spec checks them against
 * commandSchemas), stamped with a fixed `at` so that runs are deterministic.
 */
import type { BreachCaseContext, BreachCaseInput } from './context';
import type { BreachCaseEvent, BreachCaseEventType } from './events';
import type { BreachCaseWorkflow, Decision } from './workflow';

export const REPORTING_ORG = 'a0000000-0000-4000-8000-000000000001';
export const RESPONDENT_ORG = 'a0000000-0000-4000-8000-000000000002';
export const CASEWORKER_ID = 'c0000000-0000-4000-8000-000000000001';
export const OTHER_CASEWORKER_ID = 'c0000000-0000-4000-8000-000000000002';
export const MEDIATOR_ID = 'd0000000-0000-4000-8000-000000000001';

export const SUBMITTED_AT = '2026-03-02T09:00:00.000Z';
/** When every sample event happens (a week after submission). */
export const AT = '2026-03-10T10:00:00.000Z';
/** Well over 90 days after AT: too late to reopen a case closed at AT. */
export const LATE = '2026-09-01T10:00:00.000Z';
export const SESSION_STARTS = '2026-04-20T10:00:00.000Z';
export const SESSION_MOVED_TO = '2026-04-27T14:30:00.000Z';
export const IN_THE_PAST = '2026-03-01T10:00:00.000Z';
/** The day of the (moved) session, after it: when it can be recorded as held. */
export const SESSION_HELD_AT = '2026-04-27T16:00:00.000Z';
export const MONITOR_UNTIL = '2026-06-30';
/** The end of the review window of a rejection at AT (the service's answer: 20 working days, London). */
export const REVIEWABLE_UNTIL = '2026-04-09T22:59:59.999Z';

/** Facts the service adds to an event (EventEnrichment), which a caller may not send. */
export const ENRICHMENT_FIELDS: Partial<Record<BreachCaseEventType, string[]>> = {
  APPOINT_MEDIATOR: ['mediatorTies'],
  REJECT: ['actorId', 'reviewableUntil'],
  UPHOLD_REJECTION: ['actorId'],
  REOPEN_AFTER_REVIEW: ['actorId'],
  PROPOSE_SESSION_TIMES: ['party'],
};

export const INPUT: BreachCaseInput = {
  reportingOrganisationId: REPORTING_ORG,
  respondentOrganisationId: RESPONDENT_ORG,
  submittedAt: SUBMITTED_AT,
};

const agreedActions = ['Run a 12-week consultation before changing the grants scheme'];

/** Fee used throughout: £1,000.00 with the reporter paying 30% (£300.00 / £700.00). */
export const FEE = { amountPence: 100_000, reporterSharePercent: 30 };

/**
 * Samples per event type. Guarded events have a passing and a failing variant; events that
 * branch have one sample per branch.
 */
export const SAMPLE_EVENTS: { [T in BreachCaseEventType]: Array<Extract<BreachCaseEvent, { type: T }>> } = {
  ASSIGN: [{ type: 'ASSIGN', caseworkerId: CASEWORKER_ID, at: AT }],
  REQUEST_INFO: [{ type: 'REQUEST_INFO', questions: 'When was the funding change announced?', at: AT }],
  PROVIDE_INFO: [{ type: 'PROVIDE_INFO', answer: 'On 1 February, with two weeks notice.', at: AT }],
  ACCEPT: [{ type: 'ACCEPT', at: AT }],
  // Enriched as the service does on version 2 (version 1 ignores the extra facts).
  REJECT: [
    {
      type: 'REJECT',
      reason: 'outOfTime',
      explanation: 'The decision was taken in 2019.',
      actorId: CASEWORKER_ID,
      reviewableUntil: REVIEWABLE_UNTIL,
      at: AT,
    },
  ],
  CONTACT_RESPONDENT: [{ type: 'CONTACT_RESPONDENT', summary: 'Wrote to the chief executive.', at: AT }],
  CHASE: [{ type: 'CHASE', note: 'Phoned the policy team.', at: AT }],
  RECORD_RESPONSE: [{ type: 'RECORD_RESPONSE', summary: 'The council says the cut was urgent.', at: AT }],
  RESOLVE: [
    { type: 'RESOLVE', agreedActions, monitorUntil: MONITOR_UNTIL, at: AT },
    { type: 'RESOLVE', agreedActions, monitorUntil: '2026-03-09', at: AT }, // monitoring until a day already past
  ],
  OPEN_NEGOTIATION: [{ type: 'OPEN_NEGOTIATION', at: AT }],
  RECORD_MEETING: [
    { type: 'RECORD_MEETING', heldOn: '2026-03-09', summary: 'First meeting with officers.', at: AT },
    { type: 'RECORD_MEETING', heldOn: '2026-03-11', summary: 'A meeting still to come.', at: AT }, // in the future
  ],
  AGREE: [{ type: 'AGREE', agreedActions, monitorUntil: MONITOR_UNTIL, at: AT }],
  REFER_TO_MEDIATION: [{ type: 'REFER_TO_MEDIATION', reason: 'Talks stalled.', at: AT }],
  CAMPAIGN: [{ type: 'CAMPAIGN', plan: 'Brief local councillors and the press.', at: AT }],
  RECORD_ACTIVITY: [{ type: 'RECORD_ACTIVITY', summary: 'Briefing sent to councillors.', at: AT }],
  CLOSE: [
    { type: 'CLOSE', outcome: 'resolved', summary: 'The council restored the notice period.', at: AT },
    { type: 'CLOSE', outcome: 'unresolved', summary: 'No change after the campaign.', at: AT },
  ],
  CLOSE_UNRESOLVED: [{ type: 'CLOSE_UNRESOLVED', reason: 'The public body will not engage.', at: AT }],
  QUOTE_FEE: [{ type: 'QUOTE_FEE', ...FEE, at: AT }],
  AGREE_FEE: [
    { type: 'AGREE_FEE', party: 'reporter', at: AT },
    { type: 'AGREE_FEE', party: 'respondent', at: AT },
  ],
  DECLINE_FEE: [{ type: 'DECLINE_FEE', party: 'respondent', reason: 'No budget for mediation.', at: AT }],
  WAIVE_FEE: [{ type: 'WAIVE_FEE', reason: 'Small group, hardship.', at: AT }],
  RECORD_PAYMENT: [
    { type: 'RECORD_PAYMENT', party: 'reporter', amountPence: 30_000, at: AT },
    { type: 'RECORD_PAYMENT', party: 'reporter', amountPence: 40_000, at: AT }, // more than the share
    { type: 'RECORD_PAYMENT', party: 'respondent', amountPence: 35_000, at: AT }, // half of the share
    { type: 'RECORD_PAYMENT', party: 'respondent', amountPence: 80_000, at: AT }, // more than the share
  ],
  APPOINT_MEDIATOR: [
    { type: 'APPOINT_MEDIATOR', mediatorId: MEDIATOR_ID, mediatorTies: ['a0000000-0000-4000-8000-0000000000ff'], at: AT },
    { type: 'APPOINT_MEDIATOR', mediatorId: MEDIATOR_ID, mediatorTies: [REPORTING_ORG], at: AT },
    { type: 'APPOINT_MEDIATOR', mediatorId: MEDIATOR_ID, mediatorTies: [RESPONDENT_ORG], at: AT },
  ],
  SCHEDULE_SESSION: [
    { type: 'SCHEDULE_SESSION', startsAt: SESSION_STARTS, location: 'Town hall, room 2', at: AT },
    { type: 'SCHEDULE_SESSION', startsAt: IN_THE_PAST, location: 'Town hall, room 2', at: AT }, // in the past
  ],
  RESCHEDULE: [
    { type: 'RESCHEDULE', startsAt: SESSION_MOVED_TO, reason: 'Mediator unwell.', at: AT },
    { type: 'RESCHEDULE', startsAt: IN_THE_PAST, at: AT }, // in the past
  ],
  RECORD_SESSION_HELD: [
    { type: 'RECORD_SESSION_HELD', at: SESSION_HELD_AT },
    { type: 'RECORD_SESSION_HELD', at: AT }, // before the session's day
  ],
  RECORD_OUTCOME: [
    { type: 'RECORD_OUTCOME', result: 'settled', summary: 'Agreed in full.', agreedActions, monitorUntil: MONITOR_UNTIL, at: AT },
    { type: 'RECORD_OUTCOME', result: 'partiallySettled', summary: 'Agreed in part.', agreedActions, monitorUntil: MONITOR_UNTIL, at: AT },
    { type: 'RECORD_OUTCOME', result: 'notSettled', summary: 'No agreement.', next: 'close', at: AT },
    { type: 'RECORD_OUTCOME', result: 'notSettled', summary: 'No agreement.', next: 'returnToAdvocacy', at: AT },
  ],
  CONFIRM_IMPLEMENTED: [{ type: 'CONFIRM_IMPLEMENTED', at: AT }],
  REPORT_NOT_IMPLEMENTED: [{ type: 'REPORT_NOT_IMPLEMENTED', details: 'Notice period still two weeks.', at: AT }],
  WITHDRAW: [{ type: 'WITHDRAW', reason: 'Resolved informally.', at: AT }],
  REOPEN: [
    { type: 'REOPEN', reason: 'The council went back on the agreement.', at: AT },
    { type: 'REOPEN', reason: 'The council went back on the agreement.', at: LATE },
  ],
  // Version 2.
  REQUEST_EXTENSION: [{ type: 'REQUEST_EXTENSION', reason: 'Our cabinet meets on 20 March.', workingDays: 10, at: AT }],
  GRANT_EXTENSION: [{ type: 'GRANT_EXTENSION', workingDays: 10, note: 'Fair, given the cabinet date.', at: AT }],
  REFUSE_EXTENSION: [{ type: 'REFUSE_EXTENSION', reason: 'The reply does not need cabinet approval.', at: AT }],
  REPORT_FEE_PAID: [
    { type: 'REPORT_FEE_PAID', party: 'reporter', note: 'Paid by bank transfer.', at: AT },
    { type: 'REPORT_FEE_PAID', party: 'respondent', at: AT },
  ],
  PROPOSE_SESSION_TIMES: [
    { type: 'PROPOSE_SESSION_TIMES', times: [SESSION_STARTS, SESSION_MOVED_TO], party: 'respondent', at: AT },
    { type: 'PROPOSE_SESSION_TIMES', times: [SESSION_STARTS, IN_THE_PAST], party: 'reporter', at: AT }, // one in the past
  ],
  REPORT_ACTIONS_DONE: [{ type: 'REPORT_ACTIONS_DONE', summary: 'The 12-week consultation opened on 1 April.', at: AT }],
  REQUEST_REVIEW: [
    { type: 'REQUEST_REVIEW', reason: 'The decision was announced in 2026, not 2019.', at: AT },
    { type: 'REQUEST_REVIEW', reason: 'The decision was announced in 2026, not 2019.', at: LATE }, // after the window
  ],
  UPHOLD_REJECTION: [
    { type: 'UPHOLD_REJECTION', explanation: 'The decision was taken in 2019.', actorId: OTHER_CASEWORKER_ID, at: AT },
    { type: 'UPHOLD_REJECTION', explanation: 'The decision was taken in 2019.', actorId: CASEWORKER_ID, at: AT }, // the rejecter
  ],
  REOPEN_AFTER_REVIEW: [
    { type: 'REOPEN_AFTER_REVIEW', explanation: 'The minutes show a 2026 decision.', actorId: OTHER_CASEWORKER_ID, at: AT },
    { type: 'REOPEN_AFTER_REVIEW', explanation: 'The minutes show a 2026 decision.', actorId: CASEWORKER_ID, at: AT }, // the rejecter
  ],
  INFORMATION_OVERDUE: [{ type: 'INFORMATION_OVERDUE', at: AT }],
  RESPONSE_OVERDUE: [{ type: 'RESPONSE_OVERDUE', at: AT }],
  FEE_AGREEMENT_OVERDUE: [{ type: 'FEE_AGREEMENT_OVERDUE', at: AT }],
};

export const ALL_SAMPLE_EVENTS: BreachCaseEvent[] = Object.values(SAMPLE_EVENTS).flat() as BreachCaseEvent[];

/** The first (passing) sample of a type, with overrides. */
export function ev<T extends BreachCaseEventType>(
  type: T,
  overrides: Partial<Extract<BreachCaseEvent, { type: T }>> = {},
): Extract<BreachCaseEvent, { type: T }> {
  return { ...SAMPLE_EVENTS[type][0], ...overrides } as Extract<BreachCaseEvent, { type: T }>;
}

export type OkDecision = Extract<Decision, { ok: true }>;

/** A case driven through the workflow API the way the service does: persisted JSON in, JSON out. */
export class CaseDriver {
  snapshot: unknown;
  last: OkDecision | ReturnType<BreachCaseWorkflow['start']>;

  constructor(readonly workflow: BreachCaseWorkflow) {
    this.last = workflow.start(INPUT);
    this.snapshot = this.last.snapshot;
  }

  /** Applies events that must be accepted; fails the test with the refusal otherwise. */
  send(...events: BreachCaseEvent[]): OkDecision {
    for (const event of events) {
      const decision = this.workflow.decide(JSON.parse(JSON.stringify(this.snapshot)), event);
      if (!decision.ok) throw new Error(`${event.type} refused at ${this.state}: ${JSON.stringify(decision)}`);
      this.last = decision;
      this.snapshot = decision.snapshot;
    }
    return this.last as OkDecision;
  }

  try(event: BreachCaseEvent): Decision {
    return this.workflow.decide(this.snapshot, event);
  }

  get state(): string {
    return this.workflow.view(this.snapshot).state;
  }

  get context() {
    return this.workflow.view(this.snapshot).context;
  }
}

/** Named routes to each stage, so specs read as the process does. */
export const ROUTES = {
  triage: [ev('ASSIGN')],
  awaitingInformation: [ev('ASSIGN'), ev('REQUEST_INFO')],
  preparing: [ev('ASSIGN'), ev('ACCEPT')],
  awaitingResponse: [ev('ASSIGN'), ev('ACCEPT'), ev('CONTACT_RESPONDENT')],
  advocacyReviewing: [ev('ASSIGN'), ev('ACCEPT'), ev('CONTACT_RESPONDENT'), ev('RECORD_RESPONSE')],
  negotiation: [ev('ASSIGN'), ev('ACCEPT'), ev('CONTACT_RESPONDENT'), ev('RECORD_RESPONSE'), ev('OPEN_NEGOTIATION')],
  feeQuoting: [ev('ASSIGN'), ev('ACCEPT'), ev('CONTACT_RESPONDENT'), ev('RECORD_RESPONSE'), ev('REFER_TO_MEDIATION')],
} satisfies Record<string, BreachCaseEvent[]>;

export const feeAgreementRoute = (): BreachCaseEvent[] => [...ROUTES.feeQuoting, ev('QUOTE_FEE')];
export const paymentRoute = (): BreachCaseEvent[] => [
  ...feeAgreementRoute(),
  SAMPLE_EVENTS.AGREE_FEE[0],
  SAMPLE_EVENTS.AGREE_FEE[1],
];
export const appointmentRoute = (): BreachCaseEvent[] => [
  ...paymentRoute(),
  ev('RECORD_PAYMENT', { party: 'reporter', amountPence: 30_000 }),
  ev('RECORD_PAYMENT', { party: 'respondent', amountPence: 70_000 }),
];
export const sessionScheduledRoute = (): BreachCaseEvent[] => [...appointmentRoute(), ev('APPOINT_MEDIATOR'), ev('SCHEDULE_SESSION')];
export const sessionHeldRoute = (): BreachCaseEvent[] => [...sessionScheduledRoute(), ev('RECORD_SESSION_HELD')];
export const resolvedRoute = (): BreachCaseEvent[] => [...ROUTES.advocacyReviewing, ev('RESOLVE')];
export const rejectedRoute = (): BreachCaseEvent[] => [ev('ASSIGN'), ev('REJECT')];
export const reviewRoute = (): BreachCaseEvent[] => [...rejectedRoute(), ev('REQUEST_REVIEW')];


/**
 * How the graph traversal tells states apart: the state value, plus the fee's progress while
 * the parties agree and pay (so that "one party has agreed" is a different vertex from "nobody
 * has"). Everything else in the context is history that would only multiply vertices (and
 * timesReopened would make the graph infinite).
 */
export function serializeForTraversal(snapshot: { value: unknown; context: unknown; matches(v: never): boolean }): string {
  const context = snapshot.context as BreachCaseContext;
  const feeInPlay =
    snapshot.matches({ mediation: 'feeAgreement' } as never) || snapshot.matches({ mediation: 'payment' } as never);
  return JSON.stringify({
    value: snapshot.value,
    fee: feeInPlay ? { agreed: context.fee?.agreed, paid: context.fee?.paidPence } : null,
  });
}

/**
 * Version 2 tells apart, besides, what its new guards read: whether the public body's request for
 * more time is pending or decided while the case waits for its reply, and whether a closed case
 * is a rejection still open to review.
 */
export function serializeForTraversalV2(snapshot: { value: unknown; context: unknown; matches(v: never): boolean }): string {
  const context = snapshot.context as BreachCaseContext;
  const waiting =
    snapshot.matches({ advocacy: 'awaitingResponse' } as never) || snapshot.matches({ advocacy: 'responseOverdue' } as never);
  const extension = context.extension ? (context.extension.decision === null ? 'pending' : 'decided') : 'none';
  const reviewable =
    snapshot.matches('closed' as never) && context.outcome === 'rejected' && !!context.rejection?.reviewableUntil && !context.review;
  return JSON.stringify({
    base: JSON.parse(serializeForTraversal(snapshot)) as unknown,
    extension: waiting ? extension : null,
    reviewable,
  });
}

export const TRAVERSAL_OPTIONS_V2 = {
  input: INPUT,
  events: ALL_SAMPLE_EVENTS,
  serializeState: serializeForTraversalV2,
  limit: 20_000,
};

export const TRAVERSAL_OPTIONS = {
  input: INPUT,
  events: ALL_SAMPLE_EVENTS,
  serializeState: serializeForTraversal,
  // A safety net: the abstraction above keeps the graph small, so hitting this means it broke.
  limit: 20_000,
};
