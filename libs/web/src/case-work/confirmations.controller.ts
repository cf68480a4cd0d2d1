import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SendCaseEvent } from '@cc/cases';
import { DomainError, FieldError, HTTP_STATUS_OF } from '@cc/common';
import { EvidenceView, UploadEvidence } from '@cc/evidence';
import { DEADLINE_KINDS, REOPEN_WINDOW_DAYS } from '@cc/workflows';
import { uploadAfterCsrf } from '../multipart-form';
import { Renderer } from '../renderer';
import { CurrentSession, MultipartForm, WebRequest } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { pageContext, redirect, sendPage } from '../page';
import { setFlash, takeFlash } from '../admin/admin-page';
import { FormBody } from './action-forms';
import { PageProblem, fieldProblem, refusalProblem } from './event-refusals';
import { CaseFacts, CasePageData } from './case-page.service';

const MAX_TEXT = 10_000;

/**
 * Steps of their own for what a reporter should not do by accident or without knowing what
 * follows: withdrawing (says what happens first), agreeing to pay a fee (in pounds, then how to
 * pay), and answering questions with documents. Each sends its event through the same use case as
 * the case page's forms.
 */
@WebPages('cases')
export class ConfirmationsController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly data: CasePageData,
    private readonly events: SendCaseEvent,
    private readonly upload: UploadEvidence,
  ) {}

  @Get(':id/withdraw')
  async withdrawPage(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const facts = await this.data.facts(session, id);
    if (!facts.detail.availableActions.includes('WITHDRAW')) return redirect(reply, `/cases/${facts.detail.id}`);
    this.page(reply, session, 'case-work/withdraw.njk', facts, 'Withdraw the case');
  }

  @Post(':id/withdraw')
  async withdraw(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() body: FormBody, @Res() reply: FastifyReply): Promise<void> {
    const reason = String(body.reason ?? '').trim();
    const values = { reason: String(body.reason ?? '') };
    if (reason.length > MAX_TEXT) return this.refuse(reply, session, id, 'case-work/withdraw.njk', 'Withdraw the case', fieldProblem('reason', 'withdraw-reason', 'The reason must be 10,000 characters or fewer', values));
    const problem = await this.send(session, id, { type: 'WITHDRAW', ...(reason ? { reason } : {}) }, body.version, values, { reason: 'withdraw-reason' });
    if (problem) return this.refuse(reply, session, id, 'case-work/withdraw.njk', 'Withdraw the case', problem);
    redirect(reply, `/cases/${id}?done=WITHDRAW#top`);
  }

  @Get(':id/agree-fee')
  async agreeFeePage(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const facts = await this.data.facts(session, id);
    // A caseworker records the public body's agreement on the case page; this step is the reporter's own.
    if (session.caller.role !== 'reporter' || !facts.fee || facts.fee.reporter.agreed || !facts.detail.availableActions.includes('AGREE_FEE')) {
      return redirect(reply, `/cases/${facts.detail.id}`);
    }
    this.page(reply, session, 'case-work/agree-fee.njk', facts, 'Agree to pay your share of the mediation fee');
  }

  @Post(':id/agree-fee')
  async agreeFee(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() body: FormBody, @Res() reply: FastifyReply): Promise<void> {
    const problem = await this.send(session, id, { type: 'AGREE_FEE', party: 'reporter' }, body.version, {}, {});
    if (problem) return this.refuse(reply, session, id, 'case-work/agree-fee.njk', 'Agree to pay your share of the mediation fee', problem);
    redirect(reply, `/cases/${id}/fee-agreed`);
  }

  @Get(':id/fee-agreed')
  async feeAgreed(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const facts = await this.data.facts(session, id);
    if (session.caller.role !== 'reporter' || !facts.fee?.reporter.agreed) return redirect(reply, `/cases/${facts.detail.id}`);
    this.page(reply, session, 'case-work/fee-agreed.njk', facts, 'You have agreed to pay your share');
  }

  @Get(':id/answer')
  async answerPage(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const { facts, evidence } = await this.data.factsWithEvidence(session, id);
    if (!facts.detail.availableActions.includes('PROVIDE_INFO')) return redirect(reply, `/cases/${facts.detail.id}`);
    this.answer(reply, session, { facts, evidence }, undefined, await takeFlash(this.sessions, session));
  }

  @Post(':id/answer')
  async sendAnswer(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() body: FormBody, @Res() reply: FastifyReply): Promise<void> {
    const answer = String(body.answer ?? '').trim();
    const values = { answer: String(body.answer ?? '') };
    const ids = { answer: 'answer' };
    const problem = !answer
      ? fieldProblem('answer', 'answer', 'Enter your answer', values)
      : answer.length > MAX_TEXT
        ? fieldProblem('answer', 'answer', 'Your answer must be 10,000 characters or fewer', values)
        : await this.send(session, id, { type: 'PROVIDE_INFO', answer }, body.version, values, ids);
    if (problem) return this.answer(reply, session, await this.data.factsWithEvidence(session, id), problem);
    redirect(reply, `/cases/${id}?done=PROVIDE_INFO#top`);
  }

  /** A document for the answer, through the same upload use case as the case page's Evidence form; back to the answer page after. */
  @Post(':id/answer/documents')
  @MultipartForm()
  async addDocument(@Req() request: FastifyRequest & WebRequest, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
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
          ? 'Select a file to add'
          : err.code === 'VALIDATION_FAILED'
            ? reasons.map((e) => `${e.field === 'description' ? 'The description' : 'The file'} ${e.reason}`).join('. ')
            : err.message;
      const target = reasons[0]?.field === 'description' ? 'description' : 'file';
      const problem = fieldProblem(target, target === 'file' ? 'answer-file' : 'answer-file-description', text, { description: upload.fields.description ?? '' });
      return this.answer(reply, session, await this.data.factsWithEvidence(session, id), { ...problem, status: HTTP_STATUS_OF[err.kind] });
    }
    redirect(reply, `/cases/${id}/answer#documents`);
  }

  /** Sends the event; a refusal comes back as what the page should say, in words. */
  private async send(session: WebSession, id: string, event: Record<string, unknown>, version: FormBody[string], values: Record<string, string>, ids: Record<string, string>): Promise<PageProblem | null> {
    const expected = /^\d+$/.test(String(version ?? '')) ? Number(version) : undefined;
    try {
      await this.events.byPerson(session.caller, id, event, expected);
      return null;
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === 'notFound') throw err;
      if (err.code === 'VALIDATION_FAILED') {
        const first = ((err.details.errors as FieldError[] | undefined) ?? [])[0];
        const name = first?.field ?? '';
        return fieldProblem(name, ids[name] ?? 'main-content', `${name === 'answer' ? 'Your answer' : 'The reason'} ${first?.reason ?? 'is not right'}`, values);
      }
      return refusalProblem(err, values);
    }
  }

  private async refuse(reply: FastifyReply, session: WebSession, id: string, view: string, title: string, problem: PageProblem): Promise<void> {
    this.page(reply, session, view, await this.data.facts(session, id), title, problem);
  }

  private answer(reply: FastifyReply, session: WebSession, { facts, evidence }: { facts: CaseFacts; evidence: EvidenceView[] }, problem?: PageProblem, flash?: string): void {
    this.page(reply, session, 'case-work/answer.njk', facts, 'Answer our questions', problem, { evidence, flash });
  }

  private page(reply: FastifyReply, session: WebSession, view: string, facts: CaseFacts, title: string, problem?: PageProblem, extra: Record<string, unknown> = {}): void {
    const c = facts.detail;
    sendPage(
      reply,
      this.renderer.render(view, {
        ...pageContext(session, { title: `${title}: ${c.reference}`, currentPath: `/cases/${c.id}` }),
        ...facts,
        c,
        isReporter: session.caller.role === 'reporter',
        payWorkingDays: DEADLINE_KINDS.feePayment.workingDays,
        reopenDays: REOPEN_WINDOW_DAYS,
        errorList: problem?.errorList,
        fieldErrors: problem?.fieldErrors ?? {},
        values: problem?.values ?? {},
        ...extra,
      }),
      problem?.status ?? 200,
    );
  }
}
