/**
 * The face the service layer sees: start a case, decide an event, read a case, list what can
 * happen next. Everything here is pure; the service persists the snapshot and carries out the
 * effects in the same database transaction.
 *
 * Cases keep the machine version they started on, so a registry maps versions to machines and
 * each version gets its own workflow.
 */
import {
  and,
  getNextTransitions,
  initialTransition,
  transition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyTransitionDefinition,
} from 'xstate';
import type { BreachCaseContext, BreachCaseInput } from './context';
import type { CaseEffect } from './effects';
import {
  COMMAND_TYPES,
  SYSTEM_EVENT_TYPES,
  type BreachCaseEvent,
  type BreachCaseEventType,
} from './events';
import { breachCaseMachineV1 } from './machine.v1';
import { breachCaseMachineV2 } from './machine.v2';
import { RULES, isRuleName, type RuleDefinition } from './rules';

export type StageName =
  | 'submitted'
  | 'triage'
  | 'advocacy'
  | 'negotiation'
  | 'mediation'
  | 'campaigning'
  | 'resolved'
  | 'closed'
  // Version 2: a rejection being reviewed.
  | 'review';

export interface CaseStateView {
  /** Dotted path to the current leaf state, e.g. 'advocacy.reviewing'. */
  state: string;
  /** The top-level state. */
  stage: StageName;
  context: BreachCaseContext;
}

export type Decision =
  | ({ ok: true; snapshot: unknown; effects: CaseEffect[] } & CaseStateView)
  | { ok: false; code: 'EVENT_NOT_ALLOWED_IN_STATE'; allowed: BreachCaseEventType[] }
  | { ok: false; code: 'RULE_VIOLATED'; rule: string; message: string; allowed: BreachCaseEventType[] };

export interface BreachCaseWorkflow {
  version: number;
  start(input: BreachCaseInput): { snapshot: unknown; effects: CaseEffect[] } & CaseStateView;
  decide(snapshot: unknown, event: BreachCaseEvent): Decision;
  view(snapshot: unknown): CaseStateView;
  /**
   * Event types that have a transition from the current state and whose payload-independent
   * guards pass at time `at` (e.g. REOPEN only within 90 days). Includes system events.
   */
  enabledEvents(snapshot: unknown, at: string): BreachCaseEventType[];
}

export interface WorkflowRegistry {
  latest: number;
  workflowFor(version: number): BreachCaseWorkflow;
}

/** Every event type in a stable order, so lists of allowed events read the same every time. */
export const ALL_EVENT_TYPES: readonly BreachCaseEventType[] = [...COMMAND_TYPES, ...SYSTEM_EVENT_TYPES];

const EFFECT_TYPES: ReadonlySet<string> = new Set([
  'startDeadline',
  'endDeadline',
  'pauseDeadline',
  'resumeDeadline',
  // Version 2.
  'extendDeadline',
  'notify',
]);

/** What a guard that RULES does not describe (e.g. one added by a later version) is taken to be. */
const unknownRule = (name: string): RuleDefinition => ({
  message: `The case does not allow this now (${name}).`,
  kind: 'rule',
  usesPayload: true,
});

const ruleFor = (name: string): RuleDefinition => (isRuleName(name) ? RULES[name] : unknownRule(name));

interface PersistedShape {
  value: unknown;
  context: Record<string, unknown>;
  status?: unknown;
}

function isPersistedShape(snapshot: unknown): snapshot is PersistedShape {
  if (typeof snapshot !== 'object' || snapshot === null) return false;
  const s = snapshot as Record<string, unknown>;
  const valueOk = typeof s.value === 'string' || (typeof s.value === 'object' && s.value !== null);
  const contextOk = typeof s.context === 'object' && s.context !== null;
  return valueOk && contextOk && (s.status === undefined || s.status === 'active');
}

function leafPath(value: unknown): string {
  if (typeof value === 'string') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length !== 1) throw new Error(`Expected exactly one active stage, got ${JSON.stringify(value)}`);
  const [key, child] = entries[0];
  return `${key}.${leafPath(child)}`;
}

