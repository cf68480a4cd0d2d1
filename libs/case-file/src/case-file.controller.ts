import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, CurrentCaller } from '@cc/identity';
import { caseFileHeaders } from './make-case-file/case-file-headers';
import { MakeCaseFile } from './make-case-file/make-case-file';

@ApiTags('case file')
@ApiBearerAuth()
@ApiNotFoundResponse({ description: 'No such case, or not one you may see' })
@Controller('cases/:id')
export class CaseFileController {
  constructor(private readonly make: MakeCaseFile) {}

  @Get('case-file.pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The case file: everything on the case you may see, as one tagged PDF with its fonts embedded', schema: { type: 'string', format: 'binary' } })
  async pdf(@CurrentCaller() caller: Caller, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const file = await this.make.pdf(caller, id);
    reply.headers(caseFileHeaders('pdf', file.fileName, file.pdf.length));
    return new StreamableFile(file.pdf);
  }

  @Get('case-file.zip')
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'The case file PDF with every document you may see on the case (in documents/), streamed', schema: { type: 'string', format: 'binary' } })
  async zip(@CurrentCaller() caller: Caller, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const file = await this.make.zip(caller, id);
    reply.headers(caseFileHeaders('zip', file.fileName));
    return new StreamableFile(file.stream as never);
  }
}
