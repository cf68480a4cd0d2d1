import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { EMAIL_QUEUE, QueueProcessor, withRedisTimeout } from '@cc/queues';
import { DeliveryOutcome, EmailDelivery } from './email-delivery.service';

@Processor(EMAIL_QUEUE)
export class EmailProcessor extends QueueProcessor {
  constructor(
    private readonly delivery: EmailDelivery,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super({ concurrency: config.EMAIL_CONCURRENCY, redisTimeoutMs: config.REDIS_TIMEOUT_MS });
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

  /** E-mails waiting for a mail connection give their rows back; the sends in hand finish. */
  protected async windDown(): Promise<void> {
    this.delivery.stopTakingWork();
    await this.delivery.drained();
  }
}
