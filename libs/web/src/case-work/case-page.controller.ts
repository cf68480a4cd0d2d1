import { Body, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CaseLinks, CaseNotes, NOTE_MAX_LENGTH, SELF_LINK_REASON, SendCaseEvent, Visibility, noteAudiencesFor } from '@cc/cases';
import { DomainError, FieldError, NotFound, UuidParam, ValidationFailed } from '@cc/common';
import { DownloadEvidence } from '@cc/evidence';
import { RULES, commandSchemas } from '@cc/workflows';
import { CurrentSession } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';
import { redirect } from '../page';
import { FormBody, checkSubmission, errorView, ruleError, serviceErrors } from './action-forms';
import { ACTION_WORDS, actionWordsFor } from './action-labels';
import { CasePageData, CasePageState } from './case-page.service';
import { CasePages, LINK_REASON_MAX_LENGTH } from './case-pages';

export const STALE_MESSAGE = 'Someone else changed this case while you were looking at it. Here it is now: check what has changed, then try again.';

const DONE: Record<string, string> = {
  note: 'Your note was added.',
  'note-internal': 'Your internal note was added. Only caseworkers can see it.',
  'note-mediator': 'Your confidential note was added. Only the mediator can see it.',
  'note-shared': 'Your note was added. The reporting organisation can see it too; the public body cannot.',
  link: 'The cases were linked.',
  unlink: 'The link was removed.',
  evidence: 'Your file was uploaded.',
  message: 'Your message was sent.',
  'message-private': 'Your message was sent to the public body only. The reporting organisation cannot see it.',
  shared: 'The document is now shared with the public body.',
  unshared: 'The document is no longer shared with the public body.',
  // Version 2: what happens next, as the one who acted needs to know it.
  REQUEST_EXTENSION: 'You asked for more time. The caseworker will give it or tell you why not, by e-mail.',
  GRANT_EXTENSION: 'More time was given. The public body has been told its new date to reply by.',
  REFUSE_EXTENSION: 'More time was refused. The public body has been told why.',
  REPORT_FEE_PAID: 'Thank you. We will check that your payment has arrived.',
  PROPOSE_SESSION_TIMES: 'Your times were sent to the mediator, who will choose one and tell everyone.',
  REPORT_ACTIONS_DONE: 'Thank you. Your caseworker will check and confirm.',
  REQUEST_REVIEW: 'You asked for a review. A caseworker who did not make the decision will look at it and tell you the result.',
  UPHOLD_REJECTION: 'The decision was kept. The reporter has been told.',
  REOPEN_AFTER_REVIEW: 'The case was reopened and is back in triage. The reporter has been told.',
};

const lower = (title: string) => title.charAt(0).toLowerCase() + title.slice(1);

/** The case page (GET /cases/:id) and its forms: actions, notes, links, evidence downloads. */
@WebPages('cases')
export class CasePageController {
  constructor(
    private readonly pages: CasePages,
    private readonly data: CasePageData,
    private readonly events: SendCaseEvent,
    private readonly notes: CaseNotes,
    private readonly links: CaseLinks,
    private readonly download: DownloadEvidence,
  ) {}

  @Get(':id')
  async show(@CurrentSession() session: WebSession, @Param('id') id: string, @Query('done') done: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const words = done ? actionWordsFor(done, session.caller.role) : undefined;
    const flash = done ? (DONE[done] ?? (words ? `Done: ${lower(words.title)}.` : undefined)) : undefined;
    await this.render(reply, session, id, { flash });
  }

  /** One action's page: what to know before it, and its form (the case page links here). */
  @Get(':id/actions/:type')
  async actionPage(@CurrentSession() session: WebSession, @Param('id') id: string, @Param('type') type: string, @Res() reply: FastifyReply): Promise<void> {
    if (!Object.hasOwn(commandSchemas, type)) throw new NotFound('That action');
    await this.pages.renderAction(reply, session, id, type, {});
  }

