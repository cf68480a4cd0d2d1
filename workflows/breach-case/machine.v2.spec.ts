/**
 * Version 2's new steps, path by path, with their effects and their refusals; and the promise
 * that every version 1 event behaves on version 2 exactly as on version 1.
 */
import type { AnyMachineSnapshot } from 'xstate';
import { getAdjacencyMap } from 'xstate/graph';
import type { BreachCaseEvent } from './events';
import { breachCaseMachineV1 } from './machine.v1';
import { VERSION_2_CONTEXT_DEFAULTS, VERSION_2_EVENT_TYPES } from './machine.v2';
import { planMoveToVersion2 } from './move-to-version-2';
import {
  ALL_SAMPLE_EVENTS,
  AT,
  CASEWORKER_ID,
  CaseDriver,
  INPUT,
  IN_THE_PAST,
  LATE,
  OTHER_CASEWORKER_ID,
  REVIEWABLE_UNTIL,
  ROUTES,
  SESSION_MOVED_TO,
  SESSION_STARTS,
  TRAVERSAL_OPTIONS,
  appointmentRoute,
  ev,
  paymentRoute,
  rejectedRoute,
  resolvedRoute,
  reviewRoute,
  sessionHeldRoute,
} from './spec-fixtures';
import { workflowFor } from './workflow';

const v2 = workflowFor(2);
const newCase = (...events: BreachCaseEvent[]) => {
  const driver = new CaseDriver(v2);
  if (events.length) driver.send(...events);
  return driver;
};
const refusal = (decision: ReturnType<CaseDriver['try']>) =>
  decision.ok ? { ok: true } : { code: decision.code, rule: 'rule' in decision ? decision.rule : undefined, message: 'message' in decision ? decision.message : undefined };

describe('a new case on version 2', () => {
  test('starts as version 1 does, with version 2 fields empty', () => {
    const v1Start = workflowFor(1).start(INPUT);
    const started = v2.start(INPUT);
    expect(started.effects).toEqual(v1Start.effects);
    expect(started.state).toBe('submitted');
    expect(started.context).toEqual({ ...v1Start.context, ...VERSION_2_CONTEXT_DEFAULTS });
  });

  test('CONTACT_RESPONDENT tells the public body as well as the reporter, and starts the same reply clock', () => {
    const c = newCase(ev('ASSIGN'), ev('ACCEPT'));
    expect(c.send(ev('CONTACT_RESPONDENT'))).toMatchObject({
      state: 'advocacy.awaitingResponse',
      effects: [
        { type: 'notify', template: 'respondentContacted', audience: ['reporter', 'respondent'] },
        { type: 'startDeadline', kind: 'respondentReply', workingDays: 20 },
      ],
    });
  });

  test('REJECT remembers who rejected and until when a review can be asked for; without the facts, null', () => {
    const c = newCase(...rejectedRoute());
    expect(c.context.rejection).toEqual({
      reason: 'outOfTime',
      explanation: 'The decision was taken in 2019.',
      duplicateOfReference: null,
      rejectedBy: CASEWORKER_ID,
      reviewableUntil: REVIEWABLE_UNTIL,
    });
    expect(c.last.effects).toEqual([
      { type: 'endDeadline', kind: 'triage', status: 'met' },
      { type: 'notify', template: 'caseRejected', audience: ['reporter', 'assignee'] },
    ]);
    const bare = newCase(ev('ASSIGN'), ev('REJECT', { actorId: undefined, reviewableUntil: undefined }));
    expect(bare.context.rejection).toMatchObject({ rejectedBy: null, reviewableUntil: null });
    // Fails closed: no window, no review.
    expect(refusal(bare.try(ev('REQUEST_REVIEW')))).toMatchObject({ code: 'RULE_VIOLATED', rule: 'withinReviewWindow' });
  });
});

