import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Sql, rawSql, runSql, sql } from '@cc/persistence';
import { BUCKET_GROWTH } from './duration-buckets';

/** Every dimension the counts are kept by; 'total' (key '') counts each case once, for totals and months. */
export const COUNT_DIMENSIONS = ['total', 'commitment', 'code', 'respondent', 'bodyType', 'compact', 'area', 'outcome'] as const;
export type CountDimension = (typeof COUNT_DIMENSIONS)[number];

/** Only one refresh rewrites rollups at a time; the number is this feature's, arbitrary but fixed. */
const REFRESH_LOCK = 7_364_300_001;

/**
 * Rebuilds the figures of the given submission days (Europe/London), exactly, from the cases and
 * their event logs. Stage time is the time between entering a stage and leaving it, summed over
 * the case's completed stays (the stay it is in now is not over, so it does not count); a closed
 * case also gives its time from submission to closure. Buckets are log-scale (see duration-buckets).
 */
function rebuildDays(days: string[]): Sql {
  return sql`
  WITH facts AS MATERIALIZED (
    SELECT c.id, d.day, c.stage = 'closed' AS is_closed,
           CASE WHEN c.stage = 'closed' THEN coalesce(c.outcome, 'unknown') ELSE 'open' END AS outcome_key,
           c.respondent_organisation_id::text AS respondent,
           coalesce(o.body_type, 'other') AS body_type,
           c.compact_id::text AS compact,
           coalesce(nullif(o.area, ''), nullif(k.area, ''), 'Unknown') AS area,
           c.commitment_ids,
           CASE WHEN c.stage = 'closed' THEN c.closed_at - c.submitted_at END AS to_closure
      FROM unnest(${days}::date[]) AS d(day)
      -- OFFSET 0 keeps each lateral subquery a per-row index probe: left to itself the planner
      -- flattens it and, misjudging how few rows the day list brings, scans whole tables.
      CROSS JOIN LATERAL (
        SELECT * FROM cases c
         WHERE c.submitted_at >= (d.day::timestamp AT TIME ZONE 'Europe/London')
           AND c.submitted_at < ((d.day + 1)::timestamp AT TIME ZONE 'Europe/London')
        OFFSET 0) c
      JOIN organisations o ON o.id = c.respondent_organisation_id
      JOIN compacts k ON k.id = c.compact_id
  ), named AS (
    SELECT f.day, f.id, f.is_closed, coalesce(cm.id::text, 'none') AS commitment, coalesce(cm.section_id::text, 'none') AS code
      FROM facts f
      LEFT JOIN LATERAL unnest(f.commitment_ids) AS u(commitment_id) ON true
      LEFT JOIN commitments cm ON cm.id = u.commitment_id
  ), counted AS (
    -- One row per case and group (a case naming two commitments of one section is in it once).
    INSERT INTO stats_daily_counts (day, dimension, key, cases, open, closed)
    SELECT day, dimension, key, count(*), count(*) FILTER (WHERE NOT is_closed), count(*) FILTER (WHERE is_closed)
      FROM (
        SELECT f.day, v.dimension, v.key, f.is_closed
          FROM facts f
          CROSS JOIN LATERAL (VALUES ('total', ''), ('respondent', f.respondent), ('bodyType', f.body_type),
                                     ('compact', f.compact), ('area', f.area), ('outcome', f.outcome_key)) AS v(dimension, key)
        UNION ALL SELECT day, 'commitment', commitment, is_closed FROM (SELECT DISTINCT day, id, is_closed, commitment FROM named) c
        UNION ALL SELECT day, 'code', code, is_closed FROM (SELECT DISTINCT day, id, is_closed, code FROM named) s
      ) x
     GROUP BY day, dimension, key
  ), events AS (
    SELECT f.id, f.day, e.seq, e.occurred_at, e.stage, lag(e.stage) OVER (PARTITION BY f.id ORDER BY e.seq) AS previous_stage
      FROM facts f
      CROSS JOIN LATERAL (
        SELECT seq, occurred_at, split_part(to_state, '.', 1) AS stage FROM case_events WHERE case_id = f.id OFFSET 0) e
  ), entries AS (
    SELECT id, day, stage, occurred_at, lead(occurred_at) OVER (PARTITION BY id ORDER BY seq) AS left_at
      FROM events WHERE previous_stage IS DISTINCT FROM stage
  ), samples AS (
    SELECT day, stage AS series, sum(left_at - occurred_at) AS spent
      FROM entries WHERE left_at IS NOT NULL AND stage <> 'closed'
     GROUP BY day, id, stage
    UNION ALL
    SELECT day, 'closure', to_closure FROM facts WHERE to_closure IS NOT NULL
  ), timed AS (
    INSERT INTO stats_daily_durations (day, series, bucket, n)
    SELECT day, series, floor(ln(greatest(extract(epoch FROM spent)::float8, 1)) / ln(${BUCKET_GROWTH}::float8))::int AS bucket, count(*)
      FROM samples GROUP BY 1, 2, 3
  )
  SELECT count(*)::int AS cases FROM facts`;
}

