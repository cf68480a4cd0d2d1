import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { DeadlineWakeups, DeadlinesProcessor } from '@cc/deadlines';
import { EmailLeases, EmailProcessor, OutboxRelay } from '@cc/notifications';
import { DEADLINES_QUEUE, QueueRelay, pauseAfterRelay, queueConnected, redisClientOf, withRedisTimeout } from '@cc/queues';

const SCHEDULE_REFRESH_MS = 30_000;

/**
 * Moves what the database holds into the queues: new e-mails to the e-mail queue, new or moved
 * deadlines to wake-up jobs. Runs in every worker; SKIP LOCKED lets them share the work.
 *
 * It also notices when Redis has lost its data (flushed, or restarted without persistence): a
 * marker key it keeps is gone. Then every wake-up and e-mail job is rebuilt from the database at
 * once, instead of waiting for the sweeper. And it stops the worker in order on SIGTERM.
 */
@Injectable()
export class RelayLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RelayLoop.name);
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly wakeUp = new Set<() => void>();
  private redisWasDown = false;

  constructor(
    private readonly outbox: OutboxRelay,
    private readonly wakeups: DeadlineWakeups,
    private readonly emailProcessor: EmailProcessor,
    private readonly leases: EmailLeases,
    private readonly deadlinesProcessor: DeadlinesProcessor,
    @InjectQueue(DEADLINES_QUEUE) private readonly deadlinesQueue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The marker's key: under the installation's prefix, so a flush of that prefix removes it too. */
  private get markerKey(): string {
    return `${this.config.QUEUE_PREFIX}:relay-marker`;
  }

  onApplicationBootstrap(): void {
    // Each relay keeps its own pace: a burst of e-mails must not make the deadline relay (which
    // then has nothing to do) query again and again, nor the reverse.
    // The marker is looked at before the first relay, so what this process queues is never taken
    // for jobs a Redis lost (bounded: with Redis away, the upkeep loop looks again later).
    this.running = (async () => {
      await this.attempt('Checking whether Redis kept its jobs', () => this.rebuildIfRedisLostItsData());
      await Promise.all([
        this.loop('Relaying e-mails', this.outbox),
        this.loop('Relaying deadline wake-ups', this.wakeups),
        this.upkeep(),
      ]);
    })();
  }

  /**
   * SIGTERM: stop relaying; let the jobs in hand finish (e-mails still waiting for a mail connection
   * and wake-ups waiting for their moment are given back for another worker to take at once); then
   * Nest closes the queues and the database. Bounded, so a stuck send cannot keep the process.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const wake of this.wakeUp) wake();
    const stopping = Promise.all([this.running, this.emailProcessor.stop(), this.deadlinesProcessor.stop()]).then(() => this.leases.stop());
    const timedOut = await Promise.race([
      stopping.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), this.config.WORKER_SHUTDOWN_TIMEOUT_MS).unref()),
    ]);
    if (timedOut) this.logger.warn({ afterMs: this.config.WORKER_SHUTDOWN_TIMEOUT_MS }, 'Jobs still running at shutdown; stopping anyway (their e-mails are taken over once their leases run out)');
    else this.logger.log('Worker stopped: jobs in hand finished or given back');
  }

  /** Relays batch after batch while there is work, then waits (see pauseAfterRelay). */
  private async loop(what: string, relay: QueueRelay<unknown>): Promise<void> {
    while (!this.stopped) {
      const relayed = await this.attempt(what, () => relay.relayOnce());
      const pauseMs = pauseAfterRelay(relayed, this.config.RELAY_INTERVAL_MS);
      if (pauseMs > 0) await this.pause(pauseMs);
    }
  }

  /** Rebuilds after a Redis that lost its data, re-registers the sweeper, and puts back e-mails whose delivery was lost. */
  private async upkeep(): Promise<void> {
    let lastSchedule = 0;
    let lastRecovery = 0;
    while (!this.stopped) {
      const redisUp = await queueConnected(this.deadlinesQueue, this.config.REDIS_TIMEOUT_MS);
      if (redisUp !== !this.redisWasDown) {
        if (redisUp) this.logger.log('Redis is back; relaying what waited in the database');
        else this.logger.warn('Redis is unreachable; transitions go on (they only write to PostgreSQL), and deadlines and e-mails wait in the database until it is back');
        this.redisWasDown = !redisUp;
      }
      if (redisUp) {
        const rebuilt = await this.attempt('Checking whether Redis kept its jobs', () => this.rebuildIfRedisLostItsData());
        if (rebuilt) lastSchedule = Date.now();
        if (Date.now() - lastSchedule > SCHEDULE_REFRESH_MS && (await this.attempt('Registering the sweeper', () => this.wakeups.ensureSweepSchedule())) !== undefined) {
          lastSchedule = Date.now();
        }
        if (Date.now() - lastRecovery > this.config.SWEEP_INTERVAL_MS && (await this.attempt('Recovering stuck e-mails', () => this.outbox.recoverStuck())) !== undefined) {
          lastRecovery = Date.now();
        }
      }
      await this.pause(Math.max(1_000, this.config.RELAY_INTERVAL_MS));
    }
  }

  /**
   * The marker is set once with NX; if it is missing, Redis lost everything of ours. Whoever sets
   * it again rebuilds, so several workers noticing together rebuild once. Returns whether it rebuilt.
   */
  private async rebuildIfRedisLostItsData(): Promise<boolean> {
    const redis = await withRedisTimeout('connect', this.config.REDIS_TIMEOUT_MS, () => redisClientOf(this.deadlinesQueue));
    const set = await withRedisTimeout('check the marker', this.config.REDIS_TIMEOUT_MS, () => redis.set(this.markerKey, randomUUID(), 'NX'));
    if (set !== 'OK') return false;
    try {
      await this.wakeups.ensureSweepSchedule();
      const deadlines = await this.wakeups.forgetAllWakeups();
      const emails = await this.outbox.requeueAllQueued();
      if (deadlines + emails > 0) {
        this.logger.warn({ deadlines, emails }, 'Redis holds none of our jobs (it lost its data, or this installation uses it for the first time); rebuilding every wake-up and e-mail job from the database');
      }
      for (const wake of this.wakeUp) wake();
      return true;
    } catch (err) {
      // Try again on the next pass rather than believe a rebuild happened.
      await redis.del(this.markerKey).catch(() => undefined);
      throw err;
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

  /** Waits, unless shutdown or a rebuild wakes the loop first. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeUp.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeUp.add(wake);
    });
  }
}
