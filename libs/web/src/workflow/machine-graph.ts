import type { AnyStateMachine } from 'xstate';
import {
  BREACH_CASE_MACHINES,
  LATEST_BREACH_CASE_VERSION,
  type CallerRelation,
  type Role,
  guardNamesOf,
  isSystemEvent,
  mayRequest,
} from '@cc/workflows';

/**
 * The case process as a graph, read from the machine's own definition at runtime: its stages
 * (top-level states), their states, and every transition. Nothing here is written by hand, so
 * the diagram cannot drift from what the workflow does.
 */
export interface GraphStage {
  name: string;
  /** Dotted paths of the stage's leaf states; a stage without sub-states is its own only state. */
  states: string[];
}

export interface GraphTransition {
  from: string;
  event: string;
  /** Target state path, or null when the event keeps the case where it is. */
  to: string | null;
  guards: string[];
  /** Who may send it: roles, or "system" for the deadline clock. */
  who: string[];
}

export interface MachineGraph {
  id: string;
  stages: GraphStage[];
  states: string[];
  transitions: GraphTransition[];
}

interface Node {
  id: string;
  key: string;
  states: Record<string, Node>;
  transitions: Map<string, Array<{ eventType: string; target?: Node[]; guard?: unknown; reenter?: boolean }>>;
}

// Each role as the party it acts for on a case: the reporting organisation's member, the
// appointed mediator, the public body's named contact.
const RELATIONS: Array<[string, CallerRelation]> = (['reporter', 'respondent', 'caseworker', 'mediator', 'administrator'] as Role[]).map((role) => [
  role,
  { role, isReportingMember: role === 'reporter', isAppointedMediator: role === 'mediator', isNamedRespondent: role === 'respondent' },
]);

/** The machine versions cases run on, oldest first. */
export const WORKFLOW_VERSIONS: readonly number[] = Object.keys(BREACH_CASE_MACHINES)
  .map(Number)
  .sort((a, b) => a - b);

/** The machine of a version cases run on, or undefined for one that does not exist. */
export function machineOfVersion(version: number): AnyStateMachine | undefined {
  return WORKFLOW_VERSIONS.includes(version) ? BREACH_CASE_MACHINES[version] : undefined;
}

export function machineGraph(machine: AnyStateMachine = BREACH_CASE_MACHINES[LATEST_BREACH_CASE_VERSION]): MachineGraph {
  const root = machine.root as unknown as Node;
  const pathOf = (n: Node) => n.id.split('.').slice(1).join('.');
  const leaves = (n: Node): string[] => {
    const kids = Object.values(n.states);
    return kids.length ? kids.flatMap(leaves) : [pathOf(n)];
  };
  const stages = Object.values(root.states).map((s) => ({ name: s.key, states: leaves(s) }));
  const transitions: GraphTransition[] = [];
  const seen = new Set<string>();
  const visit = (n: Node) => {
    const from = pathOf(n);
    for (const [event, defs] of n.transitions) {
      for (const t of defs) {
        const target = t.target?.[0];
        const to = target && (target !== n || t.reenter) ? pathOf(target) : null;
        const key = `${from}|${event}|${to}`;
        const guards = guardNamesOf(t.guard);
        if (seen.has(key)) {
          const existing = transitions.find((x) => `${x.from}|${x.event}|${x.to}` === key);
          if (existing && guards.length === 0) existing.guards = [];
          continue;
        }
        seen.add(key);
        const who = isSystemEvent(event) ? ['system'] : RELATIONS.filter(([, r]) => mayRequest(r, event as never)).map(([role]) => role);
        transitions.push({ from, event, to: to === from ? (t.reenter ? from : null) : to, guards, who });
      }
    }
    Object.values(n.states).forEach(visit);
  };
  Object.values(root.states).forEach(visit);
  return { id: root.key, stages, states: stages.flatMap((s) => s.states), transitions };
}
