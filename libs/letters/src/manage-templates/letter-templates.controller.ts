import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@cc/identity';
import { fieldList } from '../template-language/merge-fields';
import { CreateLetterTemplateRequest, LetterTemplateView, MergeFieldView, UpdateLetterTemplateRequest } from './letter-template.dto';
import { LetterTemplates } from './letter-templates';

@ApiTags('letters')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Only caseworkers and administrators read letter templates; only administrators change them' })
@Controller('letter-templates')
@Roles('caseworker', 'administrator')
export class LetterTemplatesController {
  constructor(private readonly templates: LetterTemplates) {}

  @Get()
  @ApiQuery({ name: 'includeArchived', required: false, description: 'true: archived templates too' })
  @ApiOkResponse({ type: [LetterTemplateView] })
  list(@CurrentCaller() caller: Caller, @Query('includeArchived') includeArchived?: string): Promise<LetterTemplateView[]> {
    return this.templates.list(caller, { includeArchived: includeArchived === 'true' });
  }

  @Get('fields')
  @ApiOkResponse({ type: [MergeFieldView], description: 'Every merge field a template may use, with what it is in words' })
  fields(): MergeFieldView[] {
    return fieldList();
  }

  @Get(':id')
  @ApiOkResponse({ type: LetterTemplateView })
  @ApiNotFoundResponse({ description: 'No such letter template' })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<LetterTemplateView> {
    return this.templates.get(caller, id);
  }

  @Post()
  @Roles('administrator')
  @ApiCreatedResponse({ type: LetterTemplateView })
  @ApiBadRequestResponse({ description: 'A field is missing or wrong, or the text uses something that is not a merge field; each problem names its field (and line)' })
  create(@CurrentCaller() caller: Caller, @Body() body: CreateLetterTemplateRequest): Promise<LetterTemplateView> {
    return this.templates.create(caller, body);
  }

  @Patch(':id')
  @Roles('administrator')
  @ApiOkResponse({ type: LetterTemplateView })
  @ApiNotFoundResponse({ description: 'No such letter template' })
  @ApiBadRequestResponse({ description: 'A field is wrong; each problem names its field (and line)' })
  update(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: UpdateLetterTemplateRequest): Promise<LetterTemplateView> {
    return this.templates.update(caller, id, body);
  }
}
