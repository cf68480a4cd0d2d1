import type { Role } from '@cc/workflows';

/**
 * Who may read a piece of case information:
 * shared: the reporter and staff (and the appointed mediator); internal: caseworkers and
 * administrators; mediator: the appointed mediator (and administrators), never caseworkers or the
 * reporter; parties: the reporter, the public body and staff (a message on the case);
 * respondent: the public body and staff only (a message "only between us").
 */
export const VISIBILITIES = ['shared', 'internal', 'mediator'] as const;
/** The audiences of notes (the notes panel). */
export type Visibility = (typeof VISIBILITIES)[number];

/** The audiences of messages between the caseworker and the public body (shown on the timeline). */
export const MESSAGE_VISIBILITIES = ['parties', 'respondent'] as const;
export type MessageVisibility = (typeof MESSAGE_VISIBILITIES)[number];

/** Every audience a note or message may have (case_notes.visibility). */
export const AUDIENCES = [...VISIBILITIES, ...MESSAGE_VISIBILITIES] as const;
export type Audience = (typeof AUDIENCES)[number];

const READABLE: Record<Role, readonly Audience[]> = {
  reporter: ['shared', 'parties'],
  caseworker: ['shared', 'internal', 'parties', 'respondent'],
  mediator: ['shared', 'mediator'],
  administrator: ['shared', 'internal', 'mediator', 'parties', 'respondent'],
  respondent: ['parties', 'respondent'],
};

/** What each role may write: nobody writes into a channel they cannot read. */
const WRITABLE: Record<Role, readonly Audience[]> = {
  reporter: ['shared'],
  caseworker: ['shared', 'internal', 'parties', 'respondent'],
  mediator: ['shared', 'mediator'],
  administrator: ['shared', 'internal', 'mediator', 'parties', 'respondent'],
  // A respondent's message goes to the caseworker and the reporter alike.
  respondent: ['parties'],
};

export function readableBy(role: Role): readonly Audience[] {
  return READABLE[role];
}

/** The note audiences (not messages) this role may write. */
export function writableBy(role: Role): readonly Visibility[] {
  return VISIBILITIES.filter((v) => WRITABLE[role].includes(v));
}

/** Every audience, notes and messages, this role may write. */
export function audiencesWritableBy(role: Role): readonly Audience[] {
  return WRITABLE[role];
}

/**
 * Which event payload fields each audience may see on the timeline. Unlisted fields are internal:
 * a new field stays hidden from reporters until someone decides it should be shared.
 */
const FIELD_VISIBILITY: Record<string, Record<string, Audience>> = {
  SUBMITTED: { title: 'shared', commitments: 'shared' },
  REQUEST_INFO: { questions: 'shared' },
  PROVIDE_INFO: { answer: 'shared' },
  REJECT: { reason: 'shared', explanation: 'shared', duplicateOfReference: 'shared' },
  RESOLVE: { agreedActions: 'shared', monitorUntil: 'shared' },
  AGREE: { agreedActions: 'shared', monitorUntil: 'shared' },
  CLOSE: { outcome: 'shared', summary: 'shared' },
  CLOSE_UNRESOLVED: { reason: 'shared' },
  CAMPAIGN: { plan: 'shared' },
  QUOTE_FEE: { amountPence: 'shared', reporterSharePercent: 'shared' },
  AGREE_FEE: { party: 'shared' },
  DECLINE_FEE: { party: 'shared', reason: 'shared' },
  WAIVE_FEE: { reason: 'shared' },
  RECORD_PAYMENT: { party: 'shared', amountPence: 'shared' },
  APPOINT_MEDIATOR: { mediatorId: 'shared' },
  SCHEDULE_SESSION: { startsAt: 'shared', location: 'shared' },
  RESCHEDULE: { startsAt: 'shared', location: 'shared', reason: 'shared' },
  RECORD_SESSION_HELD: { note: 'mediator' },
  RECORD_OUTCOME: { result: 'shared', summary: 'shared', agreedActions: 'shared', monitorUntil: 'shared', next: 'shared' },
  CONFIRM_IMPLEMENTED: { note: 'shared' },
  REPORT_NOT_IMPLEMENTED: { details: 'shared' },
  WITHDRAW: { reason: 'shared' },
  REOPEN: { reason: 'shared' },
  // Not an event: the facts a message's e-mail may show (who wrote it; never the message itself).
  MESSAGE: { fromRole: 'shared' },
  // Version 2: what the reporter and staff see of the public body's steps and the review.
  REQUEST_EXTENSION: { reason: 'shared', workingDays: 'shared' },
  GRANT_EXTENSION: { workingDays: 'shared', note: 'shared' },
  REFUSE_EXTENSION: { reason: 'shared' },
  REPORT_FEE_PAID: { party: 'shared', note: 'shared' },
  PROPOSE_SESSION_TIMES: { times: 'shared', note: 'shared' },
  REPORT_ACTIONS_DONE: { summary: 'shared' },
  REQUEST_REVIEW: { reason: 'shared' },
  UPHOLD_REJECTION: { explanation: 'shared' },
  REOPEN_AFTER_REVIEW: { explanation: 'shared' },
};

