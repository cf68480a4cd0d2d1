/**
 * What happened on a case, in words: each event's title (in the third person, as a record reads:
 * "Public body contacted"), and each detail an event carries as "Label: value" (money in pounds,
 * people by name, dates as dates, choices in words). Used by the staff timeline and the case file.
 */
import { feeShares } from '@cc/workflows';
import { AFTER_MEDIATION_WORDS, CLOSING_OUTCOME_WORDS, FEE_PARTY_WORDS, MEDIATION_RESULT_WORDS, REJECTION_REASON_WORDS } from './outcomes';
import { workingDays } from './periods';
import { humanise } from './states';

export const EVENT_TITLES: Readonly<Record<string, string>> = {
  SUBMITTED: 'Report received',
  ASSIGN: 'Caseworker given the case',
  REQUEST_INFO: 'Questions sent to the reporting organisation',
  PROVIDE_INFO: 'The reporting organisation answered the questions',
  INFORMATION_OVERDUE: 'The questions were not answered in time: case closed',
  ACCEPT: 'Case taken up',
  REJECT: 'Case not taken up',
  CONTACT_RESPONDENT: 'Public body contacted',
  CHASE: 'Public body chased for a reply',
  RESPONSE_OVERDUE: 'The public body did not reply in time',
  RECORD_RESPONSE: "The public body's reply",
  RESOLVE: 'Agreement reached: case resolved',
  OPEN_NEGOTIATION: 'Negotiation started',
  RECORD_MEETING: 'Meeting with the public body',
  AGREE: 'Agreement reached in negotiation',
  REFER_TO_MEDIATION: 'Referred to mediation',
  CAMPAIGN: 'Wider campaigning started',
  RECORD_ACTIVITY: 'Campaign activity',
  CLOSE: 'Campaign ended: case closed',
  CLOSE_UNRESOLVED: 'Closed without an agreement',
  QUOTE_FEE: 'Mediation fee quoted',
  AGREE_FEE: 'Mediation fee agreed',
  DECLINE_FEE: 'Mediation fee declined',
  FEE_AGREEMENT_OVERDUE: 'The time to agree or pay the fee ran out',
  WAIVE_FEE: 'Mediation fee waived',
  RECORD_PAYMENT: 'Payment towards the fee received',
  APPOINT_MEDIATOR: 'Mediator appointed',
  SCHEDULE_SESSION: 'Mediation session arranged',
  RESCHEDULE: 'Mediation session moved',
  RECORD_SESSION_HELD: 'Mediation session held',
  RECORD_OUTCOME: 'Outcome of the mediation',
  CONFIRM_IMPLEMENTED: 'Agreed actions confirmed done: case closed',
  REPORT_NOT_IMPLEMENTED: 'Agreed actions reported not done',
  WITHDRAW: 'Case withdrawn',
  REOPEN: 'Case reopened',
  REQUEST_EXTENSION: 'The public body asked for more time',
  GRANT_EXTENSION: 'More time given to the public body',
  REFUSE_EXTENSION: 'More time refused',
  REPORT_FEE_PAID: 'A party said it has paid its share of the fee',
  PROPOSE_SESSION_TIMES: 'Times offered for the mediation session',
  REPORT_ACTIONS_DONE: 'The public body said the agreed actions are done',
  REQUEST_REVIEW: 'The reporter asked for a review of the rejection',
  UPHOLD_REJECTION: 'Rejection kept after review',
  REOPEN_AFTER_REVIEW: 'Reopened after review',
  MOVED_TO_VERSION_2: 'Moved to the new version of the process',
  // A record on the timeline, not an event (written by the letters library).
  LETTER_SENT: 'Letter sent',
};

/** A message on the timeline, named by who wrote it. */
export function messageTitle(authorRole: string): string {
  if (authorRole === 'respondent') return 'Message from the public body';
  if (authorRole === 'reporter') return 'Message from the reporting organisation';
  return 'Message to the public body';
}

