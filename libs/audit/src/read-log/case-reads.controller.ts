import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { NotFound, UuidParam } from '@cc/common';
import { Caller, CurrentCaller, Roles } from '@cc/identity';
import { openingSentence } from '../read-words';
import { CASE_VISIBILITY, CaseVisibility } from './case-visibility';
import { CaseReadsPage, PersonReadsPage, StaffOpeningView } from './read-log.dto';
import { ReadLog, readLogPage } from './read-log';

/** The audit of reads over the API: who read a case, what a person read (administrators), which roles opened a case (its reporter). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class CaseReadsController {
  constructor(
    private readonly log: ReadLog,
    @Inject(CASE_VISIBILITY) private readonly access: CaseVisibility,
  ) {}

  @Get('cases/:id/reads')
  @Roles('administrator')
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiOkResponse({ type: CaseReadsPage, description: 'Every recorded request on the case by staff, newest first, 50 a page' })
  @ApiForbiddenResponse({ description: 'Administrators only' })
  @ApiNotFoundResponse({ description: 'No such case' })
  async ofCase(@CurrentCaller() caller: Caller, @Param('id') id: string, @Query('page') page: unknown): Promise<CaseReadsPage> {
    const seen = await this.access.visible(caller, id);
    const { items, ...rest } = await this.log.ofCase(seen.row.id, readLogPage(page));
    return { reads: items.map((r) => ({ ...r, at: r.at.toISOString() })), ...rest };
  }

  @Get('users/:id/reads')
  @Roles('administrator')
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiOkResponse({ type: PersonReadsPage, description: 'Every case the person has read, the most recently read first, 50 a page' })
  @ApiForbiddenResponse({ description: 'Administrators only' })
  @ApiNotFoundResponse({ description: 'No such person' })
  async ofPerson(@UuidParam('id', 'That person', 'USER_NOT_FOUND') id: string, @Query('page') page: unknown): Promise<PersonReadsPage> {
    if (!(await this.log.personExists(id))) throw new NotFound('That person', 'USER_NOT_FOUND');
    const { items, ...rest } = await this.log.ofPerson(id, readLogPage(page));
    return { cases: items.map((c) => ({ ...c, firstAt: c.firstAt.toISOString(), lastAt: c.lastAt.toISOString() })), ...rest };
  }

  @Get('cases/:id/openings')
  @Roles('reporter', 'caseworker', 'administrator')
  @ApiOkResponse({ type: [StaffOpeningView], description: 'The days staff in each role opened the case, newest first (never who)' })
  @ApiNotFoundResponse({ description: 'No such case, or not yours' })
  async openings(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<StaffOpeningView[]> {
    const seen = await this.access.visible(caller, id);
    return (await this.log.staffOpenings(seen.row.id)).map((o) => ({ ...o, sentence: openingSentence(o.role, o.day) }));
  }
}
