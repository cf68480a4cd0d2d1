import { Module } from '@nestjs/common';
import { BreachStatistics } from './breaches/breach-stats';
import { DurationStatistics } from './durations/duration-stats';
import { PublicStatsController } from './public-stats.controller';
import { StatsRefreshLoop } from './rollups/stats-refresh-loop.service';
import { StatsRollups } from './rollups/stats-rollups';
import { StatsFreshness } from './shared/freshness';
import { StatsController } from './stats.controller';

/** Breach statistics over HTTP, for staff and (anonymised) for anyone. */
@Module({
  controllers: [StatsController, PublicStatsController],
  providers: [StatsRollups, StatsFreshness, BreachStatistics, DurationStatistics],
  exports: [StatsRollups, BreachStatistics, DurationStatistics],
})
export class StatsModule {}

/** What a worker runs for the statistics: the periodic refresh of the rollups. */
@Module({
  providers: [StatsRollups, StatsRefreshLoop],
})
export class StatsWorkerModule {}
