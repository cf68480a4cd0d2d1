import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import QRCode from 'qrcode';
import { DataSource } from 'typeorm';
import { Conflict, Forbidden, NotFound, ValidationFailed, isUuid } from '@cc/common';
import { runSql, sql } from '@cc/persistence';
import type { Role } from '@cc/workflows';
import type { Caller } from '../domain/caller';
import { SignInThrottle } from '../sign-in-throttle/sign-in-throttle.service';
import { accountKey, addressKey } from '../sign-in-throttle/throttle-policy';
import { AccountEvents } from './account-events';
import { SecretBox } from './secret-box';
import { hashRecoveryCode, inGroupsOfFour, isRecoveryShape, isTotpShape, newRecoveryCodes, newTotpSecret, normaliseCode, otpauthUrl, totpStep } from './totp';

/** Seconds since 1970, for the code window: tests provide one they can move. */
export const TWO_FACTOR_CLOCK = Symbol('TWO_FACTOR_CLOCK');

/** A setup not confirmed within this long lapses: the secret has been on a screen and should not wait there. */
export const SETUP_LAPSES_MINUTES = 30;

/** What a person needs to add the account to an authenticator app. */
export interface TwoFactorSetup {
  /** Base32, for typing in. */
  secret: string;
  /** The same, in groups of four, as a person reads it. */
  secretInGroups: string;
  otpauthUrl: string;
  /** A PNG of the otpauth URL as a QR code, as a data: URL (the pages allow img-src data:). */
  qrDataUrl: string;
  /** When the setup lapses unless confirmed with a code. */
  lapsesAt: Date;
}

export interface TwoFactorStatus {
  enabled: boolean;
  /** When it was set up. */
  since: Date | null;
  recoveryCodesLeft: number;
  /** Administrators must use it, so they cannot turn it off. */
  required: boolean;
  /** A setup was begun and has not lapsed. */
  setupPending: boolean;
}

/** How a code was accepted. */
export type SecondFactorUsed = 'authenticator' | 'recovery-code';

interface SecretRow {
  email: string;
  role: Role;
  secret: string | null;
  lastStep: string;
}

/**
 * Two-factor sign-in with an authenticator app (TOTP, RFC 6238, via otplib), with ten single-use
 * recovery codes. Required for administrators (AuthService asks them to set it up), offered to
 * everyone else. Every code check is throttled per account like a password, and no code is
 * accepted twice: the time step of the last one is kept and only a later one is taken.
 */
@Injectable()
export class TwoFactor {
  private readonly logger = new Logger(TwoFactor.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    private readonly throttle: SignInThrottle,
    private readonly events: AccountEvents,
    @Optional() @Inject(TWO_FACTOR_CLOCK) clock?: () => number,
  ) {
    this.clock = clock ?? (() => Date.now() / 1000);
  }

  private readonly clock: () => number;

  async hasSecondFactor(userId: string): Promise<boolean> {
    const [row] = await runSql<{ on: boolean }>(this.dataSource, sql`SELECT totp_confirmed_at IS NOT NULL AS on FROM users WHERE id = ${userId}`);
    return row?.on ?? false;
  }

  async status(userId: string): Promise<TwoFactorStatus> {
    const [row] = await runSql<{ since: Date | null; role: Role; left: number; pending: boolean }>(this.dataSource, sql`SELECT u.totp_confirmed_at AS since, u.role,
              (SELECT count(*)::int FROM two_factor_recovery_codes c WHERE c.user_id = u.id AND c.used_at IS NULL) AS left,
              u.totp_pending_at > now() - make_interval(mins => ${SETUP_LAPSES_MINUTES}) AS pending
         FROM users u WHERE u.id = ${userId}`);
    if (!row) throw new NotFound('That person');
    return { enabled: row.since !== null, since: row.since, recoveryCodesLeft: row.since ? row.left : 0, required: row.role === 'administrator', setupPending: row.pending === true };
  }

