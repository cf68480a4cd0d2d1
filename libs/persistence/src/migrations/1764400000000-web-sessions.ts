import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions for the web pages: the cookie holds a random token, the table holds its hash, so a
 * leaked table cannot be replayed. A session ends on sign-out or after a spell of inactivity.
 * `data` keeps work in progress, such as a report being written step by step.
 */
export class WebSessions1764400000000 implements MigrationInterface {
  name = 'WebSessions1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE web_sessions (
        token_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf_token text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX web_sessions_last_seen_idx ON web_sessions (last_seen_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS web_sessions`);
  }
}
