import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attempts at a secret (a password, a reset request, a second-factor code), counted per account
 * and per client address. The state is here, not in a process's memory, so every API process
 * shares one count and a lock holds whichever process a guess reaches.
 *
 * `sign_in_failed_accounts` remembers which accounts each address failed against lately: one
 * address failing against many accounts (password spraying) is logged even while no single
 * account is near its limit.
 */
export class SignInThrottle1764850000000 implements MigrationInterface {
  name = 'SignInThrottle1764850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sign_in_throttle (
        scope text NOT NULL,
        key text NOT NULL,
        failures int NOT NULL DEFAULT 0,
        next_allowed_at timestamptz NOT NULL DEFAULT '-infinity',
        locked_until timestamptz,
        last_failure_at timestamptz,
        PRIMARY KEY (scope, key)
      )`);
    // The administrators' list reads only rows that hold someone back.
    await q.query(`CREATE INDEX sign_in_throttle_locked_idx ON sign_in_throttle (locked_until) WHERE locked_until IS NOT NULL`);
    await q.query(`CREATE INDEX sign_in_throttle_last_failure_idx ON sign_in_throttle (last_failure_at)`);
    await q.query(`
      CREATE TABLE sign_in_failed_accounts (
        scope text NOT NULL,
        address text NOT NULL,
        account text NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, address, account)
      )`);
    await q.query(`CREATE INDEX sign_in_failed_accounts_failed_at_idx ON sign_in_failed_accounts (failed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS sign_in_failed_accounts`);
    await q.query(`DROP TABLE IF EXISTS sign_in_throttle`);
  }
}
