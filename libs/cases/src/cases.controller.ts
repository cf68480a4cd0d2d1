import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam, ValidationFailed } from '@cc/common';
import { Caller, CurrentCaller, Roles } from '@cc/identity';
import { z } from 'zod';
import { COMMAND_TYPES, commandSchemas } from '@cc/workflows';
import { FileReportRequest } from './file-report/file-report.dto';
import { FileReport } from './file-report/file-report';
import { CaseCreated, CaseDetail, CaseEventAccepted } from './get-case/case.dto';
import { CaseViews } from './get-case/case-views.service';
import { CasePage, ListCasesQuery } from './list-cases/list-cases.dto';
import { ListCases } from './list-cases/list-cases';
import { AddMessageRequest, AddNoteRequest, CaseNotes, NoteView } from './notes/notes';
import { SendCaseEvent } from './send-event/send-case-event';
import { CaseTimeline, TimelineEntry } from './timeline/timeline';
import { CaseGroupView, CaseLinks, LinkCaseRequest } from './links/case-links';

/** The OpenAPI form of each event body, generated from the same zod schemas that validate it. */
const EVENT_BODY_SCHEMAS = COMMAND_TYPES.map((type) => {
  const { $schema: _drop, properties = {}, required = [], ...rest } = z.toJSONSchema(commandSchemas[type], { unrepresentable: 'any' }) as {
    $schema?: string;
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return { ...rest, title: type, properties: { type: { type: 'string', enum: [type] }, ...properties }, required: ['type', ...required] };
});

@ApiTags('cases')
@ApiBearerAuth()
@ApiNotFoundResponse({ description: 'No such case, or not one you may see' })
@Controller('cases')
export class CasesController {
  constructor(
    private readonly fileReport: FileReport,
    private readonly listCases: ListCases,
    private readonly views: CaseViews,
    private readonly sendEvent: SendCaseEvent,
    private readonly timeline: CaseTimeline,
    private readonly notes: CaseNotes,
    private readonly links: CaseLinks,
  ) {}

  @Post()
  @Roles('reporter')
  @ApiCreatedResponse({ type: CaseCreated })
  @ApiBadRequestResponse({ description: 'A field is missing or wrong; the body names it' })
  create(@CurrentCaller() caller: Caller, @Body() body: FileReportRequest): Promise<CaseCreated> {
    return this.fileReport.execute(caller, body);
  }

  @Get()
  @ApiOkResponse({ type: CasePage })
  list(@CurrentCaller() caller: Caller, @Query() query: ListCasesQuery): Promise<CasePage> {
    return this.listCases.execute(caller, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: CaseDetail })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<CaseDetail> {
    return this.views.detail(caller, id);
  }

  @Post(':id/events')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'The case version you decided on; refused with 409 if it changed' })
  @ApiBody({
    description: 'An event and its details, e.g. { "type": "REQUEST_INFO", "questions": "..." }. GET the case for the events you may send now.',
    schema: { oneOf: EVENT_BODY_SCHEMAS },
  })
  @ApiOkResponse({ type: CaseEventAccepted })
  @ApiForbiddenResponse({ description: 'Your role may not send this event' })
  @ApiConflictResponse({ description: 'Not allowed in the current state (allowedActions lists what is), or the case changed meanwhile' })
  send(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch?: string,
  ): Promise<CaseEventAccepted> {
    return this.sendEvent.byPerson(caller, id, body, parseIfMatch(ifMatch));
  }

  @Get(':id/timeline')
  @ApiOkResponse({ type: [TimelineEntry] })
  getTimeline(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<TimelineEntry[]> {
    return this.timeline.execute(caller, id);
  }

  @Get(':id/notes')
  @ApiOkResponse({ type: [NoteView] })
  listNotes(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<NoteView[]> {
    return this.notes.list(caller, id);
  }

  @Post(':id/notes')
  @ApiCreatedResponse({ type: NoteView })
  addNote(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: AddNoteRequest): Promise<NoteView> {
    return this.notes.add(caller, id, body);
  }

  @Get(':id/messages')
  @ApiOkResponse({ type: [NoteView], description: 'Messages between the caseworker and the public body that you may read' })
  listMessages(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<NoteView[]> {
    return this.notes.messages(caller, id);
  }

  @Post(':id/messages')
  @ApiCreatedResponse({ type: NoteView })
  @ApiForbiddenResponse({ description: 'Your role may not write this message (reporters and mediators write notes; only staff write "only between us")' })
  addMessage(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: AddMessageRequest): Promise<NoteView> {
    return this.notes.addMessage(caller, id, body);
  }

  // No @Roles on the links: whether the caller may see the case is answered first (404, as on
  // every case endpoint), and only then whether links are for their role (CaseLinks, 403).
  @Get(':id/links')
  @ApiOkResponse({ type: CaseGroupView })
  linkedGroup(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<CaseGroupView> {
    return this.links.group(caller, id);
  }

  @Post(':id/links')
  @ApiCreatedResponse({ type: CaseGroupView })
  @ApiConflictResponse({ description: 'Already linked' })
  link(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: LinkCaseRequest): Promise<CaseGroupView> {
    return this.links.link(caller, id, body);
  }

  @Delete(':id/links/:otherId')
  @HttpCode(204)
  unlink(@CurrentCaller() caller: Caller, @Param('id') id: string, @UuidParam('otherId', 'That link', 'LINK_NOT_FOUND') otherId: string): Promise<void> {
    return this.links.unlink(caller, id, otherId);
  }
}

function parseIfMatch(header?: string): number | undefined {
  if (header === undefined) return undefined;
  const version = Number(header.replace(/^W\//, '').replace(/"/g, ''));
  if (!Number.isInteger(version) || version < 1) {
    throw new ValidationFailed([{ field: 'If-Match', reason: 'must be the case version, e.g. "3"' }]);
  }
  return version;
}