describe('the public body asks for more time (once)', () => {
  test('asking tells the caseworker and changes no clock; granting moves the reply clock by the days granted and tells both sides', () => {
    const c = newCase(...ROUTES.awaitingResponse);
    expect(c.send(ev('REQUEST_EXTENSION'))).toMatchObject({
      state: 'advocacy.awaitingResponse',
      effects: [{ type: 'notify', template: 'extensionRequested', audience: ['assignee'] }],
    });
    expect(c.context.extension).toEqual({
      reason: 'Our cabinet meets on 20 March.',
      workingDaysAsked: 10,
      requestedAt: AT,
      decision: null,
      workingDaysGranted: null,
    });
    const granted = c.send(ev('GRANT_EXTENSION', { workingDays: 7 }));
    expect(granted.state).toBe('advocacy.awaitingResponse');
    expect(granted.effects).toEqual([
      { type: 'extendDeadline', kind: 'respondentReply', workingDays: 7 },
      { type: 'notify', template: 'extensionGranted', audience: ['respondent', 'reporter'] },
    ]);
    expect(c.context.extension).toMatchObject({ decision: 'granted', workingDaysGranted: 7 });
  });

  test('a second request is refused in plain English, granted or refused', () => {
    for (const decision of [ev('GRANT_EXTENSION'), ev('REFUSE_EXTENSION')]) {
      const c = newCase(...ROUTES.awaitingResponse, ev('REQUEST_EXTENSION'), decision);
      expect(refusal(c.try(ev('REQUEST_EXTENSION')))).toEqual({
        code: 'RULE_VIOLATED',
        rule: 'noExtensionYet',
        message: 'You have already asked for more time once.',
      });
    }
    const pending = newCase(...ROUTES.awaitingResponse, ev('REQUEST_EXTENSION'));
    expect(refusal(pending.try(ev('REQUEST_EXTENSION')))).toMatchObject({ rule: 'noExtensionYet' });
  });

  test('granting or refusing without a request is refused; so is deciding twice', () => {
    const c = newCase(...ROUTES.awaitingResponse);
    for (const e of [ev('GRANT_EXTENSION'), ev('REFUSE_EXTENSION')]) {
      expect(refusal(c.try(e))).toMatchObject({ code: 'RULE_VIOLATED', rule: 'extensionPending' });
    }
    c.send(ev('REQUEST_EXTENSION'), ev('REFUSE_EXTENSION'));
    expect(c.last.effects).toEqual([{ type: 'notify', template: 'extensionRefused', audience: ['respondent', 'reporter'] }]);
    expect(c.context.extension?.decision).toBe('refused');
    expect(refusal(c.try(ev('GRANT_EXTENSION')))).toMatchObject({ rule: 'extensionPending' });
  });

  test('a request still pending when the reply falls overdue can be granted: a fresh clock of the days granted', () => {
    const c = newCase(...ROUTES.awaitingResponse, ev('REQUEST_EXTENSION'), ev('RESPONSE_OVERDUE'));
    expect(c.state).toBe('advocacy.responseOverdue');
    expect(c.send(ev('GRANT_EXTENSION', { workingDays: 5 }))).toMatchObject({
      state: 'advocacy.awaitingResponse',
      effects: [
        { type: 'notify', template: 'extensionGranted', audience: ['respondent', 'reporter'] },
        { type: 'startDeadline', kind: 'respondentReply', workingDays: 5 },
      ],
    });
    // CHASE still gives its 10 days.
    const chased = newCase(...ROUTES.awaitingResponse, ev('RESPONSE_OVERDUE'));
    expect(chased.send(ev('CHASE')).effects).toEqual([{ type: 'startDeadline', kind: 'respondentReply', workingDays: 10 }]);
  });

  test('overdue, a pending request may be refused (the case stays overdue); with no request, neither', () => {
    const c = newCase(...ROUTES.awaitingResponse, ev('REQUEST_EXTENSION'), ev('RESPONSE_OVERDUE'));
    expect(c.send(ev('REFUSE_EXTENSION')).state).toBe('advocacy.responseOverdue');
    const none = newCase(...ROUTES.awaitingResponse, ev('RESPONSE_OVERDUE'));
    expect(refusal(none.try(ev('GRANT_EXTENSION')))).toMatchObject({ rule: 'extensionPending' });
  });

  test('asking for more time is possible only while the reply is awaited', () => {
    for (const route of [ROUTES.preparing, ROUTES.advocacyReviewing, [...ROUTES.awaitingResponse, ev('RESPONSE_OVERDUE')]]) {
      expect(refusal(newCase(...route).try(ev('REQUEST_EXTENSION')))).toMatchObject({ code: 'EVENT_NOT_ALLOWED_IN_STATE' });
    }
  });

  test('a new request to reply (after a reopening) gives a new chance to ask', () => {
    const c = newCase(...ROUTES.awaitingResponse, ev('REQUEST_EXTENSION'), ev('GRANT_EXTENSION'), ev('RECORD_RESPONSE'));
    c.send(ev('CLOSE_UNRESOLVED'), ev('REOPEN'), ev('ACCEPT'), ev('CONTACT_RESPONDENT'));
    expect(c.context.extension).toBeNull();
    expect(c.send(ev('REQUEST_EXTENSION')).state).toBe('advocacy.awaitingResponse');
  });
});