  /**
   * A new secret, kept aside (sealed) until a code from the app confirms it. Starting again
   * replaces the one aside. A person who already has a second factor turns it off first (or, an
   * administrator, asks another to reset it), so a borrowed session cannot move it to another phone.
   */
  async beginSetup(userId: string): Promise<TwoFactorSetup> {
    const [user] = await runSql<{ email: string; on: boolean }>(this.dataSource, sql`SELECT email, totp_confirmed_at IS NOT NULL AS on FROM users WHERE id = ${userId} AND active`);
    if (!user) throw new NotFound('That person');
    if (user.on) throw new Conflict('TWO_FACTOR_ALREADY_ON', 'Two-factor sign-in is already set up for this account. Turn it off first (an administrator asks another administrator to reset it), then set it up again.');
    const secret = newTotpSecret();
    const [row] = await runSql<{ at: Date }>(this.dataSource, sql`UPDATE users SET totp_pending_secret = ${this.box.seal(secret, userId)}, totp_pending_at = now() WHERE id = ${userId} RETURNING totp_pending_at AS at`);
    this.logger.log({ userId }, 'Two-factor setup begun');
    return setupView(secret, user.email, row.at);
  }

  /** The setup begun and not yet lapsed, to show again (a page reloaded, a code mistyped), or null. */
  async setupInProgress(userId: string): Promise<TwoFactorSetup | null> {
    const [user] = await runSql<{ email: string; pending: string | null; at: Date | null; fresh: boolean }>(this.dataSource, sql`SELECT email, totp_pending_secret AS pending, totp_pending_at AS at, totp_pending_at > now() - make_interval(mins => ${SETUP_LAPSES_MINUTES}) AS fresh
         FROM users WHERE id = ${userId} AND active AND totp_confirmed_at IS NULL`);
    const secret = user?.pending && user.fresh ? this.box.open(user.pending, userId) : null;
    if (!user || !secret) return null;
    return setupView(secret, user.email, user.at!);
  }

  /**
   * Turns two-factor sign-in on once a code from the app matches the secret set aside, and gives
   * ten new recovery codes (any old ones stop working). They are shown once: only hashes are kept.
   */
  async confirmSetup(userId: string, typedCode: string, clientAddress?: string): Promise<string[]> {
    const code = normaliseCode(typedCode ?? '');
    if (!isTotpShape(code)) throw new ValidationFailed([{ field: 'code', reason: 'must be the 6 digits your authenticator app shows' }]);
    const [user] = await runSql<{ email: string; pending: string | null; fresh: boolean }>(this.dataSource, sql`SELECT email, totp_pending_secret AS pending, totp_pending_at > now() - make_interval(mins => ${SETUP_LAPSES_MINUTES}) AS fresh FROM users WHERE id = ${userId} AND active`);
    if (!user) throw new NotFound('That person');
    if (!user.pending || !user.fresh) {
      throw new Conflict('NO_TWO_FACTOR_SETUP', `There is no two-factor setup waiting (one lapses after ${SETUP_LAPSES_MINUTES} minutes). Start again: POST /api/auth/two-factor/setup.`);
    }
    const secret = this.box.open(user.pending, userId);
    const step = secret === null ? null : await this.throttled(user.email, clientAddress, () => totpStep(secret, code, 0, this.clock()));
    if (step === null) {
      throw new ValidationFailed([{ field: 'code', reason: 'does not match the code your authenticator app shows; check the app has the new account and the time on your phone is right' }]);
    }
    const codes = newRecoveryCodes();
    const confirmed = await this.dataSource.transaction(async (m) => {
      // Only the secret the code was checked against: a setup begun again meanwhile wins.
      const rows = await runSql(m, sql`UPDATE users SET totp_secret = totp_pending_secret, totp_confirmed_at = now(), totp_last_step = ${step}, totp_pending_secret = NULL, totp_pending_at = NULL
          WHERE id = ${userId} AND totp_pending_secret = ${user.pending} AND totp_confirmed_at IS NULL RETURNING id`);
      if (rows.length === 0) return false;
      await runSql(m, sql`DELETE FROM two_factor_recovery_codes WHERE user_id = ${userId}`);
      await runSql(m, sql`INSERT INTO two_factor_recovery_codes (user_id, code_hash) SELECT ${userId}, unnest(${codes.map(hashRecoveryCode)}::text[])`);
      await this.events.record({ userId, kind: 'two-factor-set-up', byUserId: userId }, m);
      return true;
    });
    if (!confirmed) throw new Conflict('NO_TWO_FACTOR_SETUP', 'This setup was replaced by a newer one, or finished elsewhere. Start again if you still need to.');
    this.logger.log({ userId }, 'Two-factor sign-in turned on');
    return codes;
  }

