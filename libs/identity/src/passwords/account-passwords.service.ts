import { createHash, randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Conflict, Unauthenticated, ValidationFailed } from '@cc/common';
import { runSql, sql } from '@cc/persistence';
import type { Caller } from '../domain/caller';
import { SignInThrottle } from '../sign-in-throttle/sign-in-throttle.service';
import { AccountEvents } from '../two-factor/account-events';
import { accountKey, addressKey } from '../sign-in-throttle/throttle-policy';
import { hashPassword, verifyPassword } from './password-hashing';
import { passwordProblem } from './password-policy';

/**
 * Every reset request is answered no sooner than this: the statement does a little more work for
 * an address with an account (two rows written), and without a floor the difference (about half a
 * millisecond, bench:security) would tell who has an account.
 */
export const RESET_ANSWER_FLOOR_MS = 150;

/** A forgotten-password link works for 30 minutes, once. */
export const RESET_LINK_MINUTES = 30;
/** A link an administrator sends to a new account (to choose a first password) works for 3 days. */
export const INVITATION_LINK_MINUTES = 3 * 24 * 60;

export type AccountEmailTemplate = 'passwordReset' | 'accountInvitation';

const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Passwords: a person changes their own (knowing the current one), asks for a reset link when
 * they have forgotten it, or is sent one by an administrator. Every change ends the account's
 * other sign-ins (its generation goes up). Reset links are single use, short-lived, and stored
 * only as a hash: the token itself exists only in the e-mail (minted as the worker sends it).
 */
@Injectable()
export class AccountPasswords {
  private readonly logger = new Logger(AccountPasswords.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly throttle: SignInThrottle,
    private readonly events: AccountEvents,
  ) {}

  /** Changes the caller's password; the new generation, for a fresh token or session. */
  async change(caller: Caller, currentPassword: unknown, newPassword: unknown, clientAddress: string): Promise<number> {
    const [owner] = await runSql<{ email: string; displayName: string; passwordHash: string }>(this.dataSource, sql`SELECT email, display_name AS "displayName", password_hash AS "passwordHash" FROM users WHERE id = ${caller.userId} AND active`);
    if (!owner) throw new Unauthenticated('This account has been deactivated; ask an administrator if you need it again.');
    const errors = [
      ...(typeof currentPassword === 'string' && currentPassword ? [] : [{ field: 'currentPassword', reason: 'Enter your current password' }]),
      ...this.newPasswordErrors(newPassword, owner),
    ];
    if (errors.length) throw new ValidationFailed(errors);
    const ok = await this.throttle.attempt('password', [accountKey(owner.email), addressKey(clientAddress)], async () =>
      (await verifyPassword(owner.passwordHash, currentPassword as string)) ? true : null,
    );
    if (!ok) throw new ValidationFailed([{ field: 'currentPassword', reason: 'Your current password is not right. Check it and try again' }]);
    if (await verifyPassword(owner.passwordHash, newPassword as string)) {
      throw new ValidationFailed([{ field: 'newPassword', reason: 'Choose a password that is different from your current one' }]);
    }
    const generation = await this.dataSource.transaction(async (m) => {
      const raised = await this.setPassword(m, caller.userId, newPassword as string);
      await this.events.record({ userId: caller.userId, kind: 'password-changed', byUserId: caller.userId }, m);
      return raised;
    });
    this.logger.log({ userId: caller.userId }, 'Password changed; other sign-ins ended');
    return generation;
  }

