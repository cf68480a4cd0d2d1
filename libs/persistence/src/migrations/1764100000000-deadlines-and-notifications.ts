import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadlines and outgoing e-mail, both written in the same transaction as the case transition
 * that causes them. The database is the truth; Redis only holds wake-ups and delivery jobs that
 * can be rebuilt from these tables at any time.
 */
export class DeadlinesAndNotifications1764100000000 implements MigrationInterface {
  name = 'DeadlinesAndNotifications1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // Lengths an administrator may override: per Compact, or for all Compacts (compact_id NULL).
    await q.query(`
      CREATE TABLE deadline_policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compact_id uuid REFERENCES compacts(id),
        kind text NOT NULL,
        working_days int NOT NULL CHECK (working_days BETWEEN 1 AND 250),
        reminder_after_working_days int CHECK (reminder_after_working_days >= 1 AND reminder_after_working_days < working_days),
        updated_by uuid REFERENCES users(id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX deadline_policies_key ON deadline_policies (coalesce(compact_id, '00000000-0000-0000-0000-000000000000'::uuid), kind)`);

    await q.query(`
      CREATE TABLE deadlines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        kind text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'paused', 'met', 'fired', 'cancelled')),
        started_at timestamptz NOT NULL,
        due_at timestamptz,
        -- Working time left when paused, so the clock resumes with what was left.
        remaining_ms bigint,
        reminder_at timestamptz,
        reminder_sent_at timestamptz,
        fired_at timestamptz,
        ended_at timestamptz,
        -- The due time (and reminder time) a wake-up job was queued for; when they differ from
        -- due_at the relay queues a new one. Only an optimisation: the sweeper is the guarantee.
        wakeup_for timestamptz,
        reminder_wakeup_for timestamptz,
        started_by_seq int NOT NULL,
        CONSTRAINT deadlines_due_when_pending CHECK (status <> 'pending' OR due_at IS NOT NULL),
        CONSTRAINT deadlines_remaining_when_paused CHECK (status <> 'paused' OR remaining_ms IS NOT NULL)
      )`);
    // A case runs at most one clock of each kind at a time. Checked at commit, so that a restart
    // can end the old clock and start the new one in a single statement.
    await q.query(
      `ALTER TABLE deadlines ADD CONSTRAINT deadlines_one_running
         EXCLUDE USING btree (case_id WITH =, kind WITH =) WHERE (status IN ('pending', 'paused')) DEFERRABLE INITIALLY DEFERRED`,
    );
    // The sweeper's question: which running clocks are due (or have a reminder due)?
    await q.query(`CREATE INDEX deadlines_due_idx ON deadlines (due_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX deadlines_reminder_idx ON deadlines (reminder_at) WHERE status = 'pending' AND reminder_sent_at IS NULL`);
    await q.query(`CREATE INDEX deadlines_case_idx ON deadlines (case_id)`);
    await q.query(`CREATE INDEX deadlines_unrelayed_idx ON deadlines (due_at) WHERE status = 'pending' AND wakeup_for IS DISTINCT FROM due_at`);

    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        event_seq int,
        deadline_id uuid REFERENCES deadlines(id),
        template text NOT NULL,
        recipient_user_id uuid REFERENCES users(id),
        recipient_email text NOT NULL,
        recipient_name text NOT NULL,
        recipient_role text NOT NULL,
        data jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'queued', 'sending', 'sent', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        -- Times the row was put back into the outbox (recovered or retried); part of the job id so
        -- a new job is queued even while an old one for the same row lingers in Redis.
        relay_count int NOT NULL DEFAULT 0,
        last_error text,
        smtp_response text,
        message_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        queued_at timestamptz,
        sent_at timestamptz,
        failed_at timestamptz,
        sending_started_at timestamptz
      )`);
    await q.query(`CREATE INDEX notifications_pending_idx ON notifications (created_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX notifications_queued_idx ON notifications (queued_at) WHERE status IN ('queued', 'sending')`);
    await q.query(`CREATE INDEX notifications_failed_idx ON notifications (failed_at DESC) WHERE status = 'failed'`);
    await q.query(`CREATE INDEX notifications_case_idx ON notifications (case_id)`);
    // A deadline's reminder or overdue notice goes once per recipient, whichever worker sends it.
    await q.query(`CREATE UNIQUE INDEX notifications_deadline_once ON notifications (deadline_id, template, recipient_email) WHERE deadline_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS notifications`);
    await q.query(`DROP TABLE IF EXISTS deadlines`);
    await q.query(`DROP TABLE IF EXISTS deadline_policies`);
  }
}
