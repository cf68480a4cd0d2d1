import { Body, Controller, Get, HttpCode, Param, Post, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CaseAccess } from '@cc/cases';
import { Caller, CurrentCaller, Roles } from '@cc/identity';
import { SentLetterView, SentLetters } from '../sent-letters/sent-letters';
import { LetterSent, WriteLetter } from './send-letter';
import { LetterPreviewView, PreviewLetterRequest, SendLetterRequest } from './write-letter.dto';

@ApiTags('letters')
@ApiBearerAuth()
@ApiNotFoundResponse({ description: 'No such case, or not one you may see' })
@Controller('cases/:id/letters')
export class CaseLettersController {
  constructor(
    private readonly access: CaseAccess,
    private readonly sent: SentLetters,
    private readonly write: WriteLetter,
  ) {}

  @Get()
  @ApiOkResponse({ type: [SentLetterView], description: 'The letters sent on the case that you may see, oldest first; the PDF of each is the case document evidenceId' })
  async list(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<SentLetterView[]> {
    return this.sent.of(await this.access.visible(caller, id));
  }

  @Post('preview')
  @HttpCode(200)
  @Roles('caseworker', 'administrator')
  @ApiOkResponse({ type: LetterPreviewView })
  @ApiForbiddenResponse({ description: 'Only caseworkers and administrators write letters' })
  @ApiBadRequestResponse({ description: 'A field is wrong; the body names it' })
  preview(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: PreviewLetterRequest): Promise<LetterPreviewView> {
    return this.write.preview(caller, id, body);
  }

  @Post('draft.pdf')
  @HttpCode(200)
  @Roles('caseworker', 'administrator')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The letter as it stands, as a PDF marked draft, with its gaps marked; nothing is kept or sent', schema: { type: 'string', format: 'binary' } })
  @ApiForbiddenResponse({ description: 'Only caseworkers and administrators write letters' })
  async draft(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: PreviewLetterRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const { pdf, fileName } = await this.write.draftPdf(caller, id, body);
    reply.headers({ 'content-type': 'application/pdf', 'content-disposition': attachment(fileName), 'cache-control': 'no-store' });
    return new StreamableFile(pdf);
  }

  @Post()
  @Roles('caseworker', 'administrator')
  @ApiCreatedResponse({ type: LetterSent, description: 'Sent (or, with byEmail false, kept on the case): a document and a timeline entry on the case, and one e-mail per recipient in the outbox' })
  @ApiForbiddenResponse({ description: 'Only caseworkers and administrators send letters' })
  @ApiBadRequestResponse({ description: 'A field is wrong, or the edited text still has a "[missing: …]" gap; the body names each' })
  @ApiConflictResponse({ description: 'LETTER_HAS_GAPS: the case does not have what the letter needs yet; details.gaps lists it in words' })
  send(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: SendLetterRequest): Promise<LetterSent> {
    return this.write.send(caller, id, body);
  }
}

/** A Content-Disposition naming the file for people (UTF-8) with a plain fallback. */
export function attachment(fileName: string): string {
  const plain = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '');
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