  /**
   * Whether `typedCode` is the account's current authenticator code or one of its unused recovery
   * codes, using it up either way. Throttled per account (and per client address when given).
   */
  async verify(userId: string, typedCode: string, clientAddress?: string): Promise<boolean> {
    return (await this.use(userId, typedCode, clientAddress)) !== null;
  }

  /** As verify, saying which kind of code was accepted (null: none). */
  async use(userId: string, typedCode: string, clientAddress?: string): Promise<SecondFactorUsed | null> {
    const [user] = await runSql<SecretRow>(this.dataSource, sql`SELECT email, role, totp_secret AS secret, totp_last_step AS "lastStep" FROM users WHERE id = ${userId} AND active`);
    if (!user?.secret) return null;
    const code = normaliseCode(typeof typedCode === 'string' ? typedCode : '');
    return this.throttled(user.email, clientAddress, async () => {
      if (isTotpShape(code)) return this.useAuthenticatorCode(userId, user, code);
      if (isRecoveryShape(code)) return this.useRecoveryCode(userId, code);
      return null;
    });
  }

  /**
   * The person turns it off themselves, proving it is them with a current code (or a recovery
   * code): a session left open on a shared computer must not be enough to remove the second factor.
   */
  async turnOff(userId: string, typedCode: unknown, clientAddress?: string): Promise<void> {
    const [user] = await runSql<{ role: Role }>(this.dataSource, sql`SELECT role FROM users WHERE id = ${userId}`);
    if (user?.role === 'administrator') await this.disable(userId);
    if (typeof typedCode !== 'string' || !typedCode.trim()) {
      throw new ValidationFailed([{ field: 'code', reason: 'Enter the 6-digit code your authenticator app shows now, or one of your recovery codes' }]);
    }
    if (!(await this.use(userId, typedCode, clientAddress))) {
      throw new ValidationFailed([{ field: 'code', reason: 'That code is not right. Enter the 6 digits your app shows now, or one of your recovery codes' }]);
    }
    await this.disable(userId);
  }

  /** Turns it off (after turnOff's check, or in tests); administrators may not, since they must use it. */
  async disable(userId: string): Promise<void> {
    const [user] = await runSql<{ role: Role }>(this.dataSource, sql`SELECT role FROM users WHERE id = ${userId}`);
    if (!user) throw new NotFound('That person');
    if (user.role === 'administrator') {
      throw new Forbidden('TWO_FACTOR_REQUIRED', 'Administrators must use two-factor sign-in, so it cannot be turned off. Another administrator can reset it if you need to move it to a new phone.');
    }
    const wasOn = await this.dataSource.transaction(async (m) => {
      const had = await this.clear(m, userId);
      if (had) await this.events.record({ userId, kind: 'two-factor-turned-off', byUserId: userId }, m);
      return had;
    });
    if (wasOn) this.logger.log({ userId }, 'Two-factor sign-in turned off');
  }

