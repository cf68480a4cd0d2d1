import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Breach statistics answered from rollups rather than scans of cases: a GROUP BY over a year of a
 * million cases takes about a third of a second and a median several seconds, while summing a
 * few thousand pre-aggregated rows takes milliseconds.
 *
 * - `stats_dirty_days`: the submission days (Europe/London) whose figures changed. Append-only
 *   and without a unique key, so concurrent transitions never wait on one another; a refresh
 *   consumes the rows with DELETE ... RETURNING.
 * - `stats_daily_counts` / `stats_monthly_counts`: cases per (period, dimension, key), split into
 *   open and closed. A date range reads monthly rows for whole months and daily rows for the
 *   part-months at either end.
 * - `stats_daily_durations` / `stats_monthly_durations`: histograms of time in each stage and to
 *   closure, in log-scale buckets about 5% wide, so a median comes out within a few percent.
 *
 * Also composite indexes for the filtered case list, so each filter walks its own index in list
 * order (newest first) at any size instead of sorting every matching case; they replace the
 * single-column indexes they start with.
 */
export class Statistics1764300000000 implements MigrationInterface {
  name = 'Statistics1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE stats_dirty_days (day date NOT NULL)`);
    await q.query(`
      CREATE TABLE stats_refresh_state (
        id int PRIMARY KEY CHECK (id = 1),
        -- Every change committed before this time is in the rollups.
        caught_up_at timestamptz
      )`);
    await q.query(`INSERT INTO stats_refresh_state (id, caught_up_at) VALUES (1, NULL)`);

    for (const grain of ['daily', 'monthly']) {
      const period = grain === 'daily' ? 'day' : 'month';
      await q.query(`
        CREATE TABLE stats_${grain}_counts (
          ${period} date NOT NULL,
          dimension text NOT NULL,
          key text NOT NULL,
          cases int NOT NULL,
          open int NOT NULL,
          closed int NOT NULL,
          PRIMARY KEY (dimension, ${period}, key)
        )`);
      await q.query(`
        CREATE TABLE stats_${grain}_durations (
          ${period} date NOT NULL,
          series text NOT NULL,
          bucket int NOT NULL,
          n int NOT NULL,
          PRIMARY KEY (${period}, series, bucket)
        )`);
    }

    // Kept to one INSERT of a date: the transitions benchmark holds the p99 of a case event
    // under 100 ms, and updates that change none of the counted columns never call it.
    await q.query(`
      CREATE FUNCTION stats_mark_case_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO stats_dirty_days (day) VALUES ((NEW.submitted_at AT TIME ZONE 'Europe/London')::date);
        IF TG_OP = 'UPDATE' AND OLD.submitted_at IS DISTINCT FROM NEW.submitted_at THEN
          INSERT INTO stats_dirty_days (day) VALUES ((OLD.submitted_at AT TIME ZONE 'Europe/London')::date);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER cases_stats_dirty_insert AFTER INSERT ON cases
      FOR EACH ROW EXECUTE FUNCTION stats_mark_case_dirty()`);
    await q.query(`
      CREATE TRIGGER cases_stats_dirty_update AFTER UPDATE ON cases
      FOR EACH ROW WHEN (
        OLD.stage IS DISTINCT FROM NEW.stage
        OR OLD.outcome IS DISTINCT FROM NEW.outcome
        OR OLD.closed_at IS DISTINCT FROM NEW.closed_at
        OR OLD.submitted_at IS DISTINCT FROM NEW.submitted_at
        OR OLD.respondent_organisation_id IS DISTINCT FROM NEW.respondent_organisation_id
        OR OLD.compact_id IS DISTINCT FROM NEW.compact_id
        OR OLD.commitment_ids IS DISTINCT FROM NEW.commitment_ids)
      EXECUTE FUNCTION stats_mark_case_dirty()`);

