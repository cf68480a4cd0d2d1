import { Body, Controller, Delete, Get, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Conflict, Unauthenticated, UuidParam } from '@cc/common';
import { LoginResponse } from '../auth.dto';
import { CurrentCaller, CurrentStep, Roles } from '../authenticate/auth.guard';
import { AuthService } from '../sign-in/auth.service';
import type { Caller } from '../domain/caller';
import { AllowedDuring, SignInStep } from '../sign-in/sign-in-steps';
import { TwoFactorCodeRequest, TwoFactorConfirmResponse, TwoFactorTurnOffRequest, TwoFactorResetResponse, TwoFactorSetupResponse, TwoFactorStatusResponse } from './two-factor.dto';
import { TwoFactor } from './two-factor.service';

export const WRONG_CODE = 'That code is not right. Enter the 6 digits your authenticator app shows now, or one of your recovery codes.';

/** Two-factor sign-in over the API: the code at sign-in, setting it up, turning it off, an administrator's reset. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller()
export class TwoFactorController {
  constructor(
    private readonly twoFactor: TwoFactor,
    private readonly auth: AuthService,
  ) {}

  @Post('auth/login/two-factor')
  @HttpCode(200)
  @AllowedDuring('second-factor')
  @ApiOkResponse({ type: LoginResponse, description: 'The token for the next step, or a full one when `step` is null' })
  @ApiUnauthorizedResponse({ description: 'The code is not right (or was used already): the step token still works until it expires' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong codes: wait for Retry-After seconds' })
  async signIn(@CurrentCaller() caller: Caller, @CurrentStep() step: SignInStep | null, @Body() body: TwoFactorCodeRequest, @Ip() ip: string): Promise<LoginResponse> {
    if (step !== 'second-factor') throw new Conflict('NO_SECOND_FACTOR_STEP', 'This sign-in is not waiting for a second factor.');
    if (!(await this.twoFactor.verify(caller.userId, body.code, ip))) throw new Unauthenticated(WRONG_CODE);
    return this.auth.continueSignIn(caller.userId, 'second-factor');
  }

  @Get('auth/two-factor')
  @AllowedDuring('set-up-two-factor')
  @ApiOkResponse({ type: TwoFactorStatusResponse })
  async status(@CurrentCaller() caller: Caller): Promise<TwoFactorStatusResponse> {
    const status = await this.twoFactor.status(caller.userId);
    return { enabled: status.enabled, since: status.since?.toISOString() ?? null, recoveryCodesLeft: status.recoveryCodesLeft, required: status.required };
  }

  @Post('auth/two-factor/setup')
  @HttpCode(200)
  @AllowedDuring('set-up-two-factor')
  @ApiOkResponse({ type: TwoFactorSetupResponse, description: 'Add it to an authenticator app, then confirm with a code' })
  @ApiConflictResponse({ description: 'Two-factor sign-in is already on' })
  async setup(@CurrentCaller() caller: Caller): Promise<TwoFactorSetupResponse> {
    const setup = await this.twoFactor.beginSetup(caller.userId);
    return { ...setup, lapsesAt: setup.lapsesAt.toISOString() };
  }

  @Post('auth/two-factor/confirm')
  @HttpCode(200)
  @AllowedDuring('set-up-two-factor')
  @ApiOkResponse({ type: TwoFactorConfirmResponse })
  @ApiConflictResponse({ description: 'No setup is waiting (it lapses after 30 minutes)' })
  async confirm(@CurrentCaller() caller: Caller, @CurrentStep() step: SignInStep | null, @Body() body: TwoFactorCodeRequest, @Ip() ip: string): Promise<TwoFactorConfirmResponse> {
    const recoveryCodes = await this.twoFactor.confirmSetup(caller.userId, body.code, ip);
    // The code that confirmed the setup proves the new factor, so it also counts as this sign-in's second factor.
    const signIn = step === 'set-up-two-factor' ? await this.auth.continueSignIn(caller.userId, 'second-factor') : null;
    return { recoveryCodes, signIn };
  }

  @Delete('auth/two-factor')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Two-factor sign-in is off; the recovery codes no longer work. Send a current code (or a recovery code) as { code }' })
  @ApiForbiddenResponse({ description: 'Administrators must use two-factor sign-in' })
  async disable(@CurrentCaller() caller: Caller, @Body() body: TwoFactorTurnOffRequest, @Ip() ip: string): Promise<void> {
    await this.twoFactor.turnOff(caller.userId, body.code, ip);
  }

  @Post('admin/users/:id/two-factor/reset')
  @HttpCode(200)
  @Roles('administrator')
  @ApiOkResponse({ type: TwoFactorResetResponse, description: 'Cleared and recorded; the person signs in with their password alone, or (an administrator) sets it up again' })
  @ApiNotFoundResponse()
  resetFor(@CurrentCaller() caller: Caller, @UuidParam('id', 'That person') userId: string): Promise<TwoFactorResetResponse> {
    return this.twoFactor.resetFor(caller, userId);
  }
}
