import { Injectable } from '@nestjs/common';
import { Unauthenticated } from '@cc/common';
import type { Caller } from '../domain/caller';
import { AccountStanding } from '../domain/account-standing.service';
import type { SignInStep } from '../sign-in/sign-in-steps';
import { TokenService } from './token.service';

export interface BearerSignIn {
  caller: Caller;
  /** A sign-in step still to do, or null when the person is fully signed in. */
  step: SignInStep | null;
}

/**
 * Who a bearer token speaks for, now: the signature and expiry (TokenService), then the account
 * as it is (AccountStanding), so a deactivated account, a raised generation ("sign out
 * everywhere", a new password) or a changed role takes effect on the very next request.
 */
@Injectable()
export class BearerAuthentication {
  constructor(
    private readonly tokens: TokenService,
    private readonly standing: AccountStanding,
  ) {}

  async fromHeader(header: string | undefined): Promise<BearerSignIn> {
    if (!header?.startsWith('Bearer ')) throw new Unauthenticated();
    const claims = await this.tokens.verify(header.slice('Bearer '.length).trim());
    const account = await this.standing.lookup(claims.userId);
    if (!account?.active) throw new Unauthenticated('This account has been deactivated; ask an administrator if you need it again.');
    if (account.generation !== claims.generation) {
      throw new Unauthenticated('This sign-in has ended (the password was changed, or the account was signed out everywhere); sign in again.');
    }
    return { caller: { userId: claims.userId, role: account.role, organisationId: account.organisationId }, step: claims.step };
  }
}