const jsonClone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

type GuardCheck = (snapshot: AnyMachineSnapshot, args: unknown, guard: unknown) => boolean;
type Guard = ((args: unknown, params: unknown) => unknown) & { guards?: unknown[]; check?: GuardCheck };

// Every and([...]) guard shares one check function; it identifies and() without relying on names.
const AND_CHECK = (and([]) as unknown as Guard).check;

/** The names of the guards a transition's guard is made of, in evaluation order. */
export function guardNamesOf(guard: unknown): string[] {
  return guardParts(guard).map((part) => part.name);
}

/** The guards a transition's guard is made of, in evaluation order (`and([...])` is flattened). */
function guardParts(guard: unknown): Array<{ name: string; guard: unknown }> {
  if (guard === undefined || guard === null) return [];
  if (typeof guard === 'string') return [{ name: guard, guard }];
  if (typeof guard === 'function') {
    const g = guard as Guard;
    if (g.check === AND_CHECK && Array.isArray(g.guards)) return g.guards.flatMap(guardParts);
    return [{ name: g.name || '(inline guard)', guard }];
  }
  if (typeof guard === 'object' && 'type' in guard) return [{ name: String(guard.type), guard }];
  return [{ name: '(unknown guard)', guard }];
}

export function createWorkflow(version: number, machine: AnyStateMachine): BreachCaseWorkflow {
  const restore = (snapshot: unknown): AnyMachineSnapshot => {
    if (!isPersistedShape(snapshot)) {
      throw new TypeError(`Not a persisted breach case snapshot (machine version ${version}).`);
    }
    // resolveState rebuilds the snapshot without running any actions, so restoring has no effects.
    return machine.resolveState({ value: snapshot.value as never, context: snapshot.context });
  };

  // Snapshots and contexts are immutable (assign makes new objects), so they are handed out as
  // they are; copying them cost a noticeable share of every request. Callers must not mutate them.
  const persist = (snapshot: AnyMachineSnapshot): unknown => machine.getPersistedSnapshot(snapshot);

  const viewOf = (snapshot: AnyMachineSnapshot): CaseStateView => {
    const state = leafPath(snapshot.value);
    return { state, stage: state.split('.')[0] as StageName, context: snapshot.context as BreachCaseContext };
  };

  const effectsOf = (actions: ReadonlyArray<{ type: string; params?: unknown }>): CaseEffect[] =>
    actions
      .filter((a) => EFFECT_TYPES.has(a.type))
      .map((a) => jsonClone({ type: a.type, ...(a.params as object) }) as CaseEffect);

  const evaluate = (part: { name: string; guard: unknown }, snapshot: AnyMachineSnapshot, event: { type: string; at: string }): boolean => {
    const args = { context: snapshot.context, event };
    const g = part.guard;
    const impl = (typeof g === 'function' ? g : machine.implementations.guards[part.name]) as Guard | undefined;
    if (typeof impl !== 'function') throw new Error(`Guard '${part.name}' is not implemented in machine version ${version}.`);
    // Built-in combinators (or, not, and) carry their own check; their function body is a stub.
    if (impl.check) return impl.check(snapshot, args, impl);
    const rawParams = typeof g === 'object' && g !== null && 'params' in g ? (g as { params: unknown }).params : undefined;
    const params = typeof rawParams === 'function' ? rawParams(args) : rawParams;
    return Boolean(impl(args, params));
  };

  const candidatesFor = (snapshot: AnyMachineSnapshot, type: string): AnyTransitionDefinition[] =>
    getNextTransitions(snapshot).filter((t) => t.eventType === type);

  const enabledAt = (snapshot: AnyMachineSnapshot, at: string): BreachCaseEventType[] => {
    const enabled = new Set<string>();
    for (const t of getNextTransitions(snapshot)) {
      if (enabled.has(t.eventType)) continue;
      const probe = { type: t.eventType, at };
      const passes = guardParts(t.guard).every((part) => ruleFor(part.name).usesPayload || evaluate(part, snapshot, probe));
      if (passes) enabled.add(t.eventType);
    }
    const known = ALL_EVENT_TYPES.filter((type) => enabled.has(type));
    const extra = [...enabled].filter((type) => !(ALL_EVENT_TYPES as readonly string[]).includes(type)).sort();
    return [...known, ...(extra as BreachCaseEventType[])];
  };

  /** The rule to name when no transition of the event is enabled: the first real rule that failed. */
  const firstFailure = (
    snapshot: AnyMachineSnapshot,
    candidates: AnyTransitionDefinition[],
    event: BreachCaseEvent,
  ): { rule: string; message: string } => {
    let firstBranch: string | null = null;
    for (const t of candidates) {
      for (const part of guardParts(t.guard)) {
        if (evaluate(part, snapshot, event)) continue;
        const rule = ruleFor(part.name);
        if (rule.kind === 'rule') return { rule: part.name, message: rule.message };
        firstBranch ??= part.name;
      }
    }
    const name = firstBranch ?? 'unknown';
    return { rule: name, message: ruleFor(name).message };
  };

  const assertStamped = (event: BreachCaseEvent): void => {
    if (typeof event?.at !== 'string' || Number.isNaN(Date.parse(event.at))) {
      throw new TypeError(`Event ${String(event?.type)} must carry 'at', an ISO 8601 time stamped by the service.`);
    }
  };

  return {
    version,

    start(input) {
      const [snapshot, actions] = initialTransition(machine, input);
      return { snapshot: persist(snapshot), effects: effectsOf(actions), ...viewOf(snapshot) };
    },

    decide(persisted, event) {
      assertStamped(event);
      const current = restore(persisted);
      const candidates = candidatesFor(current, event.type);
      if (candidates.length === 0) {
        return { ok: false, code: 'EVENT_NOT_ALLOWED_IN_STATE', allowed: enabledAt(current, event.at) };
      }
      if (machine.getTransitionData(current, event).length === 0) {
        return { ok: false, code: 'RULE_VIOLATED', ...firstFailure(current, candidates, event), allowed: enabledAt(current, event.at) };
      }
      const [next, actions] = transition(machine, current, event);
      return { ok: true, snapshot: persist(next), effects: effectsOf(actions), ...viewOf(next) };
    },

    view(persisted) {
      return viewOf(restore(persisted));
    },

    enabledEvents(persisted, at) {
      return enabledAt(restore(persisted), at);
    },
  };
}

