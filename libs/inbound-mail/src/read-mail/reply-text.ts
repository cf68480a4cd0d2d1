import EmailReplyParser from 'email-reply-parser';
import { type Audience, audiencesWritableBy, noteAudiencesFor } from '@cc/cases';
import type { Role } from '@cc/workflows';

/** The longest message kept on the case (as a note may be); the whole e-mail stays in inbound_mail. */
export const REPLY_MAX_LENGTH = 10_000;

/**
 * The new part of a reply: the quoted earlier message ("On … wrote:", "> " lines, Outlook's header
 * block) and the signature ("-- ", "Sent from my iPhone", "Best regards, …") taken away by
 * email-reply-parser. The raw e-mail is kept in full beside the message.
 */
export function visibleReply(text: string): string {
  const visible = new EmailReplyParser().read(text).getVisibleText();
  return visible.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * How staff say who may read their reply: a first line of its own, "Share with everyone" (the
 * reporter and the public body), "Share with the public body" or "Share with the reporter". The
 * line is taken off the message. Without one, a staff reply is a note only staff read.
 */
const SHARE_LINES: Array<{ pattern: RegExp; audience: Audience }> = [
  { pattern: /^share with (?:everyone|everybody|the parties|all)\W*$/i, audience: 'parties' },
  { pattern: /^share with the public body( only)?\W*$/i, audience: 'respondent' },
  { pattern: /^share with the reporter( only)?\W*$/i, audience: 'shared' },
];

/**
 * Who may read a reply from someone of this role, and its text without any sharing line: a
 * reporter's reply is shared with the reporter's side and staff ('shared', the only audience a
 * reporter writes to: the public body does not read a reporter's words unless a caseworker passes
 * them on); a respondent's with everyone on the case ('parties', as their messages on the site);
 * staff's is internal (a mediator's: mediator-only) unless its first line says otherwise.
 */
export function replyAudience(role: Role, text: string): { audience: Audience; text: string } {
  if (role === 'reporter') return { audience: 'shared', text };
  if (role === 'respondent') return { audience: 'parties', text };
  const fallback = noteAudiencesFor(role)[0] ?? 'internal';
  const [first, ...rest] = text.split('\n');
  const asked = SHARE_LINES.find((s) => s.pattern.test(first.trim()));
  if (!asked) return { audience: fallback, text };
  const remaining = rest.join('\n').trim();
  return { audience: audiencesWritableBy(role).includes(asked.audience) ? asked.audience : fallback, text: remaining };
}

/** The message as kept on the case: never empty, never longer than a note may be. */
export function messageBody(text: string, postscript: string[]): string {
  const tail = postscript.length ? `\n\n${postscript.join('\n')}` : '';
  const room = REPLY_MAX_LENGTH - tail.length;
  const cut = '\n\n(The e-mail is longer than this; the whole of it is kept with the case.)';
  const main = text || '(The e-mail had no text of its own.)';
  const body = main.length > room ? `${main.slice(0, Math.max(0, room - cut.length)).trimEnd()}${cut}` : main;
  return `${body}${tail}`.slice(0, REPLY_MAX_LENGTH);
}
