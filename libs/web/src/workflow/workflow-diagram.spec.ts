/**
 * The workflow diagram and the "what can happen" table, for both process versions: drawn from
 * the machines, with the public body among the roles.
 */
import { breachCaseMachineV1, breachCaseMachineV2 } from '@cc/workflows';
import { caseDiagram } from './case-diagram';
import { WORKFLOW_VERSIONS, machineGraph, machineOfVersion } from './machine-graph';
import { transitionRows, workflowSvg } from './workflow-diagram';

const v1 = machineGraph(breachCaseMachineV1);
const v2 = machineGraph(breachCaseMachineV2);
const row = (rows: ReturnType<typeof transitionRows>, from: string, event: string) => rows.find((r) => r.fromPath === from && r.event === event);

describe('the workflow graph of each version', () => {
  test('both versions are drawn; the latest by default', () => {
    expect(WORKFLOW_VERSIONS).toEqual([1, 2]);
    expect(machineOfVersion(1)).toBe(breachCaseMachineV1);
    expect(machineOfVersion(3)).toBeUndefined();
    expect(machineGraph().states).toEqual(v2.states);
  });

  test('version 2 has every state of version 1 and the review', () => {
    expect(v1.states.filter((s) => !v2.states.includes(s))).toEqual([]);
    expect(v2.states.filter((s) => !v1.states.includes(s))).toEqual(['review']);
    expect(workflowSvg(v2)).toContain('data-state="review"');
    expect(workflowSvg(v1)).not.toContain('data-state="review"');
  });

  test('the table says what the public body may do, in words', () => {
    const rows = transitionRows(v2);
    expect(row(rows, 'advocacy.awaitingResponse', 'REQUEST_EXTENSION')).toMatchObject({
      action: expect.stringContaining('Ask for more time'),
      who: 'Public body',
      to: '(stays)',
      condition: 'No extension yet',
    });
    expect(row(rows, 'advocacy.awaitingResponse', 'RECORD_RESPONSE')?.who).toBe('Public body, Caseworker, Administrator');
    expect(row(rows, 'mediation.feeAgreement', 'AGREE_FEE')?.who).toBe('Reporter, Public body, Caseworker, Administrator');
    expect(row(rows, 'resolved', 'REPORT_ACTIONS_DONE')?.who).toBe('Public body');
    expect(row(rows, 'closed', 'REQUEST_REVIEW')).toMatchObject({ who: 'Reporter', to: 'Review' });
    expect(row(rows, 'review', 'UPHOLD_REJECTION')).toMatchObject({ who: 'Caseworker, Administrator', to: 'Closed' });
    expect(row(rows, 'advocacy.responseOverdue', 'GRANT_EXTENSION')?.to).toBe('Advocacy: awaiting response');
    expect(row(rows, 'advocacy.awaitingResponse', 'RESPONSE_OVERDUE')?.who).toBe('System (a clock running out)');
  });

  test('version 1 has none of version 2 steps, though the public body may reply on it', () => {
    const rows = transitionRows(v1);
    expect(rows.filter((r) => ['REQUEST_EXTENSION', 'REQUEST_REVIEW', 'REPORT_ACTIONS_DONE'].includes(r.event))).toEqual([]);
    expect(row(rows, 'advocacy.awaitingResponse', 'RECORD_RESPONSE')?.who).toBe('Public body, Caseworker, Administrator');
  });
});

describe('the case page diagram follows the case version', () => {
  test('a version 2 case waiting for a reply may see a request for more time; a version 1 case may not', () => {
    const onV2 = caseDiagram('advocacy.awaitingResponse', 2);
    const onV1 = caseDiagram('advocacy.awaitingResponse', 1);
    expect(onV2.rows.map((r) => r.event)).toContain('REQUEST_EXTENSION');
    expect(onV1.rows.map((r) => r.event)).not.toContain('REQUEST_EXTENSION');
    expect(onV2.svg).toContain('app-wf-state app-wf-state--current" data-state="advocacy.awaitingResponse"');
    // Without a version the latest is drawn, the same one kept.
    expect(caseDiagram('advocacy.awaitingResponse')).toBe(onV2);
  });

  test('a case in review is marked in the review box', () => {
    const d = caseDiagram('review', 2);
    expect(d.svg).toContain('app-wf-state--current" data-state="review"');
    expect(d.rows.map((r) => r.event).sort()).toEqual(['REOPEN_AFTER_REVIEW', 'UPHOLD_REJECTION']);
  });
});
