import type { Role } from '@cc/workflows';

/**
 * Who may read a piece of case information:
 * shared: everyone on the case, reporter included; internal: caseworkers and administrators;
 * mediator: the appointed mediator (and administrators), never caseworkers or the reporter.
 */
export const VISIBILITIES = ['shared', 'internal', 'mediator'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

const READABLE: Record<Role, readonly Visibility[]> = {
  reporter: ['shared'],
  caseworker: ['shared', 'internal'],
  mediator: ['shared', 'mediator'],
  administrator: ['shared', 'internal', 'mediator'],
  respondent: [],
};

/** What each role may write: nobody writes into a channel they cannot read. */
const WRITABLE: Record<Role, readonly Visibility[]> = {
  reporter: ['shared'],
  caseworker: ['shared', 'internal'],
  mediator: ['shared', 'mediator'],
  administrator: ['shared', 'internal', 'mediator'],
  respondent: [],
};

export function readableBy(role: Role): readonly Visibility[] {
  return READABLE[role];
}

export function writableBy(role: Role): readonly Visibility[] {
  return WRITABLE[role];
}

/**
 * Which event payload fields each audience may see on the timeline. Unlisted fields are internal:
 * a new field stays hidden from reporters until someone decides it should be shared.
 */
const FIELD_VISIBILITY: Record<string, Record<string, Visibility>> = {
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
};

/** The payload with only the fields this role may read. */
export function visiblePayload(role: Role, eventType: string, payload: Record<string, unknown>): Record<string, unknown> {
  const readable = READABLE[role];
  const fields = FIELD_VISIBILITY[eventType] ?? {};
  return Object.fromEntries(Object.entries(payload).filter(([key]) => readable.includes(fields[key] ?? 'internal')));
}
