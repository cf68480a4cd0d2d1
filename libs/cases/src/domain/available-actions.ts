import type { Caller } from '@cc/identity';
import { type CallerRelation, availableActions, workflowFor } from '@cc/workflows';
import type { CaseEntity } from './case.entity';

/**
 * How the caller stands to this case: their role, and whether they belong to its reporting
 * organisation or are its appointed mediator. Pure, so reads and writes work it out the same way.
 */
export function callerRelation(caller: Caller, c: Pick<CaseEntity, 'reportingOrganisationId' | 'mediatorId'>): CallerRelation {
  return {
    role: caller.role,
    isReportingMember: caller.role === 'reporter' && c.reportingOrganisationId === caller.organisationId,
    isAppointedMediator: caller.role === 'mediator' && c.mediatorId === caller.userId,
    isNamedRespondent: false,
  };
}

/**
 * The events someone standing in this relation may send on the case now: what the workflow would
 * accept at `at`, less what their role may not ask for. A read; sending an event checks again.
 */
export function actionsAvailableTo(relation: CallerRelation, c: Pick<CaseEntity, 'machineVersion' | 'snapshot'>, at = new Date().toISOString()): string[] {
  return availableActions(workflowFor(c.machineVersion), c.snapshot, relation, at);
}