describe('the reply', () => {
  test('a reply (online or recorded for the public body) meets the reply clock and tells the reporter and the caseworker', () => {
    for (const route of [ROUTES.awaitingResponse, [...ROUTES.awaitingResponse, ev('RESPONSE_OVERDUE')]]) {
      const effects = newCase(...route).send(ev('RECORD_RESPONSE')).effects;
      expect(effects).toContainEqual({ type: 'notify', template: 'responseRecorded', audience: ['reporter', 'assignee'] });
    }
    expect(newCase(...ROUTES.awaitingResponse).send(ev('RESPONSE_OVERDUE')).effects).toContainEqual({
      type: 'notify',
      template: 'responseOverdue',
      audience: ['reporter', 'assignee', 'respondent'],
    });
    expect(newCase(...ROUTES.awaitingResponse).send(ev('RECORD_RESPONSE')).effects).toContainEqual({
      type: 'endDeadline',
      kind: 'respondentReply',
      status: 'met',
    });
  });
});

describe('the fee: each side says it has paid', () => {
  test('REPORT_FEE_PAID records when the party said so and tells staff; it changes no state or clock', () => {
    const c = newCase(...paymentRoute());
    expect(c.send(ev('REPORT_FEE_PAID', { party: 'respondent' }))).toMatchObject({
      state: 'mediation.payment',
      effects: [{ type: 'notify', template: 'feePaymentReported', audience: ['assignee'] }],
    });
    expect(c.context.feePaidReported).toEqual({ reporter: null, respondent: AT });
    // An administrator still records the payment, as on version 1.
    c.send(ev('RECORD_PAYMENT', { party: 'reporter', amountPence: 30_000 }), ev('RECORD_PAYMENT', { party: 'respondent', amountPence: 70_000 }));
    expect(c.state).toBe('mediation.appointment');
  });

  test("a party whose share is recorded as paid cannot say so again; nor before the fee is agreed", () => {
    const c = newCase(...paymentRoute(), ev('RECORD_PAYMENT', { party: 'reporter', amountPence: 30_000 }));
    expect(refusal(c.try(ev('REPORT_FEE_PAID', { party: 'reporter' })))).toEqual({
      code: 'RULE_VIOLATED',
      rule: 'feeShareOutstanding',
      message: "That party's share of the fee is already recorded as paid in full.",
    });
    expect(c.send(ev('REPORT_FEE_PAID', { party: 'respondent' })).state).toBe('mediation.payment');
    expect(refusal(newCase(...ROUTES.feeQuoting, ev('QUOTE_FEE')).try(ev('REPORT_FEE_PAID')))).toMatchObject({
      code: 'EVENT_NOT_ALLOWED_IN_STATE',
    });
  });

  test('a new referral to mediation starts with nothing reported', () => {
    const c = newCase(...paymentRoute(), ev('REPORT_FEE_PAID'), ev('FEE_AGREEMENT_OVERDUE'), ev('REFER_TO_MEDIATION'));
    expect(c.context.feePaidReported).toEqual({ reporter: null, respondent: null });
  });
});

