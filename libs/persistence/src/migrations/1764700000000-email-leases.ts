import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An e-mail being sent is held by a lease, not a fixed timeout: the worker that claimed it names
 * itself and renews the lease while the send is in progress, so only a dead worker's claim runs out
 * and is taken over. Temporary failures are retried until `retry_until` (48 hours by default, as
 * mail servers do); a permanent refusal fails the row at once.
 */
export class EmailLeases1764700000000 implements MigrationInterface {
  name = 'EmailLeases1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN claimed_by text, ADD COLUMN claimed_until timestamptz, ADD COLUMN retry_until timestamptz`);
    await q.query(`UPDATE notifications SET claimed_until = sending_started_at WHERE status = 'sending'`);
    await q.query(`CREATE INDEX notifications_lease_idx ON notifications (claimed_until) WHERE status = 'sending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS notifications_lease_idx`);
    await q.query(`ALTER TABLE notifications DROP COLUMN claimed_by, DROP COLUMN claimed_until, DROP COLUMN retry_until`);
  }
}