  @Post(':id/actions/:type')
  async act(@CurrentSession() session: WebSession, @Param('id') id: string, @Param('type') type: string, @Body() body: FormBody, @Res() reply: FastifyReply): Promise<void> {
    const key = `action:${type}`;
    const version = /^\d+$/.test(String(body.version ?? '')) ? Number(body.version) : undefined;
    // The form for an action the caller cannot take now is built from nothing: the service still decides.
    const detailForms = await this.data.forms(session, id, [type]).catch(() => []);
    const fields = detailForms[0]?.fields ?? [];
    // "Now" for the date rules; the service stamps the event with its own time and checks again.
    const { payload, values, errors } = checkSubmission(type, fields, body, new Date().toISOString());
    // A refused form is shown again on the action's own page, with its errors and what was typed.
    const again = (state: CasePageState, status: number) => this.pages.renderAction(reply, session, id, type, state, status);
    if (errors.length) return again(refusal(key, errorView(errors, `#action-${type}`), values), 400);
    try {
      const sent = await this.events.byPerson(session.caller, id, { type, ...payload }, version);
      redirect(reply, `/cases/${sent.caseId}?done=${encodeURIComponent(type)}#top`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err.kind === 'notFound') throw err;
      if (err instanceof ValidationFailed) return again(refusal(key, errorView(serviceErrors(fields, err.errors), `#action-${type}`), values), 400);
      if (err.code === 'STALE_VERSION' || err.code === 'CONCURRENT_MODIFICATION') {
        return again({ ...refusal(key, { errorList: [{ text: STALE_MESSAGE, href: '#case-status' }], fieldErrors: {} }, values), conflict: STALE_MESSAGE }, 409);
      }
      const status = err.kind === 'conflict' ? 409 : err.kind === 'forbidden' ? 403 : 400;
      const rule = typeof err.details.rule === 'string' ? err.details.rule : undefined;
      const onField = rule ? ruleError(fields, rule) : null;
      if (onField) return again(refusal(key, errorView([onField]), values), status);
      return again(refusal(key, { errorList: [{ text: refusalText(type, err, rule), href: `#action-${type}` }], fieldErrors: {} }, values), status);
    }
  }

