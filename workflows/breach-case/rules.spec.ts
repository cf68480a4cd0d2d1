/**
 * Each guard both ways: allowed, and refused with RULE_VIOLATED naming the rule. Also the
 * difference between an event the state does not know and one a rule refuses.
 */
import type { BreachCaseContext } from './context';
import type { BreachCaseEvent } from './events';
import { breachCaseMachineV1 } from './machine.v1';
import { breachCaseMachineV2 } from './machine.v2';
import * as rules from './rules';
import { RULES, REOPEN_WINDOW_DAYS } from './rules';
import {
  AT,
  CaseDriver,
  REPORTING_ORG,
  RESPONDENT_ORG,
  ROUTES,
  appointmentRoute,
  ev,
  feeAgreementRoute,
  paymentRoute,
  sessionScheduledRoute,
} from './spec-fixtures';
import { workflowFor, type Decision } from './workflow';

const workflow = workflowFor(1);
const newCase = (...events: BreachCaseEvent[]) => {
  const driver = new CaseDriver(workflow);
  if (events.length) driver.send(...events);
  return driver;
};

function expectViolation(decision: Decision, rule: rules.RuleName) {
  expect(decision).toMatchObject({ ok: false, code: 'RULE_VIOLATED', rule, message: RULES[rule].message });
}

/** A persisted snapshot edited the way a faulty migration or a hand fix might leave it. */
function withContext(snapshot: unknown, patch: Partial<BreachCaseContext>): unknown {
  const copy = JSON.parse(JSON.stringify(snapshot)) as { context: BreachCaseContext };
  copy.context = { ...copy.context, ...patch };
  return copy;
}

describe('feePartyHasNotAgreed', () => {
  test('each party may agree once', () => {
    const c = newCase(...feeAgreementRoute());
    expect(c.send(ev('AGREE_FEE', { party: 'reporter' })).ok).toBe(true);
    const again = c.try(ev('AGREE_FEE', { party: 'reporter' }));
    expectViolation(again, 'feePartyHasNotAgreed');
    expect(again.ok === false && again.allowed).toEqual(
      expect.arrayContaining(['AGREE_FEE', 'DECLINE_FEE', 'QUOTE_FEE', 'WAIVE_FEE', 'FEE_AGREEMENT_OVERDUE']),
    );
    expect(c.send(ev('AGREE_FEE', { party: 'respondent' })).state).toBe('mediation.payment');
  });

  test('as a function', () => {
    const base = newCase(...feeAgreementRoute()).context;
    expect(rules.feePartyHasNotAgreed(base, 'reporter')).toBe(true);
    expect(rules.feePartyHasNotAgreed({ ...base, fee: { ...base.fee!, agreed: { reporter: true, respondent: false } } }, 'reporter')).toBe(false);
    expect(rules.feePartyHasNotAgreed({ ...base, fee: null }, 'reporter')).toBe(false);
  });
});

describe('paymentWithinOutstandingShare', () => {
  test('a party may pay up to its outstanding share, and no more', () => {
    const c = newCase(...paymentRoute());
    expectViolation(c.try(ev('RECORD_PAYMENT', { party: 'reporter', amountPence: 30_001 })), 'paymentWithinOutstandingShare');
    expect(c.send(ev('RECORD_PAYMENT', { party: 'reporter', amountPence: 20_000 })).state).toBe('mediation.payment');
    expectViolation(c.try(ev('RECORD_PAYMENT', { party: 'reporter', amountPence: 10_001 })), 'paymentWithinOutstandingShare');
    expect(c.send(ev('RECORD_PAYMENT', { party: 'reporter', amountPence: 10_000 })).ok).toBe(true);
    expectViolation(c.try(ev('RECORD_PAYMENT', { party: 'reporter', amountPence: 1 })), 'paymentWithinOutstandingShare');
    expect(c.context.fee?.paidPence).toEqual({ reporter: 30_000, respondent: 0 });
  });

  test('a party with no share cannot pay anything', () => {
    const c = newCase(
      ...ROUTES.feeQuoting,
      ev('QUOTE_FEE', { amountPence: 50_000, reporterSharePercent: 0 }),
      ev('AGREE_FEE', { party: 'reporter' }),
      ev('AGREE_FEE', { party: 'respondent' }),
    );
    expectViolation(c.try(ev('RECORD_PAYMENT', { party: 'reporter', amountPence: 1 })), 'paymentWithinOutstandingShare');
    expect(c.send(ev('RECORD_PAYMENT', { party: 'respondent', amountPence: 50_000 })).state).toBe('mediation.appointment');
  });
});

