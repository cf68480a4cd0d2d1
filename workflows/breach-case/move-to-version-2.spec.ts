/**
 * Moving a running case to version 2, from every version 1 state (taken from version 1's own
 * graph, not a hand-written list), and the inputs that cannot move.
 */
import type { AnyMachineSnapshot } from 'xstate';
import { getAdjacencyMap } from 'xstate/graph';
import { breachCaseMachineV1 } from './machine.v1';
import { VERSION_2_CONTEXT_DEFAULTS, breachCaseMachineV2 } from './machine.v2';
import { leafStates, planMove, planMoveToVersion2 } from './move-to-version-2';
import { AT, CaseDriver, TRAVERSAL_OPTIONS, ev, paymentRoute, rejectedRoute } from './spec-fixtures';
import { createWorkflow, workflowFor } from './workflow';

const v1 = workflowFor(1);
const v2 = workflowFor(2);
const leafPath = (value: unknown): string =>
  typeof value === 'string' ? value : Object.entries(value as object).map(([k, v]) => `${k}.${leafPath(v)}`)[0];

const vertices = Object.values(getAdjacencyMap(breachCaseMachineV1, TRAVERSAL_OPTIONS)).map((v) => v.state as AnyMachineSnapshot);
const fromEveryState = vertices.map((s) => [leafPath(s.value), JSON.parse(JSON.stringify(breachCaseMachineV1.getPersistedSnapshot(s))) as unknown] as const);

describe('planMoveToVersion2 from every version 1 state', () => {
  test('the graph has every version 1 state in it', () => {
    const reached = new Set(fromEveryState.map(([state]) => state));
    expect([...leafStates(breachCaseMachineV1)].filter((s) => !reached.has(s))).toEqual([]);
    expect(reached.size).toBe(18);
  });

  test.each(fromEveryState)('%s moves to the same state, keeping its context', (state, snapshot) => {
    const before = JSON.stringify(snapshot);
    const plan = planMoveToVersion2(snapshot);
    expect(plan).toMatchObject({ movable: true, state });
    if (!plan.movable) return;
    // The input is left as it was (the service may still need it).
    expect(JSON.stringify(snapshot)).toBe(before);
    const view = v2.view(plan.snapshot);
    expect(view.state).toBe(state);
    const oldContext = v1.view(snapshot).context;
    const { rejection, ...rest } = oldContext;
    expect(view.context).toMatchObject(rest);
    expect(view.context).toMatchObject(VERSION_2_CONTEXT_DEFAULTS);
    expect(view.context.rejection).toEqual(rejection ? { ...rejection, rejectedBy: null, reviewableUntil: null } : null);
    // The moved snapshot is a version 2 case like any other: it survives JSON and decides events.
    expect(v2.enabledEvents(JSON.parse(JSON.stringify(plan.snapshot)), AT)).toEqual(expect.arrayContaining(v1.enabledEvents(snapshot, AT)));
  });

  test('a moved case carries on with version 2 steps: the public body may ask for more time', () => {
    const c = new CaseDriver(v1);
    c.send(ev('ASSIGN'), ev('ACCEPT'), ev('CONTACT_RESPONDENT'));
    const plan = planMoveToVersion2(c.snapshot);
    if (!plan.movable) throw new Error(plan.reason);
    expect(v2.decide(plan.snapshot, ev('REQUEST_EXTENSION'))).toMatchObject({ ok: true, state: 'advocacy.awaitingResponse' });
  });

  test('the fee keeps its progress across the move', () => {
    const c = new CaseDriver(v1);
    c.send(...paymentRoute(), ev('RECORD_PAYMENT', { party: 'reporter', amountPence: 30_000 }));
    const plan = planMoveToVersion2(c.snapshot);
    if (!plan.movable) throw new Error(plan.reason);
    expect(v2.view(plan.snapshot).context.fee).toEqual(c.context.fee);
    expect(v2.decide(plan.snapshot, ev('RECORD_PAYMENT', { party: 'respondent', amountPence: 70_000 }))).toMatchObject({
      ok: true,
      state: 'mediation.appointment',
    });
  });

  test('a rejection made on version 1 has no review window, so it cannot be reviewed after the move; REOPEN still works', () => {
    const c = new CaseDriver(v1);
    c.send(...rejectedRoute());
    const plan = planMoveToVersion2(c.snapshot);
    if (!plan.movable) throw new Error(plan.reason);
    expect(v2.decide(plan.snapshot, ev('REQUEST_REVIEW'))).toMatchObject({ ok: false, rule: 'withinReviewWindow' });
    expect(v2.decide(plan.snapshot, ev('REOPEN'))).toMatchObject({ ok: true, state: 'triage.reviewing' });
  });
});

describe('what cannot move', () => {
  test.each([
    ['nothing', null],
    ['a string', 'advocacy.preparing'],
    ['an empty object', {}],
    ['a snapshot without a context', { value: 'submitted' }],
    ['a state version 1 does not have', { value: 'nowhere', context: {} }],
    ['version 2 review, which version 1 does not have', { value: 'review', context: {} }],
    ['a finished machine', { status: 'done', value: 'closed', context: {} }],
  ])('%s', (_name, input) => {
    const plan = planMoveToVersion2(input);
    expect(plan).toEqual({ movable: false, reason: "The case's saved state could not be read as version 1 of the process, so it stays where it is." });
  });

  test('a state the new version lacks stays on its version, with a reason in plain English', () => {
    // Version 2 has every version 1 state, so a target without advocacy's first step stands in for a later version.
    const lacking = new Set([...leafStates(breachCaseMachineV2)].filter((s) => s !== 'advocacy.preparing'));
    const c = new CaseDriver(v1);
    c.send(ev('ASSIGN'), ev('ACCEPT'));
    const plan = planMove(c.snapshot, v1, { workflow: createWorkflow(3, breachCaseMachineV2), states: lacking }, (ctx) => ctx);
    expect(plan).toEqual({
      movable: false,
      reason: 'The new version of the process has no step that matches where this case is now, so it stays on its version.',
    });
    // The same case moves to version 2 itself.
    expect(planMoveToVersion2(c.snapshot)).toMatchObject({ movable: true, state: 'advocacy.preparing' });
  });

  test('a snapshot the target cannot read after the move stays on its version', () => {
    const c = new CaseDriver(v1);
    c.send(ev('ASSIGN'));
    const plan = planMove(c.snapshot, v1, { workflow: v2, states: leafStates(breachCaseMachineV2) }, () => null as never);
    expect(plan).toMatchObject({ movable: false, reason: expect.stringContaining('could not be read by the new version') });
  });
});
