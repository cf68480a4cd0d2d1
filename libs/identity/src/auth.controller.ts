import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { NotFound } from '@cc/common';
import { ChangePasswordRequest, CompletePasswordResetRequest, LoginRequest, LoginResponse, MessageResponse, PasswordResetRequest, UserSummary } from './auth.dto';
import { AuthService, toUserSummary } from './sign-in/auth.service';
import type { Caller } from './domain/caller';
import { CurrentCaller, Public } from './authenticate/auth.guard';
import { AccountPasswords, RESET_LINK_MINUTES } from './passwords/account-passwords.service';
import { AllowedDuring } from './sign-in/sign-in-steps';
import { UsersDirectory } from './domain/users-directory.service';

export const RESET_REQUESTED_MESSAGE = `If that address has an account, we have sent it a link to choose a new password. The link works once, for ${RESET_LINK_MINUTES} minutes.`;

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passwords: AccountPasswords,
    private readonly directory: UsersDirectory,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponse, description: 'When `step` is not null, the token only serves that step (e.g. the second factor)' })
  @ApiUnauthorizedResponse({ description: 'Wrong e-mail or password' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed attempts: wait for Retry-After seconds' })
  login(@Body() body: LoginRequest, @Ip() ip: string): Promise<LoginResponse> {
    return this.auth.login(body.email, body.password, ip);
  }

  @Get('me')
  @ApiBearerAuth()
  @AllowedDuring('change-password', 'set-up-two-factor')
  @ApiOkResponse({ type: UserSummary })
  async me(@CurrentCaller() caller: Caller): Promise<UserSummary> {
    const user = await this.directory.findActive(caller.userId);
    if (!user) throw new NotFound('Your account');
    return toUserSummary(user);
  }

  @Post('password')
  @HttpCode(200)
  @ApiBearerAuth()
  @AllowedDuring('change-password')
  @ApiOkResponse({ type: LoginResponse, description: 'A new token: every other token and page session of the account has ended' })
  async changePassword(@CurrentCaller() caller: Caller, @Body() body: ChangePasswordRequest, @Ip() ip: string): Promise<LoginResponse> {
    await this.passwords.change(caller, body.currentPassword, body.newPassword, ip);
    return this.auth.continueSignIn(caller.userId, 'change-password');
  }

  @Public()
  @Post('password-reset')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: MessageResponse, description: 'The same answer whether or not the address has an account' })
  async requestReset(@Body() body: PasswordResetRequest, @Ip() ip: string): Promise<MessageResponse> {
    await this.passwords.requestReset(body.email, ip);
    return { message: RESET_REQUESTED_MESSAGE };
  }

  @Public()
  @Post('password-reset/complete')
  @HttpCode(200)
  @ApiOkResponse({ type: MessageResponse })
  async completeReset(@Body() body: CompletePasswordResetRequest, @Ip() ip: string): Promise<MessageResponse> {
    await this.passwords.completeReset(body.token, body.newPassword, ip);
    return { message: 'Your password has been changed. Sign in with your new password.' };
  }

  @Post('sign-out-everywhere')
  @HttpCode(204)
  @ApiBearerAuth()
  @AllowedDuring('change-password', 'set-up-two-factor')
  @ApiNoContentResponse({ description: 'Every bearer token and page session of your account has ended, this one too' })
  async signOutEverywhere(@CurrentCaller() caller: Caller): Promise<void> {
    await this.auth.signOutEverywhere(caller.userId);
  }
}