export interface RefreshResult {
  /** Submission days rewritten. */
  days: number;
  /** Whether every day marked dirty before the refresh started was rewritten. */
  caughtUp: boolean;
  /** Every change committed before this is in the rollups (null unless caught up). */
  asOf: Date | null;
}

/**
 * Keeps the statistics rollups in step with the cases. Transitions only append a day to
 * stats_dirty_days (a trigger); a refresh consumes those rows and rewrites the days and months
 * they name in one transaction, under an advisory lock so refreshes never interleave. Rewriting
 * is exact, so refreshing twice, or rebuilding everything, gives the same figures.
 */
@Injectable()
export class StatsRollups {
  private readonly logger = new Logger(StatsRollups.name);

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Rewrites up to `maxDays` dirty days. Returns null, at once, when another refresh holds the
   * lock (it is doing the same work).
   */
  async refresh(maxDays = 62): Promise<RefreshResult | null> {
    const started = Date.now();
    const result = await this.dataSource.transaction(async (m) => {
      const [{ locked }] = await runSql<{ locked: boolean }>(m, sql`SELECT pg_try_advisory_xact_lock(${REFRESH_LOCK}) AS locked`);
      if (!locked) return null;
      const [{ now }] = await runSql<{ now: Date }>(m, sql`SELECT clock_timestamp() AS now`);
      // One statement, so one snapshot: the days taken are exactly the rows removed, and one more
      // day than taken is looked for to know whether any are left.
      const taken = await runSql<{ day: string; available: number }>(m, sql`WITH pending AS (SELECT DISTINCT day FROM stats_dirty_days ORDER BY day LIMIT ${maxDays} + 1),
              taken AS (DELETE FROM stats_dirty_days WHERE day IN (SELECT day FROM pending ORDER BY day LIMIT ${maxDays}) RETURNING day)
         SELECT to_char(day, 'YYYY-MM-DD') AS day, (SELECT count(*) FROM pending)::int AS available FROM taken`);
      const days = [...new Set(taken.map((r) => r.day))].sort();
      if (days.length > 0) await this.rewrite(m, days);
      const caughtUp = (taken[0]?.available ?? 0) <= maxDays;
      if (caughtUp) await runSql(m, sql`UPDATE stats_refresh_state SET caught_up_at = ${now} WHERE id = 1`);
      return { days: days.length, caughtUp, asOf: caughtUp ? now : null };
    });
    if (result && result.days > 0) {
      this.logger.log({ days: result.days, caughtUp: result.caughtUp, ms: Date.now() - started }, 'Statistics refreshed');
    }
    return result;
  }

