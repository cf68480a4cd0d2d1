/**
 * Persist and restore: the service stores the snapshot as JSON and decides the next event on
 * what it reads back. From every reachable state, the JSON round trip must behave identically,
 * and restoring must not re-run entry actions (which would repeat e-mails and deadlines).
 */
import { createActor, type AnyMachineSnapshot } from 'xstate';
import { getAdjacencyMap } from 'xstate/graph';
import type { BreachCaseEvent } from './events';
import { breachCaseMachineV1 } from './machine.v1';
import {
  ALL_SAMPLE_EVENTS,
  AT,
  CaseDriver,
  INPUT,
  LATE,
  TRAVERSAL_OPTIONS,
  ev,
  serializeForTraversal,
  sessionHeldRoute,
} from './spec-fixtures';
import { workflowFor } from './workflow';

const machine = breachCaseMachineV1;
const workflow = workflowFor(1);
const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const reachable = Object.values(getAdjacencyMap(machine, TRAVERSAL_OPTIONS)).map((v) => v.state as AnyMachineSnapshot);
const label = (s: AnyMachineSnapshot) => serializeForTraversal(s);

describe('persist and restore from every reachable state', () => {
  test('there are reachable states to check', () => {
    expect(reachable.length).toBeGreaterThanOrEqual(24);
  });

  test.each(reachable.map((s) => [label(s), s] as const))('%s', (_name, snapshot) => {
    const persisted = machine.getPersistedSnapshot(snapshot);
    const restored = roundTrip(persisted);
    // JSON-safe: the round trip loses nothing.
    expect(JSON.stringify(restored)).toBe(JSON.stringify(persisted));

    expect(workflow.view(restored)).toEqual(workflow.view(persisted));
    for (const at of [AT, LATE]) {
      expect(workflow.enabledEvents(restored, at)).toEqual(workflow.enabledEvents(persisted, at));
    }
    for (const event of ALL_SAMPLE_EVENTS) {
      const fromLive = workflow.decide(persisted, event);
      const fromJson = workflow.decide(restored, event);
      expect(fromJson).toEqual(fromLive);
      if (fromJson.ok) {
        // The next snapshot is itself JSON-stable.
        expect(JSON.stringify(roundTrip(fromJson.snapshot))).toBe(JSON.stringify(fromJson.snapshot));
      }
    }
  });
});

describe('restoring runs no actions', () => {
  const effectNames = ['startDeadline', 'endDeadline', 'pauseDeadline', 'resumeDeadline', 'notify'] as const;

  test.each(reachable.map((s) => [label(s), s] as const))('restoring %s into a live actor calls no effect', (_name, snapshot) => {
    const calls: string[] = [];
    const spying = machine.provide({
      actions: Object.fromEntries(effectNames.map((name) => [name, () => void calls.push(name)])) as never,
    });
    const actor = createActor(spying, { snapshot: roundTrip(machine.getPersistedSnapshot(snapshot)) as never, input: INPUT });
    actor.start();
    expect(actor.getSnapshot().value).toEqual(snapshot.value);
    actor.stop();
    expect(calls).toEqual([]);
  });

  test('the same spy does see effects when an event is processed (so the spy works)', () => {
    const calls: string[] = [];
    const spying = machine.provide({
      actions: Object.fromEntries(effectNames.map((name) => [name, () => void calls.push(name)])) as never,
    });
    const c = new CaseDriver(workflow);
    c.send(ev('ASSIGN'));
    const actor = createActor(spying, { snapshot: c.snapshot as never, input: INPUT });
    actor.start();
    actor.send(ev('REQUEST_INFO'));
    actor.stop();
    expect(calls).toEqual(['pauseDeadline', 'startDeadline', 'notify']);
  });
});

describe('continuing a stored case', () => {
  test('a case decided step by step through JSON ends exactly where a live run does, with the same effects', () => {
    const events: BreachCaseEvent[] = [...sessionHeldRoute(), ev('RECORD_OUTCOME'), ev('REPORT_NOT_IMPLEMENTED'), ev('CAMPAIGN'), ev('CLOSE')];
    const stored = new CaseDriver(workflow);
    const storedEffects = [stored.last.effects, ...events.map((e) => stored.send(e).effects)];

    // The same events through a live actor whose effect actions record what they were asked to do.
    const liveEffects: unknown[][] = [];
    let current: unknown[] = [];
    const record = (type: string) => (_: unknown, params: object) => void current.push({ type, ...params });
    const observed = machine.provide({
      actions: {
        startDeadline: record('startDeadline'),
        endDeadline: record('endDeadline'),
        pauseDeadline: record('pauseDeadline'),
        resumeDeadline: record('resumeDeadline'),
        notify: record('notify'),
      },
    });
    const actor = createActor(observed, { input: INPUT });
    actor.start();
    liveEffects.push(current);
    for (const event of events) {
      current = [];
      actor.send(event);
      liveEffects.push(current);
    }
    expect(storedEffects).toEqual(liveEffects);
    expect(workflow.view(actor.getPersistedSnapshot())).toEqual(workflow.view(stored.snapshot));
    actor.stop();
  });
});
