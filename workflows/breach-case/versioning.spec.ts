/**
 * Versioning: a case keeps the machine version it started on. Versions 1 and 2 side by side: a
 * version 1 case keeps running on version 1, new cases start on version 2. And a hypothetical
 * version that renames advocacy's first step ('preparing' becomes 'drafting') shows why the
 * version must be kept: a snapshot means nothing to a version without its state.
 */
import { createMachine, type AnyStateMachine } from 'xstate';
import { breachCaseMachineV1 } from './machine.v1';
import { AT, CaseDriver, INPUT, ROUTES, ev, rejectedRoute, reviewRoute } from './spec-fixtures';
import { LATEST_BREACH_CASE_VERSION, createWorkflowRegistry, workflowFor } from './workflow';

/** Version 2, derived from v1's own config and implementations so everything else is identical. */
function buildV2(): AnyStateMachine {
  // The config is typed for v1's exact shape; a derived version is deliberately a different shape.
  const config = breachCaseMachineV1.config as unknown as {
    states: Record<string, { initial?: string; states?: Record<string, unknown> }>;
  };
  const { preparing, ...restOfAdvocacy } = config.states.advocacy.states!;
  return createMachine(
    {
      ...(config as object),
      states: {
        ...config.states,
        advocacy: { ...config.states.advocacy, initial: 'drafting', states: { drafting: preparing, ...restOfAdvocacy } },
      },
    } as never,
    breachCaseMachineV1.implementations as never,
  );
}

describe('the default registry', () => {
  test('version 2 is the latest; version 1 is still there for the cases on it', () => {
    expect(LATEST_BREACH_CASE_VERSION).toBe(2);
    expect(workflowFor(1).version).toBe(1);
    expect(workflowFor(2).version).toBe(2);
  });

  test('unknown versions throw', () => {
    expect(() => workflowFor(3)).toThrow(/Unknown breach case machine version 3; known versions: 1, 2/);
    expect(() => workflowFor(0)).toThrow(/Unknown/);
  });

  test('a registry needs at least one machine and positive integer versions', () => {
    expect(() => createWorkflowRegistry({})).toThrow(/at least one/);
    expect(() => createWorkflowRegistry({ 0: breachCaseMachineV1 })).toThrow(/positive integers/);
  });
});

describe('versions 1 and 2 side by side', () => {
  test('a version 1 case keeps running on version 1, with version 1 effects and without version 2 steps', () => {
    const oldCase = new CaseDriver(workflowFor(1));
    oldCase.send(...ROUTES.preparing);
    const stored = { machineVersion: 1, snapshot: JSON.parse(JSON.stringify(oldCase.snapshot)) as unknown };
    const v1 = workflowFor(stored.machineVersion);
    const contacted = v1.decide(stored.snapshot, ev('CONTACT_RESPONDENT'));
    expect(contacted).toMatchObject({
      ok: true,
      state: 'advocacy.awaitingResponse',
      effects: [
        { type: 'notify', template: 'respondentContacted', audience: ['reporter'] },
        { type: 'startDeadline', kind: 'respondentReply', workingDays: 20 },
      ],
    });
    if (!contacted.ok) throw new Error('refused');
    expect(v1.decide(contacted.snapshot, ev('REQUEST_EXTENSION'))).toMatchObject({ ok: false, code: 'EVENT_NOT_ALLOWED_IN_STATE' });
    expect(v1.enabledEvents(contacted.snapshot, AT)).not.toContain('REQUEST_EXTENSION');
    // Nor does a version 1 rejection know a review.
    const rejected = new CaseDriver(v1);
    rejected.send(...rejectedRoute());
    expect(rejected.context.rejection).toEqual({ reason: 'outOfTime', explanation: 'The decision was taken in 2019.', duplicateOfReference: null });
    expect(rejected.try(ev('REQUEST_REVIEW'))).toMatchObject({ ok: false, code: 'EVENT_NOT_ALLOWED_IN_STATE', allowed: ['REOPEN'] });
  });

  test('new cases start on version 2, which offers the new steps', () => {
    const newCase = new CaseDriver(workflowFor(LATEST_BREACH_CASE_VERSION));
    newCase.send(...ROUTES.awaitingResponse);
    expect(newCase.workflow.version).toBe(2);
    expect(newCase.workflow.enabledEvents(newCase.snapshot, AT)).toContain('REQUEST_EXTENSION');
    expect(newCase.send(ev('REQUEST_EXTENSION')).state).toBe('advocacy.awaitingResponse');
  });

  test('a version 2 snapshot in a version 2 state means nothing to version 1', () => {
    const c = new CaseDriver(workflowFor(2));
    c.send(...reviewRoute());
    expect(c.state).toBe('review');
    expect(() => workflowFor(1).view(c.snapshot)).toThrow();
  });
});

describe('with a hypothetical version that renames a step', () => {
  const registry = createWorkflowRegistry({ 1: breachCaseMachineV1, 2: buildV2() });

  test('the latest version is 2, and each workflow knows its version', () => {
    expect(registry.latest).toBe(2);
    expect(registry.workflowFor(1).version).toBe(1);
    expect(registry.workflowFor(2).version).toBe(2);
    expect(() => registry.workflowFor(3)).toThrow(/known versions: 1, 2/);
  });

  test('a case started on v1 keeps v1 behaviour; new cases start on v2', () => {
    // Started before v2 existed: the service stored machineVersion 1 with the snapshot.
    const oldCase = new CaseDriver(workflowFor(1));
    oldCase.send(...ROUTES.preparing);
    const stored = { machineVersion: 1, snapshot: JSON.parse(JSON.stringify(oldCase.snapshot)) as unknown };
    expect(oldCase.state).toBe('advocacy.preparing');

    // After the release: new cases use the latest version.
    const newCase = new CaseDriver(registry.workflowFor(registry.latest));
    newCase.send(...ROUTES.preparing);
    expect(newCase.state).toBe('advocacy.drafting');
    expect(newCase.workflow.enabledEvents(newCase.snapshot, ev('ASSIGN').at)).toContain('CONTACT_RESPONDENT');

    // The old case continues on its own version, with v1's states and effects.
    const v1 = registry.workflowFor(stored.machineVersion);
    expect(v1.view(stored.snapshot).state).toBe('advocacy.preparing');
    const next = v1.decide(stored.snapshot, ev('CONTACT_RESPONDENT'));
    expect(next).toMatchObject({
      ok: true,
      state: 'advocacy.awaitingResponse',
      effects: [
        { type: 'notify', template: 'respondentContacted', audience: ['reporter'] },
        { type: 'startDeadline', kind: 'respondentReply', workingDays: 20 },
      ],
    });

    // Which is why the version must be kept: v2 cannot read a v1 case at that step.
    expect(() => registry.workflowFor(2).view(stored.snapshot)).toThrow();
  });

  test('behaviour that did not change is the same on both versions', () => {
    const a = registry.workflowFor(1).start(INPUT);
    const b = registry.workflowFor(2).start(INPUT);
    expect(b.effects).toEqual(a.effects);
    expect(b.snapshot).toEqual(a.snapshot);
  });
});
