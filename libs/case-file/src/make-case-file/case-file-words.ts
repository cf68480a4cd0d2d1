import { CLOSED_BECAUSE, DEADLINE_LABELS, type DetailFormats, detailLabel, detailText, formatDate, formatDateTime, formatPence, humanise } from '@cc/wording';

/**
 * The case file's own words: a record read by a board, a lawyer or a mediator preparing. Events'
 * titles and details, states, outcomes, reasons, clocks, money and dates come from @cc/wording;
 * here are only the words the case file alone uses.
 */

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

/** Kept for the workflow, saying nothing to a person (who acted is shown already). */
const HIDDEN_DETAILS = new Set(['actorId', 'messageId', 'audience', 'body', 'fromRole']);
const NAMED_IDS = new Set(['caseworkerId', 'mediatorId', 'contactIds']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Dates and money as a document writes them (the pages' renderer writes them the same way). */
const DOCUMENT_FORMATS: DetailFormats = {
  date: (v) => formatDate(v) ?? v,
  dateTime: (v) => formatDateTime(v) ?? v,
  pounds: (pence) => formatPence(pence) ?? `£${(pence / 100).toFixed(2)}`,
};

/**
 * One detail of an event as "Label: value" for people. A detail that cannot be said in words (an id
 * nobody can name) is left out, never shown as its code.
 */
export function detailLine(key: string, value: unknown, event: Record<string, unknown>, names: ReadonlyMap<string, string>): string | undefined {
  if (HIDDEN_DETAILS.has(key) || value === null || value === undefined || value === '') return undefined;
  // Ids say nothing to a person: only those naming someone are shown, by their name.
  if (/Ids?$/.test(key) && !NAMED_IDS.has(key)) return undefined;
  if (typeof value === 'string' && UUID.test(value)) return undefined;
  const text = detailText(key, value, event, names, DOCUMENT_FORMATS);
  return text === undefined ? undefined : `${detailLabel(key)}: ${text}`;
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
