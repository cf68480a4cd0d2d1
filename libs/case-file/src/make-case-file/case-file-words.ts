import {
  AFTER_MEDIATION_WORDS,
  CLOSED_BECAUSE,
  CLOSING_OUTCOME_WORDS,
  DEADLINE_LABELS,
  FEE_PARTY_WORDS,
  MEDIATION_RESULT_WORDS,
  REJECTION_REASON_WORDS,
  formatDate,
  formatDateTime,
  formatPence,
  humanise,
} from '@cc/wording';
import { feeShares } from '@cc/workflows';

/**
 * The case file's own words: a record read by a board, a lawyer or a mediator preparing, so each
 * event is named in the third person ("Public body contacted"), not as the case page speaks to the
 * person looking at it. States, outcomes, reasons, clocks, money and dates come from @cc/wording.
 */
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
  REQUEST_REVIEW: 'Review of the rejection asked for',
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

/** Who acted, when the log gives no name (the system, or a person the reader may not be told of). */
export const ROLE_WORDS: Readonly<Record<string, string>> = {
  reporter: 'The reporting organisation',
  caseworker: 'A caseworker',
  mediator: 'The mediator',
  administrator: 'An administrator',
  respondent: 'The public body',
  system: 'Automatically (a time limit)',
};

export const whoActed = (name: string | null, role: string): string => name ?? ROLE_WORDS[role] ?? 'Someone';

/** A role as it reads after "made for ... (". */
export const ROLE_NAMES: Readonly<Record<string, string>> = {
  reporter: 'reporting organisation',
  caseworker: 'caseworker',
  mediator: 'mediator',
  administrator: 'administrator',
  respondent: 'public body',
};

/** Who may read a note or message, in words. */
export const AUDIENCE_WORDS: Readonly<Record<string, string>> = {
  shared: 'Shared: the reporting organisation, caseworkers and the mediator',
  internal: 'Internal: caseworkers only',
  mediator: 'Confidential: the mediator only',
  parties: 'The public body, the reporting organisation and caseworkers',
  respondent: 'Only the public body and caseworkers',
};

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
  party: 'Party',
  result: 'Result',
  next: 'What happens next',
  outcome: 'Outcome',
  reason: 'Reason',
  subject: 'Subject',
  recipients: 'To',
  byEmail: 'By e-mail',
};

/** Kept for the workflow, saying nothing to a person (who acted is shown already). */
const HIDDEN_DETAILS = new Set(['actorId', 'messageId', 'audience', 'body', 'fromRole']);
const NAMED_IDS = new Set(['caseworkerId', 'mediatorId', 'contactIds']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CHOICE_WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  reason: Object.fromEntries(Object.entries(REJECTION_REASON_WORDS).map(([k, v]) => [k, v.option])),
  party: FEE_PARTY_WORDS,
  result: Object.fromEntries(Object.entries(MEDIATION_RESULT_WORDS).map(([k, v]) => [k, v.option])),
  next: AFTER_MEDIATION_WORDS,
  outcome: CLOSING_OUTCOME_WORDS,
};

const sentenceCase = (name: string) => {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const workingDaysText = (v: unknown) => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? `${n} working day${n === 1 ? '' : 's'}` : undefined;
};

/**
 * One detail of an event as "Label: value" for people: money in pounds, people by name, dates as
 * dates, choices in words. A detail that cannot be said in words (an id nobody can name) is left out,
 * never shown as its code.
 */
export function detailLine(key: string, value: unknown, event: Record<string, unknown>, names: ReadonlyMap<string, string>): string | undefined {
  if (HIDDEN_DETAILS.has(key) || value === null || value === undefined || value === '') return undefined;
  // Ids say nothing to a person: only those naming someone are shown, by their name.
  if (/Ids?$/.test(key) && !NAMED_IDS.has(key)) return undefined;
  if (typeof value === 'string' && UUID.test(value)) return undefined;
  const label = DETAIL_LABELS[key] ?? sentenceCase(key);
  const text = detailValue(key, value, event, names);
  return text === undefined ? undefined : `${label}: ${text}`;
}

function detailValue(key: string, value: unknown, event: Record<string, unknown>, names: ReadonlyMap<string, string>): string | undefined {
  if (key === 'amountPence') return formatPence(value);
  if (key === 'reporterSharePercent' && typeof value === 'number') {
    if (typeof event.amountPence !== 'number') return `${value} per cent`;
    const shares = feeShares({ amountPence: event.amountPence, reporterSharePercent: value });
    return `${formatPence(shares.reporter)} (the public body pays ${formatPence(shares.respondent)})`;
  }
  if (key === 'caseworkerId' || key === 'mediatorId') return typeof value === 'string' ? (names.get(value) ?? 'someone no longer registered') : undefined;
  if (key === 'contactIds' && Array.isArray(value)) return value.map((id) => names.get(String(id)) ?? 'a contact no longer listed').join('; ');
  if (key === 'startsAt' || key === 'times') return Array.isArray(value) ? value.map((t) => formatDateTime(t) ?? String(t)).join('; ') : formatDateTime(value);
  if (key === 'heldOn' || key === 'monitorUntil' || key === 'reviewableUntil') return formatDate(value);
  if (key === 'workingDays') return workingDaysText(value);
  if (CHOICE_WORDS[key] && typeof value === 'string') return CHOICE_WORDS[key][value] ?? humanise(value);
  if (Array.isArray(value)) return value.map(String).join('; ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  return undefined;
}

/** A clock and what became of it. */
export function deadlineStatus(d: { status: string; dueAt: string | null; firedAt: string | null; overdue: boolean }): string {
  switch (d.status) {
    case 'pending':
      return d.overdue ? 'Running: overdue' : 'Running';
    case 'paused':
      return 'Paused while the case waits on the reporting organisation';
    case 'met':
      return 'Met in time';
    case 'fired':
      return d.firedAt ? `Ran out on ${formatDate(d.firedAt)}` : 'Ran out';
    case 'cancelled':
      return 'No longer needed';
    default:
      return humanise(d.status);
  }
}

export const deadlineLabel = (kind: string): string => (DEADLINE_LABELS as Record<string, string>)[kind] ?? humanise(kind);

export const outcomeWords = (outcome: string | null, reader: 'reporter' | 'other'): string | undefined => {
  if (!outcome) return undefined;
  const because = (CLOSED_BECAUSE as Record<string, string>)[outcome];
  if (!because) return humanise(outcome);
  // CLOSED_BECAUSE speaks to the reporter ("you withdrew it"); others read the third person.
  const said = reader === 'reporter' ? because : because.replace(/\byou\b/g, 'the reporting organisation').replace(/\bwe\b/g, 'the advocacy programme').replace(/\bour\b/g, 'the');
  return `Closed: ${said}`;
};

/** "1.2 MB", "340 KB". */
export function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${bytes} bytes`;
}