  /** Refreshes until nothing is dirty (or another refresher holds the lock). */
  async refreshAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await this.refresh();
      if (!result) return total;
      total += result.days;
      if (result.caughtUp) return total;
    }
  }

  /** True when some case changed since the last refresh. */
  async hasPending(): Promise<boolean> {
    const rows = await runSql(this.dataSource, sql`SELECT 1 FROM stats_dirty_days LIMIT 1`);
    return rows.length > 0;
  }

  /** The time up to which the rollups are known complete, from the last refresh that caught up. */
  async caughtUpAt(): Promise<Date | null> {
    const [row] = await runSql<{ caught_up_at: Date | null }>(this.dataSource, sql`SELECT caught_up_at FROM stats_refresh_state WHERE id = 1`);
    return row?.caught_up_at ?? null;
  }

  /**
   * Rebuilds every rollup from the cases, a month per transaction (readers keep seeing figures
   * throughout), e.g. after a bulk import with triggers off or a change to how figures are made.
   */
  async rebuildAll(progress?: (done: number, of: number, month: string) => void): Promise<void> {
    const [{ now }] = await runSql<{ now: Date }>(this.dataSource, sql`SELECT clock_timestamp() AS now`);
    // Marks that predate the rebuild are covered by it.
    await runSql(this.dataSource, sql`DELETE FROM stats_dirty_days`);
    const [span] = await runSql<{ first: string | null; last: string | null }>(
      this.dataSource,
      sql`SELECT to_char(date_trunc('month', min(submitted_at) AT TIME ZONE 'Europe/London'), 'YYYY-MM-DD') AS first,
              to_char(date_trunc('month', max(submitted_at) AT TIME ZONE 'Europe/London'), 'YYYY-MM-DD') AS last
         FROM cases`,
    );
    const months: string[] = [];
    if (span.first && span.last) {
      for (let d = new Date(`${span.first}T00:00:00Z`); d <= new Date(`${span.last}T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() + 1)) {
        months.push(d.toISOString().slice(0, 10));
      }
    }
    await this.dataSource.transaction(async (m) => {
      await runSql(m, sql`SELECT pg_advisory_xact_lock(${REFRESH_LOCK})`);
      const [first, last] = [months[0] ?? '9999-01-01', months[months.length - 1] ?? '0001-01-01'];
      const outsideDays = sql`day < ${first}::date OR day >= (${last}::date + interval '1 month')`;
      const outsideMonths = sql`month < ${first}::date OR month > ${last}::date`;
      for (const table of ['stats_daily_counts', 'stats_daily_durations']) await runSql(m, sql`DELETE FROM ${rawSql(table)} WHERE ${outsideDays}`);
      for (const table of ['stats_monthly_counts', 'stats_monthly_durations']) await runSql(m, sql`DELETE FROM ${rawSql(table)} WHERE ${outsideMonths}`);
    });
    for (const [i, month] of months.entries()) {
      await this.dataSource.transaction(async (m) => {
        await runSql(m, sql`SELECT pg_advisory_xact_lock(${REFRESH_LOCK})`);
        await this.rewrite(m, daysOfMonth(month));
      });
      progress?.(i + 1, months.length, month);
    }
    await runSql(this.dataSource, sql`UPDATE stats_refresh_state SET caught_up_at = ${now} WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM stats_dirty_days)`);
    this.logger.log({ months: months.length }, 'Statistics rebuilt from scratch');
  }

  /** Rewrites the daily rows of `days` and the monthly rows of their months. Caller holds the lock. */
  private async rewrite(m: EntityManager, days: string[]): Promise<void> {
    // JIT compiling this statement costs more than running it (1.3 s of 2.2 s for a month), and
    // the sorts of a month of cases spill to disk under the default work_mem.
    await runSql(m, sql`SET LOCAL jit = off`);
    await runSql(m, sql`SET LOCAL work_mem = '64MB'`);
    await runSql(m, sql`DELETE FROM stats_daily_counts WHERE dimension = ANY(${COUNT_DIMENSIONS}::text[]) AND day = ANY(${days}::date[])`);
    await runSql(m, sql`DELETE FROM stats_daily_durations WHERE day = ANY(${days}::date[])`);
    await runSql(m, rebuildDays(days));
    const months = [...new Set(days.map((d) => `${d.slice(0, 7)}-01`))];
    await runSql(m, sql`DELETE FROM stats_monthly_counts WHERE dimension = ANY(${COUNT_DIMENSIONS}::text[]) AND month = ANY(${months}::date[])`);
    await runSql(m, sql`DELETE FROM stats_monthly_durations WHERE month = ANY(${months}::date[])`);
    // dimension = ANY(...) lets the daily table's (dimension, day, key) key serve a day range.
    await runSql(m, sql`INSERT INTO stats_monthly_counts (month, dimension, key, cases, open, closed)
       SELECT mo.month, d.dimension, d.key, sum(d.cases), sum(d.open), sum(d.closed)
         FROM unnest(${months}::date[]) AS mo(month)
         JOIN stats_daily_counts d ON d.dimension = ANY(${COUNT_DIMENSIONS}::text[]) AND d.day >= mo.month AND d.day < (mo.month + interval '1 month')::date
        GROUP BY 1, 2, 3`);
    await runSql(m, sql`INSERT INTO stats_monthly_durations (month, series, bucket, n)
       SELECT mo.month, d.series, d.bucket, sum(d.n)
         FROM unnest(${months}::date[]) AS mo(month)
         JOIN stats_daily_durations d ON d.day >= mo.month AND d.day < (mo.month + interval '1 month')::date
        GROUP BY 1, 2, 3`);
  }
}

function daysOfMonth(first: string): string[] {
  const days: string[] = [];
  const d = new Date(`${first}T00:00:00Z`);
  const month = d.getUTCMonth();
  while (d.getUTCMonth() === month) {
    days.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return days;
}
