import { Body, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CaseLinks, CaseNotes, SendCaseEvent, VISIBILITIES, Visibility } from '@cc/cases';
import { DomainError, FieldError, ValidationFailed } from '@cc/common';
import { DownloadEvidence } from '@cc/evidence';
import { Renderer } from '../renderer';
import { CurrentSession } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';
import { redirect, sendPage } from '../page';
import { FormBody, formErrors, readSubmission } from './action-forms';
import { ACTION_WORDS } from './action-labels';
import { CasePageData, CasePageState } from './case-page.service';

export const STALE_MESSAGE = 'Someone else changed this case while you were looking at it. Here it is now: check what has changed, then try again.';

const DONE: Record<string, string> = { note: 'Your note was added.', link: 'The cases were linked.', unlink: 'The link was removed.', evidence: 'Your file was uploaded.' };

/** The case page (GET /cases/:id) and its forms: actions, notes, links, evidence downloads. */
@WebPages('cases')
export class CasePageController {
  constructor(
    private readonly renderer: Renderer,
    private readonly data: CasePageData,
    private readonly events: SendCaseEvent,
    private readonly notes: CaseNotes,
    private readonly links: CaseLinks,
    private readonly download: DownloadEvidence,
  ) {}

  @Get(':id')
  async show(@CurrentSession() session: WebSession, @Param('id') id: string, @Query('done') done: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const flash = done ? (DONE[done] ?? (ACTION_WORDS[done] ? `Done: ${ACTION_WORDS[done].title.charAt(0).toLowerCase()}${ACTION_WORDS[done].title.slice(1)}.` : undefined)) : undefined;
    await this.render(reply, session, id, { flash });
  }

  @Post(':id/actions/:type')
  async act(@CurrentSession() session: WebSession, @Param('id') id: string, @Param('type') type: string, @Body() body: FormBody, @Res() reply: FastifyReply): Promise<void> {
    const key = `action:${type}`;
    const version = /^\d+$/.test(String(body.version ?? '')) ? Number(body.version) : undefined;
    // The form for an action the caller cannot take now is built from nothing: the service still decides.
    const detailForms = await this.data.forms(session, id, [type]).catch(() => []);
    const fields = detailForms[0]?.fields ?? [];
    const { payload, values, errors } = readSubmission(fields, body);
    if (errors.length) return this.render(reply, session, id, { ...refusal(key, formErrors(fields, errors), values) }, 400);
    try {
      const sent = await this.events.byPerson(session.caller, id, { type, ...payload }, version);
      redirect(reply, `/cases/${sent.caseId}?done=${encodeURIComponent(type)}#top`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err.kind === 'notFound') throw err;
      if (err instanceof ValidationFailed) return this.render(reply, session, id, refusal(key, formErrors(fields, err.errors), values), 400);
      if (err.code === 'STALE_VERSION' || err.code === 'CONCURRENT_MODIFICATION') {
        return this.render(reply, session, id, { ...refusal(key, { errorList: [{ text: STALE_MESSAGE, href: '#case-status' }], fieldErrors: {} }, values), conflict: STALE_MESSAGE }, 409);
      }
      const status = err.kind === 'conflict' ? 409 : err.kind === 'forbidden' ? 403 : 400;
      const text = err.kind === 'conflict' ? `${err.message} The case page shows what you can do now.` : err.message;
      return this.render(reply, session, id, refusal(key, { errorList: [{ text, href: `#action-${type}` }], fieldErrors: {} }, values), status);
    }
  }

  @Post(':id/notes')
  async addNote(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() body: FormBody, @Res() reply: FastifyReply): Promise<void> {
    const text = String(body.body ?? '').trim();
    const visibility = String(body.visibility ?? '');
    const values = { body: String(body.body ?? ''), visibility };
    const errors: FieldError[] = [];
    if (!text) errors.push({ field: 'body', reason: 'Enter the note' });
    else if (text.length > 10_000) errors.push({ field: 'body', reason: 'The note must be 10,000 characters or fewer' });
    if (!(VISIBILITIES as readonly string[]).includes(visibility)) errors.push({ field: 'visibility', reason: 'Select who can see the note' });
    if (errors.length) return this.render(reply, session, id, refusal('note', plain(errors, { body: 'note-body', visibility: 'note-visibility' }), values), 400);
    try {
      await this.notes.add(session.caller, id, { body: text, visibility: visibility as Visibility });
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === 'notFound') throw err;
      return this.render(reply, session, id, refusal('note', plain([{ field: 'visibility', reason: err.message }], { visibility: 'note-visibility' }), values), 403);
    }
    redirect(reply, `/cases/${id}?done=note#notes`);
  }

  @Post(':id/links')
  async link(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() body: FormBody, @Res() reply: FastifyReply): Promise<void> {
    const other = String(body.caseId ?? '').trim();
    const reason = String(body.reason ?? '').trim();
    const values = { caseId: String(body.caseId ?? ''), reason: String(body.reason ?? '') };
    if (!other) return this.render(reply, session, id, refusal('link', plain([{ field: 'caseId', reason: 'Enter the reference of the case to link, for example CB-2026-00042' }], { caseId: 'link-case' }), values), 400);
    try {
      await this.links.link(session.caller, id, { caseId: other, reason: reason || undefined });
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === 'notFound') throw err;
      const text =
        err instanceof ValidationFailed
          ? err.errors.map((e) => (e.reason.startsWith('is not a known') ? `There is no case ${other}: check the reference` : `The case to link ${e.reason}`)).join('. ')
          : err.message;
      return this.render(reply, session, id, refusal('link', plain([{ field: 'caseId', reason: text }], { caseId: 'link-case' }), values), err.kind === 'conflict' ? 409 : 400);
    }
    redirect(reply, `/cases/${id}?done=link#linked-cases`);
  }

  @Post(':id/links/:otherId/remove')
  async unlink(@CurrentSession() session: WebSession, @Param('id') id: string, @Param('otherId') otherId: string, @Res() reply: FastifyReply): Promise<void> {
    await this.links.unlink(session.caller, id, otherId);
    redirect(reply, `/cases/${id}?done=unlink#linked-cases`);
  }

  /** The same download as GET /api/cases/:id/evidence/:evidenceId, signed in by the page session. */
  @Get(':id/evidence/:evidenceId')
  async evidenceFile(@CurrentSession() session: WebSession, @Param('id') id: string, @Param('evidenceId') evidenceId: string, @Res() reply: FastifyReply): Promise<void> {
    const file = await this.download.execute(session.caller, id, evidenceId);
    reply.headers(file.headers).send(file.stream);
  }

  async render(reply: FastifyReply, session: WebSession, id: string, state: CasePageState, status = 200): Promise<void> {
    sendPage(reply, this.renderer.render('case-work/case.njk', await this.data.context(session, id, state)), status);
  }
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