describe('feeSettled', () => {
  test('appointment needs the fee agreed by both and paid in full, or waived', () => {
    const paid = newCase(...appointmentRoute());
    expect(workflow.decide(paid.snapshot, ev('APPOINT_MEDIATOR')).ok).toBe(true);

    const waived = newCase(...ROUTES.feeQuoting, ev('WAIVE_FEE'));
    expect(workflow.decide(waived.snapshot, ev('APPOINT_MEDIATOR')).ok).toBe(true);

    // No path through the machine reaches appointment unsettled, so break a snapshot by hand.
    const fee = paid.context.fee!;
    const unpaid = withContext(paid.snapshot, { fee: { ...fee, paidPence: { reporter: 30_000, respondent: 0 } } });
    expectViolation(workflow.decide(unpaid, ev('APPOINT_MEDIATOR')), 'feeSettled');
    const unagreed = withContext(paid.snapshot, { fee: { ...fee, agreed: { reporter: true, respondent: false } } });
    expectViolation(workflow.decide(unagreed, ev('APPOINT_MEDIATOR')), 'feeSettled');
    expectViolation(workflow.decide(withContext(paid.snapshot, { fee: null }), ev('APPOINT_MEDIATOR')), 'feeSettled');
  });

  test('it does not read the payload, so an unsettled case does not offer APPOINT_MEDIATOR at all', () => {
    const paid = newCase(...appointmentRoute());
    expect(workflow.enabledEvents(paid.snapshot, AT)).toContain('APPOINT_MEDIATOR');
    const unpaid = withContext(paid.snapshot, { fee: { ...paid.context.fee!, paidPence: { reporter: 0, respondent: 0 } } });
    expect(workflow.enabledEvents(unpaid, AT)).not.toContain('APPOINT_MEDIATOR');
  });

  test('when both rules fail, the first (feeSettled) is named', () => {
    const paid = newCase(...appointmentRoute());
    const unpaid = withContext(paid.snapshot, { fee: null });
    expectViolation(workflow.decide(unpaid, ev('APPOINT_MEDIATOR', { mediatorTies: [REPORTING_ORG] })), 'feeSettled');
  });
});

describe('mediatorIsIndependent', () => {
  test.each([
    ['tied to the reporting organisation', false, [REPORTING_ORG]],
    ['tied to the respondent', false, ['a0000000-0000-4000-8000-0000000000aa', RESPONDENT_ORG]],
    ['tied to unrelated organisations', true, ['a0000000-0000-4000-8000-0000000000aa']],
    ['tied to nobody', true, []],
  ] as const)('a mediator %s: allowed %s', (_label, allowed, mediatorTies) => {
    const decision = newCase(...appointmentRoute()).try(ev('APPOINT_MEDIATOR', { mediatorTies: [...mediatorTies] }));
    if (allowed) expect(decision).toMatchObject({ ok: true, state: 'mediation.scheduling' });
    else expectViolation(decision, 'mediatorIsIndependent');
  });

  test('an event without the ties looked up is refused (fails closed)', () => {
    const { mediatorTies: _dropped, ...unenriched } = ev('APPOINT_MEDIATOR');
    expectViolation(newCase(...appointmentRoute()).try(unenriched as BreachCaseEvent), 'mediatorIsIndependent');
  });
});

describe('withinReopenWindow', () => {
  const DAY = 24 * 60 * 60 * 1000;
  const plus = (ms: number) => new Date(Date.parse(AT) + ms).toISOString();

  test(`a closed case can be reopened up to ${REOPEN_WINDOW_DAYS} days after closing, not a moment later`, () => {
    const closed = newCase(ev('ASSIGN'), ev('REJECT'));
    expect(closed.context.closedAt).toBe(AT);
    expect(closed.try(ev('REOPEN', { at: plus(90 * DAY) }))).toMatchObject({ ok: true, state: 'triage.reviewing' });
    const late = closed.try(ev('REOPEN', { at: plus(90 * DAY + 1) }));
    expectViolation(late, 'withinReopenWindow');
    // Nothing else can be done on a closed case, so after the window nothing is offered.
    expect(late.ok === false && late.allowed).toEqual([]);
  });

  test('enabledEvents applies it at the time asked about', () => {
    const closed = newCase(ev('WITHDRAW'));
    expect(workflow.enabledEvents(closed.snapshot, plus(89 * DAY))).toEqual(['REOPEN']);
    expect(workflow.enabledEvents(closed.snapshot, plus(91 * DAY))).toEqual([]);
  });

  test('the window counts from the latest closure', () => {
    const c = newCase(ev('WITHDRAW'), ev('REOPEN', { at: plus(80 * DAY) }), ev('WITHDRAW', { at: plus(85 * DAY) }));
    expect(c.context.closedAt).toBe(plus(85 * DAY));
    expect(c.try(ev('REOPEN', { at: plus(170 * DAY) })).ok).toBe(true);
    expectViolation(c.try(ev('REOPEN', { at: plus(176 * DAY) })), 'withinReopenWindow');
  });
});

