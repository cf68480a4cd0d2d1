import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Unauthenticated } from '@cc/common';
import { runSql, sql, rawSql } from '@cc/persistence';
import type { Role } from '@cc/workflows';
import { LoginResponse, UserSummary } from '../auth.dto';
import { hashPassword, verifyPassword } from '../passwords/password-hashing';
import { SignInStep, nextSignInStep } from './sign-in-steps';
import { SignInThrottle } from '../sign-in-throttle/sign-in-throttle.service';
import { accountKey, addressKey } from '../sign-in-throttle/throttle-policy';
import { TokenService } from '../authenticate/token.service';
import { TwoFactor } from '../two-factor/two-factor.service';
import { AccountEvents } from '../two-factor/account-events';

const WRONG = 'The e-mail address or password is not right. Check them and try again.';

/** A correct password, and what the person must still do before anything else. */
export interface PasswordSignIn {
  user: UserSummary;
  generation: number;
  step: SignInStep | null;
}

interface AccountRow {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  organisationId: string | null;
  active: boolean;
  passwordHash: string;
  mustChangePassword: boolean;
  generation: number;
}

const ACCOUNT_COLUMNS = rawSql(`id, email, display_name AS "displayName", role, organisation_id AS "organisationId", active, password_hash AS "passwordHash",
  must_change_password AS "mustChangePassword", token_generation AS generation`);

/**
 * Signing in, for the API and the pages alike: the password (throttled per account and per
 * client address), then whatever step the account still needs (a second factor, a new password
 * in place of a temporary one, an administrator's second factor to set up).
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  /** Verified when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password. */
  private readonly decoyHash = hashPassword('decoy-password-for-unknown-accounts');

  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly throttle: SignInThrottle,
    private readonly twoFactor: TwoFactor,
    private readonly events: AccountEvents,
  ) {}

  async login(email: string, password: string, clientAddress: string): Promise<LoginResponse> {
    const signIn = await this.authenticate(email, password, clientAddress);
    return this.tokenFor(signIn);
  }

  /** The bearer token after a step is done: for the next step, or a full one. */
  async continueSignIn(userId: string, done: SignInStep): Promise<LoginResponse> {
    return this.tokenFor(await this.afterStep(userId, done));
  }

  /** The account with this e-mail and password and its next step, or Unauthenticated (the same for every reason). */
  async authenticate(email: string, password: string, clientAddress: string): Promise<PasswordSignIn> {
    const keys = [accountKey(email), addressKey(clientAddress)];
    const account = await this.throttle.attempt('password', keys, async () => {
      const [row] = await runSql<AccountRow>(this.dataSource, sql`SELECT ${ACCOUNT_COLUMNS} FROM users WHERE lower(email) = lower(${email})`);
      // A respondent has no password (they sign in by link): the decoy is checked instead, so the
      // answer and its timing are those of a wrong password.
      const usable = row && row.role !== 'respondent' ? row.passwordHash : await this.decoyHash;
      const ok = await verifyPassword(usable, password);
      return row && ok && row.active && row.role !== 'respondent' ? row : null;
    });
    if (!account) {
      this.logger.warn({ email, clientAddress }, 'Failed sign-in');
      throw new Unauthenticated(WRONG);
    }
    const step = nextSignInStep({ ...account, hasSecondFactor: await this.twoFactor.hasSecondFactor(account.id) });
    this.logger.log({ userId: account.id, clientAddress, step }, step ? 'Password accepted; sign-in continues' : 'Signed in');
    return { user: toUserSummary(account), generation: account.generation, step };
  }

  /** The account's next step once `done` is done (read afresh: the step may have changed it). */
  async afterStep(userId: string, done: SignInStep): Promise<PasswordSignIn> {
    const [account] = await runSql<AccountRow>(this.dataSource, sql`SELECT ${ACCOUNT_COLUMNS} FROM users WHERE id = ${userId} AND active`);
    if (!account) throw new Unauthenticated('This account has been deactivated; ask an administrator if you need it again.');
    const step = nextSignInStep({ ...account, hasSecondFactor: await this.twoFactor.hasSecondFactor(account.id) }, done);
    return { user: toUserSummary(account), generation: account.generation, step };
  }

  /** Ends every bearer token and page session of the account, in every process, at once. */
  async signOutEverywhere(userId: string, byUserId: string = userId): Promise<number> {
    const generation = await this.dataSource.transaction(async (m) => {
      const [row] = await runSql<{ generation: number }>(m, sql`UPDATE users SET token_generation = token_generation + 1 WHERE id = ${userId} RETURNING token_generation AS generation`);
      if (!row) return undefined;
      await runSql(m, sql`DELETE FROM web_sessions WHERE user_id = ${userId}`);
      await this.events.record({ userId, kind: 'signed-out-everywhere', byUserId }, m);
      return row.generation;
    });
    if (generation === undefined) throw new Unauthenticated('That account no longer exists.');
    return generation;
  }

  private async tokenFor(signIn: PasswordSignIn): Promise<LoginResponse> {
    const { token, expiresAt } = await this.tokens.issue(signIn.user.id, signIn.generation, signIn.step);
    return { token, expiresAt: expiresAt.toISOString(), user: signIn.user, step: signIn.step };
  }
}

export function toUserSummary(user: Pick<UserSummary, 'id' | 'email' | 'displayName' | 'role' | 'organisationId'>): UserSummary {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role, organisationId: user.organisationId };
}
