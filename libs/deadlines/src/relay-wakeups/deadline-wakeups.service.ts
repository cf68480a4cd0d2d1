import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { runSql, sql } from '@cc/persistence';
import {
  DEADLINES_QUEUE,
  DEADLINE_DUE_JOB,
  DEADLINE_REMINDER_JOB,
  QueueJob,
  QueueRelay,
  SWEEP_JOB,
  deadlineDueJobId,
  deadlineReminderJobId,
  withRedisTimeout,
} from '@cc/queues';
import type { DeadlineKind } from '@cc/workflows';
import { DeadlineFiring } from '../fire-deadline/deadline-firing.service';

const BATCH = 1000;
const WAKE_UP_JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true, attempts: 5, backoff: { type: 'exponential', delay: 1000 } };

interface PendingWakeup {
  id: string;
  kind: string;
  dueAt: Date;
  reminderAt: Date | null;
  needsDue: boolean;
  needsReminder: boolean;
}

/**
 * Turns pending deadlines into delayed wake-up jobs (see QueueRelay: one per deadline and due
 * time, with a deterministic id; a deadline is marked with the times it was relayed for, and
 * unmarked if its jobs cannot be added), and runs the sweeper that fires whatever is due whether
 * or not its job ever ran, so a lost job, a flushed Redis or a worker that was down only delays a
 * deadline.
 */