/**
 * What a respondent sees of the events about them (decision 6): the events listed, with only the
 * fields listed. No reasons for a withdrawal or closing, no internal notes, nobody's e-mail address.
 */
const RESPONDENT_FIELDS: Record<string, readonly string[]> = {
  SUBMITTED: ['title', 'commitments'],
  CONTACT_RESPONDENT: ['summary'],
  CHASE: [],
  RECORD_RESPONSE: ['summary'],
  RESPONSE_OVERDUE: [],
  REQUEST_EXTENSION: ['reason', 'workingDays'],
  GRANT_EXTENSION: ['workingDays', 'note'],
  REFUSE_EXTENSION: ['reason'],
  QUOTE_FEE: ['amountPence', 'reporterSharePercent'],
  AGREE_FEE: ['party'],
  DECLINE_FEE: ['party'],
  WAIVE_FEE: [],
  REPORT_FEE_PAID: ['party'],
  RECORD_PAYMENT: ['party', 'amountPence'],
  FEE_AGREEMENT_OVERDUE: [],
  APPOINT_MEDIATOR: [],
  PROPOSE_SESSION_TIMES: ['times', 'note'],
  SCHEDULE_SESSION: ['startsAt', 'location'],
  RESCHEDULE: ['startsAt', 'location'],
  RECORD_SESSION_HELD: [],
  RESOLVE: ['agreedActions', 'monitorUntil'],
  AGREE: ['agreedActions', 'monitorUntil'],
  RECORD_OUTCOME: ['result', 'summary', 'agreedActions', 'monitorUntil'],
  REPORT_ACTIONS_DONE: ['summary'],
  CONFIRM_IMPLEMENTED: ['note'],
  REPORT_NOT_IMPLEMENTED: ['details'],
  CLOSE: ['outcome'],
  CLOSE_UNRESOLVED: [],
  WITHDRAW: [],
};

/** Whether a respondent's timeline shows this event at all. */
export function respondentSeesEvent(eventType: string): boolean {
  return Object.hasOwn(RESPONDENT_FIELDS, eventType);
}

/** The payload with only the fields this role may read. */
export function visiblePayload(role: Role, eventType: string, payload: Record<string, unknown>): Record<string, unknown> {
  if (role === 'respondent') {
    const fields = RESPONDENT_FIELDS[eventType] ?? [];
    return Object.fromEntries(Object.entries(payload).filter(([key]) => fields.includes(key)));
  }
  const readable = READABLE[role];
  const fields = FIELD_VISIBILITY[eventType] ?? {};
  return Object.fromEntries(Object.entries(payload).filter(([key]) => readable.includes(fields[key] ?? 'internal')));
}
