/**
 * Version 2 of the breach case process: version 1, plus the public body acting for itself and a
 * review of a rejection (issue 13, design decisions 7 to 12).
 *
 * Every version 1 event behaves here exactly as in version 1 (same targets, effects and notices;
 * machine.v2.spec.ts checks it from every version 1 state), except the two the design changes:
 * CONTACT_RESPONDENT also tells the public body, and REJECT also remembers who rejected and until
 * when a review can be asked for. Version 1's configuration is copied here as it is, with the
 * new transitions added (xstate's config types do not let one version's state nodes be reused in
 * another machine); the spec replaying every version 1 event is what keeps the copy faithful.
 * machine.v1.ts is never edited.
 */
import { and, assertEvent } from 'xstate';
import type { BreachCaseContext, CaseOutcome } from './context';
import { DEADLINE_KINDS, type Audience, type DeadlineKind, type NotificationTemplate } from './effects';
import type { BreachCaseEvent, BreachCaseEventType, FeeParty } from './events';
import {
  CHASE_WORKING_DAYS,
  MACHINE_ID,
  SESSION_REMINDER_LEAD_MS,
  breachCaseSetup,
  deadlineEndStatus,
  type EndDeadlineParams,
  type NotifyParams,
} from './machine.v1';
import { endOfDayInLondon } from './london-time';
import * as rules from './rules';

/** The parameters of an extendDeadline effect: move a running clock's due time later. */
export interface ExtendDeadlineParams {
  kind: DeadlineKind;
  workingDays: number;
}

type ActionArgs = { context: BreachCaseContext; event: BreachCaseEvent };

/** The event types version 2 adds; version 1 handles none of them. */
export const VERSION_2_EVENT_TYPES: readonly BreachCaseEventType[] = [
  'REQUEST_EXTENSION',
  'GRANT_EXTENSION',
  'REFUSE_EXTENSION',
  'REPORT_FEE_PAID',
  'PROPOSE_SESSION_TIMES',
  'REPORT_ACTIONS_DONE',
  'REQUEST_REVIEW',
  'UPHOLD_REJECTION',
  'REOPEN_AFTER_REVIEW',
];

/** What version 2 remembers that version 1 does not, as a new case (or a moved one) starts with it. */
export const VERSION_2_CONTEXT_DEFAULTS = {
  extension: null,
  sessionProposals: [],
  feePaidReported: { reporter: null, respondent: null },
  actionsReportedDone: null,
  review: null,
} as const satisfies Partial<BreachCaseContext>;

const v2Defaults = (): Pick<BreachCaseContext, keyof typeof VERSION_2_CONTEXT_DEFAULTS> =>
  JSON.parse(JSON.stringify(VERSION_2_CONTEXT_DEFAULTS)) as Pick<BreachCaseContext, keyof typeof VERSION_2_CONTEXT_DEFAULTS>;

// The same small builders as version 1 (which keeps its own private copies, unchanged).
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

/** The caseworker's decisions on the public body's requests go to both sides. */
const bothSides: Audience[] = ['respondent', 'reporter'];
/** Times offered for a session go to whoever arranges it: the mediator once appointed, and the case's caseworker. */
const sessionArrangers = (c: BreachCaseContext): Audience[] => (c.mediatorId ? ['mediator', staff(c)] : [staff(c)]);

