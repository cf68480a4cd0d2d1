import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runPrepared, runSql, sql } from '@cc/persistence';
import type { Role } from '@cc/workflows';
import type { SignInStep } from '../sign-in/sign-in-steps';

/** A live page session with the account it belongs to, as the pages need it on every request. */
export interface WebSessionRow {
  tokenHash: string;
  csrfToken: string;
  data: Record<string, unknown>;
  /** Not touched for over a minute: the caller should touch it. */
  stale: boolean;
  secondsLeft: number;
  userId: string;
  role: Role;
  organisationId: string | null;
  displayName: string;
  email: string;
  pendingStep: SignInStep | null;
}

/**
 * The rows behind the pages' sessions (web_sessions). Identity owns them because an account's
 * standing decides whether one is live: a disabled account or a new token generation ends it.
 * Tokens are never stored, only their hashes; hashing and cookies stay with the pages.
 */
@Injectable()
export class WebSessionStore {
  constructor(private readonly dataSource: DataSource) {}

  async insert(row: { tokenHash: string; userId: string; csrfToken: string; generation: number; pendingStep: SignInStep | null }): Promise<void> {
    await runSql(
      this.dataSource,
      sql`INSERT INTO web_sessions (token_hash, user_id, csrf_token, token_generation, pending_step)
          VALUES (${row.tokenHash}, ${row.userId}, ${row.csrfToken}, ${row.generation}, ${row.pendingStep})`,
    );
  }

  /** Deletes sessions idle longer than this. */
  async forgetIdle(idleMinutes: number): Promise<void> {
    await runSql(this.dataSource, sql`DELETE FROM web_sessions WHERE last_seen_at < now() - ${idleMinutes} * interval '1 minute'`);
  }

  /** The session with this token hash, if it is live (not idle too long, account active, same token generation). */
  async findLive(tokenHash: string, idleMinutes: number): Promise<WebSessionRow | null> {
    // Every page asks this first: prepared, so the server plans it once per connection.
    const [row] = await runPrepared<WebSessionRow>(
      this.dataSource.manager,
      sql`SELECT s.token_hash AS "tokenHash", s.csrf_token AS "csrfToken", s.data, s.last_seen_at < now() - interval '1 minute' AS stale,
                 CASE WHEN s.last_seen_at < now() - interval '1 minute' THEN ${idleMinutes} * 60
                      ELSE floor(extract(epoch FROM s.last_seen_at + ${idleMinutes} * interval '1 minute' - now()))::int END AS "secondsLeft",
                 u.id AS "userId", u.role, u.organisation_id AS "organisationId", u.display_name AS "displayName", u.email, s.pending_step AS "pendingStep"
            FROM web_sessions s JOIN users u ON u.id = s.user_id
           WHERE s.token_hash = ${tokenHash} AND u.active AND s.token_generation = u.token_generation
             AND s.last_seen_at > now() - ${idleMinutes} * interval '1 minute'`,
    );
    return row ?? null;
  }

  async touch(tokenHash: string): Promise<void> {
    await runSql(this.dataSource, sql`UPDATE web_sessions SET last_seen_at = now() WHERE token_hash = ${tokenHash}`);
  }

  async delete(tokenHash: string): Promise<void> {
    await runSql(this.dataSource, sql`DELETE FROM web_sessions WHERE token_hash = ${tokenHash}`);
  }

  /** Sets one key of the session's data (JSON), or removes it when the value is undefined. */
  async setData(tokenHash: string, key: string, value: unknown): Promise<void> {
    await runSql(
      this.dataSource,
      value === undefined
        ? sql`UPDATE web_sessions SET data = data - ${key}::text WHERE token_hash = ${tokenHash}`
        : sql`UPDATE web_sessions SET data = jsonb_set(data, ARRAY[${key}::text], ${JSON.stringify(value)}::jsonb) WHERE token_hash = ${tokenHash}`,
    );
  }
}