describe('unknown event for the state versus a refused one', () => {
  test('an event with no transition from the state is EVENT_NOT_ALLOWED_IN_STATE with what is allowed', () => {
    const c = newCase();
    expect(c.try(ev('ACCEPT'))).toEqual({ ok: false, code: 'EVENT_NOT_ALLOWED_IN_STATE', allowed: ['ASSIGN', 'WITHDRAW'] });
  });

  test('a system event that arrives after the case moved on is not allowed (a stale timer)', () => {
    const c = newCase(...ROUTES.awaitingInformation, ev('PROVIDE_INFO'));
    expect(c.try(ev('INFORMATION_OVERDUE'))).toMatchObject({ ok: false, code: 'EVENT_NOT_ALLOWED_IN_STATE' });
    const responded = newCase(...ROUTES.advocacyReviewing);
    expect(responded.try(ev('RESPONSE_OVERDUE'))).toMatchObject({ ok: false, code: 'EVENT_NOT_ALLOWED_IN_STATE' });
  });

  test('enabledEvents lists system events too, in a stable order', () => {
    expect(workflow.enabledEvents(newCase(...ROUTES.awaitingInformation).snapshot, AT)).toEqual([
      'ASSIGN',
      'PROVIDE_INFO',
      'ACCEPT',
      'REJECT',
      'WITHDRAW',
      'INFORMATION_OVERDUE',
    ]);
    expect(workflow.enabledEvents(newCase(...paymentRoute()).snapshot, AT)).toEqual([
      'ASSIGN',
      'WAIVE_FEE',
      'RECORD_PAYMENT',
      'WITHDRAW',
      'FEE_AGREEMENT_OVERDUE',
    ]);
  });

  test('when only branch conditions fail (a payload the API schema would refuse), the first one is named', () => {
    const c = newCase(...sessionScheduledRoute(), ev('RECORD_SESSION_HELD'));
    const noNext = { type: 'RECORD_OUTCOME', result: 'notSettled', summary: 'No agreement.', at: AT } as BreachCaseEvent;
    expectViolation(c.try(noNext), 'mediationSettled');
  });
});

describe('misuse by the caller is an error, not a decision', () => {
  test('an event without a valid `at` throws', () => {
    const c = newCase();
    expect(() => workflow.decide(c.snapshot, { type: 'ASSIGN', caseworkerId: 'x' } as unknown as BreachCaseEvent)).toThrow(/at/);
    expect(() => workflow.decide(c.snapshot, ev('ASSIGN', { at: 'yesterday' }))).toThrow(/ISO 8601/);
  });

  test('a snapshot that is not a persisted case throws', () => {
    expect(() => workflow.view(null)).toThrow(TypeError);
    expect(() => workflow.view({ value: 'submitted' })).toThrow(TypeError);
    expect(() => workflow.view({ status: 'done', value: 'submitted', context: {} })).toThrow(TypeError);
    expect(() => workflow.view({ value: { advocacy: 'nowhere' }, context: {} })).toThrow();
  });
});

describe('the rules as plain functions', () => {
  const context = newCase(...appointmentRoute()).context;

  test('every rule has a message a person can act on', () => {
    for (const [name, rule] of Object.entries(RULES)) {
      expect({ name, ok: rule.message.length > 20 && rule.message.endsWith('.') }).toEqual({ name, ok: true });
    }
  });

  test('feeSettled', () => {
    expect(rules.feeSettled(context)).toBe(true);
    expect(rules.feeSettled({ ...context, fee: null })).toBe(false);
    expect(rules.feeSettled({ ...context, fee: { ...context.fee!, paidPence: { reporter: 0, respondent: 0 }, waived: true } })).toBe(true);
    expect(rules.feeSettled({ ...context, fee: { ...context.fee!, paidPence: { reporter: 29_999, respondent: 70_001 } } })).toBe(false);
  });

  test('paymentCompletesFee and outstandingShare', () => {
    const fee = { ...context.fee!, paidPence: { reporter: 30_000, respondent: 10_000 } };
    expect(rules.outstandingShare(fee, 'respondent')).toBe(60_000);
    expect(rules.outstandingShare(fee, 'reporter')).toBe(0);
    expect(rules.paymentCompletesFee({ ...context, fee }, 'respondent', 60_000)).toBe(true);
    expect(rules.paymentCompletesFee({ ...context, fee }, 'respondent', 59_999)).toBe(false);
  });

  test('mediation outcome branches are exclusive and cover every valid outcome', () => {
    const cases = [
      ['settled', undefined],
      ['partiallySettled', undefined],
      ['notSettled', 'close'],
      ['notSettled', 'returnToAdvocacy'],
    ] as const;
    for (const [result, next] of cases) {
      const matches = [
        rules.mediationSettled(result),
        rules.mediationFailedAndClose(result, next),
        rules.mediationFailedAndReturn(result, next),
      ].filter(Boolean);
      expect(matches).toHaveLength(1);
    }
  });

  test('the machines use the rules under their own names: the latest every rule, version 1 its own', () => {
    for (const name of Object.keys(RULES)) {
      expect(breachCaseMachineV2.implementations.guards).toHaveProperty(name);
    }
    expect(Object.keys(breachCaseMachineV1.implementations.guards).filter((name) => !(name in RULES))).toEqual([]);
  });
});
