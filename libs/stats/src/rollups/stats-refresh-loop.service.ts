import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { StatsRollups } from './stats-rollups';

/**
 * Keeps the statistics rollups fresh in the worker, so a query seldom has days to catch up
 * itself. Several workers may run it: the refresh's advisory lock lets one work at a time and
 * the others skip.
 */
@Injectable()
export class StatsRefreshLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StatsRefreshLoop.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly rollups: StatsRollups,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule());
    }, this.config.STATS_REFRESH_INTERVAL_MS);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.rollups.refreshAll();
    } catch (err) {
      this.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'Refreshing statistics failed; will retry. Check that PostgreSQL is reachable.');
    }
  }
}
