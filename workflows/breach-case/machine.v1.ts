/**
 * Version 1 of the breach case process (see "The case process" in the product brief).
 *
 * The machine is pure: no timers, no I/O, no clock. Every event carries `at`, stamped by the
 * service, and deadlines are effects (named actions with params) that the pure `transition()`
 * returns for the service to carry out. The action implementations below are therefore no-ops;
 * they exist only so the actions are declared and typed.
 *
 * A persisted case keeps the machine version it started on, so this file must not change
 * behaviour once cases run on it: change the process by adding a new version beside it.
 */
import { and, assertEvent, assign, setup } from 'xstate';
import type { BreachCaseContext, BreachCaseInput, CaseOutcome, MediationFee } from './context';
import {
  DEADLINE_KINDS,
  type Audience,
  type DeadlineEndStatus,
  type DeadlineKind,
  type NotificationTemplate,
} from './effects';
import type { BreachCaseEvent, BreachCaseEventType } from './events';
import { endOfDayInLondon } from './london-time';
import * as rules from './rules';

export type { BreachCaseContext, BreachCaseInput } from './context';

export const MACHINE_ID = 'breachCase';

/** CHASE gives the public body this many more working days (brief: "CHASE gives 10 more"). */
export const CHASE_WORKING_DAYS = 10;
/** The session reminder goes this long before the session starts. */
export const SESSION_REMINDER_LEAD_MS = 2 * 24 * 60 * 60 * 1000;

/**
 * The events that serve each clock's purpose. A clock that ends on any other event (WITHDRAW, an
 * overdue event, a decline, a reschedule, ...) is cancelled, so deadline statistics count only
 * the clocks that did their job. Kept as a table so the status is a function of the event type
 * alone and never depends on history.
 */
const SERVED_BY: Record<DeadlineKind, readonly BreachCaseEventType[]> = {
  triage: ['ACCEPT', 'REJECT'],
  informationRequest: ['PROVIDE_INFO'],
  respondentReply: ['RECORD_RESPONSE'],
  negotiationReview: ['RECORD_MEETING', 'AGREE', 'REFER_TO_MEDIATION', 'CLOSE_UNRESOLVED'],
  feeAgreement: ['AGREE_FEE'],
  feePayment: ['RECORD_PAYMENT'],
  sessionReminder: ['RECORD_SESSION_HELD'],
  monitoring: ['CONFIRM_IMPLEMENTED'],
};

export function deadlineEndStatus(kind: DeadlineKind, eventType: BreachCaseEventType): DeadlineEndStatus {
  return SERVED_BY[kind].includes(eventType) ? 'met' : 'cancelled';
}

export interface StartDeadlineParams {
  kind: DeadlineKind;
  workingDays?: number;
  dueAt?: string;
}
export interface EndDeadlineParams {
  kind: DeadlineKind;
  status: DeadlineEndStatus;
}
export interface DeadlineParams {
  kind: DeadlineKind;
}
export interface NotifyParams {
  template: NotificationTemplate;
  audience: Audience[];
}

type ActionArgs = { context: BreachCaseContext; event: BreachCaseEvent };

/** Whoever handles the case: its caseworker once assigned, until then every caseworker. */
const staff = (context: BreachCaseContext): Audience => (context.assigneeId ? 'assignee' : 'caseworkers');

const defaultWorkingDays = (kind: DeadlineKind): number => {
  const days = DEADLINE_KINDS[kind].workingDays;
  if (days === null) throw new Error(`The ${kind} clock has no default length; give dueAt.`);
  return days;
};

const startClock = (kind: DeadlineKind) =>
  ({ type: 'startDeadline', params: { kind, workingDays: defaultWorkingDays(kind) } }) as const;

const endClock = (kind: DeadlineKind) =>
  ({
    type: 'endDeadline',
    params: ({ event }: ActionArgs): EndDeadlineParams => ({ kind, status: deadlineEndStatus(kind, event.type) }),
  }) as const;

const notify = (template: NotificationTemplate, audience: Audience[] | ((context: BreachCaseContext) => Audience[])) =>
  ({
    type: 'notify',
    params: ({ context }: ActionArgs): NotifyParams => ({
      template,
      audience: typeof audience === 'function' ? audience(context) : audience,
    }),
  }) as const;

const closeAs = (outcome: CaseOutcome) => ({ type: 'closeCase', params: { outcome } }) as const;

const CLOSING_TEMPLATE: Record<CaseOutcome, NotificationTemplate> = {
  resolved: 'caseClosed',
  unresolved: 'caseClosed',
  lapsed: 'caseClosed',
  rejected: 'caseRejected',
  withdrawn: 'caseWithdrawn',
};

