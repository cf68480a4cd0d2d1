import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { UploadEvidence } from '@cc/evidence';
import { pageContext, sendPage } from '../page';
import { Renderer } from '../renderer';
import { WebSession } from '../web-sessions.service';
import { DRAFT_KEPT_DAYS, ReportDrafts } from './report-drafts.store';
import { REPORT_LIMITS, REPORT_LIMIT_WORDS, ReportDraft, dtoProblems, previousStep, sentenceFor, stepForField } from './report-draft';

/** The evidence step: the documents held for this report, the one form that adds a document and describes the rest. */
@Injectable()
export class ReportEvidencePage {
  constructor(
    private readonly renderer: Renderer,
    private readonly upload: UploadEvidence,
    private readonly drafts: ReportDrafts,
  ) {}

  async render(reply: FastifyReply, session: WebSession, draft: ReportDraft, ctx: Record<string, unknown>, status = 200): Promise<void> {
    const held = await this.upload.held(session.caller, draft.heldEvidenceIds ?? []);
    const uploadError = ctx.uploadError as { field: string; text: string } | undefined;
    const errors = uploadError ? { errorList: [{ text: uploadError.text, href: `#${uploadError.field}` }, ...((ctx.errorList as unknown[]) ?? [])] } : {};
    const html = this.renderer.render(
      'report/evidence.njk',
      pageContext(session, {
        currentPath: '/report',
        step: 'evidence',
        // The page's form posts elsewhere; a lapsed session comes back here.
        returnPath: '/report/evidence',
        backHref: ctx.change ? '/report/check' : previousStep(draft, 'evidence'),
        held,
        values: { evidence: draft.evidence },
        limits: REPORT_LIMITS, limitWords: REPORT_LIMIT_WORDS,
        keptDays: DRAFT_KEPT_DAYS,
        idleMinutes: session.idleMinutes,
        ...ctx,
        ...errors,
      }),
    );
    sendPage(reply, html, status);
  }

  /** The description of evidence held, checked as the API checks it; `answered` marks the step done. */
  async saveDescription(session: WebSession, draft: ReportDraft, evidence: string, answered = true): Promise<{ draft: ReportDraft } | { problems: Array<{ field: string; text: string }> }> {
    const problems = evidence ? (await dtoProblems({ evidence })).map((e) => ({ field: e.field, text: sentenceFor(e) })) : [];
    if (problems.length) return { problems };
    const left = (draft.submitErrors ?? []).filter((e) => stepForField(e.field) !== 'evidence');
    const next: ReportDraft = { ...draft, evidence: evidence || undefined, ...(answered ? { evidenceAnswered: true, submitErrors: left.length ? left : undefined } : {}) };
    for (const key of Object.keys(next) as Array<keyof ReportDraft>) if (next[key] === undefined) delete next[key];
    await this.drafts.put(session.user.id, next);
    return { draft: next };
  }
}
