import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@cc/identity';
import { BreachStatsQuery, PublicBreachStats } from './breaches/breach-stats.dto';
import { BreachStatistics } from './breaches/breach-stats';
import { PublicDurationStats } from './durations/duration-stats.dto';
import { DurationStatistics } from './durations/duration-stats';
import { breachesCsv, durationsCsv, sendCsv, wantsCsv } from './shared/csv-export';
import { StatsRangeQuery } from './shared/stats-range.dto';

/** Open statistics for anyone: no reporting organisation, and no group small enough to identify one. */
@ApiTags('statistics')
@ApiProduces('application/json', 'text/csv')
@ApiBadRequestResponse({ description: 'A parameter is wrong (e.g. from after to); the body names it' })
@Public()
@Controller('public/stats')
export class PublicStatsController {
  constructor(
    private readonly breaches: BreachStatistics,
    private readonly durations: DurationStatistics,
  ) {}

  @Get('breaches')
  @ApiOkResponse({ type: PublicBreachStats, description: 'Groups of fewer than 5 cases are left out and counted in suppressedGroups' })
  async breachStats(
    @Query() query: BreachStatsQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PublicBreachStats | string> {
    const stats = await this.breaches.executePublic(query);
    if (!wantsCsv(query.format, accept)) return stats;
    return sendCsv(reply, `public-breaches-by-${stats.by}-${stats.from}-to-${stats.to}`, breachesCsv(stats.by, stats.groups));
  }

  @Get('durations')
  @ApiOkResponse({ type: PublicDurationStats, description: 'Figures measured over fewer than 5 cases are left out' })
  async durationStats(
    @Query() query: StatsRangeQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PublicDurationStats | string> {
    const stats = await this.durations.executePublic(query);
    if (!wantsCsv(query.format, accept)) return stats;
    return sendCsv(reply, `public-stage-durations-${stats.from}-to-${stats.to}`, durationsCsv(stats.series));
  }
}
