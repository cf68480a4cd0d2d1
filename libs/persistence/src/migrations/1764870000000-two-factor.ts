import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two-factor sign-in with an authenticator app (TOTP):
 * - `totp_secret` and `totp_pending_secret` hold the shared secret sealed with AES-256-GCM under a
 *   key derived from the installation's signing secret, so a copy of the database alone (a backup,
 *   a read-only leak) does not let anyone mint codes. The pending one is a setup not yet confirmed
 *   with a code; it lapses after `totp_pending_at` plus a while, and never counts as a second factor.
 * - `totp_last_step` is the time step of the last code accepted: a code is taken only when its step
 *   is greater, in one conditional UPDATE, so a code seen over someone's shoulder (or sent twice by
 *   two processes at once) cannot be used again.
 * - recovery codes are kept only as SHA-256 hashes. They are 50 random bits each, far beyond what
 *   a throttled guesser can search, so a slow password hash would add nothing but latency.
 * - `account_events` records what happened to an account and who did it (an administrator's reset
 *   of someone's second factor first), for people to read later; the request log of administrators
 *   (access_audit) says only which path was called.
 */
export class TwoFactor1764870000000 implements MigrationInterface {
  name = 'TwoFactor1764870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN totp_secret text,
        ADD COLUMN totp_confirmed_at timestamptz,
        ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0,
        ADD COLUMN totp_pending_secret text,
        ADD COLUMN totp_pending_at timestamptz,
        ADD CONSTRAINT users_totp_confirmed_with_secret CHECK ((totp_secret IS NULL) = (totp_confirmed_at IS NULL))`);
    await q.query(`
      CREATE TABLE two_factor_recovery_codes (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        PRIMARY KEY (user_id, code_hash)
      )`);
    await q.query(`
      CREATE TABLE account_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind text NOT NULL,
        by_user_id uuid REFERENCES users(id),
        at timestamptz NOT NULL DEFAULT now(),
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX account_events_user_idx ON account_events (user_id, at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS account_events`);
    await q.query(`DROP TABLE IF EXISTS two_factor_recovery_codes`);
    await q.query(`
      ALTER TABLE users
        DROP CONSTRAINT IF EXISTS users_totp_confirmed_with_secret,
        DROP COLUMN IF EXISTS totp_secret,
        DROP COLUMN IF EXISTS totp_confirmed_at,
        DROP COLUMN IF EXISTS totp_last_step,
        DROP COLUMN IF EXISTS totp_pending_secret,
        DROP COLUMN IF EXISTS totp_pending_at`);
  }
}
