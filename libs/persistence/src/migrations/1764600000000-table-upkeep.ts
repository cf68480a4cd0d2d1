import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cases, deadlines and outbox rows are updated many times in their life (every transition, every
 * firing, every delivery), and the relays look for the few rows still waiting among many done.
 * - Room on each page lets PostgreSQL write a new row version beside the old one without touching
 *   the indexes when no indexed column changed (a HOT update); with full pages every update adds
 *   an entry to every index, and cases has a dozen.
 * - Vacuuming the two queue-like tables sooner keeps the relays' partial indexes free of entries
 *   for rows that already moved on, which they would otherwise step over on every pass.
 * - Reminders waiting for a wake-up get their own partial index, so the deadline relay never
 *   reads all pending deadlines to find the few that need one.
 */
export class TableUpkeep1764600000000 implements MigrationInterface {
  name = 'TableUpkeep1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases SET (fillfactor = 80)`);
    for (const table of ['deadlines', 'notifications']) {
      await q.query(`ALTER TABLE ${table} SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02)`);
    }
    await q.query(
      `CREATE INDEX deadlines_unrelayed_reminder_idx ON deadlines (reminder_at)
        WHERE status = 'pending' AND reminder_sent_at IS NULL AND reminder_at IS NOT NULL AND reminder_wakeup_for IS DISTINCT FROM reminder_at`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS deadlines_unrelayed_reminder_idx`);
    await q.query(`ALTER TABLE cases RESET (fillfactor)`);
    for (const table of ['deadlines', 'notifications']) {
      await q.query(`ALTER TABLE ${table} RESET (fillfactor, autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor)`);
    }
  }
}
