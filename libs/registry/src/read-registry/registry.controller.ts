import { Controller, Get, ParseIntPipe, DefaultValuePipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { UuidParam, ValidationFailed, isUuid } from '@cc/common';
import { BODY_TYPES } from '../import-compact/compact-definition';
import { CompactDetail, CompactSummary, CommitmentView, OrganisationView, ReportFactView, SignatoryView } from './registry.dto';
import { RegistryQueries } from './registry-queries';

/** How a 404 names a Compact asked for by id. */
const COMPACT = (id: string) => `Compact ${id}`;

/** The registry as reporters and caseworkers read it: for the report form and for triage. */
@ApiTags('registry')
@ApiBearerAuth()
@Controller()
export class RegistryController {
  constructor(private readonly queries: RegistryQueries) {}

  @Get('compacts')
  @ApiQuery({ name: 'q', required: false, description: 'Part of a name or area' })
  @ApiQuery({ name: 'area', required: false, description: 'Local Compacts of this area, and the national ones' })
  @ApiQuery({ name: 'status', required: false, enum: ['draft', 'active', 'under_review', 'archived'] })
  @ApiOkResponse({ type: [CompactSummary] })
  searchCompacts(@Query('q') q?: string, @Query('area') area?: string, @Query('status') status?: string, @Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit = 50): Promise<CompactSummary[]> {
    if (status && !['draft', 'active', 'under_review', 'archived'].includes(status)) throw new ValidationFailed([{ field: 'status', reason: 'must be draft, active, under_review or archived' }]);
    return this.queries.searchCompacts({ q: q?.trim() || undefined, area: area?.trim() || undefined, status, limit: clampLimit(limit) });
  }

  @Get('compacts/:id')
  @ApiOkResponse({ type: CompactDetail })
  @ApiNotFoundResponse({ description: 'No such Compact' })
  compact(@UuidParam('id', COMPACT, 'COMPACT_NOT_FOUND') id: string): Promise<CompactDetail> {
    return this.queries.compact(id);
  }

  @Get('compacts/:id/commitments')
  @ApiOkResponse({ type: [CommitmentView] })
  commitments(@UuidParam('id', COMPACT, 'COMPACT_NOT_FOUND') id: string): Promise<CommitmentView[]> {
    return this.queries.commitments(id);
  }

  @Get('compacts/:id/signatories')
  @ApiOkResponse({ type: [SignatoryView] })
  signatories(@UuidParam('id', COMPACT, 'COMPACT_NOT_FOUND') id: string): Promise<SignatoryView[]> {
    return this.queries.signatories(id);
  }

  @Get('organisations')
  @ApiQuery({ name: 'q', required: false, description: 'Part of the name' })
  @ApiQuery({ name: 'sector', required: false, enum: ['voluntary', 'public'] })
  @ApiQuery({ name: 'bodyType', required: false, enum: BODY_TYPES })
  @ApiQuery({ name: 'compactId', required: false, description: 'Only signatories of this Compact' })
  @ApiOkResponse({ type: [OrganisationView] })
  searchOrganisations(
    @Query('q') q?: string,
    @Query('sector') sector?: string,
    @Query('bodyType') bodyType?: string,
    @Query('area') area?: string,
    @Query('compactId') compactId?: string,
    @Query('limit', new DefaultValuePipe(20), ParseIntPipe) limit = 20,
  ): Promise<OrganisationView[]> {
    const errors = [];
    if (sector && sector !== 'voluntary' && sector !== 'public') errors.push({ field: 'sector', reason: 'must be voluntary or public' });
    if (bodyType && !(BODY_TYPES as readonly string[]).includes(bodyType)) errors.push({ field: 'bodyType', reason: `must be one of ${BODY_TYPES.join(', ')}` });
    if (compactId && !isUuid(compactId)) errors.push({ field: 'compactId', reason: 'must be a UUID' });
    if (errors.length) throw new ValidationFailed(errors);
    return this.queries.searchOrganisations({
      q: q?.trim() || undefined,
      sector: sector as 'voluntary' | 'public' | undefined,
      bodyType,
      area: area?.trim() || undefined,
      compactId,
      limit: clampLimit(limit),
    });
  }

  @Get('report-facts')
  @ApiOkResponse({ type: [ReportFactView], description: 'The facts a report may give, which commitment rules check' })
  reportFacts(): ReportFactView[] {
    return this.queries.reportFacts();
  }
}

function clampLimit(limit: number): number {
  if (limit < 1 || limit > 200) throw new ValidationFailed([{ field: 'limit', reason: 'must be between 1 and 200' }]);
  return limit;
}