const parties: Audience[] = ['reporter', 'respondent', 'assignee'];

const unquotedFee = (): MediationFee => ({
  amountPence: 0,
  reporterSharePercent: 0,
  agreed: { reporter: false, respondent: false },
  paidPence: { reporter: 0, respondent: 0 },
  waived: false,
});

export const breachCaseSetup = setup({
  types: {
    context: {} as BreachCaseContext,
    events: {} as BreachCaseEvent,
    input: {} as BreachCaseInput,
  },
  guards: {
    feePartyHasNotAgreed: ({ context, event }) =>
      event.type === 'AGREE_FEE' && rules.feePartyHasNotAgreed(context, event.party),
    otherFeePartyHasAgreed: ({ context, event }) =>
      event.type === 'AGREE_FEE' && rules.otherFeePartyHasAgreed(context, event.party),
    paymentWithinOutstandingShare: ({ context, event }) =>
      event.type === 'RECORD_PAYMENT' && rules.paymentWithinOutstandingShare(context, event.party, event.amountPence),
    paymentCompletesFee: ({ context, event }) =>
      event.type === 'RECORD_PAYMENT' && rules.paymentCompletesFee(context, event.party, event.amountPence),
    feeSettled: ({ context }) => rules.feeSettled(context),
    // Fails closed: an event the service forgot to enrich with the mediator's ties is refused.
    mediatorIsIndependent: ({ context, event }) =>
      event.type === 'APPOINT_MEDIATOR' &&
      Array.isArray(event.mediatorTies) &&
      rules.mediatorIsIndependent(context, event.mediatorTies),
    withinReopenWindow: ({ context, event }) => rules.withinReopenWindow(context, event.at),
    mediationSettled: ({ event }) => event.type === 'RECORD_OUTCOME' && rules.mediationSettled(event.result),
    mediationFailedAndClose: ({ event }) =>
      event.type === 'RECORD_OUTCOME' && rules.mediationFailedAndClose(event.result, event.next),
    mediationFailedAndReturn: ({ event }) =>
      event.type === 'RECORD_OUTCOME' && rules.mediationFailedAndReturn(event.result, event.next),
    // Dates that make no sense are refused, judged against the event's own time.
    meetingNotInFuture: ({ event }) => event.type === 'RECORD_MEETING' && rules.meetingNotInFuture(event.heldOn, event.at),
    sessionNotInPast: ({ event }) =>
      (event.type === 'SCHEDULE_SESSION' || event.type === 'RESCHEDULE') && rules.sessionNotInPast(event.startsAt, event.at),
    sessionDayReached: ({ context, event }) => rules.sessionHeldOnOrAfterItsDay(context, event.at),
    monitoringDateSensible: ({ event }) =>
      (event.type === 'RESOLVE' || event.type === 'AGREE' || event.type === 'RECORD_OUTCOME') &&
      rules.monitoringDateSensible(event.monitorUntil, event.at),
  },
  actions: {
    // Effects: declared for their params only; the service carries them out.
    startDeadline: (_, _params: StartDeadlineParams) => {},
    endDeadline: (_, _params: EndDeadlineParams) => {},
    pauseDeadline: (_, _params: DeadlineParams) => {},
    resumeDeadline: (_, _params: DeadlineParams) => {},
    notify: (_, _params: NotifyParams) => {},

    assignCaseworker: assign(({ event }) => {
      assertEvent(event, 'ASSIGN');
      return { assigneeId: event.caseworkerId };
    }),
    recordRejection: assign(({ event }) => {
      assertEvent(event, 'REJECT');
      return {
        rejection: {
          reason: event.reason,
          explanation: event.explanation,
          duplicateOfReference: event.duplicateOfReference ?? null,
        },
      };
    }),
    recordAgreedActions: assign(({ event }) => {
      assertEvent(event, ['RESOLVE', 'AGREE', 'RECORD_OUTCOME']);
      return { agreedActions: [...(event.agreedActions ?? [])], monitorUntil: event.monitorUntil ?? null };
    }),
    beginMediation: assign({ fee: null, mediatorId: null, session: null }),
    quoteFee: assign(({ event }) => {
      assertEvent(event, 'QUOTE_FEE');
      return {
        fee: { ...unquotedFee(), amountPence: event.amountPence, reporterSharePercent: event.reporterSharePercent },
      };
    }),
    recordFeeAgreement: assign(({ context, event }) => {
      assertEvent(event, 'AGREE_FEE');
      const fee = context.fee ?? unquotedFee();
      return { fee: { ...fee, agreed: { ...fee.agreed, [event.party]: true } } };
    }),
    waiveFee: assign(({ context }) => ({ fee: { ...(context.fee ?? unquotedFee()), waived: true } })),
    recordPayment: assign(({ context, event }) => {
      assertEvent(event, 'RECORD_PAYMENT');
      const fee = context.fee ?? unquotedFee();
      return {
        fee: { ...fee, paidPence: { ...fee.paidPence, [event.party]: fee.paidPence[event.party] + event.amountPence } },
      };
    }),
    appointMediator: assign(({ event }) => {
      assertEvent(event, 'APPOINT_MEDIATOR');
      return { mediatorId: event.mediatorId };
    }),
    setSession: assign(({ context, event }) => {
      assertEvent(event, ['SCHEDULE_SESSION', 'RESCHEDULE']);
      return {
        session: { startsAt: event.startsAt, location: event.location ?? context.session?.location ?? '' },
      };
    }),
    closeCase: assign(({ event }, params: { outcome: CaseOutcome }) => ({
      outcome: params.outcome,
      closedAt: event.at,
    })),
    reopenCase: assign(({ context }) => ({
      outcome: null,
      closedAt: null,
      rejection: null,
      timesReopened: context.timesReopened + 1,
    })),
  },
});

