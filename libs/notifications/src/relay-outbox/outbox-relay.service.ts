import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { runSql, sql } from '@cc/persistence';
import { EMAIL_QUEUE, QueueJob, QueueRelay, emailJobId, redisClientOf, withRedisTimeout } from '@cc/queues';
import { EmailLeases } from '../send-email/email-leases.service';

const BATCH = 500;
/** Queued rows checked against Redis per sweep; the oldest first, where losses show. */
const LOST_CHECK_BATCH = 500;

interface OutboxRow {
  id: string;
  relayCount: number;
}

/**
 * Moves committed outbox rows to the e-mail queue (see QueueRelay): a batch is marked 'queued'
 * (SKIP LOCKED lets several workers relay side by side), and goes back to 'pending' if its jobs
 * cannot be added. Job ids are made of the row's id and how often it was put back, so relaying the
 * same row twice is still one job; sending is guarded by the row itself (see EmailDelivery).
 */
@Injectable()
export class OutboxRelay extends QueueRelay<OutboxRow> {
  private readonly logger = new Logger(OutboxRelay.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly leases: EmailLeases,
    @InjectQueue(EMAIL_QUEUE) private readonly emails: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super({ dataSource, queue: emails, redisTimeoutMs: config.REDIS_TIMEOUT_MS, handOver: 'queue e-mails' });
  }

  protected claimBatch(manager: EntityManager): Promise<OutboxRow[]> {
    return runSql<OutboxRow>(
      manager,
      sql`UPDATE notifications n SET status = 'queued', queued_at = now()
            FROM (SELECT id FROM notifications WHERE status = 'pending' ORDER BY created_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED) AS picked
           WHERE n.id = picked.id
           RETURNING n.id, n.relay_count AS "relayCount"`,
    );
  }

  protected jobsFor(rows: OutboxRow[]): QueueJob[] {
    return rows.map((r) => ({
      name: 'send',
      data: { notificationId: r.id },
      opts: {
        jobId: emailJobId(r.id, r.relayCount),
        // Retries of a temporary failure are delays of this one job (see EmailProcessor); these
        // attempts only cover the queue itself failing mid-job.
        attempts: 3,
        backoff: { type: 'exponential', delay: this.config.EMAIL_BACKOFF_MS },
        // The database keeps the record of every delivery; Redis keeps nothing it would need.
        removeOnComplete: true,
        removeOnFail: true,
      },
    }));
  }

  /** Back to the outbox for the next pass. */
  protected async giveBack(rows: OutboxRow[]): Promise<void> {
    await runSql(this.dataSource, sql`UPDATE notifications SET status = 'pending', queued_at = NULL WHERE id = ANY(${rows.map((r) => r.id)}::uuid[]) AND status = 'queued'`);
  }

  /**
   * Puts back into the outbox what the queue may have lost: rows whose lease ran out (a worker
   * died mid-send), and queued rows whose job is gone from Redis (a flush) or was taken by a worker
   * that died before claiming the row. Waiting BullMQ for its own stalled check would hold such
   * e-mails back for up to a minute; the database knows sooner.
   */
  async recoverStuck(): Promise<number> {
    // Right after an outage every lease looks expired; live owners get a lease's time to renew first.
    const interrupted = this.leases.mayTakeOverExpiredClaims()
      ? await runSql<{ id: string }>(
          this.dataSource,
          sql`UPDATE notifications SET status = 'pending', relay_count = relay_count + 1, claimed_by = NULL, claimed_until = NULL
               WHERE status = 'sending' AND claimed_until < now()
               RETURNING id`,
        )
      : [];
    const lost = await this.requeueLostJobs();
    const count = interrupted.length + lost;
    if (count > 0) this.logger.warn({ interrupted: interrupted.length, lost }, 'Requeued e-mails whose delivery was lost or interrupted');
    return count;
  }

  /** After Redis lost its data: every queued row's job is gone, so all of them go back to the outbox now. */
  async requeueAllQueued(): Promise<number> {
    const rows = await runSql<{ id: string }>(
      this.dataSource,
      sql`UPDATE notifications SET status = 'pending', relay_count = relay_count + 1 WHERE status = 'queued' RETURNING id`,
    );
    return rows.length;
  }

  private async requeueLostJobs(): Promise<number> {
    const queued = await runSql<OutboxRow>(
      this.dataSource,
      sql`SELECT id, relay_count AS "relayCount" FROM notifications
           WHERE status = 'queued' AND queued_at < now() - ${this.config.EMAIL_CLAIM_TIMEOUT_MS} * interval '1 millisecond'
           ORDER BY queued_at LIMIT ${LOST_CHECK_BATCH}`,
    );
    if (queued.length === 0) return 0;
    const replies = await withRedisTimeout('look for lost e-mail jobs', this.config.REDIS_TIMEOUT_MS, async () => {
      const redis = await redisClientOf(this.emails);
      const activeKey = this.emails.toKey('active');
      const pipeline = redis.pipeline();
      for (const row of queued) {
        const jobId = emailJobId(row.id, row.relayCount);
        pipeline.hmget(this.emails.toKey(jobId), 'name', 'processedOn', 'progress').lpos(activeKey, jobId);
      }
      return (await pipeline.exec()) ?? [];
    });
    const seenBefore = Date.now() - this.config.EMAIL_CLAIM_TIMEOUT_MS;
    const lost = queued.filter((_, i) => {
      const [name, processedOn, progress] = (replies[i * 2]?.[1] as Array<string | null> | undefined) ?? [null, null, null];
      const activeAt = replies[i * 2 + 1]?.[1];
      // A live worker claims the row within moments of taking the job, or says it is still waiting
      // for a mail connection (the job's progress); a dead one's lock outlives it by the lock
      // duration, so the time since the job was last heard of is what tells.
      const lastHeard = Math.max(Number(processedOn) || 0, Number(progress) || 0);
      return name === null || (activeAt !== null && activeAt !== undefined && lastHeard < seenBefore);
    });
    if (lost.length === 0) return 0;
    // Only rows still queued under the same job id: one sent meanwhile is left alone.
    const requeued = await runSql<{ id: string }>(
      this.dataSource,
      sql`UPDATE notifications n SET status = 'pending', relay_count = n.relay_count + 1
            FROM unnest(${lost.map((r) => r.id)}::uuid[], ${lost.map((r) => r.relayCount)}::int[]) AS lost(id, relay_count)
           WHERE n.id = lost.id AND n.relay_count = lost.relay_count AND n.status = 'queued'
           RETURNING n.id`,
    );
    return requeued.length;
  }
}
