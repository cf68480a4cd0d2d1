import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnModuleInit } from '@nestjs/common';
import { Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { EMAIL_QUEUE } from '@cc/queues';
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

  process(job: Job<{ notificationId: string }>): Promise<DeliveryOutcome> {
    const isLastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.delivery.deliver(job.data.notificationId, isLastAttempt);
  }
}