@Injectable()
export class DeadlineWakeups extends QueueRelay<PendingWakeup> {
  private readonly logger = new Logger(DeadlineWakeups.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly firing: DeadlineFiring,
    @InjectQueue(DEADLINES_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super({ dataSource, queue, redisTimeoutMs: config.REDIS_TIMEOUT_MS, handOver: 'queue deadline wake-ups' });
  }

  /** Deadlines that are new or whose due time (or reminder) moved. */
  protected claimBatch(manager: EntityManager): Promise<PendingWakeup[]> {
    return runSql<PendingWakeup>(
      manager,
      // Each half walks its own partial index (what has no wake-up yet), so a relay pass costs
      // the same however many deadlines are pending; what is picked is marked in the same statement.
      sql`WITH picked AS (
            SELECT id, kind, due_at AS "dueAt", reminder_at AS "reminderAt",
                   wakeup_for IS DISTINCT FROM due_at AS "needsDue",
                   (reminder_at IS NOT NULL AND reminder_sent_at IS NULL AND reminder_wakeup_for IS DISTINCT FROM reminder_at) AS "needsReminder"
              FROM deadlines
             WHERE id IN ((SELECT id FROM deadlines WHERE status = 'pending' AND wakeup_for IS DISTINCT FROM due_at ORDER BY due_at LIMIT ${BATCH})
                          UNION
                          (SELECT id FROM deadlines
                            WHERE status = 'pending' AND reminder_sent_at IS NULL AND reminder_at IS NOT NULL AND reminder_wakeup_for IS DISTINCT FROM reminder_at
                            ORDER BY reminder_at LIMIT ${BATCH}))
               AND status = 'pending'
             FOR UPDATE SKIP LOCKED),
          marked AS (
            UPDATE deadlines d SET wakeup_for = d.due_at, reminder_wakeup_for = d.reminder_at FROM picked WHERE d.id = picked.id)
          SELECT * FROM picked`,
    );
  }

  protected jobsFor(rows: PendingWakeup[]): QueueJob[] {
    const now = Date.now();
    return rows.flatMap((r) => [
      ...(r.needsDue
        ? [{ name: DEADLINE_DUE_JOB, data: { deadlineId: r.id, kind: r.kind }, opts: { ...WAKE_UP_JOB_OPTIONS, jobId: deadlineDueJobId(r.id, r.dueAt), delay: Math.max(0, r.dueAt.getTime() - now) } }]
        : []),
      ...(r.needsReminder && r.reminderAt
        ? [{ name: DEADLINE_REMINDER_JOB, data: { deadlineId: r.id }, opts: { ...WAKE_UP_JOB_OPTIONS, jobId: deadlineReminderJobId(r.id, r.reminderAt), delay: Math.max(0, r.reminderAt.getTime() - now) } }]
        : []),
    ]);
  }

  /** Unmarks only what still carries this pass's mark: a clock moved meanwhile is due a relay anyway. */
  protected async giveBack(rows: PendingWakeup[]): Promise<void> {
    const due = rows.filter((r) => r.needsDue).map((r) => r.id);
    const reminders = rows.filter((r) => r.needsReminder).map((r) => r.id);
    await runSql(
      this.dataSource,
      sql`UPDATE deadlines SET wakeup_for = CASE WHEN id = ANY(${due}::uuid[]) AND wakeup_for = due_at THEN NULL ELSE wakeup_for END,
                               reminder_wakeup_for = CASE WHEN id = ANY(${reminders}::uuid[]) AND reminder_wakeup_for = reminder_at THEN NULL ELSE reminder_wakeup_for END
           WHERE id = ANY(${due}::uuid[]) OR id = ANY(${reminders}::uuid[])`,
    );
  }

  /** After Redis lost its data: every wake-up job is gone, so every running clock is relayed again now. */
  async forgetAllWakeups(): Promise<number> {
    const rows = await runSql<{ id: string }>(
      this.dataSource,
      sql`UPDATE deadlines SET wakeup_for = NULL, reminder_wakeup_for = NULL
           WHERE status = 'pending' AND (wakeup_for IS NOT NULL OR reminder_wakeup_for IS NOT NULL)
           RETURNING id`,
    );
    return rows.length;
  }

  /** Makes the relay queue this deadline's wake-up again (a worker stopping gave it back). */
  async relayAgain(deadlineId: string, which: 'due' | 'reminder'): Promise<void> {
    await runSql(
      this.dataSource,
      which === 'due'
        ? sql`UPDATE deadlines SET wakeup_for = NULL WHERE id = ${deadlineId} AND status = 'pending'`
        : sql`UPDATE deadlines SET reminder_wakeup_for = NULL WHERE id = ${deadlineId} AND status = 'pending'`,
    );
  }

  /** Registers the sweeper's schedule; idempotent, and repeated so a flushed Redis gets it back. */
  async ensureSweepSchedule(): Promise<void> {
    await withRedisTimeout('register the sweeper', this.config.REDIS_TIMEOUT_MS, () =>
      this.queue.upsertJobScheduler(SWEEP_JOB, { every: this.config.SWEEP_INTERVAL_MS }, { name: SWEEP_JOB, opts: { removeOnComplete: true, removeOnFail: true } }),
    );
  }

  /** Fires every due deadline and reminder, oldest first; returns how many it fired. */
  async sweep(): Promise<number> {
    let fired = 0;
    for (;;) {
      const due = await runSql<{ id: string; kind: DeadlineKind; reminder: boolean }>(
        this.dataSource,
        sql`(SELECT id, kind, false AS reminder FROM deadlines WHERE status = 'pending' AND due_at <= now() ORDER BY due_at LIMIT 500)
            UNION ALL
            (SELECT id, kind, true AS reminder FROM deadlines WHERE status = 'pending' AND reminder_sent_at IS NULL AND reminder_at <= now() ORDER BY reminder_at LIMIT 500)`,
      );
      if (due.length === 0) break;
      let progressed = 0;
      const lanes = Array.from({ length: 8 }, (_, lane) => due.filter((_, i) => i % 8 === lane));
      await Promise.all(
        lanes.map(async (lane) => {
          for (const d of lane) {
            try {
              const result = d.reminder ? await this.firing.remind(d.id) : await this.firing.fire(d.id, d.kind);
              if (result.outcome !== 'notDue') progressed++;
              if (result.outcome === 'fired') fired++;
            } catch (err) {
              this.logger.warn({ deadlineId: d.id, err: err instanceof Error ? err.message : err }, 'Sweeper could not fire a deadline; it stays pending');
            }
          }
        }),
      );
      if (progressed === 0) break;
    }
    if (fired > 0) this.logger.log({ fired }, 'Sweeper fired due deadlines');
    return fired;
  }
}
