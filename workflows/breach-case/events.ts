/**
 * The breach case's commands: what a caller may ask of a case, with the shape of each payload.
 *
 * These schemas are the single source of truth for payload validation: the API validates a
 * request body with them, and the machine's event types are derived from them. Every schema is
 * strict, so an unknown field is refused rather than silently ignored.
 */
import { z } from 'zod';
import { REAL_DATE_REASON, REAL_DATE_TIME_REASON, isRealDate, isRealDateTime } from './date-rules';

const MAX_TEXT = 10_000;
// Trimmed first, so text of only spaces is refused as blank rather than stored.
const text = (max = MAX_TEXT) => z.string().trim().min(1, 'must not be blank').max(max, `must be at most ${max} characters`);
const optionalText = (max = MAX_TEXT) => text(max).optional();
// The one calendar check (date-rules.ts): 2027-02-30 is refused here, never rolled over to March.
const isoDate = z.string().refine(isRealDate, REAL_DATE_REASON);
const isoDateTime = z.string().refine(isRealDateTime, REAL_DATE_TIME_REASON);
const uuid = z.string().uuid('must be a UUID');
const pence = z.number().int('must be a whole number of pence').positive('must be more than 0').max(100_000_000, 'must be at most 100000000');
const workingDays = z.number().int('must be a whole number of working days').min(1, 'must be 1 to 20').max(20, 'must be 1 to 20');
const agreedActions = z.array(text(2_000)).min(1, 'must list at least one agreed action').max(50, 'must list at most 50 agreed actions');

