import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { DeadlineWakeups } from '@cc/deadlines';
import { OutboxRelay } from '@cc/notifications';

const SCHEDULE_REFRESH_MS = 30_000;

/**
 * Moves what the database holds into the queues: new e-mails to the e-mail queue, new or moved
 * deadlines to wake-up jobs. Runs in every worker; SKIP LOCKED lets them share the work. It also
 * re-registers the sweeper's schedule now and then, so a flushed Redis gets it back.
 */
@Injectable()
export class RelayLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RelayLoop.name);
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly outbox: OutboxRelay,
    private readonly wakeups: DeadlineWakeups,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    let lastSchedule = 0;
    let lastRecovery = 0;
    while (!this.stopped) {
      let busy = false;
      let failed = false;
      const attempt = async <T>(what: string, work: () => Promise<T>): Promise<T | undefined> => {
        try {
          return await work();
        } catch (err) {
          failed = true;
          this.logger.error({ err: err instanceof Error ? err.message : String(err), what }, `${what} failed; will retry. Check that PostgreSQL and Redis are reachable.`);
          return undefined;
        }
      };
      if (Date.now() - lastSchedule > SCHEDULE_REFRESH_MS && (await attempt('Registering the sweeper', () => this.wakeups.ensureSweepSchedule())) !== undefined) {
        lastSchedule = Date.now();
      }
      if (Date.now() - lastRecovery > this.config.SWEEP_INTERVAL_MS && (await attempt('Recovering stuck e-mails', () => this.outbox.recoverStuck())) !== undefined) {
        lastRecovery = Date.now();
      }
      const [emails, deadlines] = await Promise.all([
        attempt('Relaying e-mails', () => this.outbox.relayOnce()),
        attempt('Relaying deadline wake-ups', () => this.wakeups.relayOnce()),
      ]);
      busy = (emails ?? 0) > 0 || (deadlines ?? 0) > 0;
      // A full batch means more is waiting: go again at once. After a failure, back off.
      if (!busy || failed) await new Promise((resolve) => setTimeout(resolve, failed ? Math.max(1_000, this.config.RELAY_INTERVAL_MS) : this.config.RELAY_INTERVAL_MS));
    }
  }
}
