import { formatDate } from '@cc/wording';
import type { ReadPart, ReadVia } from './record-reads/read-entry';

/**
 * The audit in words, for the pages that show it and for anything that explains it to a person
 * (a subject access summary): no codes, no paths, no status numbers.
 */
export const READ_PART_WORDS: Readonly<Record<ReadPart, string>> = {
  case: 'The case',
  timeline: 'Its history',
  notes: 'Its notes',
  messages: 'Its messages',
  evidence: 'A document',
  'case-file': 'The case file',
  letters: 'Its letters',
  deadlines: 'Its deadlines',
  other: 'Another part of the case',
};

export const READ_VIA_WORDS: Readonly<Record<ReadVia, string>> = { page: 'A page', api: 'The API' };

/** The roles whose reads are recorded, as a sentence starts with them ("A caseworker opened..."). */
export const STAFF_ROLE_WORDS: Readonly<Record<string, { one: string; title: string }>> = {
  caseworker: { one: 'A caseworker', title: 'Caseworker' },
  mediator: { one: 'A mediator', title: 'Mediator' },
  administrator: { one: 'An administrator', title: 'Administrator' },
};

/** What came of a request, in words: it was shown or done, or it was refused (never the number). */
export function readOutcomeWords(method: string, status: number): string {
  const looked = method === 'GET' || method === 'HEAD';
  if (status < 400) return looked ? 'Opened' : 'Changed';
  if (status === 404) return 'Refused: not theirs to see, or not there';
  if (status < 500) return looked ? 'Refused' : 'Refused: the change was not made';
  return 'Failed';
}

/** "A caseworker opened this case on 3 December 2026." (a day as YYYY-MM-DD) */
export function openingSentence(role: string, day: string): string {
  return `${STAFF_ROLE_WORDS[role]?.one ?? 'Someone from our staff'} opened this case on ${formatDate(day) ?? day}.`;
}
