import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { queryRows } from '@cc/persistence';
import { EMAIL_QUEUE, emailJobId } from '@cc/queues';

const BATCH = 500;
/** Queued rows checked against Redis per sweep; the oldest first, where losses show. */
const LOST_CHECK_BATCH = 500;

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
      // Walk the pending index in order (an index scan) rather than collect it all (a bitmap
      // scan): only an index scan marks the entries of rows that have moved on as dead, so the
      // next pass steps over them instead of visiting each row again until vacuum catches up.
      await manager.query(`SET LOCAL enable_bitmapscan = off`);
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
   * died mid-send, and queued rows whose job is gone from Redis (a flush) or was taken by a worker
   * that died before claiming the row (active, yet unclaimed for longer than the claim timeout). Waiting BullMQ for its own stalled
   * check would hold such e-mails back for up to a minute; the database knows sooner.
   */
  async recoverStuck(): Promise<number> {
    const interrupted = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE notifications SET status = 'pending', relay_count = relay_count + 1
        WHERE status = 'sending' AND sending_started_at < now() - $1 * interval '1 millisecond'
        RETURNING id`,
      [this.config.EMAIL_CLAIM_TIMEOUT_MS],
    );
    const lost = await this.requeueLostJobs();
    const count = interrupted.length + lost;
    if (count > 0) this.logger.warn({ interrupted: interrupted.length, lost }, 'Requeued e-mails whose delivery was lost or interrupted');
    return count;
  }

  private async requeueLostJobs(): Promise<number> {
    const queued: Array<{ id: string; relayCount: number }> = await this.dataSource.query(
      `SELECT id, relay_count AS "relayCount" FROM notifications
        WHERE status = 'queued' AND queued_at < now() - $1 * interval '1 millisecond'
        ORDER BY queued_at LIMIT ${LOST_CHECK_BATCH}`,
      [this.config.EMAIL_CLAIM_TIMEOUT_MS],
    );
    if (queued.length === 0) return 0;
    // BullMQ's Redis backend is ioredis; its own client type hides the commands used here.
    const redis = (await this.emails.backend.client) as unknown as Redis;
    const activeKey = this.emails.toKey('active');
    const pipeline = redis.pipeline();
    for (const row of queued) {
      const jobId = emailJobId(row.id, row.relayCount);
      pipeline.hmget(this.emails.toKey(jobId), 'name', 'processedOn').lpos(activeKey, jobId);
    }
    const replies = (await pipeline.exec()) ?? [];
    const takenBefore = Date.now() - this.config.EMAIL_CLAIM_TIMEOUT_MS;
    const lost = queued.filter((_, i) => {
      const [name, processedOn] = (replies[i * 2]?.[1] as Array<string | null> | undefined) ?? [null, null];
      const activeAt = replies[i * 2 + 1]?.[1];
      // A live worker claims the row within moments of taking the job; a dead one's lock outlives
      // it by the lock duration, so the time since the job was taken is what tells.
      return name === null || (activeAt !== null && activeAt !== undefined && Number(processedOn) < takenBefore);
    });
    if (lost.length === 0) return 0;
    // Only rows still queued under the same job id: one sent meanwhile is left alone.
    const requeued = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE notifications n SET status = 'pending', relay_count = n.relay_count + 1
         FROM unnest($1::uuid[], $2::int[]) AS lost(id, relay_count)
        WHERE n.id = lost.id AND n.relay_count = lost.relay_count AND n.status = 'queued'
        RETURNING n.id`,
      [lost.map((r) => r.id), lost.map((r) => r.relayCount)],
    );
    return requeued.length;
  }
}
