/**
 * Who may send which event, as tables, including the negative cases.
 */
import { COMMAND_TYPES, SYSTEM_EVENT_TYPES, type BreachCaseEventType, type CommandType } from './events';
import { availableActions, mayRequest, type CallerRelation } from './policy';
import { AT, CaseDriver, LATE, ROUTES, SESSION_STARTS, appointmentRoute, ev, feeAgreementRoute, paymentRoute, sessionScheduledRoute } from './spec-fixtures';
import { workflowFor } from './workflow';
import { SAMPLE_EVENTS, rejectedRoute, resolvedRoute } from './spec-fixtures';

const reporter: CallerRelation = { role: 'reporter', isReportingMember: true, isAppointedMediator: false, isNamedRespondent: false };
const outsideReporter: CallerRelation = { role: 'reporter', isReportingMember: false, isAppointedMediator: false, isNamedRespondent: false };
const caseworker: CallerRelation = { role: 'caseworker', isReportingMember: false, isAppointedMediator: false, isNamedRespondent: false };
const mediator: CallerRelation = { role: 'mediator', isReportingMember: false, isAppointedMediator: true, isNamedRespondent: false };
const otherMediator: CallerRelation = { role: 'mediator', isReportingMember: false, isAppointedMediator: false, isNamedRespondent: false };
const administrator: CallerRelation = { role: 'administrator', isReportingMember: false, isAppointedMediator: false, isNamedRespondent: false };
const respondent: CallerRelation = { role: 'respondent', isReportingMember: false, isAppointedMediator: false, isNamedRespondent: true };
const unnamedRespondent: CallerRelation = { role: 'respondent', isReportingMember: false, isAppointedMediator: false, isNamedRespondent: false };

/** The spec of the brief, written out independently of policy.ts. */
const EXPECTED_WITHOUT_PAYLOAD: Record<string, CommandType[]> = {
  reporter: ['PROVIDE_INFO', 'WITHDRAW', 'AGREE_FEE', 'DECLINE_FEE', 'REQUEST_REVIEW', 'REPORT_FEE_PAID', 'PROPOSE_SESSION_TIMES'],
  outsideReporter: [],
  respondent: ['RECORD_RESPONSE', 'REQUEST_EXTENSION', 'AGREE_FEE', 'DECLINE_FEE', 'REPORT_FEE_PAID', 'PROPOSE_SESSION_TIMES', 'REPORT_ACTIONS_DONE'],
  unnamedRespondent: [],
  caseworker: [
    'ASSIGN', 'REQUEST_INFO', 'ACCEPT', 'REJECT', 'CONTACT_RESPONDENT', 'CHASE', 'RECORD_RESPONSE', 'RESOLVE',
    'OPEN_NEGOTIATION', 'RECORD_MEETING', 'AGREE', 'REFER_TO_MEDIATION', 'CAMPAIGN', 'RECORD_ACTIVITY', 'CLOSE',
    'CLOSE_UNRESOLVED', 'QUOTE_FEE', 'AGREE_FEE', 'DECLINE_FEE', 'RECORD_PAYMENT', 'APPOINT_MEDIATOR',
    'CONFIRM_IMPLEMENTED', 'REPORT_NOT_IMPLEMENTED', 'REOPEN', 'WITHDRAW',
    'GRANT_EXTENSION', 'REFUSE_EXTENSION', 'UPHOLD_REJECTION', 'REOPEN_AFTER_REVIEW',
  ],
  mediator: ['SCHEDULE_SESSION', 'RESCHEDULE', 'RECORD_SESSION_HELD', 'RECORD_OUTCOME'],
  otherMediator: [],
  administrator: [
    'ASSIGN', 'REQUEST_INFO', 'ACCEPT', 'REJECT', 'CONTACT_RESPONDENT', 'CHASE', 'RECORD_RESPONSE', 'RESOLVE',
    'OPEN_NEGOTIATION', 'RECORD_MEETING', 'AGREE', 'REFER_TO_MEDIATION', 'CAMPAIGN', 'RECORD_ACTIVITY', 'CLOSE',
    'CLOSE_UNRESOLVED', 'QUOTE_FEE', 'AGREE_FEE', 'DECLINE_FEE', 'RECORD_PAYMENT', 'APPOINT_MEDIATOR',
    'CONFIRM_IMPLEMENTED', 'REPORT_NOT_IMPLEMENTED', 'REOPEN', 'WITHDRAW',
    'GRANT_EXTENSION', 'REFUSE_EXTENSION', 'UPHOLD_REJECTION', 'REOPEN_AFTER_REVIEW',
    'SCHEDULE_SESSION', 'RESCHEDULE', 'RECORD_SESSION_HELD', 'RECORD_OUTCOME', 'WAIVE_FEE',
  ],
};
const CALLERS: Record<string, CallerRelation> = {
  reporter,
  outsideReporter,
  respondent,
  unnamedRespondent,
  caseworker,
  mediator,
  otherMediator,
  administrator,
};

