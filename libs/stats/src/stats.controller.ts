import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '@cc/identity';
import { BreachStats, BreachStatsQuery } from './breaches/breach-stats.dto';
import { BreachStatistics } from './breaches/breach-stats';
import { DurationStats } from './durations/duration-stats.dto';
import { DurationStatistics } from './durations/duration-stats';
import { breachesCsv, durationsCsv, sendCsv, wantsCsv } from './shared/csv-export';
import { StatsRangeQuery } from './shared/stats-range.dto';

@ApiTags('statistics')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv')
@ApiBadRequestResponse({ description: 'A parameter is wrong (e.g. from after to); the body names it' })
@ApiForbiddenResponse({ description: 'Only caseworkers and administrators see the full statistics' })
@Roles('caseworker', 'administrator')
@Controller('stats')
export class StatsController {
  constructor(
    private readonly breaches: BreachStatistics,
    private readonly durations: DurationStatistics,
  ) {}

  @Get('breaches')
  @ApiOkResponse({ type: BreachStats, description: 'JSON, or CSV with format=csv or Accept: text/csv' })
  async breachStats(
    @Query() query: BreachStatsQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BreachStats | string> {
    const stats = await this.breaches.execute(query);
    if (!wantsCsv(query.format, accept)) return stats;
    return sendCsv(reply, `breaches-by-${stats.by}-${stats.from}-to-${stats.to}`, breachesCsv(stats.by, stats.groups));
  }

  @Get('durations')
  @ApiOkResponse({ type: DurationStats, description: 'JSON, or CSV with format=csv or Accept: text/csv' })
  async durationStats(
    @Query() query: StatsRangeQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DurationStats | string> {
    const stats = await this.durations.execute(query);
    if (!wantsCsv(query.format, accept)) return stats;
    return sendCsv(reply, `stage-durations-${stats.from}-to-${stats.to}`, durationsCsv(stats.series));
  }
}
