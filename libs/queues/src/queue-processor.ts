import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { queueConnected } from './redis-calls';

export interface QueueProcessorSettings {
  /** Jobs this worker runs at once. */
  readonly concurrency: number;
  readonly redisTimeoutMs: number;
}

/**
 * What every queue processor shares: its concurrency, its logger (named after the processor), what
 * a queue-level error does (it is logged, and never crashes the worker), and how it stops. A job
 * that fails is removed (the relays add every job with removeOnFail): the row it was for is the
 * record, and the relay or sweeper queues it again from there.
 *
 * A processor says how it processes a job (process) and how it winds down (windDown).
 */
export abstract class QueueProcessor extends WorkerHost implements OnModuleInit {
  protected readonly logger = new Logger(this.constructor.name);

  protected constructor(private readonly processing: QueueProcessorSettings) {
    super();
  }

  /**
   * Queue-level errors (Redis gone or flushed mid-job) must not crash the worker: the database
   * still holds the work, and the relay and sweeper will queue it again.
   */
  @OnWorkerEvent('error')
  onWorkerError(err: Error): void {
    this.logger.warn({ err: err.message }, 'Queue error; the work stays in the database and will be queued again');
  }

  onModuleInit(): void {
    this.worker.concurrency = this.processing.concurrency;
  }

  /**
   * The first step of stopping: take no new work and give back what is only waiting. The worker's
   * close, which follows, waits for the jobs still in hand.
   */
  protected abstract windDown(): void | Promise<void>;

  /** Lets the jobs in hand finish (waiting ones are given back first), then stops taking more. */
  async stop(): Promise<void> {
    await this.windDown();
    // With Redis away, a polite close would wait for it (the jobs in hand only need the database).
    const connected = await queueConnected(this.worker as unknown as Queue, Math.min(500, this.processing.redisTimeoutMs));
    await this.worker.close(!connected);
  }
}
