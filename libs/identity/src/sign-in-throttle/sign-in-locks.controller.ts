import { Controller, Delete, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../authenticate/auth.guard';
import type { Caller } from '../domain/caller';
import { SignInThrottle, ThrottleLock } from './sign-in-throttle.service';
import { THROTTLE_SCOPES, ThrottleKey, ThrottleKind, ThrottleScope } from './throttle-policy';

export class SignInLockView implements ThrottleLock {
  @ApiProperty({ enum: THROTTLE_SCOPES, description: 'What was being tried: a password, a reset request or a second-factor code' }) scope: ThrottleScope;
  @ApiProperty({ example: 'account:jo@example.org', description: 'account:<e-mail address> or address:<client address>; clear it by this' }) key: ThrottleKey;
  @ApiProperty({ enum: ['account', 'address'] }) kind: ThrottleKind;
  @ApiProperty({ example: 'jo@example.org', description: 'The e-mail address, or the client address (an IPv6 network as prefix::/64)' }) subject: string;
  @ApiProperty({ description: 'Attempts counted against it' }) failures: number;
  @ApiProperty({ nullable: true, type: String, description: 'When the lock ends; null when it only has to wait between tries' }) lockedUntil: string | null;
  @ApiProperty({ description: 'When the next try is allowed' }) allowedFrom: string;
  @ApiProperty({ nullable: true, type: String }) lastFailureAt: string | null;
  @ApiProperty({ description: 'Seconds until the next try is allowed' }) retryAfterSeconds: number;
}

/** Administrators see who is locked out of signing in (or made to wait), and let them in again. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('administrator')
@Controller('admin/sign-in-locks')
export class SignInLocksController {
  constructor(private readonly throttle: SignInThrottle) {}

  @Get()
  @ApiOkResponse({ type: SignInLockView, isArray: true, description: 'Locks and waits in force now, longest first (at most 500)' })
  list(): Promise<SignInLockView[]> {
    return this.throttle.locks();
  }

  @Delete(':scope/:key')
  @ApiOkResponse({ type: SignInLockView, description: 'The lock as it was; the next attempt is allowed at once' })
  @ApiNotFoundResponse({ description: 'Nothing holds that key back (it may have been cleared already)' })
  clear(@CurrentCaller() caller: Caller, @Param('scope') scope: string, @Param('key') key: string): Promise<SignInLockView> {
    return this.throttle.clear(scope, key, caller.userId);
  }
}
