/**
 * Path-based coverage: traverse the machine with sample events and check that every state node
 * is reached, every transition is taken, every event type is used and every refusable rule is
 * seen refusing. The expected sets come from the machine definition, so adding a state, event or
 * guard without a way to reach it fails here. Each machine version is checked the same way,
 * against exactly the event types it handles: version 1 none of version 2's, version 2 all.
 */
import { transition, type AnyMachineSnapshot, type AnyStateMachine, type AnyStateNode, type AnyTransitionDefinition } from 'xstate';
import { createTestModel, getAdjacencyMap } from 'xstate/graph';
import { COMMAND_TYPES, SYSTEM_EVENT_TYPES, commandSchemas, type BreachCaseEvent, type CommandType } from './events';
import { breachCaseMachineV1 } from './machine.v1';
import { VERSION_2_EVENT_TYPES, breachCaseMachineV2 } from './machine.v2';
import { RULES, isRuleName } from './rules';
import {
  ALL_SAMPLE_EVENTS,
  CaseDriver,
  ENRICHMENT_FIELDS,
  SAMPLE_EVENTS,
  TRAVERSAL_OPTIONS,
  TRAVERSAL_OPTIONS_V2,
  serializeForTraversal,
  serializeForTraversalV2,
} from './spec-fixtures';
import { ALL_EVENT_TYPES, guardNamesOf, workflowFor } from './workflow';

function descendants(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states).flatMap((child) => [child, ...descendants(child)]);
}

describe('sample events', () => {
  test('there are samples for every event type the contract declares', () => {
    expect(Object.keys(SAMPLE_EVENTS).sort()).toEqual([...ALL_EVENT_TYPES].sort());
  });

  test('every command sample is a payload the API would accept', () => {
    for (const sample of ALL_SAMPLE_EVENTS) {
      if (!(COMMAND_TYPES as string[]).includes(sample.type)) continue;
      const payload: Record<string, unknown> = { ...sample };
      for (const field of ['type', 'at', ...(ENRICHMENT_FIELDS[sample.type] ?? [])]) delete payload[field];
      const type = sample.type;
      const parsed = commandSchemas[type as CommandType].safeParse(payload);
      expect({ type, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ type, issues: [] });
    }
  });
});

/** The contract's event types: version 2 handles them all, version 1 all but those version 2 added. */
const CONTRACT_EVENT_TYPES = [...COMMAND_TYPES, ...SYSTEM_EVENT_TYPES];
const V1_EVENT_TYPES = CONTRACT_EVENT_TYPES.filter((type) => !VERSION_2_EVENT_TYPES.includes(type));

const VERSIONS = [
  {
    version: 1,
    machine: breachCaseMachineV1 as AnyStateMachine,
    handles: V1_EVENT_TYPES,
    options: TRAVERSAL_OPTIONS,
    serialize: serializeForTraversal,
    stages: ['submitted', 'triage', 'advocacy', 'negotiation', 'mediation', 'campaigning', 'resolved', 'closed'],
    leaves: 18,
    minVertices: 24,
  },
  {
    version: 2,
    machine: breachCaseMachineV2 as AnyStateMachine,
    handles: CONTRACT_EVENT_TYPES,
    options: TRAVERSAL_OPTIONS_V2,
    serialize: serializeForTraversalV2,
    stages: ['submitted', 'triage', 'advocacy', 'negotiation', 'mediation', 'campaigning', 'resolved', 'closed', 'review'],
    leaves: 19,
    minVertices: 30,
  },
];

