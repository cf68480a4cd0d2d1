import { Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, FieldError, HTTP_STATUS_OF } from '@cc/common';
import { UploadEvidence } from '@cc/evidence';
import { uploadAfterCsrf } from '../multipart-form';
import { MultipartForm, WebRequest } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession } from '../web-sessions.service';
import { redirect } from '../page';
import { plain, refusal } from './case-page.controller';
import { CasePages } from './case-pages';

/** POST /cases/:id/evidence: the case page's upload form (multipart), through the upload use case. */
@WebPages('cases')
export class EvidenceUploadPageController {
  constructor(
    private readonly pages: CasePages,
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
      return this.pages.render(reply, session, id, state, status);
    }
    redirect(reply, `/cases/${id}?done=evidence#evidence`);
  }
}
