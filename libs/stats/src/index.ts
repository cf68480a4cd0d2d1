export * from './stats.module';
export * from './rollups/stats-rollups';
export * from './rollups/duration-buckets';
export * from './rollups/stats-refresh-loop.service';
export * from './breaches/breach-stats.dto';
export * from './durations/duration-stats.dto';
