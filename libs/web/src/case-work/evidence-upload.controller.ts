import { Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, FieldError, HTTP_STATUS_OF } from '@cc/common';
import { UploadEvidence } from '@cc/evidence';
import { uploadAfterCsrf } from '../multipart-form';
import { Renderer } from '../renderer';
import { MultipartForm, WebRequest } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession } from '../web-sessions.service';
import { redirect, sendPage } from '../page';
import { CasePageData } from './case-page.service';
import { caseFormsView, plain, refusal } from './case-page.controller';

/** POST /cases/:id/evidence: the case page's upload form (multipart), through the upload use case. */
@WebPages('cases')
export class EvidenceUploadPageController {
  constructor(
    private readonly renderer: Renderer,
    private readonly data: CasePageData,
    private readonly upload: UploadEvidence,
  ) {}

  @Post(':id/evidence')
  @MultipartForm()
  async create(@Req() request: FastifyRequest & WebRequest, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const session = request.webSession as WebSession;
    const upload = await uploadAfterCsrf(request, session);
    try {
      await this.upload.execute(session.caller, id, upload.parts);
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === 'notFound') throw err;
      const reasons = (err.details.errors as FieldError[] | undefined) ?? [];
      const text =
        err.code === 'VALIDATION_FAILED' && reasons.some((e) => e.field === 'file' && /required/.test(e.reason))
          ? 'Select a file to upload'
          : err.code === 'VALIDATION_FAILED'
            ? reasons.map((e) => `${e.field === 'description' ? 'The description' : 'The file'} ${e.reason}`).join('. ')
            : err.message;
      const status = HTTP_STATUS_OF[err.kind];
      const field = reasons[0]?.field === 'description' ? 'description' : 'file';
      const state = refusal('evidence', plain([{ field, reason: text }], { file: 'evidence-file', description: 'evidence-description' }), { description: upload.fields.description ?? '' });
      sendPage(reply, this.renderer.render('case-work/case.njk', { ...(await this.data.context(session, id, state)), ...caseFormsView(session) }), status);
      return;
    }
    redirect(reply, `/cases/${id}?done=evidence#evidence`);
  }
}
