import { formatDate } from '@cc/wording';

export const REQUEST_KINDS = ['access', 'erasure'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export type RequestStatus = 'open' | 'done' | 'refused';

/** What each kind of request is called on the pages (and in the clock's line on the deadlines page). */
export const REQUEST_KIND_WORDS: Readonly<Record<RequestKind, { name: string; option: string; hint: string }>> = {
  access: { name: 'Subject access request', option: 'A copy of their personal data (subject access)', hint: 'Everything held about them, in one download, within one month.' },
  erasure: { name: 'Erasure request', option: 'Erase their personal data', hint: 'Their name and e-mail address replaced on every record and their account closed, unless the data must be kept.' },
};

export const REQUEST_STATUS_WORDS: Readonly<Record<RequestStatus, string>> = {
  open: 'Waiting for an answer',
  done: 'Answered',
  refused: 'Refused',
};

/** "due in 12 days", "due today", "3 days overdue": when a request must be answered, from today. */
export function dueInWords(daysLeft: number): string {
  if (daysLeft === 0) return 'due today';
  if (daysLeft === 1) return 'due tomorrow';
  if (daysLeft > 1) return `due in ${daysLeft} days`;
  return daysLeft === -1 ? '1 day overdue' : `${-daysLeft} days overdue`;
}

/** The clock's line: "Subject access request from jo@example.org — answer by 3 January 2027". */
export function clockLine(kind: RequestKind, email: string, dueOn: string): string {
  return `${REQUEST_KIND_WORDS[kind].name} from ${email} — answer by ${formatDate(dueOn) ?? dueOn}`;
}