export const breachCaseMachineV1 = breachCaseSetup.createMachine({
  id: MACHINE_ID,
  // xstate's pure transition() builds a throwaway actor, without input, before every step. An
  // empty context for it (instead of a TypeError) saves an exception and its stack per event.
  context: ({ input }) => ({
    reportingOrganisationId: input?.reportingOrganisationId ?? '',
    respondentOrganisationId: input?.respondentOrganisationId ?? '',
    submittedAt: input?.submittedAt ?? '',
    assigneeId: null,
    mediatorId: null,
    fee: null,
    session: null,
    agreedActions: [],
    monitorUntil: null,
    outcome: null,
    closedAt: null,
    rejection: null,
    timesReopened: 0,
  }),
  initial: 'submitted',
  states: {
    submitted: {
      // The triage clock runs from submission, through assignment, until the triage decision.
      entry: [startClock('triage'), notify('caseSubmitted', ['reporter', 'caseworkers'])],
      on: {
        ASSIGN: { target: 'triage', actions: ['assignCaseworker', notify('caseAssigned', ['assignee'])] },
        // submitted does not end the triage clock on exit (triage carries it on), so withdrawal ends it here.
        WITHDRAW: { target: 'closed', actions: [endClock('triage'), closeAs('withdrawn')] },
      },
    },

    triage: {
      initial: 'reviewing',
      exit: [endClock('triage')],
      on: {
        ASSIGN: { actions: ['assignCaseworker', notify('caseAssigned', ['assignee'])] },
        WITHDRAW: { target: 'closed', actions: [closeAs('withdrawn')] },
        ACCEPT: { target: 'advocacy', actions: [notify('caseAccepted', ['reporter'])] },
        REJECT: { target: 'closed', actions: ['recordRejection', closeAs('rejected')] },
      },
      states: {
        reviewing: {
          on: {
            REQUEST_INFO: {
              target: 'awaitingInformation',
              // The brief: a deadline pauses while the case waits on the reporter.
              actions: [{ type: 'pauseDeadline', params: { kind: 'triage' } }],
            },
          },
        },
        awaitingInformation: {
          entry: [startClock('informationRequest'), notify('informationRequested', ['reporter'])],
          exit: [endClock('informationRequest')],
          on: {
            PROVIDE_INFO: {
              target: 'reviewing',
              actions: [
                { type: 'resumeDeadline', params: { kind: 'triage' } },
                notify('informationProvided', (c) => [staff(c)]),
              ],
            },
            INFORMATION_OVERDUE: { target: '#breachCase.closed', actions: [closeAs('lapsed')] },
          },
        },
      },
    },

    advocacy: {
      initial: 'preparing',
      on: {
        ASSIGN: { actions: ['assignCaseworker', notify('caseAssigned', ['assignee'])] },
        WITHDRAW: { target: 'closed', actions: [closeAs('withdrawn')] },
      },
      states: {
        preparing: {
          on: {
            CONTACT_RESPONDENT: { target: 'awaitingResponse', actions: [notify('respondentContacted', ['reporter'])] },
          },
        },
        awaitingResponse: {
          entry: [
            {
              type: 'startDeadline',
              params: ({ event }) => ({
                kind: 'respondentReply',
                workingDays: event.type === 'CHASE' ? CHASE_WORKING_DAYS : defaultWorkingDays('respondentReply'),
              }),
            },
          ],
          exit: [endClock('respondentReply')],
          on: {
            RESPONSE_OVERDUE: { target: 'responseOverdue' },
            RECORD_RESPONSE: { target: 'reviewing', actions: [notify('responseRecorded', ['reporter'])] },
          },
        },
        responseOverdue: {
          entry: [notify('responseOverdue', (c) => ['reporter', staff(c)])],
          on: {
            CHASE: { target: 'awaitingResponse' },
            RECORD_RESPONSE: { target: 'reviewing', actions: [notify('responseRecorded', ['reporter'])] },
          },
        },
        reviewing: {
          on: {
            RESOLVE: { guard: 'monitoringDateSensible', target: '#breachCase.resolved', actions: ['recordAgreedActions'] },
            OPEN_NEGOTIATION: { target: '#breachCase.negotiation' },
            REFER_TO_MEDIATION: { target: '#breachCase.mediation' },
            CAMPAIGN: { target: '#breachCase.campaigning' },
            CLOSE_UNRESOLVED: { target: '#breachCase.closed', actions: [closeAs('unresolved')] },
          },
        },
      },
    },

    negotiation: {
      entry: [startClock('negotiationReview'), notify('negotiationOpened', ['reporter'])],
      exit: [endClock('negotiationReview')],
      on: {
        ASSIGN: { actions: ['assignCaseworker', notify('caseAssigned', ['assignee'])] },
        WITHDRAW: { target: 'closed', actions: [closeAs('withdrawn')] },
        // Each meeting is a review, so the next one falls due a full period later.
        RECORD_MEETING: { guard: 'meetingNotInFuture', actions: [endClock('negotiationReview'), startClock('negotiationReview')] },
        AGREE: { guard: 'monitoringDateSensible', target: 'resolved', actions: ['recordAgreedActions'] },
        REFER_TO_MEDIATION: { target: 'mediation' },
        CLOSE_UNRESOLVED: { target: 'closed', actions: [closeAs('unresolved')] },
      },
    },

    mediation: {
      // A new referral starts from a clean slate; the previous mediation's details stay in the
      // event log and in the context until then.
      entry: ['beginMediation', notify('referredToMediation', ['reporter', 'respondent'])],
      initial: 'feeQuoting',
      on: {
        ASSIGN: { actions: ['assignCaseworker', notify('caseAssigned', ['assignee'])] },
        WITHDRAW: { target: 'closed', actions: [closeAs('withdrawn')] },
      },
      states: {
        feeQuoting: {
          on: {
            QUOTE_FEE: { target: 'feeAgreement', actions: ['quoteFee'] },
            WAIVE_FEE: { target: 'appointment', actions: ['waiveFee', notify('feeWaived', parties)] },
          },
        },
        feeAgreement: {
          entry: [startClock('feeAgreement'), notify('feeQuoted', ['reporter', 'respondent'])],
          exit: [endClock('feeAgreement')],
          on: {
            // A new quote voids earlier agreements, so both parties get a fresh period to agree.
            QUOTE_FEE: { target: 'feeAgreement', reenter: true, actions: ['quoteFee'] },
            AGREE_FEE: [
              {
                guard: and(['feePartyHasNotAgreed', 'otherFeePartyHasAgreed']),
                target: 'payment',
                actions: ['recordFeeAgreement'],
              },
              { guard: 'feePartyHasNotAgreed', actions: ['recordFeeAgreement'] },
            ],
            DECLINE_FEE: { target: '#breachCase.advocacy.reviewing', actions: [notify('feeDeclined', parties)] },
            FEE_AGREEMENT_OVERDUE: { target: '#breachCase.advocacy.reviewing' },
            WAIVE_FEE: { target: 'appointment', actions: ['waiveFee', notify('feeWaived', parties)] },
          },
        },
        payment: {
          entry: [startClock('feePayment'), notify('feeAgreed', parties)],
          exit: [endClock('feePayment')],
          on: {
            RECORD_PAYMENT: [
              {
                guard: and(['paymentWithinOutstandingShare', 'paymentCompletesFee']),
                target: 'appointment',
                actions: ['recordPayment', notify('feePaid', parties)],
              },
              { guard: 'paymentWithinOutstandingShare', actions: ['recordPayment'] },
            ],
            // The deadline worker sends the same event when the payment period runs out.
            FEE_AGREEMENT_OVERDUE: { target: '#breachCase.advocacy.reviewing' },
            WAIVE_FEE: { target: 'appointment', actions: ['waiveFee', notify('feeWaived', parties)] },
          },
        },
        appointment: {
          on: {
            // feeSettled cannot fail on a path through this machine (appointment is reached only
            // once the fee is settled); it guards against a hand-edited or migrated snapshot.
            APPOINT_MEDIATOR: {
              guard: and(['feeSettled', 'mediatorIsIndependent']),
              target: 'scheduling',
              actions: ['appointMediator', notify('mediatorAppointed', ['reporter', 'mediator', 'respondent', 'assignee'])],
            },
          },
        },
        scheduling: {
          on: {
            SCHEDULE_SESSION: { guard: 'sessionNotInPast', target: 'sessionScheduled', actions: ['setSession'] },
          },
        },
        sessionScheduled: {
          entry: [
            {
              type: 'startDeadline',
              params: ({ context }) => ({
                kind: 'sessionReminder',
                dueAt: new Date(Date.parse(context.session?.startsAt ?? '') - SESSION_REMINDER_LEAD_MS).toISOString(),
              }),
            },
            notify('sessionScheduled', ['reporter', 'respondent', 'mediator', 'assignee']),
          ],
          exit: [endClock('sessionReminder')],
          on: {
            RESCHEDULE: { guard: 'sessionNotInPast', target: 'sessionScheduled', reenter: true, actions: ['setSession'] },
            RECORD_SESSION_HELD: { guard: 'sessionDayReached', target: 'sessionHeld' },
          },
        },
        sessionHeld: {
          on: {
            SCHEDULE_SESSION: { guard: 'sessionNotInPast', target: 'sessionScheduled', actions: ['setSession'] },
            RECORD_OUTCOME: [
              {
                guard: and(['monitoringDateSensible', 'mediationSettled']),
                target: '#breachCase.resolved',
                actions: ['recordAgreedActions', notify('outcomeRecorded', parties)],
              },
              {
                guard: 'mediationFailedAndClose',
                target: '#breachCase.closed',
                actions: [notify('outcomeRecorded', parties), closeAs('unresolved')],
              },
              {
                guard: 'mediationFailedAndReturn',
                target: '#breachCase.advocacy.reviewing',
                actions: [notify('outcomeRecorded', parties)],
              },
            ],
          },
        },
      },
    },

    campaigning: {
      entry: [notify('campaignStarted', ['reporter'])],
      on: {
        ASSIGN: { actions: ['assignCaseworker', notify('caseAssigned', ['assignee'])] },
        WITHDRAW: { target: 'closed', actions: [closeAs('withdrawn')] },
        // Recorded for the case history only; it changes nothing in the process.
        RECORD_ACTIVITY: {},
        CLOSE: {
          target: 'closed',
          actions: [
            {
              type: 'closeCase',
              params: ({ event }) => ({ outcome: event.type === 'CLOSE' ? event.outcome : 'unresolved' }),
            },
          ],
        },
      },
    },

    resolved: {
      entry: [
        {
          type: 'startDeadline',
          params: ({ context }) => ({ kind: 'monitoring', dueAt: endOfDayInLondon(context.monitorUntil ?? '') }),
        },
        notify('caseResolved', (c) => ['reporter', staff(c)]),
      ],
      exit: [endClock('monitoring')],
      on: {
        ASSIGN: { actions: ['assignCaseworker', notify('caseAssigned', ['assignee'])] },
        WITHDRAW: { target: 'closed', actions: [closeAs('withdrawn')] },
        CONFIRM_IMPLEMENTED: { target: 'closed', actions: [closeAs('resolved')] },
        REPORT_NOT_IMPLEMENTED: {
          target: '#breachCase.advocacy.reviewing',
          actions: [notify('notImplementedReported', (c) => [staff(c)])],
        },
      },
    },

    // Not a final state: a closed case can be reopened within the window.
    closed: {
      entry: [
        {
          type: 'notify',
          params: ({ context }) => ({
            template: CLOSING_TEMPLATE[context.outcome ?? 'unresolved'],
            audience: ['reporter', staff(context)],
          }),
        },
      ],
      on: {
        REOPEN: {
          guard: 'withinReopenWindow',
          target: 'triage',
          actions: ['reopenCase', startClock('triage'), notify('caseReopened', (c) => ['reporter', staff(c)])],
        },
      },
    },
  },
});

export type BreachCaseMachine = typeof breachCaseMachineV1;
