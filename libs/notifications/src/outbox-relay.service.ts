import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { EMAIL_QUEUE, emailJobId } from '@cc/queues';

const BATCH = 500;

/**
 * Moves committed outbox rows to the e-mail queue. Rows are locked while their jobs are added
 * (SKIP LOCKED lets several workers relay side by side), and job ids are made of the row's id and
 * how often it was put back, so relaying the same row twice is still one job. Sending is guarded
 * by the row itself (see EmailDelivery), so an old job that lingers never sends twice.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);

  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(EMAIL_QUEUE) private readonly emails: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Relays one batch; returns how many rows it queued. */
  async relayOnce(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: Array<{ id: string; relayCount: number }> = await manager.query(
        `SELECT id, relay_count AS "relayCount" FROM notifications WHERE status = 'pending' ORDER BY created_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return 0;
      await this.emails.addBulk(
        rows.map((r) => ({
          name: 'send',
          data: { notificationId: r.id },
          opts: {
            jobId: emailJobId(r.id, r.relayCount),
            attempts: this.config.EMAIL_ATTEMPTS,
            backoff: { type: 'exponential', delay: this.config.EMAIL_BACKOFF_MS },
            // The database keeps the record of every delivery; Redis keeps nothing it would need.
            removeOnComplete: true,
            removeOnFail: true,
          },
        })),
      );
      await manager.query(`UPDATE notifications SET status = 'queued', queued_at = now() WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /**
   * Puts back into the outbox what the queue may have lost: rows left 'sending' by a worker that
   * died, and queued rows whose job never ran (a flushed Redis). Queued rows are only taken back
   * when the queue has nothing waiting, so a long backlog is not mistaken for a loss.
   */
  async recoverStuck(): Promise<number> {
    const counts = await this.emails.getJobCounts('waiting', 'delayed', 'prioritized');
    const queueIdle = (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0) === 0;
    const rows = await this.dataSource.query(
      `WITH stuck AS (
         UPDATE notifications SET status = 'pending', relay_count = relay_count + 1
          WHERE (status = 'sending' AND sending_started_at < now() - $1 * interval '1 millisecond')
             OR ($2 AND status = 'queued' AND queued_at < now() - interval '2 minutes')
          RETURNING id)
       SELECT count(*)::int AS count FROM stuck`,
      [this.config.EMAIL_CLAIM_TIMEOUT_MS, queueIdle],
    );
    const count = rows[0]?.count ?? 0;
    if (count > 0) this.logger.warn({ count }, 'Requeued e-mails whose delivery was lost or interrupted');
    return count;
  }
}