  /**
   * The first sign-in with a temporary password: the person has just typed it, so only the new
   * one is asked for. Refused once the temporary password has been replaced.
   */
  async replaceTemporary(userId: string, newPassword: unknown): Promise<number> {
    const [owner] = await runSql<{ email: string; displayName: string; passwordHash: string }>(this.dataSource, sql`SELECT email, display_name AS "displayName", password_hash AS "passwordHash" FROM users WHERE id = ${userId} AND active AND must_change_password`);
    if (!owner) throw new Conflict('NO_TEMPORARY_PASSWORD', 'Your password is not a temporary one: change it from your account page, with your current password.');
    const errors = this.newPasswordErrors(newPassword, owner);
    if (!errors.length && (await verifyPassword(owner.passwordHash, newPassword as string))) {
      errors.push({ field: 'newPassword', reason: 'Choose a password of your own, not the temporary one you were given' });
    }
    if (errors.length) throw new ValidationFailed(errors);
    const generation = await this.dataSource.transaction(async (m) => {
      const raised = await this.setPassword(m, userId, newPassword as string);
      await this.events.record({ userId, kind: 'password-changed', byUserId: userId, details: { temporary: true } }, m);
      return raised;
    });
    this.logger.log({ userId }, 'Temporary password replaced');
    return generation;
  }