  @Post(':id/notes')
  async addNote(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() body: FormBody, @Res() reply: FastifyReply): Promise<void> {
    const text = String(body.body ?? '').trim();
    const audiences = noteAudiencesFor(session.caller.role);
    // The button pressed names the audience; a post without one (an old page) gets the most private.
    const visibility = (audiences as string[]).includes(String(body.visibility ?? '')) ? (String(body.visibility) as Visibility) : audiences[0];
    const values = { body: String(body.body ?? ''), visibility };
    const errors: FieldError[] = [];
    if (!text) errors.push({ field: 'body', reason: 'Enter the note' });
    else if (text.length > NOTE_MAX_LENGTH) errors.push({ field: 'body', reason: `The note must be ${NOTE_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer` });
    if (errors.length) return this.render(reply, session, id, refusal('note', plain(errors, { body: 'note-body' }), values), 400);
    try {
      await this.notes.add(session.caller, id, { body: text, visibility });
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === 'notFound') throw err;
      return this.render(reply, session, id, refusal('note', plain([{ field: 'body', reason: 'You cannot add a note for that audience on this case' }], { body: 'note-body' }), values), 403);
    }
    // The message after posting says who can read the note (a reporter has only the one audience).
    redirect(reply, `/cases/${id}?done=${audiences.length > 1 ? `note-${visibility}` : 'note'}#notes`);
  }

  /** Reports that may be the same matter, to link (the case page links here from its linked cases). */
  @Get(':id/links')
  async linkSuggestions(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    await this.pages.renderLinkSuggestions(reply, session, id);
  }

  @Post(':id/links')
  async link(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() body: FormBody, @Res() reply: FastifyReply): Promise<void> {
    const other = String(body.caseId ?? '').trim();
    const reason = String(body.reason ?? '').trim();
    const values = { caseId: String(body.caseId ?? ''), reason: String(body.reason ?? '') };
    const ids = { caseId: 'link-case', reason: 'link-reason' };
    const problems: FieldError[] = [];
    if (!other) problems.push({ field: 'caseId', reason: 'Enter the reference of the case to link, like CB-2026-00042' });
    if (reason.length > LINK_REASON_MAX_LENGTH) problems.push({ field: 'reason', reason: `Why they are linked must be ${LINK_REASON_MAX_LENGTH} characters or fewer` });
    if (problems.length) return this.render(reply, session, id, refusal('link', plain(problems, ids), values), 400);
    try {
      await this.links.link(session.caller, id, { caseId: other, reason: reason || undefined });
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === 'notFound') throw err;
      const text =
        err instanceof ValidationFailed
          ? err.errors
              .map((e) =>
                e.reason === SELF_LINK_REASON
                  ? 'You cannot link a case to itself. Enter the reference of another case'
                  : e.reason.startsWith('is not a known')
                    ? `There is no case ${other}. Check the reference, like CB-2026-00042`
                    : 'Enter the reference of the case to link, like CB-2026-00042',
              )
              .join('. ')
          : err.message;
      return this.render(reply, session, id, refusal('link', plain([{ field: 'caseId', reason: text }], ids), values), err.kind === 'conflict' ? 409 : 400);
    }
    redirect(reply, `/cases/${id}?done=link#linked-cases`);
  }

  @Post(':id/links/:otherId/remove')
  async unlink(@CurrentSession() session: WebSession, @Param('id') id: string, @UuidParam('otherId', 'That link', 'LINK_NOT_FOUND') otherId: string, @Res() reply: FastifyReply): Promise<void> {
    await this.links.unlink(session.caller, id, otherId);
    redirect(reply, `/cases/${id}?done=unlink#linked-cases`);
  }

  /** The same download as GET /api/cases/:id/evidence/:evidenceId, signed in by the page session. */
  @Get(':id/evidence/:evidenceId')
  async evidenceFile(@CurrentSession() session: WebSession, @Param('id') id: string, @Param('evidenceId') evidenceId: string, @Res() reply: FastifyReply): Promise<void> {
    const file = await this.download.execute(session.caller, id, evidenceId);
    reply.headers(file.headers).send(file.stream);
  }

  /** A message to the public body (staff, "only between us" if ticked) or from it (a respondent). */
  @Post(':id/messages')
  async addMessage(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() body: FormBody, @Res() reply: FastifyReply): Promise<void> {
    const text = String(body.body ?? '').trim();
    const onlyBetweenUs = String(body.onlyBetweenUs ?? '') === 'true';
    const values = { body: String(body.body ?? ''), onlyBetweenUs: onlyBetweenUs ? 'true' : '' };
    const problem = !text ? 'Enter your message' : text.length > NOTE_MAX_LENGTH ? `Your message must be ${NOTE_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer` : null;
    if (problem) return this.render(reply, session, id, refusal('message', plain([{ field: 'body', reason: problem }], { body: 'message-body' }), values), 400);
    try {
      await this.notes.addMessage(session.caller, id, { body: text, onlyBetweenUs: session.caller.role === 'respondent' ? undefined : onlyBetweenUs });
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === 'notFound') throw err;
      return this.render(reply, session, id, refusal('message', plain([{ field: 'body', reason: 'You cannot send messages to the public body on this case' }], { body: 'message-body' }), values), 403);
    }
    redirect(reply, `/cases/${id}?done=${onlyBetweenUs && session.caller.role !== 'respondent' ? 'message-private' : 'message'}#messages`);
  }

  render(reply: FastifyReply, session: WebSession, id: string, state: CasePageState, status = 200): Promise<void> {
    return this.pages.render(reply, session, id, state, status);
  }
}

/** A refusal from the service, said to a person: what they cannot do and what to do instead, without codes. */
function refusalText(type: string, err: DomainError, rule: string | undefined): string {
  const title = ACTION_WORDS[type]?.title;
  const what = title ? lower(title) : 'do that';
  if (rule && rule in RULES) return RULES[rule as keyof typeof RULES].message;
  if (err.kind === 'conflict') return `You cannot ${what} at this stage of the case. The case page shows what you can do now.`;
  if (err.kind === 'forbidden') return `You cannot ${what} on this case.`;
  return err.message;
}

/** Page state for a refused form: its errors, what was typed, and the form left open. */
export function refusal(key: string, view: { errorList: Array<{ text: string; href: string }>; fieldErrors: Record<string, { text: string }> }, values: Record<string, string>): CasePageState {
  return { errorList: view.errorList, forms: { [key]: { fieldErrors: view.fieldErrors, values } }, openForm: key };
}

/** Errors whose reason is already a whole sentence, with the ids of their fields. */
export function plain(errors: FieldError[], ids: Record<string, string>) {
  const fieldErrors: Record<string, { text: string }> = {};
  for (const e of errors) fieldErrors[e.field] ??= { text: e.reason };
  return { errorList: errors.map((e) => ({ text: e.reason, href: `#${ids[e.field] ?? e.field}` })), fieldErrors };
}