export const breachCaseSetupV2 = breachCaseSetup.extend({
  guards: {
    noExtensionYet: ({ context }) => rules.noExtensionYet(context),
    extensionPending: ({ context }) => rules.extensionPending(context),
    feeShareOutstanding: ({ context, event }) => event.type === 'REPORT_FEE_PAID' && rules.feeShareOutstanding(context, event.party),
    proposedTimesNotInPast: ({ event }) =>
      event.type === 'PROPOSE_SESSION_TIMES' && rules.proposedTimesNotInPast(event.times, event.at),
    rejectionOpenToReview: ({ context }) => rules.rejectionOpenToReview(context),
    withinReviewWindow: ({ context, event }) => rules.withinReviewWindow(context, event.at),
    // Fails closed: a decision the service forgot to enrich with its actor is refused.
    reviewerIsNotRejecter: ({ context, event }) =>
      (event.type === 'UPHOLD_REJECTION' || event.type === 'REOPEN_AFTER_REVIEW') &&
      rules.reviewerIsNotRejecter(context, event.actorId),
  },
  actions: {
    extendDeadline: (_, _params: ExtendDeadlineParams) => {},

    recordRejectionWithReview: breachCaseSetup.assign(({ event }) => {
      assertEvent(event, 'REJECT');
      return {
        rejection: {
          reason: event.reason,
          explanation: event.explanation,
          duplicateOfReference: event.duplicateOfReference ?? null,
          rejectedBy: event.actorId ?? null,
          reviewableUntil: event.reviewableUntil ?? null,
        },
        // A new rejection is a new decision, open to its own review.
        review: null,
      };
    }),
    // A new request to reply gives the public body its own one chance to ask for more time.
    clearExtension: breachCaseSetup.assign({ extension: null }),
    recordExtensionRequest: breachCaseSetup.assign(({ event }) => {
      assertEvent(event, 'REQUEST_EXTENSION');
      return {
        extension: { reason: event.reason, workingDaysAsked: event.workingDays, requestedAt: event.at, decision: null, workingDaysGranted: null },
      };
    }),
    recordExtensionGranted: breachCaseSetup.assign(({ context, event }) => {
      assertEvent(event, 'GRANT_EXTENSION');
      return { extension: context.extension ? { ...context.extension, decision: 'granted' as const, workingDaysGranted: event.workingDays } : null };
    }),
    recordExtensionRefused: breachCaseSetup.assign(({ context }) => ({
      extension: context.extension ? { ...context.extension, decision: 'refused' as const } : null,
    })),
    // A new referral starts from a clean slate, as version 1 does for the fee and the session.
    clearMediationReports: breachCaseSetup.assign({ sessionProposals: [], feePaidReported: { reporter: null, respondent: null } }),
    recordFeePaidReport: breachCaseSetup.assign(({ context, event }) => {
      assertEvent(event, 'REPORT_FEE_PAID');
      const reported = context.feePaidReported ?? { reporter: null, respondent: null };
      return { feePaidReported: { ...reported, [event.party]: event.at } as Record<FeeParty, string | null> };
    }),
    recordSessionProposal: breachCaseSetup.assign(({ context, event }) => {
      assertEvent(event, 'PROPOSE_SESSION_TIMES');
      return { sessionProposals: [...(context.sessionProposals ?? []), { party: event.party ?? null, times: [...event.times], at: event.at }] };
    }),
    recordActionsReportedDone: breachCaseSetup.assign(({ event }) => {
      assertEvent(event, 'REPORT_ACTIONS_DONE');
      return { actionsReportedDone: { summary: event.summary, at: event.at } };
    }),
    recordReviewRequest: breachCaseSetup.assign(({ event }) => {
      assertEvent(event, 'REQUEST_REVIEW');
      return { review: { reason: event.reason, requestedAt: event.at } };
    }),
  },
});

/** Times a party offers: in appointment, scheduling and after a session, as the mediator arranges one. */
const proposeSessionTimes = {
  guard: 'proposedTimesNotInPast',
  actions: ['recordSessionProposal', notify('sessionTimesProposed', sessionArrangers)],
} as const;

