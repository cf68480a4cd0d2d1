import { LATEST_BREACH_CASE_VERSION } from '@cc/workflows';
import { machineGraph, machineOfVersion, type MachineGraph } from './machine-graph';
import { diagramNote, transitionRows, workflowSvg } from './workflow-diagram';

/** The case page's diagram of the process with this case's state marked, and what can happen from it. */
export interface CaseDiagram {
  svg: string;
  note: string | null;
  rows: ReturnType<typeof transitionRows>;
}

interface VersionDrawing {
  graph: MachineGraph;
  rows: ReturnType<typeof transitionRows>;
  note: string | null;
}

const versions = new Map<number, VersionDrawing>();

function drawingOf(version: number): VersionDrawing {
  let drawing = versions.get(version);
  if (!drawing) {
    // A version that does not exist is drawn as the latest, and not kept.
    const graph = machineGraph(machineOfVersion(version));
    drawing = { graph, rows: transitionRows(graph), note: diagramNote(graph) };
    if (machineOfVersion(version)) versions.set(version, drawing);
  }
  return drawing;
}

/**
 * The machines are fixed while the process runs and a case can be in only one state of its
 * version, so each state's diagram is drawn once, the first time a case page shows it, and kept
 * (a few dozen per version).
 */
const drawn = new Map<string, CaseDiagram>();

/** The diagram of the case's own process version (cases keep the version they started on). */
export function caseDiagram(currentState: string, version: number = LATEST_BREACH_CASE_VERSION): CaseDiagram {
  const key = `${version}:${currentState}`;
  let diagram = drawn.get(key);
  if (!diagram) {
    const { graph, rows, note } = drawingOf(version);
    diagram = {
      svg: workflowSvg(graph, { currentState, idPrefix: 'case-workflow' }),
      note,
      rows: rows.filter((r) => r.fromPath === currentState || currentState.startsWith(`${r.fromPath}.`)),
    };
    // Only states of a real version are kept, so an odd value cannot grow the map.
    if (machineOfVersion(version) && graph.states.includes(currentState)) drawn.set(key, diagram);
  }
  return diagram;
}
