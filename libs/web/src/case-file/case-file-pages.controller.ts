import { Get, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { MakeCaseFile, caseFileHeaders } from '@cc/case-file';
import { CurrentSession } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';

/** The case file downloads linked from the case page: the same files as the API's, signed in by the page session. */
@WebPages('cases')
export class CaseFilePagesController {
  constructor(private readonly make: MakeCaseFile) {}

  @Get(':id/case-file.pdf')
  async pdf(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const file = await this.make.pdf(session.caller, id);
    reply.headers(caseFileHeaders('pdf', file.fileName, file.pdf.length)).send(file.pdf);
  }

  @Get(':id/case-file.zip')
  async zip(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const file = await this.make.zip(session.caller, id);
    reply.headers(caseFileHeaders('zip', file.fileName)).send(file.stream);
  }
}
