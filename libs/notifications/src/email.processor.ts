import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnModuleInit } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { EMAIL_QUEUE, queueConnected, withRedisTimeout } from '@cc/queues';
import { DeliveryOutcome, EmailDelivery } from './email-delivery.service';

@Processor(EMAIL_QUEUE)
export class EmailProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly delivery: EmailDelivery,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  private readonly logger = new Logger(EmailProcessor.name);

  /**
   * Queue-level errors (Redis gone or flushed mid-job) must not crash the worker: the database
   * still holds the work, and the relay and sweeper will queue it again.
   */
  @OnWorkerEvent('error')
  onWorkerError(err: Error): void {
    this.logger.warn({ err: err.message }, 'Queue error; the work stays in the database and will be queued again');
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.EMAIL_CONCURRENCY;
  }

  /** A temporary failure waits in the queue as a delayed job (the row says 'queued' meanwhile). */
  async process(job: Job<{ notificationId: string }>, token?: string): Promise<DeliveryOutcome['result']> {
    const keepAlive = () => withRedisTimeout('e-mail job keep-alive', this.config.REDIS_TIMEOUT_MS, () => job.updateProgress(Date.now()));
    const outcome = await this.delivery.deliver(job.data.notificationId, keepAlive);
    if (outcome.result === 'retry') {
      await withRedisTimeout('delay an e-mail job', this.config.REDIS_TIMEOUT_MS, () => job.moveToDelayed(Date.now() + outcome.inMs, token));
      throw new DelayedError();
    }
    return outcome.result;
  }

  /** Lets the jobs in hand finish (waiting ones give their e-mails back first), then stops taking more. */
  async stop(): Promise<void> {
    this.delivery.stopTakingWork();
    await this.delivery.drained();
    // With Redis away, a polite close would wait for it; the sends in hand are done, so drop the connection.
    const connected = await queueConnected(this.worker as never, Math.min(500, this.config.REDIS_TIMEOUT_MS));
    await this.worker.close(!connected);
  }
}