    // Rollups file cases under their respondent's body type and area, the Compact's area and each
    // commitment's section, as they were at refresh; registry edits to those (rare, by an
    // administrator) mark the days of the cases they move. Names are looked up at query time.
    await q.query(`
      CREATE FUNCTION stats_mark_registry_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'organisations' THEN
          INSERT INTO stats_dirty_days (day)
            SELECT DISTINCT (submitted_at AT TIME ZONE 'Europe/London')::date FROM cases WHERE respondent_organisation_id = NEW.id;
        ELSIF TG_TABLE_NAME = 'compacts' THEN
          INSERT INTO stats_dirty_days (day)
            SELECT DISTINCT (submitted_at AT TIME ZONE 'Europe/London')::date FROM cases WHERE compact_id = NEW.id;
        ELSIF TG_TABLE_NAME = 'commitments' THEN
          INSERT INTO stats_dirty_days (day)
            SELECT DISTINCT (submitted_at AT TIME ZONE 'Europe/London')::date FROM cases WHERE commitment_ids @> ARRAY[NEW.id];
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER organisations_stats_dirty AFTER UPDATE ON organisations
      FOR EACH ROW WHEN (OLD.body_type IS DISTINCT FROM NEW.body_type OR OLD.area IS DISTINCT FROM NEW.area)
      EXECUTE FUNCTION stats_mark_registry_dirty()`);
    await q.query(`
      CREATE TRIGGER compacts_stats_dirty AFTER UPDATE ON compacts
      FOR EACH ROW WHEN (OLD.area IS DISTINCT FROM NEW.area)
      EXECUTE FUNCTION stats_mark_registry_dirty()`);
    await q.query(`
      CREATE TRIGGER commitments_stats_dirty AFTER UPDATE ON commitments
      FOR EACH ROW WHEN (OLD.section_id IS DISTINCT FROM NEW.section_id)
      EXECUTE FUNCTION stats_mark_registry_dirty()`);

    // Cases already filed (an existing installation) are counted by the first refresh.
    await q.query(`INSERT INTO stats_dirty_days (day) SELECT DISTINCT (submitted_at AT TIME ZONE 'Europe/London')::date FROM cases`);

    for (const [column, name] of [
      ['state', 'cases_state_list_idx'],
      ['stage', 'cases_stage_list_idx'],
      ['assignee_id', 'cases_assignee_list_idx'],
      ['compact_id', 'cases_compact_list_idx'],
      ['mediator_id', 'cases_mediator_list_idx'],
    ]) {
      await q.query(`CREATE INDEX ${name} ON cases (${column}, submitted_at DESC, id DESC)`);
    }
    for (const old of ['cases_state_idx', 'cases_stage_idx', 'cases_assignee_idx', 'cases_compact_idx', 'cases_mediator_idx']) {
      await q.query(`DROP INDEX IF EXISTS ${old}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS cases_state_idx ON cases (state)`);
    await q.query(`CREATE INDEX IF NOT EXISTS cases_stage_idx ON cases (stage)`);
    await q.query(`CREATE INDEX IF NOT EXISTS cases_assignee_idx ON cases (assignee_id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS cases_compact_idx ON cases (compact_id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS cases_mediator_idx ON cases (mediator_id)`);
    for (const name of ['cases_state_list_idx', 'cases_stage_list_idx', 'cases_assignee_list_idx', 'cases_compact_list_idx', 'cases_mediator_list_idx']) {
      await q.query(`DROP INDEX IF EXISTS ${name}`);
    }
    await q.query(`DROP TRIGGER IF EXISTS commitments_stats_dirty ON commitments`);
    await q.query(`DROP TRIGGER IF EXISTS compacts_stats_dirty ON compacts`);
    await q.query(`DROP TRIGGER IF EXISTS organisations_stats_dirty ON organisations`);
    await q.query(`DROP TRIGGER IF EXISTS cases_stats_dirty_update ON cases`);
    await q.query(`DROP TRIGGER IF EXISTS cases_stats_dirty_insert ON cases`);
    await q.query(`DROP FUNCTION IF EXISTS stats_mark_registry_dirty()`);
    await q.query(`DROP FUNCTION IF EXISTS stats_mark_case_dirty()`);
    for (const table of ['stats_monthly_durations', 'stats_daily_durations', 'stats_monthly_counts', 'stats_daily_counts', 'stats_refresh_state', 'stats_dirty_days']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