export const REJECTION_REASONS = [
  'notCompactMatter',
  'respondentNotSignatory',
  'outOfTime',
  'insufficientEvidence',
  'duplicate',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export const FEE_PARTIES = ['reporter', 'respondent'] as const;
export type FeeParty = (typeof FEE_PARTIES)[number];

export const MEDIATION_RESULTS = ['settled', 'partiallySettled', 'notSettled'] as const;
export type MediationResult = (typeof MEDIATION_RESULTS)[number];

/** Payload schemas of the events a person may send, keyed by event type. */
export const commandSchemas = {
  ASSIGN: z.strictObject({ caseworkerId: uuid }),
  REQUEST_INFO: z.strictObject({ questions: text() }),
  PROVIDE_INFO: z.strictObject({ answer: text() }),
  ACCEPT: z.strictObject({ note: optionalText() }),
  REJECT: z
    .strictObject({ reason: z.enum(REJECTION_REASONS), explanation: text(), duplicateOfReference: text(40).optional() })
    .refine((p) => p.reason !== 'duplicate' || !!p.duplicateOfReference, {
      message: 'is required when the reason is duplicate',
      path: ['duplicateOfReference'],
    }),
  CONTACT_RESPONDENT: z.strictObject({
    summary: text(),
    contactName: optionalText(200),
    contactEmail: z.string().email('must be an e-mail address').optional(),
    /** Version 2: the public body's respondent contacts (registry) named on the case; at least one. */
    contactIds: z.array(uuid).min(1, 'must name at least one contact').max(10, 'must name at most 10 contacts').optional(),
  }),
  CHASE: z.strictObject({ note: optionalText() }),
  RECORD_RESPONSE: z.strictObject({ summary: text() }),
  RESOLVE: z.strictObject({ agreedActions, monitorUntil: isoDate }),
  OPEN_NEGOTIATION: z.strictObject({ note: optionalText() }),
  RECORD_MEETING: z.strictObject({ heldOn: isoDate, summary: text() }),
  AGREE: z.strictObject({ agreedActions, monitorUntil: isoDate }),
  REFER_TO_MEDIATION: z.strictObject({ reason: optionalText() }),
  CAMPAIGN: z.strictObject({ plan: text() }),
  RECORD_ACTIVITY: z.strictObject({ summary: text() }),
  CLOSE: z.strictObject({ outcome: z.enum(['resolved', 'unresolved']), summary: text() }),
  CLOSE_UNRESOLVED: z.strictObject({ reason: text() }),
  QUOTE_FEE: z.strictObject({
    amountPence: pence,
    reporterSharePercent: z.number().int('must be a whole number').min(0, 'must be 0 to 100').max(100, 'must be 0 to 100'),
  }),
  AGREE_FEE: z.strictObject({ party: z.enum(FEE_PARTIES) }),
  DECLINE_FEE: z.strictObject({ party: z.enum(FEE_PARTIES), reason: optionalText() }),
  WAIVE_FEE: z.strictObject({ reason: text() }),
  RECORD_PAYMENT: z.strictObject({ party: z.enum(FEE_PARTIES), amountPence: pence }),
  APPOINT_MEDIATOR: z.strictObject({ mediatorId: uuid }),
  SCHEDULE_SESSION: z.strictObject({ startsAt: isoDateTime, location: text(500) }),
  RESCHEDULE: z.strictObject({ startsAt: isoDateTime, location: optionalText(500), reason: optionalText() }),
  RECORD_SESSION_HELD: z.strictObject({ note: optionalText() }),
  RECORD_OUTCOME: z
    .strictObject({
      result: z.enum(MEDIATION_RESULTS),
      summary: text(),
      agreedActions: agreedActions.optional(),
      monitorUntil: isoDate.optional(),
      /** Only for notSettled: close the case, or take it back to advocacy review. */
      next: z.enum(['close', 'returnToAdvocacy']).optional(),
    })
    .refine((p) => p.result === 'notSettled' || !!p.agreedActions, {
      message: 'is required when the mediation settled the dispute',
      path: ['agreedActions'],
    })
    .refine((p) => p.result === 'notSettled' || !!p.monitorUntil, {
      message: 'is required when the mediation settled the dispute',
      path: ['monitorUntil'],
    })
    .refine((p) => p.result !== 'notSettled' || !!p.next, {
      message: "is required when the mediation did not settle: 'close' or 'returnToAdvocacy'",
      path: ['next'],
    }),
  CONFIRM_IMPLEMENTED: z.strictObject({ note: optionalText() }),
  REPORT_NOT_IMPLEMENTED: z.strictObject({ details: text() }),
  WITHDRAW: z.strictObject({ reason: optionalText() }),
  REOPEN: z.strictObject({ reason: text() }),

  // Version 2: the public body acts for itself, and a reporter may ask for a rejection to be reviewed.
  /** The public body asks once for more time to reply. */
  REQUEST_EXTENSION: z.strictObject({ reason: text(), workingDays: workingDays }),
  GRANT_EXTENSION: z.strictObject({ workingDays: workingDays, note: optionalText() }),
  REFUSE_EXTENSION: z.strictObject({ reason: text() }),
  /** A party says it has paid its share; an administrator still records the payment (RECORD_PAYMENT). */
  REPORT_FEE_PAID: z.strictObject({ party: z.enum(FEE_PARTIES), note: optionalText(2_000) }),
  /** Times a party can attend; the mediator picks one with SCHEDULE_SESSION. */
  PROPOSE_SESSION_TIMES: z.strictObject({
    times: z.array(isoDateTime).min(1, 'must give at least one time').max(5, 'must give at most 5 times'),
    note: optionalText(2_000),
  }),
  /** The public body reports the agreed actions carried out (documents go up as evidence). */
  REPORT_ACTIONS_DONE: z.strictObject({ summary: text() }),
  /** The reporter asks for a rejection to be looked at again, within the review window. */
  REQUEST_REVIEW: z.strictObject({ reason: text() }),
  /** A caseworker other than the one who rejected decides the review. */
  UPHOLD_REJECTION: z.strictObject({ explanation: text() }),
  REOPEN_AFTER_REVIEW: z.strictObject({ explanation: text() }),
} as const;

export type CommandType = keyof typeof commandSchemas;
export const COMMAND_TYPES = Object.keys(commandSchemas) as CommandType[];
export type CommandPayload<T extends CommandType> = z.infer<(typeof commandSchemas)[T]>;

/**
 * Events only the system sends (the deadline worker), never accepted from the API.
 */
export const SYSTEM_EVENT_TYPES = ['INFORMATION_OVERDUE', 'RESPONSE_OVERDUE', 'FEE_AGREEMENT_OVERDUE'] as const;
export type SystemEventType = (typeof SYSTEM_EVENT_TYPES)[number];

/**
 * What the service layer adds to every event before the machine sees it: the time it happened,
 * so the machine never reads a clock, and facts it looked up that a guard needs.
 */
export interface EventStamp {
  /** ISO 8601 time the event was accepted. */
  at: string;
}

/** Extra facts the service looks up for specific events. */
export interface EventEnrichment {
  /** APPOINT_MEDIATOR: the organisations the proposed mediator is tied to (employment, trusteeship, membership). */
  APPOINT_MEDIATOR: { mediatorTies: string[] };
  /**
   * REJECT (version 2): who rejected, and the end of the review window (ISO time, end of the 20th
   * working day in London), worked out by the service with the bank-holiday calendar.
   */
  REJECT: { actorId?: string; reviewableUntil?: string };
  /** The reviewer, who must not be the caseworker who rejected. */
  UPHOLD_REJECTION: { actorId: string };
  REOPEN_AFTER_REVIEW: { actorId: string };
  /** Version 2: which party offered the times (from the caller's role), when the service knows it. */
  PROPOSE_SESSION_TIMES: { party?: FeeParty };
}

type Enrichment<T> = T extends keyof EventEnrichment ? EventEnrichment[T] : unknown;

export type CommandEvent = {
  [T in CommandType]: { type: T } & CommandPayload<T> & EventStamp & Enrichment<T>;
}[CommandType];
export type SystemEvent = { [T in SystemEventType]: { type: T } & EventStamp }[SystemEventType];
export type BreachCaseEvent = CommandEvent | SystemEvent;
export type BreachCaseEventType = BreachCaseEvent['type'];