describe('session times offered to the mediator', () => {
  test('before a mediator is appointed, the caseworker is told; after, the mediator too', () => {
    const c = newCase(...appointmentRoute());
    expect(c.send(ev('PROPOSE_SESSION_TIMES'))).toMatchObject({
      state: 'mediation.appointment',
      effects: [{ type: 'notify', template: 'sessionTimesProposed', audience: ['assignee'] }],
    });
    c.send(ev('APPOINT_MEDIATOR'));
    expect(c.send(ev('PROPOSE_SESSION_TIMES', { party: 'reporter', times: [SESSION_MOVED_TO] }))).toMatchObject({
      state: 'mediation.scheduling',
      effects: [{ type: 'notify', template: 'sessionTimesProposed', audience: ['mediator', 'assignee'] }],
    });
    expect(c.context.sessionProposals).toEqual([
      { party: 'respondent', times: [SESSION_STARTS, SESSION_MOVED_TO], at: AT },
      { party: 'reporter', times: [SESSION_MOVED_TO], at: AT },
    ]);
    // The mediator picks one with SCHEDULE_SESSION, as before.
    expect(c.send(ev('SCHEDULE_SESSION', { startsAt: SESSION_MOVED_TO })).state).toBe('mediation.sessionScheduled');
  });

  test('after a session, for the next one; a party the service did not name is kept as unknown', () => {
    const c = newCase(...sessionHeldRoute());
    c.send(ev('PROPOSE_SESSION_TIMES', { party: undefined }));
    expect(c.state).toBe('mediation.sessionHeld');
    expect(c.context.sessionProposals?.[0].party).toBeNull();
  });

  test('a time in the past is refused, naming the field; not while a session is booked', () => {
    const c = newCase(...appointmentRoute());
    const refused = c.try(ev('PROPOSE_SESSION_TIMES', { times: [SESSION_STARTS, IN_THE_PAST] }));
    expect(refusal(refused)).toEqual({
      code: 'RULE_VIOLATED',
      rule: 'proposedTimesNotInPast',
      message: 'Every time you propose for the session must be in the future.',
    });
    const booked = newCase(...appointmentRoute(), ev('APPOINT_MEDIATOR'), ev('SCHEDULE_SESSION'));
    expect(refusal(booked.try(ev('PROPOSE_SESSION_TIMES')))).toMatchObject({ code: 'EVENT_NOT_ALLOWED_IN_STATE' });
  });
});

describe('the public body reports the agreed actions done', () => {
  test('recorded and the caseworker told; the caseworker then confirms or not, as before', () => {
    const c = newCase(...resolvedRoute());
    expect(c.send(ev('REPORT_ACTIONS_DONE'))).toMatchObject({
      state: 'resolved',
      effects: [{ type: 'notify', template: 'actionsReportedDone', audience: ['assignee'] }],
    });
    expect(c.context.actionsReportedDone).toEqual({ summary: 'The 12-week consultation opened on 1 April.', at: AT });
    expect(c.send(ev('CONFIRM_IMPLEMENTED'))).toMatchObject({ state: 'closed', context: { outcome: 'resolved' } });
    const notDone = newCase(...resolvedRoute(), ev('REPORT_ACTIONS_DONE'));
    expect(notDone.send(ev('REPORT_NOT_IMPLEMENTED')).state).toBe('advocacy.reviewing');
  });
});

