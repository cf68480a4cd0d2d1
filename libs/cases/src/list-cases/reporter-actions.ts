import type { EntityManager } from 'typeorm';
import { runPrepared, sql } from '@cc/persistence';
import { workflowFor } from '@cc/workflows';
import type { CaseEntity } from '../domain/case.entity';

/** What is needed of a listed case to say what it waits for the reporter to do. */
export type CaseWaiting = Pick<CaseEntity, 'id' | 'state' | 'machineVersion' | 'snapshot'>;

/** What a case waits for the reporter to do: answer the caseworker's questions, or agree the quoted fee. */
export type ReporterAction = 'answerQuestions' | 'agreeFee';

export interface ActionNeeded {
  action: ReporterAction;
  /** When the clock on it runs out (null if none is running). */
  dueAt: string | null;
}

const CLOCK: Record<ReporterAction, string> = { answerQuestions: 'informationRequest', agreeFee: 'feeAgreement' };

function waitingOn(c: CaseWaiting): ReporterAction | null {
  if (c.state === 'triage.awaitingInformation') return 'answerQuestions';
  if (c.state === 'mediation.feeAgreement') {
    const fee = workflowFor(c.machineVersion).view(c.snapshot).context.fee;
    if (fee && !fee.waived && !fee.agreed.reporter) return 'agreeFee';
  }
  return null;
}

/** For a page of cases, what each waits for the reporter to do and by when; one query for the dates. */
export async function reporterActions(manager: EntityManager, rows: CaseWaiting[]): Promise<Map<string, ActionNeeded>> {
  const waiting = new Map<string, ReporterAction>();
  for (const c of rows) {
    const action = waitingOn(c);
    if (action) waiting.set(c.id, action);
  }
  const found = new Map<string, ActionNeeded>();
  if (waiting.size === 0) return found;
  const clocks = await runPrepared<{ caseId: string; kind: string; dueAt: Date | null }>(
    manager,
    sql`SELECT case_id AS "caseId", kind, due_at AS "dueAt" FROM deadlines
         WHERE case_id = ANY(${[...waiting.keys()]}::uuid[]) AND kind IN ('informationRequest', 'feeAgreement') AND status = 'pending'`,
  );
  for (const [caseId, action] of waiting) {
    const clock = clocks.find((d) => d.caseId === caseId && d.kind === CLOCK[action]);
    found.set(caseId, { action, dueAt: clock?.dueAt ? new Date(clock.dueAt).toISOString() : null });
  }
  return found;
}
