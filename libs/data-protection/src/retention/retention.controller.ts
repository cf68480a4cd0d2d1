import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '@cc/identity';
import type { Caller } from '@cc/identity';
import { RetentionPlan, RetentionRunRecord, RetentionRunner } from './retention-runner';
import { RETENTION_WORDS, RetentionPeriod, RetentionPeriodRequest, RetentionSchedule, periodWords } from './retention-schedule';

/** The retention schedule, its last runs and what the next run will do (the dry run). Administrators only. */
@ApiTags('data protection')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Only administrators keep the retention schedule' })
@Roles('administrator')
@Controller('admin/retention')
export class RetentionController {
  constructor(
    private readonly schedule: RetentionSchedule,
    private readonly runner: RetentionRunner,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Each rule with its period (and the period in words), and the last runs with their counts per kind' })
  async show(): Promise<{ schedule: Array<RetentionPeriod & { words: string; what: string }>; runs: RetentionRunRecord[] }> {
    const [periods, runs] = await Promise.all([this.schedule.list(), this.runner.recentRuns()]);
    return { schedule: periods.map((p) => ({ ...p, words: periodWords(p.count, p.unit), what: RETENTION_WORDS[p.kind].what })), runs };
  }

  @Get('next-run')
  @ApiOkResponse({ description: 'The dry run: what a run starting now would do, per kind, and the first cases it would anonymise' })
  nextRun(): Promise<RetentionPlan> {
    return this.runner.plan();
  }

  @Put(':kind')
  @ApiOkResponse({ description: 'The rule as saved' })
  @ApiBadRequestResponse({ description: 'The period is not a whole number of days or months in range; the body names the field' })
  @ApiNotFoundResponse({ description: 'No such rule' })
  set(@CurrentCaller() caller: Caller, @Param('kind') kind: string, @Body() body: RetentionPeriodRequest): Promise<RetentionPeriod> {
    return this.schedule.set(kind, body, caller.userId);
  }
}
