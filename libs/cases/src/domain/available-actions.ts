import type { Caller } from '@cc/identity';
import { type CallerRelation, availableActions, workflowFor } from '@cc/workflows';
import type { CaseAccessFacts, CaseEntity } from './case.entity';

/**
 * How the caller stands to this case: their role, and whether they belong to its reporting
 * organisation, are its appointed mediator, or are a contact at its public body named on it.
 * Pure, so reads and writes work it out the same way.
 */
export function callerRelation(caller: Caller, c: CaseAccessFacts): CallerRelation {
  return {
    role: caller.role,
    isReportingMember: caller.role === 'reporter' && !!caller.organisationId && c.reportingOrganisationId === caller.organisationId,
    isAppointedMediator: caller.role === 'mediator' && c.mediatorId === caller.userId,
    isNamedRespondent: isNamedRespondent(caller, c),
  };
}

/** Decision 4: a respondent at the case's public body whose active contact record is named on the case. */
export function isNamedRespondent(caller: Caller, c: CaseAccessFacts): boolean {
  return caller.role === 'respondent' && !!caller.organisationId && c.respondentOrganisationId === caller.organisationId && c.callerIsNamedContact === true;
}

/**
 * The events someone standing in this relation may send on the case now: what the workflow would
 * accept at `at`, less what their role may not ask for. A read; sending an event checks again.
 */
export function actionsAvailableTo(relation: CallerRelation, c: Pick<CaseEntity, 'machineVersion' | 'snapshot'>, at = new Date().toISOString()): string[] {
  return availableActions(workflowFor(c.machineVersion), c.snapshot, relation, at);
}
