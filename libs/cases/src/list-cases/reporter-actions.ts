import type { EntityManager } from 'typeorm';
import { runPrepared, sql } from '@cc/persistence';
import { workflowFor } from '@cc/workflows';
import type { CaseEntity } from '../domain/case.entity';

/** What is needed of a listed case to say what it waits for the reporter to do. */
export type CaseWaiting = Pick<CaseEntity, 'id' | 'state' | 'machineVersion' | 'snapshot'>;

/**
 * What a case waits for a party to do. The reporter: answer the caseworker's questions, or agree
 * the quoted fee. The public body: reply, agree the quoted fee, or say the agreed actions are done.
 */
export type ReporterAction = 'answerQuestions' | 'agreeFee' | 'reply' | 'reportActionsDone';

export interface ActionNeeded {
  action: ReporterAction;
  /** When the clock on it runs out (null if none is running). */
  dueAt: string | null;
}

export type ListParty = 'reporter' | 'respondent';

const CLOCK: Record<ReporterAction, string> = {
  answerQuestions: 'informationRequest',
  agreeFee: 'feeAgreement',
  reply: 'respondentReply',
  reportActionsDone: 'monitoring',
};

function waitingOn(c: CaseWaiting, party: ListParty): ReporterAction | null {
  const context = () => workflowFor(c.machineVersion).view(c.snapshot).context;
  if (c.state === 'mediation.feeAgreement') {
    const fee = context().fee;
    return fee && !fee.waived && !fee.agreed[party] ? 'agreeFee' : null;
  }
  if (party === 'reporter') return c.state === 'triage.awaitingInformation' ? 'answerQuestions' : null;
  if (c.state === 'advocacy.awaitingResponse' || c.state === 'advocacy.responseOverdue') return 'reply';
  // Only version 2 lets the public body say so itself.
  if (c.state === 'resolved' && c.machineVersion >= 2 && !context().actionsReportedDone) return 'reportActionsDone';
  return null;
}

/** For a page of cases, what each waits for the party to do and by when; one query for the dates. */
export async function reporterActions(manager: EntityManager, rows: CaseWaiting[], party: ListParty = 'reporter'): Promise<Map<string, ActionNeeded>> {
  const waiting = new Map<string, ReporterAction>();
  for (const c of rows) {
    const action = waitingOn(c, party);
    if (action) waiting.set(c.id, action);
  }
  const found = new Map<string, ActionNeeded>();
  if (waiting.size === 0) return found;
  const clocks = await runPrepared<{ caseId: string; kind: string; dueAt: Date | null }>(
    manager,
    sql`SELECT case_id AS "caseId", kind, due_at AS "dueAt" FROM deadlines
         WHERE case_id = ANY(${[...waiting.keys()]}::uuid[]) AND kind = ANY(${Object.values(CLOCK)}::text[]) AND status = 'pending'`,
  );
  for (const [caseId, action] of waiting) {
    const clock = clocks.find((d) => d.caseId === caseId && d.kind === CLOCK[action]);
    found.set(caseId, { action, dueAt: clock?.dueAt ? new Date(clock.dueAt).toISOString() : null });
  }
  return found;
}
