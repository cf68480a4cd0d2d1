/**
 * Moving a running case from version 1 of the process to version 2 (design decision 13), as a
 * pure plan: the service dry-runs it over open version 1 cases and, for each movable one, stores
 * the new snapshot with machine version 2 in one transaction with a MOVED_TO_VERSION_2 event.
 *
 * Version 2 is version 1 plus new transitions, so a case moves to the state of the same name
 * with its context kept as it is (clocks, fee and history live outside the snapshot and are not
 * touched); only version 2's own fields are added, empty. A rejection made on version 1 has no
 * review window, so it cannot be reviewed after the move (withinReviewWindow fails closed).
 */
import type { AnyStateMachine } from 'xstate';
import { VERSION_2_CONTEXT_DEFAULTS, breachCaseMachineV2 } from './machine.v2';
import { workflowFor, type BreachCaseWorkflow } from './workflow';

export type MovePlan = { movable: true; snapshot: unknown; state: string } | { movable: false; reason: string };

/** Every leaf state path of a machine, e.g. 'advocacy.reviewing'. */
export function leafStates(machine: AnyStateMachine): Set<string> {
  const out = new Set<string>();
  const visit = (node: { states: Record<string, unknown> }, prefix: string) => {
    for (const [key, child] of Object.entries(node.states)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const c = child as { states: Record<string, unknown> };
      if (Object.keys(c.states).length) visit(c, path);
      else out.add(path);
    }
  };
  visit(machine.root as unknown as { states: Record<string, unknown> }, '');
  return out;
}

const jsonClone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The plan between two versions whose states share names; exported for the spec, which also
 * checks the refusal of a state the target lacks (version 2 lacks none of version 1's).
 */
export function planMove(
  snapshot: unknown,
  from: BreachCaseWorkflow,
  to: { workflow: BreachCaseWorkflow; states: ReadonlySet<string> },
  addDefaults: (context: Record<string, unknown>) => Record<string, unknown>,
): MovePlan {
  let state: string;
  try {
    state = from.view(snapshot).state;
  } catch {
    return { movable: false, reason: `The case's saved state could not be read as version ${from.version} of the process, so it stays where it is.` };
  }
  if (!to.states.has(state)) {
    return { movable: false, reason: 'The new version of the process has no step that matches where this case is now, so it stays on its version.' };
  }
  const persisted = jsonClone(snapshot) as Record<string, unknown> & { context: Record<string, unknown> };
  const moved = { ...persisted, context: addDefaults(persisted.context) };
  try {
    const view = to.workflow.view(moved);
    if (view.state !== state) throw new Error('moved to another state');
  } catch {
    return { movable: false, reason: 'The case could not be read by the new version of the process after moving, so it stays on its version.' };
  }
  return { movable: true, snapshot: moved, state };
}

/** Version 2's fields, empty, under whatever the case already has (a case never loses what it knows). */
function addVersion2Defaults(context: Record<string, unknown>): Record<string, unknown> {
  const rejection = context.rejection as Record<string, unknown> | null | undefined;
  return {
    ...jsonClone(VERSION_2_CONTEXT_DEFAULTS),
    ...context,
    rejection: rejection ? { rejectedBy: null, reviewableUntil: null, ...rejection } : (rejection ?? null),
  };
}

/** Whether, and how, a version 1 case moves to version 2: its new snapshot and state, or why not, in plain English. */
export function planMoveToVersion2(snapshotV1: unknown): MovePlan {
  return planMove(snapshotV1, workflowFor(1), { workflow: workflowFor(2), states: version2States() }, addVersion2Defaults);
}

let v2States: ReadonlySet<string> | undefined;
// Worked out on first use: this module and the registry import each other's machines.
const version2States = (): ReadonlySet<string> => (v2States ??= leafStates(breachCaseMachineV2));