describe('mayRequest without a payload: the full matrix', () => {
  const rows = Object.keys(CALLERS).flatMap((who) =>
    COMMAND_TYPES.map((type) => [who, type, EXPECTED_WITHOUT_PAYLOAD[who].includes(type)] as const),
  );
  test.each(rows)('%s may send %s: %s', (who, type, expected) => {
    expect(mayRequest(CALLERS[who], type)).toBe(expected);
  });

  test('every command can be sent by someone, and only administrators may waive a fee', () => {
    for (const type of COMMAND_TYPES) {
      expect({ type, someone: Object.values(CALLERS).some((c) => mayRequest(c, type)) }).toEqual({ type, someone: true });
    }
    expect(Object.entries(CALLERS).filter(([, c]) => mayRequest(c, 'WAIVE_FEE')).map(([who]) => who)).toEqual(['administrator']);
  });
});

describe('system events never come from a person', () => {
  test.each(Object.keys(CALLERS).flatMap((who) => SYSTEM_EVENT_TYPES.map((type) => [who, type] as const)))(
    '%s may not send %s',
    (who, type) => {
      expect(mayRequest(CALLERS[who], type)).toBe(false);
      expect(mayRequest(CALLERS[who], type, {})).toBe(false);
    },
  );
});

describe('fee answers depend on the party', () => {
  test.each([
    ['reporter', 'AGREE_FEE', 'reporter', true, reporter],
    ['reporter', 'AGREE_FEE', 'respondent', false, reporter],
    ['reporter', 'DECLINE_FEE', 'reporter', true, reporter],
    ['reporter', 'DECLINE_FEE', 'respondent', false, reporter],
    ['outside reporter', 'AGREE_FEE', 'reporter', false, outsideReporter],
    ['caseworker', 'AGREE_FEE', 'respondent', true, caseworker],
    ['caseworker', 'AGREE_FEE', 'reporter', false, caseworker],
    ['caseworker', 'DECLINE_FEE', 'respondent', true, caseworker],
    ['caseworker', 'DECLINE_FEE', 'reporter', false, caseworker],
    ['administrator', 'AGREE_FEE', 'respondent', true, administrator],
    ['administrator', 'AGREE_FEE', 'reporter', false, administrator],
    ['mediator', 'AGREE_FEE', 'respondent', false, mediator],
    ['public body', 'AGREE_FEE', 'respondent', true, respondent],
    ['public body', 'AGREE_FEE', 'reporter', false, respondent],
    ['public body', 'DECLINE_FEE', 'respondent', true, respondent],
    ['public body', 'DECLINE_FEE', 'reporter', false, respondent],
    ['public body', 'REPORT_FEE_PAID', 'respondent', true, respondent],
    ['public body', 'REPORT_FEE_PAID', 'reporter', false, respondent],
    ['reporter', 'REPORT_FEE_PAID', 'reporter', true, reporter],
    ['reporter', 'REPORT_FEE_PAID', 'respondent', false, reporter],
    ['a contact not named on the case', 'AGREE_FEE', 'respondent', false, unnamedRespondent],
    ['caseworker', 'REPORT_FEE_PAID', 'respondent', false, caseworker],
  ] as const)('%s sends %s for the %s: %s', (_who, type, party, expected, caller) => {
    expect(mayRequest(caller, type, { party })).toBe(expected);
  });

  test('a payload with a missing or strange party is refused for fee answers', () => {
    expect(mayRequest(reporter, 'AGREE_FEE', {})).toBe(false);
    expect(mayRequest(respondent, 'REPORT_FEE_PAID', {})).toBe(false);
    expect(mayRequest(caseworker, 'DECLINE_FEE', { party: 'council' })).toBe(false);
  });

  test('payloads do not matter for other events', () => {
    expect(mayRequest(caseworker, 'RECORD_PAYMENT', { party: 'reporter', amountPence: 100 })).toBe(true);
    expect(mayRequest(reporter, 'WITHDRAW', { reason: 'Sorted.' })).toBe(true);
    expect(mayRequest(reporter, 'RECORD_PAYMENT', { party: 'reporter', amountPence: 100 })).toBe(false);
  });
});

