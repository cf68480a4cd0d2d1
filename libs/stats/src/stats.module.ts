import { Module } from '@nestjs/common';
import { BreachStatistics } from './breaches/breach-stats';
import { DurationStatistics } from './durations/duration-stats';
import { PublicStatsController } from './public-stats.controller';
import { StatsRefreshLoop } from './rollups/stats-refresh-loop.service';
import { StatsRollups } from './rollups/stats-rollups';
import { StatsFreshness } from './shared/freshness';
import { StatsController } from './stats.controller';

/** The rollups, shared by the pages' module and the worker's (one provider, imported by both). */
@Module({
  providers: [StatsRollups],
  exports: [StatsRollups],
})
export class StatsRollupsModule {}

/** Breach statistics over HTTP, for staff and (anonymised) for anyone. */
@Module({
  imports: [StatsRollupsModule],
  controllers: [StatsController, PublicStatsController],
  providers: [StatsFreshness, BreachStatistics, DurationStatistics],
  exports: [StatsRollupsModule, BreachStatistics, DurationStatistics],
})
export class StatsModule {}

/** What a worker runs for the statistics: the periodic refresh of the rollups. */
@Module({
  imports: [StatsRollupsModule],
  providers: [StatsRefreshLoop],
})
export class StatsWorkerModule {}