export const eventTitle = (type: string, actorRole: string): string => (type === 'MESSAGE' ? messageTitle(actorRole) : (EVENT_TITLES[type] ?? humanise(type)));

/** The labels of event details where the field's own name would not do. */
const DETAIL_LABELS: Readonly<Record<string, string>> = {
  amountPence: 'Amount',
  reporterSharePercent: "Reporting organisation's share",
  caseworkerId: 'Caseworker',
  mediatorId: 'Mediator',
  duplicateOfReference: 'Duplicate of',
  startsAt: 'Session',
  heldOn: 'Held on',
  monitorUntil: 'To be done by',
  agreedActions: 'Agreed actions',
  contactEmail: 'Contact e-mail address',
  contactName: 'Contact',
  workingDays: 'More time',
  times: 'Times offered',
  contactIds: 'Contacts named',
  reviewableUntil: 'A review can be asked for until',
  recipients: 'To',
  byEmail: 'By e-mail',
};

/** "contactEmail" as "Contact email": a field's own name, when it has no label of its own. */
function sentenceCase(name: string): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The label of an event detail. */
export const detailLabel = (key: string): string => DETAIL_LABELS[key] ?? sentenceCase(key);

/** "5 working days", "1 working day"; "some working days" when the number is not one. */
export function workingDaysText(v: unknown): string {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? workingDays(n) : 'some working days';
}

/** "5 more working days", "1 more working day". */
export const moreWorkingDays = (v: unknown): string => workingDaysText(v).replace(/^(\d+) /, '$1 more ');

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The details whose value is one of a fixed set of choices, in words. A value not in its table is
 * a person's own words (a withdrawal's reason is free text), kept as they wrote it.
 */
const CHOICE_WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  reason: Object.fromEntries(Object.entries(REJECTION_REASON_WORDS).map(([k, v]) => [k, capitalised(v.because)])),
  party: FEE_PARTY_WORDS,
  result: Object.fromEntries(Object.entries(MEDIATION_RESULT_WORDS).map(([k, v]) => [k, v.option])),
  next: AFTER_MEDIATION_WORDS,
  outcome: CLOSING_OUTCOME_WORDS,
};

/** How dates and money are written where the detail is shown (a page's renderer, a document). */
export interface DetailFormats {
  date(v: string): string;
  dateTime(v: string): string;
  pounds(pence: number): string;
}

/**
 * One detail of an event in words, given the names of the people it may name (by id) and the event
 * it is part of (a share is said in money with the fee quoted beside it). Undefined when the value
 * cannot be said in words at all.
 */
export function detailText(key: string, value: unknown, event: Readonly<Record<string, unknown>>, names: ReadonlyMap<string, string>, f: DetailFormats): string | undefined {
  if (key === 'amountPence' && typeof value === 'number') return f.pounds(value);
  if (key === 'reporterSharePercent' && typeof value === 'number') {
    if (typeof event.amountPence !== 'number') return `${value} per cent`;
    const shares = feeShares({ amountPence: event.amountPence, reporterSharePercent: value });
    return `${f.pounds(shares.reporter)} (the public body pays ${f.pounds(shares.respondent)})`;
  }
  if ((key === 'caseworkerId' || key === 'mediatorId') && typeof value === 'string') return names.get(value) ?? 'Someone no longer registered';
  if (key === 'contactIds' && Array.isArray(value)) return value.map((id) => names.get(String(id)) ?? 'A contact no longer listed').join('; ');
  if ((key === 'startsAt' || key === 'times') && (typeof value === 'string' || Array.isArray(value))) return (Array.isArray(value) ? value : [value]).map((t) => f.dateTime(String(t))).join('; ');
  if ((key === 'heldOn' || key === 'monitorUntil' || key === 'reviewableUntil') && typeof value === 'string') return f.date(value);
  if (key === 'workingDays') return workingDaysText(value);
  if (typeof value === 'string' && CHOICE_WORDS[key]) return CHOICE_WORDS[key][value] ?? value;
  if (Array.isArray(value)) return value.map(String).join('; ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  return undefined;
}
