/**
 * Effects: the deadlines and notifications each step asks the service to carry out.
 */
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import type { CaseEffect, DeadlineKind } from './effects';
import type { BreachCaseEvent } from './events';
import { breachCaseMachineV1, deadlineEndStatus } from './machine.v1';
import { feeShares } from './rules';
import {
  ALL_SAMPLE_EVENTS,
  AT,
  CaseDriver,
  INPUT,
  IN_THE_PAST,
  MONITOR_UNTIL,
  OTHER_CASEWORKER_ID,
  ROUTES,
  SESSION_MOVED_TO,
  appointmentRoute,
  ev,
  feeAgreementRoute,
  paymentRoute,
  resolvedRoute,
  serializeForTraversal,
  sessionHeldRoute,
  sessionScheduledRoute,
} from './spec-fixtures';
import { workflowFor } from './workflow';

const workflow = workflowFor(1);
const newCase = (...events: Parameters<CaseDriver['send']>) => {
  const driver = new CaseDriver(workflow);
  if (events.length) driver.send(...events);
  return driver;
};

describe('effects of each step', () => {
  test('submitting starts the triage clock and tells the reporter and caseworkers', () => {
    const started = workflow.start(INPUT);
    expect(started.state).toBe('submitted');
    expect(started.stage).toBe('submitted');
    expect(started.effects).toEqual([
      { type: 'startDeadline', kind: 'triage', workingDays: 5 },
      { type: 'notify', template: 'caseSubmitted', audience: ['reporter', 'caseworkers'] },
    ]);
    expect(started.context).toMatchObject({ ...INPUT, assigneeId: null, outcome: null, timesReopened: 0 });
  });

  test('assigning moves to triage and tells the assignee; re-assigning later does the same without moving', () => {
    const c = newCase();
    expect(c.send(ev('ASSIGN'))).toMatchObject({
      state: 'triage.reviewing',
      effects: [{ type: 'notify', template: 'caseAssigned', audience: ['assignee'] }],
    });
    c.send(ev('ACCEPT'));
    const reassigned = c.send(ev('ASSIGN', { caseworkerId: OTHER_CASEWORKER_ID }));
    expect(reassigned.state).toBe('advocacy.preparing');
    expect(reassigned.context.assigneeId).toBe(OTHER_CASEWORKER_ID);
    expect(reassigned.effects).toEqual([{ type: 'notify', template: 'caseAssigned', audience: ['assignee'] }]);
  });

  test('REQUEST_INFO pauses triage and starts the information request; PROVIDE_INFO ends it and resumes triage', () => {
    const c = newCase(ev('ASSIGN'));
    expect(c.send(ev('REQUEST_INFO')).effects).toEqual([
      { type: 'pauseDeadline', kind: 'triage' },
      { type: 'startDeadline', kind: 'informationRequest', workingDays: 10 },
      { type: 'notify', template: 'informationRequested', audience: ['reporter'] },
    ]);
    expect(c.send(ev('PROVIDE_INFO'))).toMatchObject({
      state: 'triage.reviewing',
      effects: [
        { type: 'endDeadline', kind: 'informationRequest', status: 'met' },
        { type: 'resumeDeadline', kind: 'triage' },
        { type: 'notify', template: 'informationProvided', audience: ['assignee'] },
      ],
    });
  });

  test('INFORMATION_OVERDUE lapses the case and cancels both clocks', () => {
    const c = newCase(...ROUTES.awaitingInformation);
    const lapsed = c.send(ev('INFORMATION_OVERDUE'));
    expect(lapsed.state).toBe('closed');
    expect(lapsed.context).toMatchObject({ outcome: 'lapsed', closedAt: AT });
    expect(lapsed.effects).toEqual([
      { type: 'endDeadline', kind: 'informationRequest', status: 'cancelled' },
      { type: 'endDeadline', kind: 'triage', status: 'cancelled' },
      { type: 'notify', template: 'caseClosed', audience: ['reporter', 'assignee'] },
    ]);
  });

  test('ACCEPT meets the triage clock; REJECT meets it too, stores the reason and tells the reporter', () => {
    expect(newCase(ev('ASSIGN')).send(ev('ACCEPT')).effects).toEqual([
      { type: 'endDeadline', kind: 'triage', status: 'met' },
      { type: 'notify', template: 'caseAccepted', audience: ['reporter'] },
    ]);
    const rejected = newCase(ev('ASSIGN')).send(
      ev('REJECT', { reason: 'duplicate', explanation: 'Already reported.', duplicateOfReference: 'CC-2026-0001' }),
    );
    expect(rejected.context).toMatchObject({
      outcome: 'rejected',
      closedAt: AT,
      rejection: { reason: 'duplicate', explanation: 'Already reported.', duplicateOfReference: 'CC-2026-0001' },
    });
    expect(rejected.effects).toEqual([
      { type: 'endDeadline', kind: 'triage', status: 'met' },
      { type: 'notify', template: 'caseRejected', audience: ['reporter', 'assignee'] },
    ]);
  });

  test('WITHDRAW cancels every running clock, whatever the state', () => {
    expect(newCase().send(ev('WITHDRAW')).effects).toEqual([
      { type: 'endDeadline', kind: 'triage', status: 'cancelled' },
      { type: 'notify', template: 'caseWithdrawn', audience: ['reporter', 'caseworkers'] },
    ]);
    expect(newCase(...ROUTES.awaitingInformation).send(ev('WITHDRAW')).effects).toEqual([
      { type: 'endDeadline', kind: 'informationRequest', status: 'cancelled' },
      { type: 'endDeadline', kind: 'triage', status: 'cancelled' },
      { type: 'notify', template: 'caseWithdrawn', audience: ['reporter', 'assignee'] },
    ]);
    expect(newCase(...sessionScheduledRoute()).send(ev('WITHDRAW')).effects).toEqual([
      { type: 'endDeadline', kind: 'sessionReminder', status: 'cancelled' },
      { type: 'notify', template: 'caseWithdrawn', audience: ['reporter', 'assignee'] },
    ]);
    const withdrawn = newCase(...resolvedRoute()).send(ev('WITHDRAW'));
    expect(withdrawn.context.outcome).toBe('withdrawn');
    expect(withdrawn.effects[0]).toEqual({ type: 'endDeadline', kind: 'monitoring', status: 'cancelled' });
  });

  test('the respondent has 20 working days; overdue tells reporter and caseworker; CHASE gives 10 more', () => {
    const c = newCase(...ROUTES.preparing);
    expect(c.send(ev('CONTACT_RESPONDENT')).effects).toEqual([
      { type: 'notify', template: 'respondentContacted', audience: ['reporter'] },
      { type: 'startDeadline', kind: 'respondentReply', workingDays: 20 },
    ]);
    expect(c.send(ev('RESPONSE_OVERDUE'))).toMatchObject({
      state: 'advocacy.responseOverdue',
      effects: [
        { type: 'endDeadline', kind: 'respondentReply', status: 'cancelled' },
        { type: 'notify', template: 'responseOverdue', audience: ['reporter', 'assignee'] },
      ],
    });
    expect(c.send(ev('CHASE'))).toMatchObject({
      state: 'advocacy.awaitingResponse',
      effects: [{ type: 'startDeadline', kind: 'respondentReply', workingDays: 10 }],
    });
    expect(c.send(ev('RECORD_RESPONSE')).effects).toEqual([
      { type: 'endDeadline', kind: 'respondentReply', status: 'met' },
      { type: 'notify', template: 'responseRecorded', audience: ['reporter'] },
    ]);
  });

  test('RECORD_RESPONSE after the reply went overdue ends no clock (it already ended)', () => {
    const c = newCase(...ROUTES.awaitingResponse, ev('RESPONSE_OVERDUE'));
    expect(c.send(ev('RECORD_RESPONSE')).effects).toEqual([
      { type: 'notify', template: 'responseRecorded', audience: ['reporter'] },
    ]);
  });

  test('negotiation review is due 30 working days after opening, and again after every meeting', () => {
    const c = newCase(...ROUTES.advocacyReviewing);
    expect(c.send(ev('OPEN_NEGOTIATION')).effects).toEqual([
      { type: 'startDeadline', kind: 'negotiationReview', workingDays: 30 },
      { type: 'notify', template: 'negotiationOpened', audience: ['reporter'] },
    ]);
    expect(c.send(ev('RECORD_MEETING'))).toMatchObject({
      state: 'negotiation',
      effects: [
        { type: 'endDeadline', kind: 'negotiationReview', status: 'met' },
        { type: 'startDeadline', kind: 'negotiationReview', workingDays: 30 },
      ],
    });
    const agreed = c.send(ev('AGREE'));
    expect(agreed.state).toBe('resolved');
    expect(agreed.context.agreedActions).toEqual(ev('AGREE').agreedActions);
    expect(agreed.effects).toEqual([
      { type: 'endDeadline', kind: 'negotiationReview', status: 'met' },
      // Midnight in London at the end of that day: MONITOR_UNTIL is in summer (BST, UTC+1).
      { type: 'startDeadline', kind: 'monitoring', dueAt: '2026-06-30T22:59:59.999Z' },
      { type: 'notify', template: 'caseResolved', audience: ['reporter', 'assignee'] },
    ]);
  });

  test('campaigning: activities change nothing; CLOSE closes with the outcome given', () => {
    const c = newCase(...ROUTES.advocacyReviewing);
    expect(c.send(ev('CAMPAIGN')).effects).toEqual([{ type: 'notify', template: 'campaignStarted', audience: ['reporter'] }]);
    const before = c.snapshot;
    const activity = c.send(ev('RECORD_ACTIVITY'));
    expect(activity).toMatchObject({ state: 'campaigning', effects: [] });
    expect(activity.snapshot).toEqual(before);
    const closed = c.send(ev('CLOSE', { outcome: 'resolved' }));
    expect(closed.context).toMatchObject({ outcome: 'resolved', closedAt: AT });
    expect(closed.effects).toEqual([{ type: 'notify', template: 'caseClosed', audience: ['reporter', 'assignee'] }]);
  });
});