  /**
   * Sends a reset link if the address belongs to an active account. One statement either way, and
   * the same answer, so neither the words nor the time tell whether the account exists.
   */
  async requestReset(email: unknown, clientAddress: string): Promise<void> {
    if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email.trim()) || email.length > 320) {
      throw new ValidationFailed([{ field: 'email', reason: 'Enter your e-mail address, like name@example.org' }]);
    }
    const address = email.trim();
    const began = Date.now();
    try {
      // Throttled per address asked about and per client, so nobody can flood a person with e-mails.
      await this.throttle.attempt('reset', [accountKey(address), addressKey(clientAddress)], async () => {
        const written = await this.writeLink(this.dataSource.manager, { email: address }, 'passwordReset', RESET_LINK_MINUTES, null);
        if (written) this.logger.log({ clientAddress }, 'Password reset link requested');
        // Never a "success" that would reset the throttle: every request counts.
        return null;
      });
    } finally {
      const wait = RESET_ANSWER_FLOOR_MS - (Date.now() - began);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** An administrator sends a person a link to choose a password (a new account, or one locked out). */
  async sendLinkFor(admin: Caller, userId: string, template: AccountEmailTemplate = 'passwordReset'): Promise<void> {
    const [account] = await runSql<{ role: string }>(this.dataSource, sql`SELECT role FROM users WHERE id = ${userId}`);
    if (account?.role === 'respondent') {
      throw new Conflict('SIGNS_IN_BY_LINK', 'People at public bodies have no password: they sign in with a link, which they can ask for on the sign-in page (Sign in with a link).', { allowedActions: [] });
    }
    const written = await this.writeLink(this.dataSource.manager, { userId }, template, template === 'accountInvitation' ? INVITATION_LINK_MINUTES : RESET_LINK_MINUTES, admin.userId);
    if (!written) throw new Conflict('ACCOUNT_INACTIVE', 'That account is deactivated; reactivate it before sending a link.');
    await this.events.record({ userId, kind: 'password-link-sent', byUserId: admin.userId, details: { template } });
    this.logger.log({ userId, byUserId: admin.userId, template }, 'Password link sent by an administrator');
  }

  /** Sets a new password with a reset link's token: once, within its time, then every other sign-in ends. */
  async completeReset(token: unknown, newPassword: unknown, clientAddress: string): Promise<{ email: string }> {
    const valid = typeof token === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(token);
    const expired = () => new ValidationFailed([{ field: 'token', reason: 'This link has expired or has already been used. Ask for a new one' }]);
    if (!valid) throw expired();
    return this.dataSource.transaction(async (m) => {
      const [reset] = await runSql<{ id: string; userId: string; email: string; displayName: string }>(m, sql`SELECT r.id, r.user_id AS "userId", u.email, u.display_name AS "displayName"
           FROM password_resets r JOIN users u ON u.id = r.user_id
          WHERE r.token_hash = ${tokenHash(token as string)} AND r.used_at IS NULL AND r.expires_at > now() AND u.active
          FOR UPDATE OF r`);
      if (!reset) {
        this.logger.warn({ clientAddress }, 'Password reset with an unknown, used or expired link');
        throw expired();
      }
      const errors = this.newPasswordErrors(newPassword, reset);
      if (errors.length) throw new ValidationFailed(errors);
      await runSql(m, sql`UPDATE password_resets SET used_at = now() WHERE user_id = ${reset.userId} AND used_at IS NULL`);
      await this.setPassword(m, reset.userId, newPassword as string);
      await this.events.record({ userId: reset.userId, kind: 'password-reset-with-link' }, m);
      this.logger.log({ userId: reset.userId, clientAddress }, 'Password reset with a link; other sign-ins ended');
      return { email: reset.email };
    });
  }

  /** Why a new password is refused, as field errors (none when it is fine). */
  newPasswordErrors(newPassword: unknown, owner: { email: string; displayName: string }) {
    const problem = typeof newPassword === 'string' ? passwordProblem(newPassword, owner) : 'Enter a new password';
    return problem ? [{ field: 'newPassword', reason: problem }] : [];
  }

  private async setPassword(m: EntityManager, userId: string, password: string): Promise<number> {
    const hash = await hashPassword(password);
    const [row] = await runSql<{ generation: number }>(m, sql`UPDATE users SET password_hash = ${hash}, must_change_password = false, password_changed_at = now(), token_generation = token_generation + 1
        WHERE id = ${userId} RETURNING token_generation AS generation`);
    await runSql(m, sql`DELETE FROM web_sessions WHERE user_id = ${userId}`);
    return row.generation;
  }

  /**
   * The reset and its e-mail in one statement: earlier unused links of the account stop working,
   * a new reset row is made, and an outbox e-mail names it (the worker mints the link's token as
   * it sends, keeping only its hash). Nothing is written for an unknown or inactive account.
   */
  private async writeLink(m: EntityManager, who: { email: string } | { userId: string }, template: AccountEmailTemplate, minutes: number, requestedBy: string | null): Promise<boolean> {
    const match = 'email' in who ? sql`lower(email) = lower(${who.email})` : sql`id = ${who.userId}::uuid`;
    // Respondents have no password to reset: they sign in by link, so nothing is sent to them here.
    const rows = await runSql(m, sql`WITH account AS (SELECT id, email, display_name, role FROM users WHERE ${match} AND active AND role <> 'respondent'),
            superseded AS (UPDATE password_resets SET used_at = now() WHERE user_id IN (SELECT id FROM account) AND used_at IS NULL),
            reset AS (INSERT INTO password_resets (user_id, expires_at, requested_by)
                      SELECT id, now() + ${minutes} * interval '1 minute', ${requestedBy}::uuid FROM account RETURNING id, user_id, expires_at),
            mail AS (SELECT gen_random_uuid() AS id, reset.id AS reset_id, reset.expires_at, account.id AS user_id, account.email, account.display_name, account.role
                       FROM reset JOIN account ON account.id = reset.user_id)
       INSERT INTO notifications (id, case_id, template, recipient_user_id, recipient_email, recipient_name, recipient_role, data, status, message_id, password_reset_id)
       SELECT id, NULL, ${template}, user_id, email, display_name, role, jsonb_build_object('expiresAt', expires_at, 'linkMinutes', ${minutes}::int), 'pending',
              '<' || id || '@compact-cases>', reset_id
         FROM mail
       RETURNING id`);
    return rows.length > 0;
  }
}

/**
 * Gives a reset e-mail its link, as the worker sends it: a fresh random token whose hash replaces
 * the reset's (so only the latest e-mail's link works), or null when the reset was used, replaced
 * or expired before the e-mail went.
 */
export async function mintResetToken(m: EntityManager, resetId: string): Promise<string | null> {
  const token = randomBytes(32).toString('base64url');
  const rows = await runSql(m, sql`UPDATE password_resets SET token_hash = ${tokenHash(token)} WHERE id = ${resetId} AND used_at IS NULL AND expires_at > now() RETURNING id`);
  return rows.length ? token : null;
}
