import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts safe to run in public:
 * - `token_generation`: every bearer token and page session carries the generation it was issued
 *   under; raising it (sign out everywhere, a new password, deactivation) ends them all at once.
 * - `must_change_password`: the account has a temporary password an administrator handed out.
 * - password resets: only the hash of a link's token is kept; the worker mints the token as it
 *   sends the e-mail, so the token itself is never stored anywhere.
 * - account e-mails (a reset link) belong to no case.
 */
export class AccountSecurity1764860000000 implements MigrationInterface {
  name = 'AccountSecurity1764860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN token_generation int NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE users ADD COLUMN password_changed_at timestamptz`);
    await q.query(`ALTER TABLE web_sessions ADD COLUMN token_generation int NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE web_sessions ADD COLUMN pending_step text`);
    await q.query(`CREATE INDEX web_sessions_user_idx ON web_sessions (user_id)`);
    await q.query(`
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash text UNIQUE,
        requested_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX password_resets_user_idx ON password_resets (user_id)`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN case_id DROP NOT NULL`);
    await q.query(`ALTER TABLE notifications ADD COLUMN password_reset_id uuid REFERENCES password_resets(id) ON DELETE SET NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP COLUMN IF EXISTS password_reset_id`);
    await q.query(`DROP TABLE IF EXISTS password_resets`);
    await q.query(`DROP INDEX IF EXISTS web_sessions_user_idx`);
    await q.query(`ALTER TABLE web_sessions DROP COLUMN IF EXISTS pending_step, DROP COLUMN IF EXISTS token_generation`);
    await q.query(`ALTER TABLE users DROP COLUMN IF EXISTS token_generation, DROP COLUMN IF EXISTS must_change_password, DROP COLUMN IF EXISTS password_changed_at`);
  }
}