describe('availableActions: enabled now, allowed to this caller, no system events', () => {
  const workflow = workflowFor(1);
  const at = (...events: Parameters<CaseDriver['send']>) => {
    const c = new CaseDriver(workflow);
    if (events.length) c.send(...events);
    return c.snapshot;
  };

  test('while the reporter is asked for information', () => {
    const snapshot = at(...ROUTES.awaitingInformation);
    expect(availableActions(workflow, snapshot, reporter, AT)).toEqual(['PROVIDE_INFO', 'WITHDRAW']);
    expect(availableActions(workflow, snapshot, caseworker, AT)).toEqual(['ASSIGN', 'ACCEPT', 'REJECT', 'WITHDRAW']);
    expect(availableActions(workflow, snapshot, outsideReporter, AT)).toEqual([]);
    expect(availableActions(workflow, snapshot, mediator, AT)).toEqual([]);
  });

  test('while the fee is being agreed', () => {
    const snapshot = at(...feeAgreementRoute());
    expect(availableActions(workflow, snapshot, reporter, AT)).toEqual(['AGREE_FEE', 'DECLINE_FEE', 'WITHDRAW']);
    expect(availableActions(workflow, snapshot, caseworker, AT)).toEqual(['ASSIGN', 'QUOTE_FEE', 'AGREE_FEE', 'DECLINE_FEE', 'WITHDRAW']);
    expect(availableActions(workflow, snapshot, administrator, AT)).toEqual([
      'ASSIGN',
      'QUOTE_FEE',
      'AGREE_FEE',
      'DECLINE_FEE',
      'WAIVE_FEE',
      'WITHDRAW',
    ]);
  });

  test('while a session is scheduled, only the appointed mediator (or an administrator) runs it', () => {
    const snapshot = at(...sessionScheduledRoute());
    // Before the session's day it cannot be recorded as held, so it is not offered.
    expect(availableActions(workflow, snapshot, mediator, AT)).toEqual(['RESCHEDULE']);
    expect(availableActions(workflow, snapshot, mediator, SESSION_STARTS)).toEqual(['RESCHEDULE', 'RECORD_SESSION_HELD']);
    expect(availableActions(workflow, snapshot, otherMediator, SESSION_STARTS)).toEqual([]);
    expect(availableActions(workflow, snapshot, caseworker, SESSION_STARTS)).toEqual(['ASSIGN', 'WITHDRAW']);
    expect(availableActions(workflow, snapshot, administrator, SESSION_STARTS)).toEqual(['ASSIGN', 'RESCHEDULE', 'RECORD_SESSION_HELD', 'WITHDRAW']);
  });

  test('a closed case offers REOPEN to caseworkers only within the window', () => {
    const snapshot = at(ev('ASSIGN'), ev('REJECT'));
    expect(availableActions(workflow, snapshot, caseworker, AT)).toEqual(['REOPEN']);
    expect(availableActions(workflow, snapshot, caseworker, LATE)).toEqual([]);
    expect(availableActions(workflow, snapshot, reporter, AT)).toEqual([]);
  });

  test('never lists a system event, even for an administrator', () => {
    const systemTypes: readonly BreachCaseEventType[] = SYSTEM_EVENT_TYPES;
    for (const snapshot of [at(...ROUTES.awaitingInformation), at(...ROUTES.awaitingResponse), at(...feeAgreementRoute())]) {
      expect(workflow.enabledEvents(snapshot, AT).some((t) => systemTypes.includes(t))).toBe(true);
      expect(availableActions(workflow, snapshot, administrator, AT).some((t) => systemTypes.includes(t))).toBe(false);
    }
  });
});

