import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { StatsRollups } from './stats-rollups';

/**
 * Keeps the statistics rollups fresh in the worker, so a query seldom has days to catch up
 * itself. Several workers may run it: the refresh's advisory lock lets one work at a time and
 * the others skip.
 */
const MAX_SHARE_OF_TIME = 0.1;

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

  /**
   * The wait after a refresh grows with its cost, so refreshing takes at most a tenth of the
   * worker's time: a day with a great many cases (a burst of deadlines firing on cases filed
   * together) is slow to recompute, and must not hold back the deadlines and e-mails themselves.
   * Figures are then a little older, and `asOf` says so.
   */
  private schedule(lastTookMs = 0): void {
    if (this.stopped) return;
    const wait = Math.max(this.config.STATS_REFRESH_INTERVAL_MS, lastTookMs * (1 / MAX_SHARE_OF_TIME - 1));
    this.timer = setTimeout(() => {
      const started = Date.now();
      this.running = this.tick().finally(() => this.schedule(Date.now() - started));
    }, wait);
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
