import { DomainError, HTTP_STATUS_OF } from '@cc/common';
import { STALE_MESSAGE } from './case-page.controller';

/** What a page of its own says when what was sent was refused: the summary, each field's message, and what to put back. */
export interface PageProblem {
  errorList: Array<{ text: string; href: string }>;
  fieldErrors: Record<string, { text: string }>;
  values: Record<string, string>;
  status: number;
}

/** One field's problem; `href` is the id of the input the summary links to. */
export function fieldProblem(name: string, href: string, text: string, values: Record<string, string>): PageProblem {
  return { errorList: [{ text, href: `#${href}` }], fieldErrors: { [name]: { text } }, values, status: 400 };
}

/**
 * A workflow's refusal of an event sent from a page of its own, in words for the page: the case
 * changed meanwhile, a rule of the process, not this person's to do, or no longer possible now.
 * (A field typed wrongly is each page's to word, as it knows its fields.)
 */
export function refusalProblem(err: DomainError, values: Record<string, string>): PageProblem {
  const text =
    err.code === 'STALE_VERSION' || err.code === 'CONCURRENT_MODIFICATION'
      ? STALE_MESSAGE
      : err.code === 'RULE_VIOLATED'
        ? err.message
        : err.kind === 'forbidden'
          ? 'You cannot do this on this case.'
          : 'The case has moved on, so this cannot be done now. Go back to the case to see where it stands.';
  return { errorList: [{ text, href: '#main-content' }], fieldErrors: {}, values, status: HTTP_STATUS_OF[err.kind] };
}
