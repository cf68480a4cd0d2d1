import type { Queue } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import { runSql, sql } from '@cc/persistence';
import { queueConnected, withRedisTimeout } from './redis-calls';

/** One job as `Queue.addBulk` takes it. */
export type QueueJob = Parameters<Queue['addBulk']>[0][number];

export interface QueueRelaySettings {
  readonly dataSource: DataSource;
  readonly queue: Queue;
  readonly redisTimeoutMs: number;
  /** Names the hand-over in a timeout's message ("queue e-mails"). */
  readonly handOver: string;
}

/**
 * Hands rows the database holds to a queue; the database is the truth and the queue only a way
 * of waking a worker. A pass claims a batch (marks it relayed) in a short transaction of its own,
 * committed before Redis is asked for anything, so no row lock or transaction is ever held across
 * a call to Redis (a transition touching those rows would wait for it). The jobs are then added in
 * one bounded call; if that fails or times out, the marks are taken back and the next pass tries
 * again. Job ids are deterministic, so a row relayed twice, or an add that lands late, is one job.
 *
 * A relay says only which rows (claimBatch, giveBack) and which jobs (jobsFor); the queue and its
 * hand-over are in the settings.
 */
export abstract class QueueRelay<Row> {
  protected constructor(private readonly relay: QueueRelaySettings) {}

  /** Marks a batch of rows not yet relayed as relayed and returns them (inside the pass's transaction). */
  protected abstract claimBatch(manager: EntityManager): Promise<Row[]>;

  /** The jobs that hand the batch to the queue, each with its deterministic job id. */
  protected abstract jobsFor(rows: Row[]): QueueJob[];

  /** Takes back the marks of a batch whose jobs could not be added, so the next pass claims it again. */
  protected abstract giveBack(rows: Row[]): Promise<void>;

  /** Relays one batch; returns how many rows it claimed (0 while Redis is away: nothing is touched). */
  async relayOnce(): Promise<number> {
    const { dataSource, queue, redisTimeoutMs, handOver } = this.relay;
    if (!(await queueConnected(queue, redisTimeoutMs))) return 0;
    const rows = await dataSource.transaction(async (manager) => {
      // A claim walks a partial index of what is not relayed yet. Only an index scan (not a bitmap
      // scan) marks the entries of rows already relayed as dead, so the next pass steps over them
      // instead of visiting each again until vacuum catches up.
      await runSql(manager, sql`SET LOCAL enable_bitmapscan = off`);
      return this.claimBatch(manager);
    });
    if (rows.length === 0) return 0;
    const jobs = this.jobsFor(rows);
    try {
      await withRedisTimeout(handOver, redisTimeoutMs, () => queue.addBulk(jobs));
    } catch (err) {
      // A late add of the same job ids after this is harmless (see withRedisTimeout).
      await this.giveBack(rows);
      throw err;
    }
    return rows.length;
  }
}

/**
 * How long a relay waits before its next pass, given what the last one did (undefined: it failed):
 * no wait while it finds work, so a backlog (say, after Redis was away) is caught up batch after
 * batch; the relay interval when there was none (Redis away included: the pass touched nothing);
 * at least a second after a failure, so a Redis or database that does not answer is not pressed.
 */
export function pauseAfterRelay(relayed: number | undefined, relayIntervalMs: number): number {
  if (relayed === undefined) return Math.max(1_000, relayIntervalMs);
  return relayed === 0 ? relayIntervalMs : 0;
}
