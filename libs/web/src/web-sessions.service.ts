import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@cc/config';
import type { Caller, SignInStep } from '@cc/identity';
import { queryRows } from '@cc/persistence';

export interface WebSession {
  tokenHash: string;
  csrfToken: string;
  caller: Caller;
  user: { id: string; displayName: string; email: string; role: Caller['role'] };
  data: Record<string, unknown>;
  /** SESSION_IDLE_MINUTES: said on the pages, and used by the timeout warning. */
  idleMinutes: number;
  /** Seconds until the session lapses unless another request comes (as of this request). */
  secondsLeft: number;
  /** A sign-in step still to do (a second factor, a new password): until then only its pages open. */
  pendingStep: SignInStep | null;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Server-side sessions for the pages. The cookie holds only a random token; the row is found by
 * its hash, carries the CSRF token for the session's forms, and lapses after a spell without use.
 */
@Injectable()
export class WebSessions {
  private readonly logger = new Logger(WebSessions.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new session (a new token and CSRF token, so nothing from before sign-in carries over). */
  async start(userId: string, generation: number, pendingStep: SignInStep | null): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.dataSource.query(`INSERT INTO web_sessions (token_hash, user_id, csrf_token, token_generation, pending_step) VALUES ($1, $2, $3, $4, $5)`, [
      hash(token),
      userId,
      randomBytes(24).toString('base64url'),
      generation,
      pendingStep,
    ]);
    // Old sessions go when someone signs in: cheap, and keeps the table small without a job.
    await this.dataSource.query(`DELETE FROM web_sessions WHERE last_seen_at < now() - $1 * interval '1 minute'`, [this.config.SESSION_IDLE_MINUTES]);
    return token;
  }

  /** The live session for this cookie, touched (once a minute at most); null when absent, expired, or the account is disabled. */
  async resume(token: string | undefined): Promise<WebSession | null> {
    if (!token || token.length > 100) return null;
    const [row] = await queryRows<{
      token_hash: string;
      csrf_token: string;
      data: Record<string, unknown>;
      stale: boolean;
      seconds_left: number;
      id: string;
      role: Caller['role'];
      organisation_id: string | null;
      display_name: string;
      email: string;
      pending_step: SignInStep | null;
    }>(
      this.dataSource,
      `SELECT s.token_hash, s.csrf_token, s.data, s.last_seen_at < now() - interval '1 minute' AS stale,
              CASE WHEN s.last_seen_at < now() - interval '1 minute' THEN $2 * 60
                   ELSE floor(extract(epoch FROM s.last_seen_at + $2 * interval '1 minute' - now()))::int END AS seconds_left,
              u.id, u.role, u.organisation_id, u.display_name, u.email, s.pending_step
         FROM web_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND u.active AND s.token_generation = u.token_generation AND s.last_seen_at > now() - $2 * interval '1 minute'`,
      [hash(token), this.config.SESSION_IDLE_MINUTES],
    );
    // Idle time is counted in minutes, so the row is written at most once a minute, not on every page.
    if (row?.stale) await this.dataSource.query(`UPDATE web_sessions SET last_seen_at = now() WHERE token_hash = $1`, [row.token_hash]);
    if (!row) return null;
    return {
      tokenHash: row.token_hash,
      csrfToken: row.csrf_token,
      caller: { userId: row.id, role: row.role, organisationId: row.organisation_id },
      user: { id: row.id, displayName: row.display_name, email: row.email, role: row.role },
      data: row.data,
      idleMinutes: this.config.SESSION_IDLE_MINUTES,
      secondsLeft: row.seconds_left,
      pendingStep: row.pending_step,
    };
  }


  /** Resets the idle clock now (the timeout warning's "Stay signed in"); the seconds the session then has. */
  async touch(session: WebSession): Promise<number> {
    await this.dataSource.query(`UPDATE web_sessions SET last_seen_at = now() WHERE token_hash = $1`, [session.tokenHash]);
    session.secondsLeft = this.config.SESSION_IDLE_MINUTES * 60;
    return session.secondsLeft;
  }


  async end(token: string | undefined): Promise<void> {
    if (token) await this.dataSource.query(`DELETE FROM web_sessions WHERE token_hash = $1`, [hash(token)]);
  }

  async endByHash(tokenHash: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM web_sessions WHERE token_hash = $1`, [tokenHash]);
  }

  async setData(session: WebSession, key: string, value: unknown): Promise<void> {
    session.data = { ...session.data, [key]: value };
    await this.dataSource.query(
      value === undefined ? `UPDATE web_sessions SET data = data - $2 WHERE token_hash = $1` : `UPDATE web_sessions SET data = jsonb_set(data, ARRAY[$2], $3::jsonb) WHERE token_hash = $1`,
      value === undefined ? [session.tokenHash, key] : [session.tokenHash, key, JSON.stringify(value)],
    );
  }

  csrfMatches(session: WebSession, submitted: unknown): boolean {
    return tokensEqual(session.csrfToken, submitted);
  }
}

export function tokensEqual(expected: string, submitted: unknown): boolean {
  if (typeof submitted !== 'string' || submitted.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(submitted));
}