export function createWorkflowRegistry(machines: Record<number, AnyStateMachine>): WorkflowRegistry {
  const versions = Object.keys(machines).map(Number);
  if (versions.length === 0) throw new Error('A workflow registry needs at least one machine version.');
  for (const v of versions) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`Machine versions are positive integers; got ${v}.`);
  }
  const workflows = new Map(versions.map((v) => [v, createWorkflow(v, machines[v])] as const));
  return {
    latest: Math.max(...versions),
    workflowFor(version) {
      const workflow = workflows.get(version);
      if (!workflow) {
        throw new Error(`Unknown breach case machine version ${version}; known versions: ${versions.sort((a, b) => a - b).join(', ')}.`);
      }
      return workflow;
    },
  };
}

/** Every machine version still in use. Add a version here; never change or remove one that cases run on. */
export const BREACH_CASE_MACHINES: Readonly<Record<number, AnyStateMachine>> = { 1: breachCaseMachineV1, 2: breachCaseMachineV2 };

export const breachCaseRegistry = createWorkflowRegistry(BREACH_CASE_MACHINES);

export const LATEST_BREACH_CASE_VERSION: number = breachCaseRegistry.latest;

export function workflowFor(machineVersion: number): BreachCaseWorkflow {
  return breachCaseRegistry.workflowFor(machineVersion);
}