describe('availableActions on version 2: the public body and the review', () => {
  const workflow = workflowFor(2);
  const at = (...events: Parameters<CaseDriver['send']>) => {
    const c = new CaseDriver(workflow);
    if (events.length) c.send(...events);
    return c.snapshot;
  };

  test('while the public body is asked to reply, it may reply or ask once for more time; the caseworker decides', () => {
    const snapshot = at(...ROUTES.awaitingResponse);
    expect(availableActions(workflow, snapshot, respondent, AT)).toEqual(['RECORD_RESPONSE', 'REQUEST_EXTENSION']);
    expect(availableActions(workflow, snapshot, unnamedRespondent, AT)).toEqual([]);
    expect(availableActions(workflow, snapshot, reporter, AT)).toEqual(['WITHDRAW']);
    // Nothing to decide until the public body asks.
    expect(availableActions(workflow, snapshot, caseworker, AT)).toEqual(['ASSIGN', 'RECORD_RESPONSE', 'WITHDRAW']);

    const asked = at(...ROUTES.awaitingResponse, ev('REQUEST_EXTENSION'));
    expect(availableActions(workflow, asked, respondent, AT)).toEqual(['RECORD_RESPONSE']);
    expect(availableActions(workflow, asked, caseworker, AT)).toEqual(['ASSIGN', 'RECORD_RESPONSE', 'WITHDRAW', 'GRANT_EXTENSION', 'REFUSE_EXTENSION']);
  });

  test('while the fee is paid, each side may say it has paid; while monitoring, the public body reports the actions done', () => {
    const paying = at(...paymentRoute());
    expect(availableActions(workflow, paying, respondent, AT)).toEqual(['REPORT_FEE_PAID']);
    expect(availableActions(workflow, paying, reporter, AT)).toEqual(['WITHDRAW', 'REPORT_FEE_PAID']);
    expect(mayRequest(respondent, 'REPORT_FEE_PAID', { party: SAMPLE_EVENTS.REPORT_FEE_PAID[1].party })).toBe(true);
    expect(availableActions(workflow, at(...resolvedRoute()), respondent, AT)).toEqual(['REPORT_ACTIONS_DONE']);
  });

  test('both sides may offer session times while one is being arranged', () => {
    const snapshot = at(...appointmentRoute());
    expect(availableActions(workflow, snapshot, respondent, AT)).toEqual(['PROPOSE_SESSION_TIMES']);
    expect(availableActions(workflow, snapshot, reporter, AT)).toEqual(['WITHDRAW', 'PROPOSE_SESSION_TIMES']);
  });

  test('a rejected report: the reporter may ask for a review within the window; caseworkers decide it', () => {
    const rejected = at(...rejectedRoute());
    expect(availableActions(workflow, rejected, reporter, AT)).toEqual(['REQUEST_REVIEW']);
    expect(availableActions(workflow, rejected, reporter, LATE)).toEqual([]);
    expect(availableActions(workflow, rejected, caseworker, AT)).toEqual(['REOPEN']);
    const inReview = at(...rejectedRoute(), ev('REQUEST_REVIEW'));
    // Who decides is a fact of the event (the actor), so both are offered and the machine refuses the rejecter.
    expect(availableActions(workflow, inReview, caseworker, AT)).toEqual(['UPHOLD_REJECTION', 'REOPEN_AFTER_REVIEW']);
    expect(availableActions(workflow, inReview, reporter, AT)).toEqual([]);
    expect(availableActions(workflow, inReview, respondent, AT)).toEqual([]);
  });

  test('version 1 offers none of it, whatever the role allows', () => {
    const v1 = workflowFor(1);
    const c = new CaseDriver(v1);
    c.send(...ROUTES.awaitingResponse);
    expect(availableActions(v1, c.snapshot, respondent, AT)).toEqual(['RECORD_RESPONSE']);
    expect(availableActions(v1, c.snapshot, caseworker, AT)).toEqual(['ASSIGN', 'RECORD_RESPONSE', 'WITHDRAW']);
  });
});