export const breachCaseMachineV2 = breachCaseSetupV2.createMachine({
  id: MACHINE_ID,
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
    ...v2Defaults(),
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
        REJECT: { target: 'closed', actions: ['recordRejectionWithReview', closeAs('rejected')] },
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
            CONTACT_RESPONDENT: {
              target: 'awaitingResponse',
              actions: ['clearExtension', notify('respondentContacted', ['reporter', 'respondent'])],
            },
          },
        },
        awaitingResponse: {
          entry: [
            {
              type: 'startDeadline',
              // A request granted once overdue gives a fresh clock of the days granted, as CHASE gives 10.
              params: ({ event }) => ({
                kind: 'respondentReply',
                workingDays:
                  event.type === 'CHASE'
                    ? CHASE_WORKING_DAYS
                    : event.type === 'GRANT_EXTENSION'
                      ? event.workingDays
                      : defaultWorkingDays('respondentReply'),
              }),
            },
          ],
          exit: [endClock('respondentReply')],
          on: {
            RESPONSE_OVERDUE: { target: 'responseOverdue' },
            RECORD_RESPONSE: { target: 'reviewing', actions: [notify('responseRecorded', (c) => ['reporter', staff(c)])] },
            REQUEST_EXTENSION: {
              guard: 'noExtensionYet',
              actions: ['recordExtensionRequest', notify('extensionRequested', (c) => [staff(c)])],
            },
            GRANT_EXTENSION: {
              guard: 'extensionPending',
              actions: [
                'recordExtensionGranted',
                {
                  type: 'extendDeadline',
                  params: ({ event }): ExtendDeadlineParams => ({
                    kind: 'respondentReply',
                    workingDays: event.type === 'GRANT_EXTENSION' ? event.workingDays : 0,
                  }),
                },
                notify('extensionGranted', bothSides),
              ],
            },
            REFUSE_EXTENSION: { guard: 'extensionPending', actions: ['recordExtensionRefused', notify('extensionRefused', bothSides)] },
          },
        },
        responseOverdue: {
          // Version 2: the public body is told too (it can answer for itself now).
          entry: [notify('responseOverdue', (c) => ['reporter', staff(c), 'respondent'])],
          on: {
            CHASE: { target: 'awaitingResponse' },
            RECORD_RESPONSE: { target: 'reviewing', actions: [notify('responseRecorded', (c) => ['reporter', staff(c)])] },
            GRANT_EXTENSION: {
              guard: 'extensionPending',
              target: 'awaitingResponse',
              actions: ['recordExtensionGranted', notify('extensionGranted', bothSides)],
            },
            REFUSE_EXTENSION: { guard: 'extensionPending', actions: ['recordExtensionRefused', notify('extensionRefused', bothSides)] },
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
      entry: ['beginMediation', notify('referredToMediation', ['reporter', 'respondent']), 'clearMediationReports'],
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
            REPORT_FEE_PAID: {
              guard: 'feeShareOutstanding',
              actions: ['recordFeePaidReport', notify('feePaymentReported', (c) => [staff(c)])],
            },
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
            PROPOSE_SESSION_TIMES: proposeSessionTimes,
          },
        },
        scheduling: {
          on: {
            SCHEDULE_SESSION: { guard: 'sessionNotInPast', target: 'sessionScheduled', actions: ['setSession'] },
            PROPOSE_SESSION_TIMES: proposeSessionTimes,
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
            PROPOSE_SESSION_TIMES: proposeSessionTimes,
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
        REPORT_ACTIONS_DONE: { actions: ['recordActionsReportedDone', notify('actionsReportedDone', (c) => [staff(c)])] },
      },
    },

    // Not a final state: a closed case can be reopened within the window.
    closed: {
      entry: [
        {
          type: 'notify',
          // An upheld rejection says so, instead of a second "your report was rejected".
          params: ({ context, event }) => ({
            template: event.type === 'UPHOLD_REJECTION' ? 'rejectionUpheld' : CLOSING_TEMPLATE[context.outcome ?? 'unresolved'],
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
        REQUEST_REVIEW: {
          guard: and(['rejectionOpenToReview', 'withinReviewWindow']),
          target: 'review',
          actions: ['recordReviewRequest'],
        },
      },
    },

    // The reporter challenged a rejection: a caseworker other than the one who rejected decides.
    review: {
      // Every caseworker, not the assignee: the assignee is most likely the one who rejected.
      entry: [notify('reviewRequested', ['caseworkers'])],
      on: {
        UPHOLD_REJECTION: { guard: 'reviewerIsNotRejecter', target: 'closed', actions: [closeAs('rejected')] },
        REOPEN_AFTER_REVIEW: {
          guard: 'reviewerIsNotRejecter',
          target: 'triage',
          actions: ['reopenCase', startClock('triage'), notify('reopenedAfterReview', (c) => ['reporter', staff(c)])],
        },
      },
    },
  },
});



export type BreachCaseMachineV2 = typeof breachCaseMachineV2;
