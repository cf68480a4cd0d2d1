import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { UploadEvidence } from '@cc/evidence';
import { RegistryLookup, RegistryQueries } from '@cc/registry';
import { pageContext, redirect, sendPage } from '../page';
import { Renderer } from '../renderer';
import { WebSession } from '../web-sessions.service';
import { DRAFT_KEPT_DAYS, ReportDrafts } from './report-drafts.store';
import { REPORT_LIMITS, REPORT_LIMIT_WORDS, ReportDraft, stepErrors } from './report-draft';
import { StepDeps } from './report-step-views';
import { Shown, Step, StepPage, missingBefore, nextAfter, previousStep, stepSkipped, submitErrorsFor, withoutStep } from './report-steps';

type Form = Record<string, unknown>;

/**
 * Every step's page, served from the steps table (report-steps.ts): opened with the draft's
 * answers, posted and either shown again with its problems or saved and redirected on. The draft
 * is kept for the reporter (ReportDrafts), so a lapsed session loses nothing.
 */
@Injectable()
export class ReportStepPages {
  constructor(
    private readonly renderer: Renderer,
    private readonly registry: RegistryQueries,
    private readonly lookup: RegistryLookup,
    private readonly upload: UploadEvidence,
    private readonly drafts: ReportDrafts,
  ) {}

  async open(reply: FastifyReply, session: WebSession, step: Step, page: StepPage, rawQuery: Form): Promise<void> {
    const query = queryText(rawQuery);
    const draft = await this.draft(session);
    const change = query.change === '1';
    const missing = missingBefore(draft, step);
    if (missing) return redirect(reply, `/report/${missing}`);
    if (stepSkipped(draft, step)) return redirect(reply, nextAfter(draft, step, change));
    await this.show(reply, session, step, page, draft, page.opened(draft, query), { change, ...(page.showsSubmitErrors ? submitErrorsFor(draft, step) : {}) });
  }

  async answer(reply: FastifyReply, session: WebSession, step: Step, page: StepPage, form: Form): Promise<void> {
    const before = await this.draft(session);
    const missing = missingBefore(before, step);
    if (missing) return redirect(reply, `/report/${missing}`);
    const change = form.change === '1';
    const answer = await page.answer(form, before, this.deps(session), change);
    if ('goTo' in answer) return redirect(reply, answer.goTo);
    if ('refused' in answer) return this.show(reply, session, step, page, before, answer.shown, { change, ...stepErrors(answer.refused) }, 400);
    const draft = await this.save(session, answer.changes, step);
    redirect(reply, nextAfter(draft, step, change));
  }

  /** A step's page; `extra` (whether changing an answer, the problems) is laid over what the page shows. */
  async show(reply: FastifyReply, session: WebSession, step: Step, page: StepPage, draft: ReportDraft, shown: Shown, extra: { change: boolean } & Form, status = 200, remember = true): Promise<void> {
    const ctx = page.view ? await page.view(draft, shown, this.deps(session)) : shown;
    if (remember) await this.remember(session, draft, page.path);
    const backHref = page.backHref ?? (extra.change ? '/report/check' : previousStep(draft, step));
    this.render(reply, session, page.template, { backHref, step, limits: REPORT_LIMITS, limitWords: REPORT_LIMIT_WORDS, ...ctx, ...extra }, status);
  }

  render(reply: FastifyReply, session: WebSession, template: string, ctx: Form, status = 200): void {
    sendPage(reply, this.renderer.render(template, pageContext(session, { currentPath: '/report', keptDays: DRAFT_KEPT_DAYS, idleMinutes: session.idleMinutes, ...ctx })), status);
  }

  deps(session: WebSession): StepDeps {
    return { registry: this.registry, lookup: this.lookup, upload: this.upload, caller: session.caller };
  }

  draft(session: WebSession): Promise<ReportDraft> {
    return this.drafts.get(session.user.id);
  }

  /** Changes to the draft; the answers of a step `answered` also answer the problems found on sending that it asks about. */
  async save(session: WebSession, changes: Partial<ReportDraft>, answered?: Step): Promise<ReportDraft> {
    const current = await this.draft(session);
    const draft: ReportDraft = { ...current, ...changes, ...(answered ? { submitErrors: withoutStep(current.submitErrors, answered) } : {}) };
    for (const key of Object.keys(draft) as Array<keyof ReportDraft>) if (draft[key] === undefined) delete draft[key];
    await this.drafts.put(session.user.id, draft);
    return draft;
  }

  /** Notes the page shown, so signing in again after a timeout comes back to it (written only when it moves). */
  async remember(session: WebSession, draft: ReportDraft, path: string): Promise<void> {
    if (draft.lastPage === path || Object.keys(draft).length === 0) return;
    draft.lastPage = path;
    await this.drafts.put(session.user.id, draft);
  }
}

/** Each query parameter as one string, as Nest gives a `@Query('name') name: string` (a repeated one joined with commas). */
function queryText(query: Form): Record<string, string> {
  return Object.fromEntries(Object.entries(query ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
}
