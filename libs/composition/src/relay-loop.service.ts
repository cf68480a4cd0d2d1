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
    // Each relay keeps its own pace: a burst of e-mails must not make the deadline relay (which
    // then has nothing to do) query again and again, nor the reverse.
    this.running = Promise.all([
      this.loop('Relaying e-mails', () => this.outbox.relayOnce()),
      this.loop('Relaying deadline wake-ups', () => this.wakeups.relayOnce()),
      this.upkeep(),
    ]).then(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Relays batch after batch while there is work (a full batch means more is waiting), then waits. */
  private async loop(what: string, relayOnce: () => Promise<number>): Promise<void> {
    while (!this.stopped) {
      const relayed = await this.attempt(what, relayOnce);
      if (relayed === undefined) await this.pause(Math.max(1_000, this.config.RELAY_INTERVAL_MS));
      else if (relayed === 0) await this.pause(this.config.RELAY_INTERVAL_MS);
    }
  }

  /** Re-registers the sweeper's schedule and puts back e-mails whose delivery was lost or interrupted. */
  private async upkeep(): Promise<void> {
    let lastSchedule = 0;
    let lastRecovery = 0;
    while (!this.stopped) {
      if (Date.now() - lastSchedule > SCHEDULE_REFRESH_MS && (await this.attempt('Registering the sweeper', () => this.wakeups.ensureSweepSchedule())) !== undefined) {
        lastSchedule = Date.now();
      }
      if (Date.now() - lastRecovery > this.config.SWEEP_INTERVAL_MS && (await this.attempt('Recovering stuck e-mails', () => this.outbox.recoverStuck())) !== undefined) {
        lastRecovery = Date.now();
      }
      await this.pause(Math.max(1_000, this.config.RELAY_INTERVAL_MS));
    }
  }

  private async attempt<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (err) {
      this.logger.error({ err: err instanceof Error ? err.message : String(err), what }, `${what} failed; will retry. Check that PostgreSQL and Redis are reachable.`);
      return undefined;
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