describe('mediation fee', () => {
  test('quoting starts a 10-working-day agreement clock; re-quoting resets agreements and restarts it', () => {
    const c = newCase(...ROUTES.feeQuoting);
    expect(c.send(ev('QUOTE_FEE')).effects).toEqual([
      { type: 'startDeadline', kind: 'feeAgreement', workingDays: 10 },
      { type: 'notify', template: 'feeQuoted', audience: ['reporter', 'respondent'] },
    ]);
    c.send(ev('AGREE_FEE', { party: 'reporter' }));
    expect(c.context.fee?.agreed).toEqual({ reporter: true, respondent: false });
    const requoted = c.send(ev('QUOTE_FEE', { amountPence: 80_000, reporterSharePercent: 50 }));
    expect(requoted.state).toBe('mediation.feeAgreement');
    expect(requoted.context.fee).toEqual({
      amountPence: 80_000,
      reporterSharePercent: 50,
      agreed: { reporter: false, respondent: false },
      paidPence: { reporter: 0, respondent: 0 },
      waived: false,
    });
    expect(requoted.effects).toEqual([
      { type: 'endDeadline', kind: 'feeAgreement', status: 'cancelled' },
      { type: 'startDeadline', kind: 'feeAgreement', workingDays: 10 },
      { type: 'notify', template: 'feeQuoted', audience: ['reporter', 'respondent'] },
    ]);
  });

  test('the first agreement is recorded in place; the second moves to payment with a 10-day clock', () => {
    const c = newCase(...feeAgreementRoute());
    expect(c.send(ev('AGREE_FEE', { party: 'respondent' }))).toMatchObject({ state: 'mediation.feeAgreement', effects: [] });
    expect(c.send(ev('AGREE_FEE', { party: 'reporter' }))).toMatchObject({
      state: 'mediation.payment',
      effects: [
        { type: 'endDeadline', kind: 'feeAgreement', status: 'met' },
        { type: 'startDeadline', kind: 'feePayment', workingDays: 10 },
        { type: 'notify', template: 'feeAgreed', audience: ['reporter', 'respondent', 'assignee'] },
      ],
    });
  });

  test('payments accumulate per party until the fee is paid in full', () => {
    const c = newCase(...paymentRoute());
    expect(c.send(ev('RECORD_PAYMENT', { party: 'respondent', amountPence: 50_000 }))).toMatchObject({
      state: 'mediation.payment',
      effects: [],
    });
    c.send(ev('RECORD_PAYMENT', { party: 'reporter', amountPence: 30_000 }));
    expect(c.context.fee?.paidPence).toEqual({ reporter: 30_000, respondent: 50_000 });
    expect(c.send(ev('RECORD_PAYMENT', { party: 'respondent', amountPence: 20_000 }))).toMatchObject({
      state: 'mediation.appointment',
      effects: [
        { type: 'endDeadline', kind: 'feePayment', status: 'met' },
        { type: 'notify', template: 'feePaid', audience: ['reporter', 'respondent', 'assignee'] },
      ],
    });
  });

  test('DECLINE_FEE and FEE_AGREEMENT_OVERDUE go back to advocacy review, cancelling the clock', () => {
    expect(newCase(...feeAgreementRoute()).send(ev('DECLINE_FEE'))).toMatchObject({
      state: 'advocacy.reviewing',
      effects: [
        { type: 'endDeadline', kind: 'feeAgreement', status: 'cancelled' },
        { type: 'notify', template: 'feeDeclined', audience: ['reporter', 'respondent', 'assignee'] },
      ],
    });
    expect(newCase(...feeAgreementRoute()).send(ev('FEE_AGREEMENT_OVERDUE'))).toMatchObject({
      state: 'advocacy.reviewing',
      effects: [{ type: 'endDeadline', kind: 'feeAgreement', status: 'cancelled' }],
    });
    expect(newCase(...paymentRoute()).send(ev('FEE_AGREEMENT_OVERDUE'))).toMatchObject({
      state: 'advocacy.reviewing',
      effects: [{ type: 'endDeadline', kind: 'feePayment', status: 'cancelled' }],
    });
  });

  test('WAIVE_FEE goes straight to appointment from quoting, agreement or payment', () => {
    const fromQuoting = newCase(...ROUTES.feeQuoting).send(ev('WAIVE_FEE'));
    expect(fromQuoting.state).toBe('mediation.appointment');
    expect(fromQuoting.context.fee?.waived).toBe(true);
    expect(fromQuoting.effects).toEqual([
      { type: 'notify', template: 'feeWaived', audience: ['reporter', 'respondent', 'assignee'] },
    ]);
    expect(newCase(...feeAgreementRoute()).send(ev('WAIVE_FEE')).effects[0]).toEqual({
      type: 'endDeadline',
      kind: 'feeAgreement',
      status: 'cancelled',
    });
    const fromPayment = newCase(...paymentRoute(), ev('RECORD_PAYMENT', { party: 'reporter', amountPence: 30_000 })).send(
      ev('WAIVE_FEE'),
    );
    expect(fromPayment.state).toBe('mediation.appointment');
    expect(fromPayment.context.fee).toMatchObject({ waived: true, paidPence: { reporter: 30_000, respondent: 0 } });
    expect(fromPayment.effects[0]).toEqual({ type: 'endDeadline', kind: 'feePayment', status: 'cancelled' });
  });

  test('shares are whole pence, reporter share rounded half up, respondent pays the rest', () => {
    expect(feeShares({ amountPence: 100_000, reporterSharePercent: 30 })).toEqual({ reporter: 30_000, respondent: 70_000 });
    expect(feeShares({ amountPence: 1_001, reporterSharePercent: 50 })).toEqual({ reporter: 501, respondent: 500 });
    expect(feeShares({ amountPence: 1_001, reporterSharePercent: 33 })).toEqual({ reporter: 330, respondent: 671 });
    expect(feeShares({ amountPence: 999, reporterSharePercent: 0 })).toEqual({ reporter: 0, respondent: 999 });
    expect(feeShares({ amountPence: 999, reporterSharePercent: 100 })).toEqual({ reporter: 999, respondent: 0 });
    for (const amountPence of [1, 7, 99, 12_345, 100_000_000]) {
      for (let reporterSharePercent = 0; reporterSharePercent <= 100; reporterSharePercent += 7) {
        const s = feeShares({ amountPence, reporterSharePercent });
        expect(Number.isInteger(s.reporter) && Number.isInteger(s.respondent)).toBe(true);
        expect(s.reporter + s.respondent).toBe(amountPence);
        expect(s.reporter).toBeGreaterThanOrEqual(0);
        expect(s.respondent).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe('mediation sessions and outcome', () => {
  test('appointing a mediator tells the reporter, the mediator and the respondent', () => {
    const appointed = newCase(...appointmentRoute()).send(ev('APPOINT_MEDIATOR'));
    expect(appointed.state).toBe('mediation.scheduling');
    expect(appointed.context.mediatorId).toBe(ev('APPOINT_MEDIATOR').mediatorId);
    expect(appointed.effects).toEqual([
      { type: 'notify', template: 'mediatorAppointed', audience: ['reporter', 'mediator', 'respondent', 'assignee'] },
    ]);
  });

  test('SCHEDULE_SESSION sets a reminder two days before the session', () => {
    const c = newCase(...appointmentRoute(), ev('APPOINT_MEDIATOR'));
    const scheduled = c.send(ev('SCHEDULE_SESSION'));
    expect(scheduled.context.session).toEqual({ startsAt: '2026-04-20T10:00:00.000Z', location: 'Town hall, room 2' });
    expect(scheduled.effects).toEqual([
      { type: 'startDeadline', kind: 'sessionReminder', dueAt: '2026-04-18T10:00:00.000Z' },
      { type: 'notify', template: 'sessionScheduled', audience: ['reporter', 'respondent', 'mediator', 'assignee'] },
    ]);
  });

  test('RESCHEDULE cancels the old reminder and sets a new one, keeping the location unless given', () => {
    const c = newCase(...sessionScheduledRoute());
    const moved = c.send(ev('RESCHEDULE'));
    expect(moved.state).toBe('mediation.sessionScheduled');
    expect(moved.context.session).toEqual({ startsAt: SESSION_MOVED_TO, location: 'Town hall, room 2' });
    expect(moved.effects).toEqual([
      { type: 'endDeadline', kind: 'sessionReminder', status: 'cancelled' },
      { type: 'startDeadline', kind: 'sessionReminder', dueAt: '2026-04-25T14:30:00.000Z' },
      { type: 'notify', template: 'sessionScheduled', audience: ['reporter', 'respondent', 'mediator', 'assignee'] },
    ]);
    expect(c.send(ev('RESCHEDULE', { location: 'Online' })).context.session?.location).toBe('Online');
  });

  test('a session in the past cannot be scheduled; one within two days gets a reminder that is already due', () => {
    const c = newCase(...appointmentRoute(), ev('APPOINT_MEDIATOR'));
    expect(c.try(ev('SCHEDULE_SESSION', { startsAt: IN_THE_PAST }))).toMatchObject({ ok: false, rule: 'sessionNotInPast' });
    const tomorrow = '2026-03-11T10:00:00.000Z';
    const scheduled = c.send(ev('SCHEDULE_SESSION', { startsAt: tomorrow }));
    expect(scheduled.effects[0]).toEqual({ type: 'startDeadline', kind: 'sessionReminder', dueAt: '2026-03-09T10:00:00.000Z' });
    expect(c.send(ev('RECORD_SESSION_HELD', { at: '2026-03-11T12:00:00.000Z' })).state).toBe('mediation.sessionHeld');
  });

  test('a held session meets the reminder; another session can follow', () => {
    const c = newCase(...sessionScheduledRoute());
    expect(c.send(ev('RECORD_SESSION_HELD')).effects).toEqual([
      { type: 'endDeadline', kind: 'sessionReminder', status: 'met' },
    ]);
    expect(c.send(ev('SCHEDULE_SESSION')).state).toBe('mediation.sessionScheduled');
  });

  test.each([
    ['settled', undefined, 'resolved', null],
    ['partiallySettled', undefined, 'resolved', null],
    ['notSettled', 'close', 'closed', 'unresolved'],
    ['notSettled', 'returnToAdvocacy', 'advocacy.reviewing', null],
  ] as const)('RECORD_OUTCOME %s (next %s) goes to %s', (result, next, state, outcome) => {
    const base = { result, summary: 'Outcome.', at: AT };
    const event = (
      result === 'notSettled'
        ? { type: 'RECORD_OUTCOME', ...base, next }
        : { type: 'RECORD_OUTCOME', ...base, agreedActions: ['Restore notice period'], monitorUntil: MONITOR_UNTIL }
    ) as BreachCaseEvent;
    const decided = newCase(...sessionHeldRoute()).send(event);
    expect(decided.state).toBe(state);
    expect(decided.context.outcome).toBe(outcome);
    expect(decided.effects[0]).toEqual({
      type: 'notify',
      template: 'outcomeRecorded',
      audience: ['reporter', 'respondent', 'assignee'],
    });
    if (state === 'resolved') {
      expect(decided.context.agreedActions).toEqual(['Restore notice period']);
      expect(decided.effects).toContainEqual({ type: 'startDeadline', kind: 'monitoring', dueAt: '2026-06-30T22:59:59.999Z' });
    }
  });
});

describe('resolution, closure and reopening', () => {
  test('CONFIRM_IMPLEMENTED meets monitoring and closes as resolved', () => {
    expect(newCase(...resolvedRoute()).send(ev('CONFIRM_IMPLEMENTED'))).toMatchObject({
      state: 'closed',
      context: { outcome: 'resolved', closedAt: AT },
      effects: [
        { type: 'endDeadline', kind: 'monitoring', status: 'met' },
        { type: 'notify', template: 'caseClosed', audience: ['reporter', 'assignee'] },
      ],
    });
  });

  test('REPORT_NOT_IMPLEMENTED cancels monitoring and returns to advocacy review', () => {
    expect(newCase(...resolvedRoute()).send(ev('REPORT_NOT_IMPLEMENTED'))).toMatchObject({
      state: 'advocacy.reviewing',
      effects: [
        { type: 'endDeadline', kind: 'monitoring', status: 'cancelled' },
        { type: 'notify', template: 'notImplementedReported', audience: ['assignee'] },
      ],
    });
  });

  test('REOPEN clears the outcome, counts the reopening and restarts triage', () => {
    const c = newCase(ev('ASSIGN'), ev('REJECT'));
    const reopened = c.send(ev('REOPEN'));
    expect(reopened.state).toBe('triage.reviewing');
    expect(reopened.context).toMatchObject({ outcome: null, closedAt: null, rejection: null, timesReopened: 1 });
    expect(reopened.effects).toEqual([
      { type: 'startDeadline', kind: 'triage', workingDays: 5 },
      { type: 'notify', template: 'caseReopened', audience: ['reporter', 'assignee'] },
    ]);
    c.send(ev('ACCEPT'), ev('WITHDRAW'), ev('REOPEN'));
    expect(c.context.timesReopened).toBe(2);
  });

  test('closed accepts nothing but REOPEN, and WITHDRAW is refused there', () => {
    const c = newCase(ev('WITHDRAW'));
    expect(workflow.enabledEvents(c.snapshot, AT)).toEqual(['REOPEN']);
    expect(c.try(ev('WITHDRAW'))).toEqual({ ok: false, code: 'EVENT_NOT_ALLOWED_IN_STATE', allowed: ['REOPEN'] });
  });
});

describe('refused events', () => {
  test('change nothing: the snapshot passed in is untouched and no effects are returned', () => {
    const c = newCase(...paymentRoute());
    const frozen = JSON.stringify(c.snapshot);
    const refusals = [
      ev('RECORD_PAYMENT', { party: 'reporter', amountPence: 30_001 }),
      ev('ACCEPT'),
      ev('AGREE_FEE'),
    ].map((event) => workflow.decide(c.snapshot, event));
    for (const decision of refusals) {
      expect(decision.ok).toBe(false);
      expect(decision).not.toHaveProperty('effects');
      expect(decision).not.toHaveProperty('snapshot');
    }
    expect(JSON.stringify(c.snapshot)).toBe(frozen);
  });

  test('accepted events do not mutate the snapshot passed in either', () => {
    const c = newCase(...paymentRoute());
    const frozen = JSON.stringify(c.snapshot);
    const decision = workflow.decide(c.snapshot, ev('RECORD_PAYMENT'));
    expect(decision.ok).toBe(true);
    expect(JSON.stringify(c.snapshot)).toBe(frozen);
  });
});

describe('deadline bookkeeping over the whole state space', () => {
  type Clocks = Partial<Record<DeadlineKind, 'running' | 'paused'>>;

  /** Applies effects to the running clocks, failing on anything the service could not do. */
  function apply(clocks: Clocks, effects: CaseEffect[], where: string): Clocks {
    const next: Clocks = { ...clocks };
    for (const e of effects) {
      const at = `${where}: ${JSON.stringify(e)} with clocks ${JSON.stringify(next)}`;
      switch (e.type) {
        case 'startDeadline':
          if (next[e.kind]) throw new Error(`started a clock that is already running: ${at}`);
          if ((e.workingDays === undefined) === (e.dueAt === undefined)) throw new Error(`needs workingDays xor dueAt: ${at}`);
          if (e.dueAt !== undefined && Number.isNaN(Date.parse(e.dueAt))) throw new Error(`invalid dueAt: ${at}`);
          next[e.kind] = 'running';
          break;
        case 'endDeadline':
          if (!next[e.kind]) throw new Error(`ended a clock that is not running: ${at}`);
          delete next[e.kind];
          break;
        case 'pauseDeadline':
          if (next[e.kind] !== 'running') throw new Error(`paused a clock that is not running: ${at}`);
          next[e.kind] = 'paused';
          break;
        case 'resumeDeadline':
          if (next[e.kind] !== 'paused') throw new Error(`resumed a clock that is not paused: ${at}`);
          next[e.kind] = 'running';
          break;
        case 'notify':
          if (e.audience.length === 0) throw new Error(`notification without audience: ${at}`);
          break;
      }
    }
    return next;
  }

  /** The clocks that must be running in each leaf state, whatever the route there. */
  const EXPECTED: Record<string, Clocks> = {
    submitted: { triage: 'running' },
    'triage.reviewing': { triage: 'running' },
    'triage.awaitingInformation': { triage: 'paused', informationRequest: 'running' },
    'advocacy.preparing': {},
    'advocacy.awaitingResponse': { respondentReply: 'running' },
    'advocacy.responseOverdue': {},
    'advocacy.reviewing': {},
    negotiation: { negotiationReview: 'running' },
    'mediation.feeQuoting': {},
    'mediation.feeAgreement': { feeAgreement: 'running' },
    'mediation.payment': { feePayment: 'running' },
    'mediation.appointment': {},
    'mediation.scheduling': {},
    'mediation.sessionScheduled': { sessionReminder: 'running' },
    'mediation.sessionHeld': {},
    campaigning: {},
    resolved: { monitoring: 'running' },
    closed: {},
  };

  const leaf = (value: unknown): string =>
    typeof value === 'string' ? value : Object.entries(value as object).map(([k, v]) => `${k}.${leaf(v)}`)[0];
  const toEffects = (actions: Array<{ type: string; params?: unknown }>) =>
    actions
      .filter((a) => ['startDeadline', 'endDeadline', 'pauseDeadline', 'resumeDeadline', 'notify'].includes(a.type))
      .map((a) => ({ type: a.type, ...(a.params as object) }) as CaseEffect);

  test('every reachable (state, running clocks) pair has exactly the clocks its state needs', () => {
    const [initial, initialActions] = initialTransition(breachCaseMachineV1, INPUT);
    const queue: Array<{ snapshot: AnyMachineSnapshot; clocks: Clocks }> = [
      { snapshot: initial, clocks: apply({}, toEffects(initialActions), 'start') },
    ];
    const seen = new Set<string>();
    const statesSeen = new Set<string>();
    while (queue.length) {
      const { snapshot, clocks } = queue.shift()!;
      const key = `${serializeForTraversal(snapshot)}|${JSON.stringify(clocks)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const state = leaf(snapshot.value);
      statesSeen.add(state);
      expect({ state, clocks }).toEqual({ state, clocks: EXPECTED[state] });
      for (const event of ALL_SAMPLE_EVENTS) {
        if (breachCaseMachineV1.getTransitionData(snapshot as never, event).length === 0) continue;
        const [next, actions] = transition(breachCaseMachineV1, snapshot as never, event);
        const where = `${state} --${event.type}--> ${leaf(next.value)}`;
        queue.push({ snapshot: next, clocks: apply(clocks, toEffects(actions), where) });
      }
      expect(seen.size).toBeLessThan(5_000);
    }
    expect([...statesSeen].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test('a clock ends as met only on the events that serve it', () => {
    expect(deadlineEndStatus('triage', 'ACCEPT')).toBe('met');
    expect(deadlineEndStatus('triage', 'WITHDRAW')).toBe('cancelled');
    expect(deadlineEndStatus('informationRequest', 'PROVIDE_INFO')).toBe('met');
    expect(deadlineEndStatus('informationRequest', 'INFORMATION_OVERDUE')).toBe('cancelled');
    expect(deadlineEndStatus('sessionReminder', 'RESCHEDULE')).toBe('cancelled');
    expect(deadlineEndStatus('monitoring', 'CONFIRM_IMPLEMENTED')).toBe('met');
  });
});
