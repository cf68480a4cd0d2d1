import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { type Caller, type SignInStep, WebSessionStore } from '@cc/identity';

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
    private readonly store: WebSessionStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new session (a new token and CSRF token, so nothing from before sign-in carries over). */
  async start(userId: string, generation: number, pendingStep: SignInStep | null): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.store.insert({ tokenHash: hash(token), userId, csrfToken: randomBytes(24).toString('base64url'), generation, pendingStep });
    // Old sessions go when someone signs in: cheap, and keeps the table small without a job.
    await this.store.forgetIdle(this.config.SESSION_IDLE_MINUTES);
    return token;
  }

  /** The live session for this cookie, touched (once a minute at most); null when absent, expired, or the account is disabled. */
  async resume(token: string | undefined): Promise<WebSession | null> {
    if (!token || token.length > 100) return null;
    const row = await this.store.findLive(hash(token), this.config.SESSION_IDLE_MINUTES);
    // Idle time is counted in minutes, so the row is written at most once a minute, not on every page.
    if (row?.stale) await this.store.touch(row.tokenHash);
    if (!row) return null;
    return {
      tokenHash: row.tokenHash,
      csrfToken: row.csrfToken,
      caller: { userId: row.userId, role: row.role, organisationId: row.organisationId },
      user: { id: row.userId, displayName: row.displayName, email: row.email, role: row.role },
      data: row.data,
      idleMinutes: this.config.SESSION_IDLE_MINUTES,
      secondsLeft: row.secondsLeft,
      pendingStep: row.pendingStep,
    };
  }

  /** Resets the idle clock now (the timeout warning's "Stay signed in"); the seconds the session then has. */
  async touch(session: WebSession): Promise<number> {
    await this.store.touch(session.tokenHash);
    session.secondsLeft = this.config.SESSION_IDLE_MINUTES * 60;
    return session.secondsLeft;
  }


  async end(token: string | undefined): Promise<void> {
    if (token) await this.store.delete(hash(token));
  }

  async endByHash(tokenHash: string): Promise<void> {
    await this.store.delete(tokenHash);
  }

  async setData(session: WebSession, key: string, value: unknown): Promise<void> {
    session.data = { ...session.data, [key]: value };
    await this.store.setData(session.tokenHash, key, value);
  }

  csrfMatches(session: WebSession, submitted: unknown): boolean {
    return tokensEqual(session.csrfToken, submitted);
  }
}

export function tokensEqual(expected: string, submitted: unknown): boolean {
  if (typeof submitted !== 'string' || submitted.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(submitted));
}
