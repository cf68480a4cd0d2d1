/**
 * Who may send which event. This is the role check only; whether the event is possible now is
 * the workflow's decision, and whether the caller can see the case at all is the service's.
 */
import { SYSTEM_EVENT_TYPES, type BreachCaseEventType, type CommandType, type FeeParty } from './events';
import type { BreachCaseWorkflow } from './workflow';

/** `respondent`: a named contact at the public body a case is against (workflow version 2 lets them answer). */
export type Role = 'reporter' | 'caseworker' | 'mediator' | 'administrator' | 'respondent';

export interface CallerRelation {
  role: Role;
  /** The caller belongs to the case's reporting organisation. */
  isReportingMember: boolean;
  /** The caller is the mediator appointed to this case. */
  isAppointedMediator: boolean;
  /** The caller is a respondent contact at the case's public body who is named on this case. */
  isNamedRespondent: boolean;
}

const REPORTER_EVENTS: ReadonlySet<CommandType> = new Set<CommandType>([
  'PROVIDE_INFO',
  'WITHDRAW',
  'AGREE_FEE',
  'DECLINE_FEE',
  // Version 2.
  'REQUEST_REVIEW',
  'REPORT_FEE_PAID',
  'PROPOSE_SESSION_TIMES',
]);

/** Version 2: what a named contact at the public body may do on its own case. */
const RESPONDENT_EVENTS: ReadonlySet<CommandType> = new Set<CommandType>([
  'RECORD_RESPONSE',
  'REQUEST_EXTENSION',
  'AGREE_FEE',
  'DECLINE_FEE',
  'REPORT_FEE_PAID',
  'PROPOSE_SESSION_TIMES',
  'REPORT_ACTIONS_DONE',
]);

const CASEWORKER_EVENTS: ReadonlySet<CommandType> = new Set<CommandType>([
  'ASSIGN',
  'REQUEST_INFO',
  'ACCEPT',
  'REJECT',
  'CONTACT_RESPONDENT',
  'CHASE',
  'RECORD_RESPONSE',
  'RESOLVE',
  'OPEN_NEGOTIATION',
  'RECORD_MEETING',
  'AGREE',
  'REFER_TO_MEDIATION',
  'CAMPAIGN',
  'RECORD_ACTIVITY',
  'CLOSE',
  'CLOSE_UNRESOLVED',
  'QUOTE_FEE',
  'AGREE_FEE',
  'DECLINE_FEE',
  'RECORD_PAYMENT',
  'APPOINT_MEDIATOR',
  'CONFIRM_IMPLEMENTED',
  'REPORT_NOT_IMPLEMENTED',
  'REOPEN',
  // On the reporter's behalf, e.g. when they phone in.
  'WITHDRAW',
  // Version 2: deciding the public body's request for more time, and reviewing a rejection.
  'GRANT_EXTENSION',
  'REFUSE_EXTENSION',
  'UPHOLD_REJECTION',
  'REOPEN_AFTER_REVIEW',
]);

const MEDIATOR_EVENTS: ReadonlySet<CommandType> = new Set<CommandType>([
  'SCHEDULE_SESSION',
  'RESCHEDULE',
  'RECORD_SESSION_HELD',
  'RECORD_OUTCOME',
]);

/**
 * Fee answers are per party: the reporter speaks for itself, the public body for itself, and a
 * caseworker records the public body's answer given by letter or phone.
 */
const FEE_ANSWERS: ReadonlySet<BreachCaseEventType> = new Set<BreachCaseEventType>(['AGREE_FEE', 'DECLINE_FEE', 'REPORT_FEE_PAID']);

export function isSystemEvent(type: string): boolean {
  return (SYSTEM_EVENT_TYPES as readonly string[]).includes(type);
}

/** Without a payload the question is "could this caller send this event with some payload". */
function partyAllowed(type: BreachCaseEventType, payload: Record<string, unknown> | undefined, party: FeeParty): boolean {
  if (!FEE_ANSWERS.has(type) || payload === undefined) return true;
  return payload.party === party;
}

function reporterMay(caller: CallerRelation, type: BreachCaseEventType, payload?: Record<string, unknown>): boolean {
  return caller.isReportingMember && REPORTER_EVENTS.has(type as CommandType) && partyAllowed(type, payload, 'reporter');
}

function caseworkerMay(type: BreachCaseEventType, payload?: Record<string, unknown>): boolean {
  return CASEWORKER_EVENTS.has(type as CommandType) && partyAllowed(type, payload, 'respondent');
}

function respondentMay(caller: CallerRelation, type: BreachCaseEventType, payload?: Record<string, unknown>): boolean {
  return caller.isNamedRespondent && RESPONDENT_EVENTS.has(type as CommandType) && partyAllowed(type, payload, 'respondent');
}

function mediatorMay(type: BreachCaseEventType): boolean {
  return MEDIATOR_EVENTS.has(type as CommandType);
}

export function mayRequest(caller: CallerRelation, type: BreachCaseEventType, payload?: Record<string, unknown>): boolean {
  if (isSystemEvent(type)) return false;
  switch (caller.role) {
    case 'reporter':
      return reporterMay(caller, type, payload);
    case 'caseworker':
      return caseworkerMay(type, payload);
    case 'mediator':
      return caller.isAppointedMediator && mediatorMay(type);
    case 'respondent':
      return respondentMay(caller, type, payload);
    case 'administrator':
      // Administrators stand in for any caseworker or mediator without being appointed; only
      // they may waive a fee.
      return type === 'WAIVE_FEE' || caseworkerMay(type, payload) || mediatorMay(type);
    default:
      return false;
  }
}

/** What this caller can do on the case now: enabled events they may send, system events excluded. */
export function availableActions(
  workflow: BreachCaseWorkflow,
  snapshot: unknown,
  caller: CallerRelation,
  at: string,
): BreachCaseEventType[] {
  return workflow.enabledEvents(snapshot, at).filter((type) => !isSystemEvent(type) && mayRequest(caller, type));
}
