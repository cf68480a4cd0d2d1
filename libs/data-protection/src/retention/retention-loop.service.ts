import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { RetentionRunner } from './retention-runner';

/** How often a worker asks whether a run is due; the run itself happens once a day. */
const CHECK_EVERY_MS = 15 * 60_000;

/**
 * Applies the retention schedule once a day in the worker. Whether a run is due is decided in the
 * database (the last run's start), so any number of workers, restarted any time, run it once a
 * day between them; a run a stopped worker left unfinished is resumed at the next look.
 */
@Injectable()
export class RetentionLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionLoop.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly runner: RetentionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Not at once by default (RETENTION_FIRST_CHECK_MS), so a worker starting up does its urgent work (deadlines, e-mails) first.
    this.schedule(this.config.RETENTION_FIRST_CHECK_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(wait: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule(CHECK_EVERY_MS));
    }, wait);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      if (await this.runner.isDue()) await this.runner.run({ batchSize: this.config.RETENTION_BATCH_SIZE, stopRequested: () => this.stopped });
    } catch (err) {
      this.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'The retention run failed part-way; what it did is kept and the next look resumes it. Check that PostgreSQL is reachable.');
    }
  }
}
