import { machineGraph } from './machine-graph';
import { diagramNote, transitionRows, workflowSvg } from './workflow-diagram';

/** The case page's diagram of the process with this case's state marked, and what can happen from it. */
export interface CaseDiagram {
  svg: string;
  note: string | null;
  rows: ReturnType<typeof transitionRows>;
}

const graph = machineGraph();
const allRows = transitionRows(graph);
const note = diagramNote(graph);

/**
 * The machine is fixed while the process runs and a case can be in only one of its states, so each
 * state's diagram is drawn once, the first time a case page shows it, and kept (a few dozen).
 */
const drawn = new Map<string, CaseDiagram>();

export function caseDiagram(currentState: string): CaseDiagram {
  let diagram = drawn.get(currentState);
  if (!diagram) {
    diagram = {
      svg: workflowSvg(graph, { currentState, idPrefix: 'case-workflow' }),
      note,
      rows: allRows.filter((r) => r.fromPath === currentState || currentState.startsWith(`${r.fromPath}.`)),
    };
    // Only states of the machine are kept, so an odd value cannot grow the map.
    if (graph.states.includes(currentState)) drawn.set(currentState, diagram);
  }
  return diagram;
}
