import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CaseTimeline, CaseViews, SendCaseEvent } from '@cc/cases';
import { DomainError, FieldError, HTTP_STATUS_OF } from '@cc/common';
import { ListEvidence, UploadEvidence } from '@cc/evidence';
import { uploadAfterCsrf } from '../multipart-form';
import { Renderer } from '../renderer';
import { CurrentSession, MultipartForm, WebRequest } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { pageContext, redirect, sendPage } from '../page';
import { setFlash, takeFlash } from '../admin/admin-page';
import type { FormBody } from '../case-work/action-forms';
import { PageProblem, fieldProblem, refusalProblem } from '../case-work/event-refusals';
import { RespondentCaseData } from './respondent-case.service';

const MAX_TEXT = 10_000;

/** The two steps the public body takes with documents: replying, and reporting the agreed actions done. */
const STEPS = {
  reply: {
    type: 'RECORD_RESPONSE',
    title: 'Reply online',
    view: 'respondent/reply.njk',
    field: 'summary',
    empty: 'Enter your reply',
    tooLong: 'Your reply must be 10,000 characters or fewer',
  },
  'actions-done': {
    type: 'REPORT_ACTIONS_DONE',
    title: 'Tell us the agreed actions are done',
    view: 'respondent/actions-done.njk',
    field: 'summary',
    empty: 'Enter what was done',
    tooLong: 'What was done must be 10,000 characters or fewer',
  },
} as const;
type StepName = keyof typeof STEPS;

/**
 * The public body's reply and its report that the agreed actions are done: each a page where
 * documents are added first (through the same upload use case as all evidence, so the same
 * content checks) and then the words sent as the workflow event.
 */
@WebPages('cases')
export class RespondentPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly data: RespondentCaseData,
    private readonly views: CaseViews,
    private readonly timeline: CaseTimeline,
    private readonly evidence: ListEvidence,
    private readonly events: SendCaseEvent,
    private readonly upload: UploadEvidence,
  ) {}

  @Get(':id/reply')
  async replyPage(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    return this.show(session, id, 'reply', reply, undefined, await takeFlash(this.sessions, session));
  }

  @Post(':id/reply')
  sendReply(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() body: FormBody, @Res() reply: FastifyReply): Promise<void> {
    return this.send(session, id, 'reply', body, reply);
  }

  @Post(':id/reply/documents')
  @MultipartForm()
  replyDocument(@Req() request: FastifyRequest & WebRequest, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    return this.addDocument(request, id, 'reply', reply);
  }

  @Get(':id/actions-done')
  async actionsDonePage(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    return this.show(session, id, 'actions-done', reply, undefined, await takeFlash(this.sessions, session));
  }

  @Post(':id/actions-done')
  sendActionsDone(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() body: FormBody, @Res() reply: FastifyReply): Promise<void> {
    return this.send(session, id, 'actions-done', body, reply);
  }

  @Post(':id/actions-done/documents')
  @MultipartForm()
  actionsDoneDocument(@Req() request: FastifyRequest & WebRequest, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    return this.addDocument(request, id, 'actions-done', reply);
  }

  private async show(session: WebSession, id: string, step: StepName, reply: FastifyReply, problem?: PageProblem, flash?: string): Promise<void> {
    const seen = await this.data.visible(session, id);
    const [detail, timeline, evidence] = await Promise.all([this.views.detailOf(seen), this.timeline.of(seen), this.evidence.of(seen)]);
    // Someone who cannot take this step now (or is not the public body) goes to the case page, which says what they can do.
    if (!detail.availableActions.includes(STEPS[step].type)) return redirect(reply, `/cases/${detail.id}`);
    const s = STEPS[step];
    const replyBy = (detail.respondentDeadlines ?? []).find((d) => d.kind === 'respondentReply' && !d.paused)?.dueAt ?? null;
    const contacted = [...timeline].reverse().find((t) => t.type === 'CONTACT_RESPONDENT' || t.type === 'CHASE');
    const mine = evidence.filter((e) => e.uploadedBy.role === 'respondent');
    sendPage(
      reply,
      this.renderer.render(s.view, {
        ...pageContext(session, { title: `${s.title}: ${detail.reference}`, currentPath: `/cases/${detail.id}` }),
        c: detail,
        replyBy,
        contactedAt: contacted?.at ?? null,
        contactSummary: contacted && typeof contacted.details.summary === 'string' ? contacted.details.summary : null,
        documents: mine,
        canAskForMoreTime: detail.availableActions.includes('REQUEST_EXTENSION'),
        errorList: problem?.errorList,
        fieldErrors: problem?.fieldErrors ?? {},
        values: problem?.values ?? {},
        flash,
        maxText: MAX_TEXT,
      }),
      problem?.status ?? 200,
    );
  }

  private async send(session: WebSession, id: string, step: StepName, body: FormBody, reply: FastifyReply): Promise<void> {
    const s = STEPS[step];
    const text = String(body[s.field] ?? '').trim();
    const values = { [s.field]: String(body[s.field] ?? '') };
    const problem = !text ? field(s.field, s.empty, values) : text.length > MAX_TEXT ? field(s.field, s.tooLong, values) : await this.sendEvent(session, id, { type: s.type, [s.field]: text }, body.version, values);
    if (problem) return this.show(session, id, step, reply, problem);
    redirect(reply, `/cases/${id}?done=${s.type}#top`);
  }

  private async sendEvent(session: WebSession, id: string, event: Record<string, unknown>, version: FormBody[string], values: Record<string, string>): Promise<PageProblem | null> {
    const expected = /^\d+$/.test(String(version ?? '')) ? Number(version) : undefined;
    try {
      await this.events.byPerson(session.caller, id, event, expected);
      return null;
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === 'notFound') throw err;
      if (err.code === 'VALIDATION_FAILED') {
        return { errorList: [{ text: 'Check what you have written and try again', href: '#main-content' }], fieldErrors: {}, values, status: HTTP_STATUS_OF[err.kind] };
      }
      return refusalProblem(err, values);
    }
  }

  private async addDocument(request: FastifyRequest & WebRequest, id: string, step: StepName, reply: FastifyReply): Promise<void> {
    const session = request.webSession as WebSession;
    const upload = await uploadAfterCsrf(request, session);
    try {
      const added = await this.upload.execute(session.caller, id, upload.parts);
      await setFlash(this.sessions, session, `${added.fileName} was added to the case.`);
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === 'notFound') throw err;
      const reasons = (err.details.errors as FieldError[] | undefined) ?? [];
      const text =
        err.code === 'VALIDATION_FAILED' && reasons.some((e) => e.field === 'file' && /required/.test(e.reason))
          ? 'Select a document to add'
          : err.code === 'VALIDATION_FAILED'
            ? reasons.map((e) => `${e.field === 'description' ? 'The description' : 'The document'} ${e.reason}`).join('. ')
            : err.message;
      const target = reasons[0]?.field === 'description' ? 'description' : 'file';
      const problem = { errorList: [{ text, href: target === 'file' ? '#document-file' : '#document-description' }], fieldErrors: { [target]: { text } }, values: { description: upload.fields.description ?? '' }, status: HTTP_STATUS_OF[err.kind] };
      return this.show(session, id, step, reply, problem);
    }
    redirect(reply, `/cases/${id}/${step}#documents`);
  }
}

function field(name: string, text: string, values: Record<string, string>): PageProblem {
  return fieldProblem(name, name, text, values);
}
