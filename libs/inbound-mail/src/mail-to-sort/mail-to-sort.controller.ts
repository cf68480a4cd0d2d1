import { Body, Controller, Get, HttpCode, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { UuidParam } from '@cc/common';
import { Caller, CurrentCaller, Roles } from '@cc/identity';
import { FileInboundMailRequest, FiledInboundMailView, InboundMailDetail, InboundMailQuery, InboundMailView } from './mail-to-sort.dto';
import { MailToSort } from './mail-to-sort';

const MAIL = 'That e-mail';

/** Received e-mails, and "mail to sort": those that could not be put on a case by themselves. */
@ApiTags('inbound-mail')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Only caseworkers and administrators sort received e-mail' })
@ApiNotFoundResponse({ description: 'No such e-mail' })
@Roles('caseworker', 'administrator')
@Controller('inbound-mail')
export class MailToSortController {
  constructor(private readonly mail: MailToSort) {}

  @Get()
  @ApiOkResponse({ type: [InboundMailView] })
  index(@CurrentCaller() caller: Caller, @Query() query: InboundMailQuery): Promise<InboundMailView[]> {
    return this.mail.list(caller, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: InboundMailDetail })
  show(@CurrentCaller() caller: Caller, @UuidParam('id', MAIL, 'INBOUND_MAIL_NOT_FOUND') id: string): Promise<InboundMailDetail> {
    return this.mail.get(caller, id);
  }

  @Get(':id/original')
  @ApiProduces('message/rfc822')
  @ApiOkResponse({ description: 'The e-mail as it was received, byte for byte (an .eml file)', schema: { type: 'string', format: 'binary' } })
  async original(@CurrentCaller() caller: Caller, @UuidParam('id', MAIL, 'INBOUND_MAIL_NOT_FOUND') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const file = await this.mail.original(caller, id);
    // A download, never shown in the browser: its HTML is whatever the sender wrote.
    reply.headers({ 'content-type': 'message/rfc822', 'content-disposition': `attachment; filename="${file.fileName}"`, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
    return new StreamableFile(file.raw);
  }

  @Post(':id/file')
  @HttpCode(200)
  @ApiOkResponse({ type: FiledInboundMailView })
  @ApiConflictResponse({ description: 'It is no longer waiting to be sorted, or (as: message) the sender has no account that can see the case' })
  file(@CurrentCaller() caller: Caller, @UuidParam('id', MAIL, 'INBOUND_MAIL_NOT_FOUND') id: string, @Body() body: FileInboundMailRequest): Promise<FiledInboundMailView> {
    return this.mail.file(caller, id, body);
  }

  @Post(':id/discard')
  @HttpCode(200)
  @ApiOkResponse({ type: InboundMailView })
  @ApiConflictResponse({ description: 'It is no longer waiting to be sorted' })
  discard(@CurrentCaller() caller: Caller, @UuidParam('id', MAIL, 'INBOUND_MAIL_NOT_FOUND') id: string): Promise<InboundMailView> {
    return this.mail.discard(caller, id);
  }
}
