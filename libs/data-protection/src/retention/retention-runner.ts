import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runSql, sql } from '@cc/persistence';
import { EvidenceFileRemovals } from '../anonymise/evidence-file-removals';
import { PlannedCase, RetentionRules } from './retention-rules';
import { RETENTION_KINDS, RetentionKind } from './retention-schedule';

/** Cases per transaction: small enough that a batch holds its rows for well under a second. */
export const DEFAULT_BATCH_SIZE = 100;
/** How long a run's claim lasts without a batch renewing it; after that another worker may take the run over. */
const LEASE_SECONDS = 300;
const FIRST_CASES_SHOWN = 10;

export type RetentionCounts = Partial<Record<RetentionKind, number>>;

/** What the next run would do, worked out without doing it. */
export interface RetentionPlan {
  asOf: Date;
  kinds: Array<{ kind: RetentionKind; count: number; cutoff: Date }>;
  /** The first cases it would anonymise, oldest closing first. */
  firstCases: PlannedCase[];
  /** Cases old enough to anonymise that a legal hold keeps as they are. */
  heldCases: number;
}

export interface RetentionRunRecord {
  id: string;
  asOf: Date;
  startedAt: Date;
  finishedAt: Date | null;
  counts: RetentionCounts;
}

export interface RunOptions {
  batchSize?: number;
  /**
   * Called inside each batch's transaction once its work is done, before the run records it.
   * Tests interrupt a run here (throwing rolls the batch back, as a killed worker would leave it).
   */
  duringBatch?: (kind: RetentionKind, m: EntityManager) => Promise<void>;
  /** Asked between batches: a worker shutting down stops there, leaving the run to be resumed. */
  stopRequested?: () => boolean;
}

/**
 * Applies the retention schedule: every rule in turn, in batches, each batch one transaction that
 * also records the run's progress (its counts), so a run killed part-way and resumed counts
 * everything exactly once. A run fixes its `as_of` when it starts and its cut-offs follow from
 * it, so a resumed run decides as the first attempt would have. One run at a time across workers
 * (one open run; a lease renewed by each batch; a dead worker's lease runs out and the run is
 * taken over).
 */
@Injectable()
export class RetentionRunner {
  private readonly logger = new Logger(RetentionRunner.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: RetentionRules,
    private readonly files: EvidenceFileRemovals,
  ) {}

