import { CanActivate, Controller, ExecutionContext, Injectable, Param, Post, Req, Res, UseFilters, UseGuards, applyDecorators } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, FieldError, Forbidden } from '@cc/common';
import { Public } from '@cc/identity';
import { UploadEvidence, UploadRefusal, multipartParts } from '@cc/evidence';
import { Renderer } from '../renderer';
import { SESSION_COOKIE, WebRequest } from '../web-auth.guard';
import { SignInRequired, WebErrorFilter } from '../web-errors';
import { WEB_ROUTE_PREFIX } from '../web-pages.decorator';
import { WebSession, WebSessions, tokensEqual } from '../web-sessions.service';
import { redirect, sendPage } from '../page';
import { CasePageData } from './case-page.service';
import { plain, refusal } from './case-page.controller';

/**
 * Signs the upload in by its session but leaves the CSRF check to the handler: a multipart body is
 * streamed, not parsed up front, so the token is read as the form's first field.
 */
@Injectable()
export class UploadSessionGuard implements CanActivate {
  constructor(private readonly sessions: WebSessions) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & WebRequest>();
    const session = await this.sessions.resume(request.cookies[SESSION_COOKIE]);
    if (!session) throw new SignInRequired();
    request.webSession = session;
    request.caller = session.caller;
    return true;
  }
}

/** POST /cases/:id/evidence: the case page's upload form (multipart), through the upload use case. */
@applyDecorators(ApiExcludeController(), Public(), Controller(`${WEB_ROUTE_PREFIX}/cases`), UseGuards(UploadSessionGuard), UseFilters(WebErrorFilter))
export class EvidenceUploadPageController {
  constructor(
    private readonly renderer: Renderer,
    private readonly data: CasePageData,
    private readonly upload: UploadEvidence,
  ) {}

  @Post(':id/evidence')
  async create(@Req() request: FastifyRequest & WebRequest, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const session = request.webSession as WebSession;
    const parts = multipartParts(request);
    const first = await parts.next();
    const token = !first.done && first.value.kind === 'field' && first.value.field === '_csrf' ? first.value.value : undefined;
    if (!tokensEqual(session.csrfToken, token)) {
      if (!first.done && first.value.kind === 'file') first.value.stream.resume();
      throw new Forbidden('CSRF_TOKEN_INVALID', 'This form has expired or did not come from this service. Go back, reload the page and submit it again.');
    }
    let description = '';
    const watched = (async function* () {
      for await (const part of parts) {
        if (part.kind === 'field' && part.field === 'description') description = part.value;
        yield part;
      }
    })();
    try {
      await this.upload.execute(session.caller, id, watched);
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === 'notFound') throw err;
      const reasons = (err.details.errors as FieldError[] | undefined) ?? [];
      const text =
        err.code === 'VALIDATION_FAILED' && reasons.some((e) => e.field === 'file' && /required/.test(e.reason))
          ? 'Select a file to upload'
          : err.code === 'VALIDATION_FAILED'
            ? reasons.map((e) => `${e.field === 'description' ? 'The description' : 'The file'} ${e.reason}`).join('. ')
            : err.message;
      const status = err instanceof UploadRefusal ? err.status : err.kind === 'conflict' ? 409 : err.kind === 'forbidden' ? 403 : 400;
      const field = reasons[0]?.field === 'description' ? 'description' : 'file';
      const state = refusal('evidence', plain([{ field, reason: text }], { file: 'evidence-file', description: 'evidence-description' }), { description });
      sendPage(reply, this.renderer.render('case-work/case.njk', await this.data.context(session, id, state)), status);
      return;
    }
    redirect(reply, `/cases/${id}?done=evidence#evidence`);
  }
}