describe('a review of a rejection', () => {
  test('asked within the window: the case goes to review and every caseworker is told', () => {
    const c = newCase(...rejectedRoute());
    const asked = c.send(ev('REQUEST_REVIEW'));
    expect(asked).toMatchObject({ state: 'review', stage: 'review' });
    expect(asked.effects).toEqual([{ type: 'notify', template: 'reviewRequested', audience: ['caseworkers'] }]);
    expect(c.context.review).toEqual({ reason: 'The decision was announced in 2026, not 2019.', requestedAt: AT });
    // The window's last moment still counts; a moment later does not.
    expect(newCase(...rejectedRoute()).try(ev('REQUEST_REVIEW', { at: REVIEWABLE_UNTIL })).ok).toBe(true);
    const late = newCase(...rejectedRoute()).try(ev('REQUEST_REVIEW', { at: '2026-04-09T23:00:00.000Z' }));
    expect(refusal(late)).toEqual({
      code: 'RULE_VIOLATED',
      rule: 'withinReviewWindow',
      message: 'A review can be asked for within 20 working days of the rejection.',
    });
    expect(refusal(newCase(...rejectedRoute()).try(ev('REQUEST_REVIEW', { at: LATE })))).toMatchObject({ rule: 'withinReviewWindow' });
  });

  test('only a rejection can be reviewed', () => {
    for (const route of [[ev('WITHDRAW')], [...ROUTES.advocacyReviewing, ev('CLOSE_UNRESOLVED')], [...resolvedRoute(), ev('CONFIRM_IMPLEMENTED')]]) {
      expect(refusal(newCase(...route).try(ev('REQUEST_REVIEW')))).toMatchObject({ code: 'RULE_VIOLATED', rule: 'rejectionOpenToReview' });
    }
    expect(refusal(newCase(...ROUTES.triage).try(ev('REQUEST_REVIEW')))).toMatchObject({ code: 'EVENT_NOT_ALLOWED_IN_STATE' });
  });

  test('upheld by another caseworker: closed again as rejected, the reporter told once, and no second review', () => {
    const c = newCase(...reviewRoute());
    const upheld = c.send(ev('UPHOLD_REJECTION', { actorId: OTHER_CASEWORKER_ID }));
    expect(upheld).toMatchObject({ state: 'closed', context: { outcome: 'rejected', closedAt: AT } });
    expect(upheld.effects).toEqual([{ type: 'notify', template: 'rejectionUpheld', audience: ['reporter', 'assignee'] }]);
    expect(refusal(c.try(ev('REQUEST_REVIEW')))).toEqual({
      code: 'RULE_VIOLATED',
      rule: 'rejectionOpenToReview',
      message: 'Only a rejected report can be reviewed, and only once for each rejection.',
    });
    // REOPEN (90 days) still works.
    expect(c.send(ev('REOPEN')).state).toBe('triage.reviewing');
  });

  test('reopened by another caseworker: back to triage with a fresh triage clock, as REOPEN does', () => {
    const c = newCase(...reviewRoute());
    const reopened = c.send(ev('REOPEN_AFTER_REVIEW'));
    expect(reopened).toMatchObject({ state: 'triage.reviewing', context: { outcome: null, closedAt: null, rejection: null, timesReopened: 1 } });
    expect(reopened.effects).toEqual([
      { type: 'startDeadline', kind: 'triage', workingDays: 5 },
      { type: 'notify', template: 'reopenedAfterReview', audience: ['reporter', 'assignee'] },
    ]);
    // A new rejection is a new decision, open to its own review.
    c.send(ev('REJECT'));
    expect(c.context.review).toBeNull();
    expect(c.send(ev('REQUEST_REVIEW')).state).toBe('review');
  });

  test('the caseworker who rejected may not decide the review, nor anyone the service did not name', () => {
    for (const type of ['UPHOLD_REJECTION', 'REOPEN_AFTER_REVIEW'] as const) {
      const c = newCase(...reviewRoute());
      expect(refusal(c.try(ev(type, { actorId: CASEWORKER_ID })))).toEqual({
        code: 'RULE_VIOLATED',
        rule: 'reviewerIsNotRejecter',
        message: 'A different caseworker must decide the review.',
      });
      expect(refusal(c.try(ev(type, { actorId: undefined as never })))).toMatchObject({ rule: 'reviewerIsNotRejecter' });
    }
  });

  test('in review nothing else happens: no withdrawal, no reopening, no version 1 step', () => {
    const c = newCase(...reviewRoute());
    expect(v2.enabledEvents(c.snapshot, AT)).toEqual(['UPHOLD_REJECTION', 'REOPEN_AFTER_REVIEW']);
    for (const type of ['WITHDRAW', 'REOPEN', 'ASSIGN', 'ACCEPT'] as const) {
      expect(refusal(c.try(ev(type)))).toMatchObject({ code: 'EVENT_NOT_ALLOWED_IN_STATE' });
    }
  });
});