  /**
   * An administrator clears another person's second factor (a lost phone and no recovery codes).
   * The person then signs in with their password alone, or, an administrator, sets it up again.
   * Recorded in account_events with who did it.
   */
  async resetFor(admin: Caller, userId: string): Promise<{ hadSecondFactor: boolean }> {
    if (admin.role !== 'administrator') throw new Forbidden('ROLE_NOT_ALLOWED', 'Only an administrator can reset someone’s two-factor sign-in.');
    if (!isUuid(userId)) throw new NotFound('That person');
    const result = await this.dataSource.transaction(async (m) => {
      const [exists] = await runSql(m, sql`SELECT id FROM users WHERE id = ${userId} FOR UPDATE`);
      if (!exists) return null;
      const had = await this.clear(m, userId);
      await this.events.record({ userId, kind: 'two-factor-reset', byUserId: admin.userId, details: { hadSecondFactor: had } }, m);
      return { hadSecondFactor: had };
    });
    if (!result) throw new NotFound('That person');
    this.logger.warn({ userId, by: admin.userId, hadSecondFactor: result.hadSecondFactor }, 'Two-factor sign-in reset by an administrator');
    return result;
  }

  /** Clears the secret, any setup aside and the recovery codes; whether there was a second factor. */
  private async clear(m: { query(sql: string, params?: unknown[]): Promise<unknown> }, userId: string): Promise<boolean> {
    const [row] = await runSql<{ had: boolean }>(m, sql`UPDATE users u SET totp_secret = NULL, totp_confirmed_at = NULL, totp_pending_secret = NULL, totp_pending_at = NULL
         FROM (SELECT id, totp_confirmed_at IS NOT NULL AS had FROM users WHERE id = ${userId}) before
        WHERE u.id = before.id RETURNING before.had`);
    await runSql(m, sql`DELETE FROM two_factor_recovery_codes WHERE user_id = ${userId}`);
    return row?.had ?? false;
  }

  private async useAuthenticatorCode(userId: string, user: SecretRow, code: string): Promise<SecondFactorUsed | null> {
    const secret = this.box.open(user.secret!, userId);
    if (secret === null) {
      this.logger.error({ userId }, 'The two-factor secret does not open with this key: was AUTH_SECRET changed? The person can use a recovery code, or an administrator can reset it');
      return null;
    }
    const step = await totpStep(secret, code, Number(user.lastStep), this.clock());
    if (step === null) return null;
    // Taken only if no code of this step or a later one was taken meanwhile (another process, a replay).
    const taken = await runSql(this.dataSource, sql`UPDATE users SET totp_last_step = ${step} WHERE id = ${userId} AND totp_last_step < ${step} AND totp_secret IS NOT NULL RETURNING id`);
    if (taken.length === 0) {
      this.logger.warn({ userId, step }, 'Second-factor code refused: already used');
      return null;
    }
    return 'authenticator';
  }

  private async useRecoveryCode(userId: string, code: string): Promise<SecondFactorUsed | null> {
    const [used] = await runSql<{ left: number }>(this.dataSource, sql`WITH used AS (
         UPDATE two_factor_recovery_codes SET used_at = now() WHERE user_id = ${userId} AND code_hash = ${hashRecoveryCode(code)} AND used_at IS NULL RETURNING user_id
       )
       SELECT (SELECT count(*)::int FROM two_factor_recovery_codes WHERE user_id = ${userId} AND used_at IS NULL) - 1 AS left FROM used`);
    if (!used) return null;
    await this.events.record({ userId, kind: 'two-factor-recovery-code-used', byUserId: userId, details: { left: used.left } });
    this.logger.warn({ userId, recoveryCodesLeft: used.left }, 'Signed in with a recovery code');
    return 'recovery-code';
  }

  private throttled<T>(email: string, clientAddress: string | undefined, check: () => Promise<T | null>): Promise<T | null> {
    const keys = clientAddress === undefined ? [accountKey(email)] : [accountKey(email), addressKey(clientAddress)];
    return this.throttle.attempt('second-factor', keys, check);
  }
}

async function setupView(secret: string, email: string, begunAt: Date): Promise<TwoFactorSetup> {
  const url = otpauthUrl(secret, email);
  // Margin 4 is the quiet zone the QR standard asks for; M survives a smudged or glary screen.
  const qrDataUrl = await QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 4, width: 240 });
  return { secret, secretInGroups: inGroupsOfFour(secret), otpauthUrl: url, qrDataUrl, lapsesAt: new Date(begunAt.getTime() + SETUP_LAPSES_MINUTES * 60_000) };
}
