import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf } from 'class-validator';
import { ValidationFailed } from '@cc/common';
import { Caller, CurrentCaller, Roles } from '@cc/identity';
import { DEADLINE_KINDS, DeadlineKind } from '@cc/workflows';
import { DeadlinePolicies, DeadlinePolicyView } from './deadline-policy/deadline-policy.service';
import { DEADLINE_DUE, DeadlineQueries } from './deadline-queries.service';

const DUE = DEADLINE_DUE;
const KINDS = Object.keys(DEADLINE_KINDS);

export class DeadlinesQuery {
  @ApiPropertyOptional({ enum: DUE, default: 'all', description: 'overdue: past due; today: due by the end of today; week: within 7 days' })
  @IsOptional()
  @IsIn(DUE, { message: `must be one of ${DUE.join(', ')}` })
  due?: (typeof DUE)[number];

  @ApiPropertyOptional({ description: "A caseworker's id, 'me', or 'none' for unassigned cases" })
  @IsOptional()
  @IsString()
  @Length(2, 40)
  assignee?: string;
}

export class DeadlineView {
  @ApiProperty() id: string;
  @ApiProperty() caseId: string;
  @ApiProperty() caseReference: string;
  @ApiProperty() caseTitle: string;
  @ApiProperty({ enum: KINDS }) kind: string;
  @ApiProperty({ enum: ['pending', 'paused', 'met', 'fired', 'cancelled'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) dueAt: string | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ nullable: true, type: String }) assigneeName: string | null;
  @ApiProperty({ nullable: true, type: String }) reminderAt: string | null;
  @ApiProperty({ nullable: true, type: String }) firedAt: string | null;
}

export class DeadlinePolicyRequest {
  @ApiPropertyOptional({ format: 'uuid', description: 'The Compact; leave out for the default of all Compacts' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  compactId?: string;

  @ApiProperty({ minimum: 1, maximum: 250 })
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(250, { message: 'must be at most 250' })
  workingDays: number;

  @ApiPropertyOptional({ description: 'Send a reminder after this many working days' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  reminderAfterWorkingDays?: number | null;
}

/** Where every clock stands: the overdue work across cases, and each case's own clocks. */
@ApiTags('deadlines')
@ApiBearerAuth()
@Controller()
export class DeadlinesController {
  constructor(
    private readonly queries: DeadlineQueries,
    private readonly policyLengths: DeadlinePolicies,
  ) {}

  @Get('deadlines')
  @Roles('caseworker', 'administrator', 'mediator')
  @ApiOkResponse({ type: [DeadlineView] })
  list(@CurrentCaller() caller: Caller, @Query() query: DeadlinesQuery): Promise<DeadlineView[]> {
    return this.queries.list(caller, { due: query.due, assignee: query.assignee });
  }

  @Get('cases/:id/deadlines')
  @ApiOkResponse({ type: [DeadlineView] })
  forCase(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<DeadlineView[]> {
    return this.queries.forCase(caller, id);
  }

  @Get('admin/deadline-policies')
  @Roles('administrator')
  policies(): Promise<DeadlinePolicyView[]> {
    return this.policyLengths.list();
  }

  @Put('admin/deadline-policies/:kind')
  @Roles('administrator')
  setPolicy(@CurrentCaller() caller: Caller, @Param('kind') kind: string, @Body() body: DeadlinePolicyRequest) {
    const fixed = DEADLINE_KINDS[kind as keyof typeof DEADLINE_KINDS];
    if (!fixed) throw new ValidationFailed([{ field: 'kind', reason: `must be one of ${KINDS.join(', ')}` }]);
    if (fixed.workingDays === null) throw new ValidationFailed([{ field: 'kind', reason: 'runs to a date set on the case, not a number of working days' }]);
    if (body.reminderAfterWorkingDays && body.reminderAfterWorkingDays >= body.workingDays) {
      throw new ValidationFailed([{ field: 'reminderAfterWorkingDays', reason: 'must be fewer than workingDays' }]);
    }
    return this.policyLengths.set(
      { kind: kind as DeadlineKind, compactId: body.compactId ?? null, workingDays: body.workingDays, reminderAfterWorkingDays: body.reminderAfterWorkingDays ?? null },
      caller.userId,
    );
  }
}
