import { Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, FieldError, HTTP_STATUS_OF } from '@cc/common';
import { UploadEvidence } from '@cc/evidence';
import { uploadAfterCsrf } from '../multipart-form';
import { CurrentSession, MultipartForm, PageRoles, WebRequest } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { redirect } from '../page';
import { DRAFT_KEY, ReportDraft } from './report-draft';
import { ReportEvidencePage } from './report-evidence.page';

/**
 * Documents added while the report is written: checked and stored like any evidence, held for the
 * reporter, and attached to the case when the report is sent.
 */
@WebPages('report')
@PageRoles('reporter')
export class ReportEvidenceController {
  constructor(
    private readonly upload: UploadEvidence,
    private readonly sessions: WebSessions,
    private readonly page: ReportEvidencePage,
  ) {}

  @Post('evidence/upload')
  @MultipartForm()
  async add(@Req() request: FastifyRequest & WebRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = request.webSession as WebSession;
    const upload = await uploadAfterCsrf(request, session);
    try {
      const held = await this.upload.hold(session.caller, upload.parts);
      const draft = (session.data[DRAFT_KEY] as ReportDraft | undefined) ?? {};
      await this.sessions.setData(session, DRAFT_KEY, { ...draft, heldEvidenceIds: [...(draft.heldEvidenceIds ?? []), held.id] });
      redirect(reply, '/report/evidence');
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === 'forbidden') throw err;
      const reasons = (err.details.errors as FieldError[] | undefined) ?? [];
      const onDescription = reasons[0]?.field === 'description';
      const text = reasons.some((e) => e.field === 'file' && /required/.test(e.reason))
        ? 'Select a file to upload'
        : reasons.length
          ? reasons.map((e) => `${onDescription ? 'The description' : 'The file'} ${e.reason}`).join('. ')
          : err.message;
      await this.page.render(reply, session, {
        uploadError: { field: onDescription ? 'file-description' : 'file', text },
        uploadValues: { description: upload.fields.description ?? '' },
      }, HTTP_STATUS_OF[err.kind]);
    }
  }

  @Post('evidence/:evidenceId/remove')
  async remove(@CurrentSession() session: WebSession, @Param('evidenceId') evidenceId: string, @Res() reply: FastifyReply): Promise<void> {
    await this.upload.removeHeld(session.caller, evidenceId);
    const draft = (session.data[DRAFT_KEY] as ReportDraft | undefined) ?? {};
    await this.sessions.setData(session, DRAFT_KEY, { ...draft, heldEvidenceIds: (draft.heldEvidenceIds ?? []).filter((id) => id !== evidenceId) });
    redirect(reply, '/report/evidence');
  }
}
