import { UUID_TEXT } from '@cc/common';
import type { Role } from '@cc/workflows';

/** Which part of a case a request read (or acted on): the path segment after the case names it. */
export const READ_PARTS = ['case', 'timeline', 'notes', 'messages', 'evidence', 'case-file', 'letters', 'deadlines', 'other'] as const;
export type ReadPart = (typeof READ_PARTS)[number];

/** A page (a person in a browser, signed in by session) or the API (a bearer token). */
export type ReadVia = 'page' | 'api';

/** The roles whose reads of a case are recorded: everyone who works on cases. */
export const AUDITED_ROLES: ReadonlySet<Role> = new Set<Role>(['caseworker', 'mediator', 'administrator']);

/** The methods that read: what opening a case, a page or a download is. */
const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * Whether a request goes on the read audit. Administrators: every request, whatever it names (they
 * can see and change everything, so all of it is accounted for). Caseworkers and mediators: every
 * read of a case or a part of it, answered or refused. Their changes to a case are not reads: the
 * case's own history (events, notes, letters, evidence, each with its author and time) already
 * says who changed what, in the same transaction as the change, so recording them here too would
 * only double the writes under the busiest load the system has.
 */
export function isAudited(role: Role, method: string, caseRef: string | null): boolean {
  if (!AUDITED_ROLES.has(role)) return false;
  if (role === 'administrator') return true;
  return caseRef !== null && READ_METHODS.has(method.toUpperCase());
}

/** One request by a member of staff, as the audit keeps it. */
export interface ReadEntry {
  userId: string;
  role: Role;
  /** The case as the URL named it: its id or its reference (CB-2026-00042); null when none. */
  caseRef: string | null;
  what: ReadPart;
  via: ReadVia;
  method: string;
  path: string;
  status: number;
}

/** The longest path kept: enough for any route of ours and its query, bounded for an odd client. */
export const PATH_MAX_LENGTH = 500;

// Matched on the URL as routed: pages are rewritten to /api/web/... (webUrlRewrite), the API is /api/...
const CASE_PATH = new RegExp(`^/api(/web)?/cases/(${UUID_TEXT}|CB-\\d{4}-\\d+)(?:/([^/?#]*))?`, 'i');
const PAGE_PATH = /^\/api\/web(\/|\?|$)/;

/** Path segments after the case, by the part of the case they show. Anything else is "other". */
const PART_OF_SEGMENT: Record<string, ReadPart> = {
  '': 'case',
  // The case itself, seen or acted on: its actions, its links, the reporter's confirmation pages.
  actions: 'case',
  events: 'case',
  links: 'case',
  respondent: 'case',
  withdraw: 'case',
  answer: 'case',
  'agree-fee': 'case',
  'fee-agreed': 'case',
  timeline: 'timeline',
  notes: 'notes',
  messages: 'messages',
  evidence: 'evidence',
  deadlines: 'deadlines',
  letters: 'letters',
  'case-file': 'case-file',
  'case-file.pdf': 'case-file',
  file: 'case-file',
};

/** Which case a request names, which part of it, and whether it came from a page or the API. */
export function classifyRequest(routedUrl: string): { caseRef: string | null; what: ReadPart; via: ReadVia } {
  const via: ReadVia = PAGE_PATH.test(routedUrl) ? 'page' : 'api';
  const match = CASE_PATH.exec(routedUrl);
  if (!match) return { caseRef: null, what: 'other', via };
  const segment = (match[3] ?? '').toLowerCase();
  return { caseRef: match[2], what: PART_OF_SEGMENT[segment] ?? (segment.startsWith('case-file') ? 'case-file' : 'other'), via };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The text the database can keep: PostgreSQL text holds no NUL and no lone surrogate, and one
 * entry it refused would hold up the batch it is in.
 */
export function storableText(text: string, max: number): string {
  return text.slice(0, max).replace(/\u0000/g, '').replace(LONE_SURROGATE, '\uFFFD');
}
