import { createHash, randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TooManyAttempts, ValidationFailed } from '@cc/common';
import { runSql, sql } from '@cc/persistence';
import { UserSummary } from '../auth.dto';
import { toUserSummary } from '../sign-in/auth.service';
import { SignInThrottle } from '../sign-in-throttle/sign-in-throttle.service';
import { accountKey, addressKey, waitInWords } from '../sign-in-throttle/throttle-policy';
import { AccountEvents } from '../two-factor/account-events';
import type { Role } from '@cc/workflows';

export type SignInLinkPurpose = 'requested' | 'caseEmail';

/** How long a link works: one asked for on the page briefly, one in a case e-mail for three days. */
export const SIGN_IN_LINK_MINUTES: Record<SignInLinkPurpose, number> = { requested: 30, caseEmail: 72 * 60 };

/** The outbox template of the e-mail carrying a link someone asked for. */
export const SIGN_IN_LINK_TEMPLATE = 'signInLink';

/** As for reset requests: the answer never comes sooner, so its timing does not tell who has an account. */
export const SIGN_IN_LINK_ANSWER_FLOOR_MS = 150;

const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** The shape of a token we mint (32 random bytes, base64url); anything else is refused without a query. */
export const looksLikeSignInToken = (token: unknown): token is string => typeof token === 'string' && /^[A-Za-z0-9_-]{40,60}$/.test(token);

/**
 * Mints a sign-in link for an active respondent account: a fresh random token, of which only the
 * hash is stored. Called by the worker as it sends the e-mail holding it (never in a transaction
 * held across SMTP: this is one statement). Null when the account is not an active respondent.
 */
export async function mintSignInLink(m: EntityManager, userId: string, purpose: SignInLinkPurpose): Promise<string | null> {
  const token = randomBytes(32).toString('base64url');
  const rows = await runSql(m, sql`INSERT INTO sign_in_links (user_id, token_hash, purpose, expires_at)
      SELECT id, ${tokenHash(token)}, ${purpose}, now() + ${SIGN_IN_LINK_MINUTES[purpose]} * interval '1 minute'
        FROM users WHERE id = ${userId} AND active AND role = 'respondent'
      RETURNING id`);
  return rows.length ? token : null;
}

interface LinkAccount {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  organisationId: string | null;
  generation: number;
}

/**
 * Password-less sign-in for the public bodies' contacts (role respondent): a single-use link
 * e-mailed on request or inside a case e-mail. Opening a link only shows a page; pressing its
 * button (a POST) uses it up and starts a normal session.
 */
@Injectable()
export class SignInLinks {
  private readonly logger = new Logger(SignInLinks.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly throttle: SignInThrottle,
    private readonly events: AccountEvents,
  ) {}

  /**
   * E-mails a link if the address is an active respondent's. The same answer, in one statement and
   * no sooner than the floor either way, so neither words nor time tell whether the account exists.
   */
  async request(email: unknown, clientAddress: string): Promise<void> {
    if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email.trim()) || email.length > 320) {
      throw new ValidationFailed([{ field: 'email', reason: 'Enter your e-mail address, like name@example.gov.uk' }]);
    }
    const address = email.trim();
    const began = Date.now();
    try {
      // The reset requests' throttle: both e-mail a link to an address, and one counter per address and
      // client stops anyone flooding a person with e-mails by either door.
      await this.throttle.attempt('reset', [accountKey(address), addressKey(clientAddress)], async () => {
        // The worker mints the link as it sends (only its hash is kept); the row says until when it may still go.
        const written = await runSql(this.dataSource, sql`INSERT INTO notifications (id, case_id, template, recipient_user_id, recipient_email, recipient_name, recipient_role, data, status, message_id)
            SELECT n.id, NULL, ${SIGN_IN_LINK_TEMPLATE}, u.id, u.email, u.display_name, u.role,
                   jsonb_build_object('expiresAt', now() + ${SIGN_IN_LINK_MINUTES.requested} * interval '1 minute', 'linkMinutes', ${SIGN_IN_LINK_MINUTES.requested}::int), 'pending', '<' || n.id || '@compact-cases>'
              FROM users u CROSS JOIN LATERAL (SELECT gen_random_uuid() AS id) n
             WHERE lower(u.email) = lower(${address}) AND u.active AND u.role = 'respondent'
            RETURNING id`);
        if (written.length) this.logger.log({ clientAddress, notificationId: (written[0] as { id: string }).id }, 'Sign-in link requested');
        // Never a "success" that would reset the throttle: every request counts.
        return null;
      });
    } catch (err) {
      if (err instanceof TooManyAttempts) throw new TooManyAttempts(`Too many requests for a sign-in link. Wait ${waitInWords(err.retryAfterSeconds)}, then try again.`, err.retryAfterSeconds);
      throw err;
    } finally {
      const wait = SIGN_IN_LINK_ANSWER_FLOOR_MS - (Date.now() - began);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Whether the link would work now (for the page the link opens; it does not use the link). */
  async isUsable(token: unknown): Promise<boolean> {
    if (!looksLikeSignInToken(token)) return false;
    const [row] = await runSql(this.dataSource, sql`SELECT 1 FROM sign_in_links l JOIN users u ON u.id = l.user_id
         WHERE l.token_hash = ${tokenHash(token)} AND l.used_at IS NULL AND l.expires_at > now() AND u.active AND u.role = 'respondent'`);
    return Boolean(row);
  }

  /**
   * Uses the link up: unused, unexpired and the account active, or null. The caller starts the
   * session with the account's current generation, so signing out everywhere still ends it.
   */
  async consume(token: unknown, clientAddress: string): Promise<{ user: UserSummary; generation: number } | null> {
    if (!looksLikeSignInToken(token)) return null;
    const account = await this.dataSource.transaction(async (m) => {
      const [row] = await runSql<LinkAccount & { linkId: string; purpose: SignInLinkPurpose }>(m, sql`UPDATE sign_in_links l SET used_at = now()
            FROM users u
           WHERE u.id = l.user_id AND l.token_hash = ${tokenHash(token)} AND l.used_at IS NULL AND l.expires_at > now() AND u.active AND u.role = 'respondent'
          RETURNING l.id AS "linkId", l.purpose, u.id, u.email, u.display_name AS "displayName", u.role, u.organisation_id AS "organisationId", u.token_generation AS generation`);
      if (!row) return null;
      await this.events.record({ userId: row.id, kind: 'signed-in-with-link', details: { purpose: row.purpose } }, m);
      return row;
    });
    if (!account) {
      this.logger.warn({ clientAddress }, 'Sign-in with an unknown, used or expired link');
      return null;
    }
    this.logger.log({ userId: account.id, clientAddress }, 'Signed in with a link');
    return { user: toUserSummary(account), generation: account.generation };
  }
}
