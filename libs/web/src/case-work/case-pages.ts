import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Renderer } from '../renderer';
import type { WebSession } from '../web-sessions.service';
import { sendPage } from '../page';
import { RespondentCaseData } from '../respondent/respondent-case.service';
import { CasePageData, CasePageState } from './case-page.service';
import { NOTE_MAX_LENGTH, Visibility, noteAudiencesFor } from '@cc/cases';
import { LegalHolds } from '@cc/data-protection';
import { commandSchemas } from '@cc/workflows';

/**
 * The case page as its reader needs it: the public body gets a page of its own (what it must do
 * by when, what it may read), everyone else the case page. Every form that shows the case again
 * after a refusal renders it through here.
 */
@Injectable()
export class CasePages {
  constructor(
    private readonly renderer: Renderer,
    private readonly data: CasePageData,
    private readonly respondent: RespondentCaseData,
    private readonly holds: LegalHolds,
  ) {}

  async render(reply: FastifyReply, session: WebSession, id: string, state: CasePageState, status = 200): Promise<void> {
    if (session.caller.role === 'respondent') {
      sendPage(reply, this.renderer.render('respondent/case.njk', await this.respondent.context(session, id, state)), status);
      return;
    }
    // The legal hold is read beside the case (staff only), not after it: no extra wait for the page.
    const [context, legalHold] = await Promise.all([this.data.context(session, id, state), this.holds.currentFor(session.caller, id)]);
    sendPage(reply, this.renderer.render('case-work/case.njk', { ...context, ...caseFormsView(session), legalHold }), status);
  }

  /** Reports that may be the same matter as the case (GET /cases/:id/links), for staff. */
  async renderLinkSuggestions(reply: FastifyReply, session: WebSession, id: string): Promise<void> {
    sendPage(reply, this.renderer.render('case-work/link-suggestions.njk', await this.data.linkSuggestionsContext(session, id)));
  }

  /** One action's page (GET /cases/:id/actions/:type), for every reader, and the same page again with its errors after a refusal. */
  async renderAction(reply: FastifyReply, session: WebSession, id: string, type: string, state: CasePageState, status = 200): Promise<void> {
    // A post naming no action at all is refused on the case page, as before there were action pages.
    if (!Object.hasOwn(commandSchemas, type)) return this.render(reply, session, id, state, status);
    const context = await this.data.actionContext(session, id, type, state);
    // An action the caller cannot take now (the case moved on, or it was never theirs) is a conflict, said on the page.
    sendPage(reply, this.renderer.render('case-work/action.njk', context), context.a || status !== 200 ? status : 409);
  }
}

/**
 * Who sees a note, said on the button that adds it: one button per audience, so what a person
 * presses is who will read it, with or without JavaScript. Most private first and as the main
 * button, so the quick choice is never the one that shares.
 */
const NOTE_AUDIENCES: Record<Visibility, { button: string; tell: string }> = {
  internal: { button: 'Add internal note (caseworkers only)', tell: 'An internal note is seen only by caseworkers.' },
  mediator: { button: 'Add confidential note (mediator only)', tell: 'A confidential note is seen only by the mediator, not by caseworkers or either party.' },
  shared: { button: 'Add note shared with the reporting organisation', tell: 'A shared note is seen by the reporting organisation too, but not by the public body.' },
};

/** What the case page's own forms (notes, links) need besides the page data. */
export function caseFormsView(session: WebSession) {
  return { noteForm: noteForm(session.caller.role), linkReasonMaxLength: LINK_REASON_MAX_LENGTH };
}

/** The link form's reason: the API's limit (LinkCaseRequest). */
export const LINK_REASON_MAX_LENGTH = 500;

/** The note form: its limit, and a button for each audience this person may write to, most private first. */
function noteForm(role: WebSession['caller']['role']) {
  const audiences = noteAudiencesFor(role);
  // A reporter writes to one audience only, so the button need not say which.
  if (audiences.length === 1) return { maxLength: NOTE_MAX_LENGTH, hint: 'Everyone working on the case can see your note.', buttons: [{ value: audiences[0], text: 'Add note', primary: true }] };
  return {
    maxLength: NOTE_MAX_LENGTH,
    hint: audiences.map((v) => NOTE_AUDIENCES[v].tell).join(' '),
    buttons: audiences.map((v, i) => ({ value: v, text: NOTE_AUDIENCES[v].button, primary: i === 0 })),
  };
}