describe.each(VERSIONS)('machine v$version', ({ version, machine, handles, options, serialize, stages, leaves, minVertices }) => {
  const workflow = workflowFor(version);
  const stateNodes = descendants(machine.root);
  const definedTransitions: AnyTransitionDefinition[] = stateNodes.flatMap((node) => [...node.transitions.values()].flat());
  const describe_ = (t: AnyTransitionDefinition) =>
    `${t.source.id} --${t.eventType}${t.guard ? `[${guardNamesOf(t.guard).join('&')}]` : ''}--> ${
      t.target?.map((n) => n.id).join(',') ?? '(stay)'
    }`;

  const leafPath = (value: unknown): string =>
    typeof value === 'string' ? value : Object.entries(value as object).map(([k, v]) => `${k}.${leafPath(v)}`)[0];

  const adjacency = getAdjacencyMap(machine, options as never);
  const vertices = Object.values(adjacency);

  describe('graph coverage', () => {
    test('the machine handles exactly the event types of the contract (commands and system events)', () => {
      const handled = new Set(definedTransitions.map((t) => t.eventType));
      expect([...handled].sort()).toEqual([...handles].sort());
    });

    test('the traversal reaches every state node: every stage and every leaf', () => {
      const reached = new Set(vertices.flatMap((v) => (v.state as AnyMachineSnapshot)._nodes.map((n) => n.id)));
      const missing = stateNodes.map((n) => n.id).filter((id) => !reached.has(id));
      expect(missing).toEqual([]);
      // Sanity: the definition really has the stages and leaves the brief names.
      expect(Object.keys(machine.root.states)).toEqual(stages);
      expect(stateNodes.filter((n) => n.type === 'atomic').map((n) => n.id)).toHaveLength(leaves);
    });

    test('every transition of the definition (every guarded branch) is taken at least once', () => {
      const taken = new Set<AnyTransitionDefinition>();
      for (const vertex of vertices) {
        for (const { event } of Object.values(vertex.transitions) as Array<{ event: BreachCaseEvent }>) {
          for (const t of machine.getTransitionData(vertex.state as never, event)) taken.add(t);
        }
      }
      const notTaken = definedTransitions.filter((t) => !taken.has(t)).map(describe_);
      expect(notTaken).toEqual([]);
      const takenTypes = new Set([...taken].map((t) => t.eventType));
      expect(handles.filter((type) => !takenTypes.has(type))).toEqual([]);
    });

    test('every refusable rule is seen refusing, except feeSettled which no valid path can break', () => {
      const guardNames = new Set(definedTransitions.flatMap((t) => guardNamesOf(t.guard)));
      // Every guard the machine uses is a described rule, so refusals always have a message.
      expect([...guardNames].filter((name) => !isRuleName(name))).toEqual([]);
      const refusable = [...guardNames].filter((name) => isRuleName(name) && RULES[name].kind === 'rule');

      const seen = new Set<string>();
      for (const vertex of vertices) {
        const persisted = machine.getPersistedSnapshot(vertex.state as never);
        for (const event of ALL_SAMPLE_EVENTS) {
          const decision = workflow.decide(persisted, event);
          if (!decision.ok && decision.code === 'RULE_VIOLATED') seen.add(decision.rule);
        }
      }
      expect(refusable.filter((rule) => !seen.has(rule))).toEqual(['feeSettled']);
      // Branch conditions only route; with valid payloads one branch always matches.
      expect([...seen].filter((rule) => isRuleName(rule) && RULES[rule].kind === 'branch')).toEqual([]);
    });

    test('the workflow decides exactly as the machine transitions, from every vertex and sample event', () => {
      for (const vertex of vertices) {
        const state = vertex.state as AnyMachineSnapshot;
        const persisted = machine.getPersistedSnapshot(state);
        for (const event of ALL_SAMPLE_EVENTS) {
          const decision = workflow.decide(persisted, event);
          const enabled = machine.getTransitionData(state, event).length > 0;
          expect({ event: event.type, from: leafPath(state.value), ok: decision.ok }).toEqual({
            event: event.type,
            from: leafPath(state.value),
            ok: enabled,
          });
          if (decision.ok) {
            const [next] = transition(machine, state as never, event);
            expect(decision.state).toBe(leafPath(next.value));
            expect(decision.context).toEqual(next.context);
          }
        }
      }
    });

    test('the graph stays small enough to reason about', () => {
      expect(vertices.length).toBeGreaterThanOrEqual(minVertices);
      expect(vertices.length).toBeLessThan(200);
    });
  });

  describe('model-based: every shortest path replays through the workflow API', () => {
    const model = createTestModel(machine, options as never);
    // One path per vertex: the shortest way to reach it.
    const paths = model.getShortestPaths({ allowDuplicatePaths: true });

    test('there is a shortest path to every vertex of the graph', () => {
      expect(paths.map((path) => serialize(path.state)).sort()).toEqual(Object.keys(adjacency).sort());
    });

    const name = (path: (typeof paths)[number], i: number) =>
      `#${i + 1} ${path.steps
        .slice(1)
        .map((s) => s.event.type)
        .join(' → ') || '(submitted)'} ⇒ ${leafPath(path.state.value)}`;

    test.each(paths.map((path, i) => [name(path, i), path] as const))(
      '%s',
      async (_name, path) => {
        const driver = new CaseDriver(workflow);
        const executors = Object.fromEntries(
          handles.map((type) => [type, ({ event }: { event: unknown }) => void driver.send(event as BreachCaseEvent)]),
        );
        await path.test({
          events: executors,
          states: {
            '*': (state) => {
              const view = workflow.view(driver.snapshot);
              expect(view.state).toBe(leafPath(state.value));
              expect(view.stage).toBe(leafPath(state.value).split('.')[0]);
              // The model's vertex carries the context of whichever path found it first, so compare
              // what tells vertices apart rather than the whole history.
              const replayed = machine.resolveState({ value: view.state.includes('.') ? { [view.stage]: view.state.split('.')[1] } : view.state, context: view.context } as never);
              expect(serialize(replayed)).toBe(serialize(state));
            },
          },
        });
        expect(driver.state).toBe(leafPath(path.state.value));
      },
    );
  });
});