describe('every version 1 event behaves on version 2 as on version 1', () => {
  const v1 = workflowFor(1);
  const reachable = Object.values(getAdjacencyMap(breachCaseMachineV1, TRAVERSAL_OPTIONS)).map(
    (v) => breachCaseMachineV1.getPersistedSnapshot(v.state as AnyMachineSnapshot) as unknown as { value: unknown },
  );
  const v1Events = ALL_SAMPLE_EVENTS.filter((e) => !VERSION_2_EVENT_TYPES.includes(e.type));
  /**
   * The changes the design makes: the contact e-mail and the overdue reply also tell the public
   * body; a reply also tells the caseworker (the public body now replies itself); REJECT remembers more.
   */
  const TOLD_ONLY_ON_VERSION_2: Record<string, readonly string[]> = {
    respondentContacted: ['respondent'],
    responseOverdue: ['respondent'],
    responseRecorded: ['assignee', 'caseworkers'],
  };
  const asOnVersion1 = (_event: BreachCaseEvent, effects: unknown[]) =>
    effects.map((e) => {
      const { template, audience } = e as { template?: string; audience?: string[] };
      const added = TOLD_ONLY_ON_VERSION_2[template ?? ''];
      return added && audience ? { ...(e as object), audience: audience.filter((a) => !added.includes(a)) } : e;
    });

  test('there are version 1 states to check', () => {
    expect(reachable.length).toBeGreaterThanOrEqual(24);
  });

  test.each(reachable.map((s) => [JSON.stringify(s.value), s] as const))('from %s', (_name, snapshot) => {
    const plan = planMoveToVersion2(snapshot);
    if (!plan.movable) throw new Error(plan.reason);
    for (const event of v1Events) {
      const before = v1.decide(snapshot, event);
      const after = v2.decide(plan.snapshot, event);
      expect({ event: event.type, ok: after.ok }).toEqual({ event: event.type, ok: before.ok });
      if (before.ok && after.ok) {
        expect({ event: event.type, state: after.state, effects: asOnVersion1(event, after.effects) }).toEqual({
          event: event.type,
          state: before.state,
          effects: before.effects,
        });
        // What version 1 knows is the same; version 2 only adds.
        const { rejection: r1, ...ctx1 } = before.context;
        const { rejection: r2, ...ctx2 } = after.context;
        expect(ctx2).toMatchObject(ctx1);
        if (r1) expect(r2).toMatchObject(r1);
      } else if (!before.ok && !after.ok) {
        expect(after.code).toBe(before.code);
        if (before.code === 'RULE_VIOLATED' && after.code === 'RULE_VIOLATED') expect(after.rule).toBe(before.rule);
        // Version 2 may offer more (its new events), never less.
        expect(after.allowed).toEqual(expect.arrayContaining(before.allowed));
      }
    }
  });
});
