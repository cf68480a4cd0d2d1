import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Caller, CurrentCaller } from '@cc/identity';
import { EvidenceView } from './domain/evidence.dto';
import { DownloadEvidence } from './download-evidence/download-evidence';
import { ListEvidence } from './list-evidence/list-evidence';
import { MAX_DESCRIPTION_LENGTH, UploadEvidence } from './upload-evidence/upload-evidence';
import { multipartParts } from './upload-evidence/upload-parts';
import { ShareEvidence, ShareEvidenceRequest } from './share-evidence/share-evidence';

@ApiTags('evidence')
@ApiBearerAuth()
@ApiNotFoundResponse({ description: 'No such case or evidence, or not one you may see' })
@Controller('cases/:caseId/evidence')
export class EvidenceController {
  constructor(
    private readonly upload: UploadEvidence,
    private readonly list: ListEvidence,
    private readonly download: DownloadEvidence,
    private readonly share: ShareEvidence,
  ) {}

  @Post(':evidenceId/share')
  @HttpCode(200)
  @ApiOkResponse({ type: EvidenceView })
  @ApiForbiddenResponse({ description: 'Only caseworkers and administrators share evidence with the public body' })
  @ApiConflictResponse({ description: "The reporter asked not to be named: sharing their document needs checkedForIdentity: true" })
  setShared(
    @CurrentCaller() caller: Caller,
    @Param('caseId') caseId: string,
    @Param('evidenceId') evidenceId: string,
    @Body() body: ShareEvidenceRequest,
  ): Promise<EvidenceView> {
    return this.share.execute(caller, caseId, evidenceId, body);
  }

  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'PDF, Office or OpenDocument document, RTF, image, or plain text/CSV; the type is judged from the content and must match the name' },
        description: { type: 'string', maxLength: MAX_DESCRIPTION_LENGTH },
      },
    },
  })
  @ApiCreatedResponse({ type: EvidenceView })
  @ApiBadRequestResponse({ description: 'No file, or a field is wrong; the body names it' })
  @ApiForbiddenResponse({ description: 'Mediators cannot add evidence' })
  @ApiConflictResponse({ description: 'The case is closed' })
  @ApiPayloadTooLargeResponse({ description: 'The file is over the size limit (EVIDENCE_MAX_BYTES, 20 MB by default)' })
  @ApiUnsupportedMediaTypeResponse({ description: 'The content is not an accepted type, or does not match the file name' })
  create(@CurrentCaller() caller: Caller, @Param('caseId') caseId: string, @Req() request: FastifyRequest): Promise<EvidenceView> {
    return this.upload.execute(caller, caseId, multipartParts(request));
  }

  @Get()
  @ApiOkResponse({ type: [EvidenceView] })
  index(@CurrentCaller() caller: Caller, @Param('caseId') caseId: string): Promise<EvidenceView[]> {
    return this.list.execute(caller, caseId);
  }

  @Get(':evidenceId')
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file, as an attachment', schema: { type: 'string', format: 'binary' } })
  async get(
    @CurrentCaller() caller: Caller,
    @Param('caseId') caseId: string,
    @Param('evidenceId') evidenceId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const file = await this.download.execute(caller, caseId, evidenceId);
    reply.headers(file.headers);
    return new StreamableFile(file.stream);
  }
}