  /** The dry run: what a run starting now would do. Reads only. */
  async plan(): Promise<RetentionPlan> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const [{ now }] = await runSql<{ now: Date }>(m, sql`SELECT now() AS now`);
      const cutoffs = await this.cutoffs(m, now);
      const kinds = [];
      for (const kind of RETENTION_KINDS) kinds.push({ kind, count: await this.rules.count(m, kind, cutoffs[kind]), cutoff: cutoffs[kind] });
      const firstCases = await this.rules.firstCases(m, cutoffs.closedCases, FIRST_CASES_SHOWN);
      const heldCases = await this.rules.heldCount(m, cutoffs.closedCases);
      return { asOf: now, kinds, firstCases, heldCases };
    });
  }

  /** Whether a run is due: none started in the last day, or one left unfinished by a worker that stopped. */
  async isDue(): Promise<boolean> {
    const [row] = await runSql<{ due: boolean }>(
      this.dataSource,
      sql`SELECT NOT EXISTS (SELECT FROM retention_runs WHERE finished_at IS NULL AND lease_until > now())
             AND (EXISTS (SELECT FROM retention_runs WHERE finished_at IS NULL)
                  OR NOT EXISTS (SELECT FROM retention_runs WHERE started_at > now() - interval '1 day')) AS due`,
    );
    return row.due;
  }

  async recentRuns(limit = 5): Promise<RetentionRunRecord[]> {
    return runSql<RetentionRunRecord>(
      this.dataSource,
      sql`SELECT id::text, as_of AS "asOf", started_at AS "startedAt", finished_at AS "finishedAt", counts FROM retention_runs ORDER BY started_at DESC, id DESC LIMIT ${limit}`,
    );
  }

  /**
   * Runs (or resumes) a run to the end. Null when another worker holds the run. A failure leaves
   * the run open with what it has done so far; the next call resumes it.
   */
  async run(options: RunOptions = {}): Promise<RetentionRunRecord | null> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const claimed = await this.claim();
    if (!claimed) return null;
    const started = Date.now();
    try {
      // Files a stopped run queued but did not get to.
      await this.files.drain();
      const cutoffs = await this.cutoffs(this.dataSource.manager, claimed.asOf);
      for (const kind of RETENTION_KINDS) {
        if (claimed.kindsDone.includes(kind)) continue;
        for (;;) {
          if (options.stopRequested?.()) {
            await runSql(this.dataSource, sql`UPDATE retention_runs SET lease_until = now() WHERE id = ${claimed.id}`);
            return null;
          }
          const result = await this.dataSource.transaction(async (m) => {
            const batch = await this.rules.batch(m, kind, cutoffs[kind], batchSize);
            if (options.duringBatch) await options.duringBatch(kind, m);
            // A full batch that changed nothing (every candidate refused) must not loop for ever.
            const finished = !batch.more || batch.done === 0;
            await runSql(
              m,
              sql`UPDATE retention_runs SET counts = jsonb_set(counts, ARRAY[${kind}::text], to_jsonb(coalesce((counts ->> ${kind})::int, 0) + ${batch.done}::int)),
                         kinds_done = CASE WHEN ${finished} THEN array_append(kinds_done, ${kind}::text) ELSE kinds_done END,
                         lease_until = now() + make_interval(secs => ${LEASE_SECONDS})
                   WHERE id = ${claimed.id}`,
            );
            return finished;
          });
          await this.files.drain();
          if (result) break;
        }
      }
      const [done] = await runSql<RetentionRunRecord>(
        this.dataSource,
        sql`UPDATE retention_runs SET finished_at = now() WHERE id = ${claimed.id}
            RETURNING id::text, as_of AS "asOf", started_at AS "startedAt", finished_at AS "finishedAt", counts`,
      );
      const counts = Object.fromEntries(RETENTION_KINDS.map((k) => [k, done.counts[k] ?? 0]));
      // One line an operator can search for: what the run did, per kind.
      this.logger.log({ event: 'retention-run', runId: done.id, asOf: done.asOf, resumed: claimed.resumed, tookMs: Date.now() - started, counts }, 'Retention run finished');
      return { ...done, counts };
    } catch (err) {
      // Let the next attempt (this worker's or another's) resume at once rather than after the lease.
      await runSql(this.dataSource, sql`UPDATE retention_runs SET lease_until = now() WHERE id = ${claimed.id} AND finished_at IS NULL`).catch(() => undefined);
      throw err;
    }
  }

  private async claim(): Promise<{ id: string; asOf: Date; kindsDone: string[]; resumed: boolean } | null> {
    try {
      return await this.dataSource.transaction(async (m) => {
        const [open] = await runSql<{ id: string; asOf: Date; kindsDone: string[]; leased: boolean }>(
          m,
          sql`SELECT id::text, as_of AS "asOf", kinds_done AS "kindsDone", lease_until > now() AS leased FROM retention_runs WHERE finished_at IS NULL FOR UPDATE`,
        );
        if (open?.leased) return null;
        if (open) {
          await runSql(m, sql`UPDATE retention_runs SET lease_until = now() + make_interval(secs => ${LEASE_SECONDS}) WHERE id = ${open.id}`);
          return { id: open.id, asOf: open.asOf, kindsDone: open.kindsDone, resumed: true };
        }
        const [created] = await runSql<{ id: string; asOf: Date }>(
          m,
          sql`INSERT INTO retention_runs (as_of, lease_until) VALUES (now(), now() + make_interval(secs => ${LEASE_SECONDS})) RETURNING id::text, as_of AS "asOf"`,
        );
        return { id: created.id, asOf: created.asOf, kindsDone: [], resumed: false };
      });
    } catch (err) {
      // Another worker opened a run at the same moment (the one-open-run index): it has it.
      if ((err as { code?: string }).code === '23505') return null;
      throw err;
    }
  }

  private async cutoffs(m: Pick<EntityManager, 'query'>, asOf: Date): Promise<Record<RetentionKind, Date>> {
    const rows = await runSql<{ kind: RetentionKind; cutoff: Date }>(
      m,
      sql`SELECT kind, ${asOf}::timestamptz - CASE period_unit WHEN 'months' THEN make_interval(months => period_count) ELSE make_interval(days => period_count) END AS cutoff
            FROM retention_schedule`,
    );
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, r.cutoff])) as Record<RetentionKind, Date>;
    for (const kind of RETENTION_KINDS) if (!byKind[kind]) throw new Error(`The retention schedule has no period for ${kind}`);
    return byKind;
  }
}
