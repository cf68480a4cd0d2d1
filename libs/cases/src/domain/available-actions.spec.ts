import type { Caller } from '@cc/identity';
import { LATEST_BREACH_CASE_VERSION, workflowFor } from '@cc/workflows';
import { actionsAvailableTo, callerRelation } from './available-actions';

const ORG = '00000000-0000-4000-8000-000000000001';
const OTHER_ORG = '00000000-0000-4000-8000-000000000003';
const MEDIATOR = '00000000-0000-4000-8000-0000000000aa';
const at = '2026-01-05T10:00:00.000Z';
const started = workflowFor(LATEST_BREACH_CASE_VERSION).start({ reportingOrganisationId: ORG, respondentOrganisationId: '00000000-0000-4000-8000-000000000002', submittedAt: at });
const RESPONDENT_ORG = '00000000-0000-4000-8000-000000000002';
const newCase = { reportingOrganisationId: ORG, respondentOrganisationId: RESPONDENT_ORG, mediatorId: MEDIATOR, machineVersion: LATEST_BREACH_CASE_VERSION, snapshot: started.snapshot };
const caller = (role: Caller['role'], extra: Partial<Caller> = {}) => ({ userId: '00000000-0000-4000-8000-0000000000bb', role, organisationId: null, ...extra }) as Caller;

describe('callerRelation', () => {
  it('counts a respondent as named only at the case\'s public body and when the case read found their contact named on it', () => {
    const respondent = caller('respondent', { organisationId: RESPONDENT_ORG });
    expect(callerRelation(respondent, { ...newCase, callerIsNamedContact: true }).isNamedRespondent).toBe(true);
    expect(callerRelation(respondent, { ...newCase, callerIsNamedContact: false }).isNamedRespondent).toBe(false);
    expect(callerRelation(respondent, newCase).isNamedRespondent).toBe(false);
    expect(callerRelation(caller('respondent', { organisationId: OTHER_ORG }), { ...newCase, callerIsNamedContact: true }).isNamedRespondent).toBe(false);
    // The same fact means nothing for another role.
    expect(callerRelation(caller('caseworker', { organisationId: RESPONDENT_ORG }), { ...newCase, callerIsNamedContact: true }).isNamedRespondent).toBe(false);
  });

  it('says whether a reporter belongs to the reporting organisation', () => {
    expect(callerRelation(caller('reporter', { organisationId: ORG }), newCase)).toEqual({ role: 'reporter', isReportingMember: true, isAppointedMediator: false, isNamedRespondent: false });
    expect(callerRelation(caller('reporter', { organisationId: OTHER_ORG }), newCase).isReportingMember).toBe(false);
  });

  it('says whether a mediator is the one appointed, and never for another role', () => {
    expect(callerRelation(caller('mediator', { userId: MEDIATOR }), newCase).isAppointedMediator).toBe(true);
    expect(callerRelation(caller('mediator'), newCase).isAppointedMediator).toBe(false);
    expect(callerRelation(caller('caseworker', { userId: MEDIATOR, organisationId: ORG }), newCase)).toEqual({ role: 'caseworker', isReportingMember: false, isAppointedMediator: false, isNamedRespondent: false });
  });
});

describe('actionsAvailableTo', () => {
  it('gives a new case’s reporter only WITHDRAW, and a caseworker ASSIGN', () => {
    expect(actionsAvailableTo(callerRelation(caller('reporter', { organisationId: ORG }), newCase), newCase, at)).toEqual(['WITHDRAW']);
    expect(actionsAvailableTo(callerRelation(caller('caseworker'), newCase), newCase, at)).toEqual(expect.arrayContaining(['ASSIGN']));
  });

  it('gives someone outside the case nothing to do', () => {
    expect(actionsAvailableTo(callerRelation(caller('reporter', { organisationId: OTHER_ORG }), newCase), newCase, at)).toEqual([]);
    expect(actionsAvailableTo(callerRelation(caller('mediator'), newCase), newCase, at)).toEqual([]);
  });
});
