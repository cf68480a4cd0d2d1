import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { UploadEvidence } from '@cc/evidence';
import { pageContext, sendPage } from '../page';
import { Renderer } from '../renderer';
import { WebSession } from '../web-sessions.service';
import { DRAFT_KEY, ReportDraft, previousStep } from './report-draft';

/** The evidence step: the documents held for this report, the upload form and the description. */
@Injectable()
export class ReportEvidencePage {
  constructor(
    private readonly renderer: Renderer,
    private readonly upload: UploadEvidence,
  ) {}

  async render(reply: FastifyReply, session: WebSession, ctx: Record<string, unknown>, status = 200): Promise<void> {
    const draft = (session.data[DRAFT_KEY] as ReportDraft | undefined) ?? {};
    const held = await this.upload.held(session.caller, draft.heldEvidenceIds ?? []);
    const uploadError = ctx.uploadError as { field: string; text: string } | undefined;
    const errors = uploadError ? { errorList: [{ text: uploadError.text, href: `#${uploadError.field}` }, ...((ctx.errorList as unknown[]) ?? [])] } : {};
    const html = this.renderer.render(
      'report/evidence.njk',
      pageContext(session, { currentPath: '/report', step: 'evidence', backHref: ctx.change ? '/report/check' : previousStep(draft, 'evidence'), held, values: { evidence: draft.evidence }, ...ctx, ...errors }),
    );
    sendPage(reply, html, status);
  }
}
