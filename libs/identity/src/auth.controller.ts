import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { NotFound } from '@cc/common';
import { LoginRequest, LoginResponse, UserSummary } from './auth.dto';
import { AuthService, toUserSummary } from './auth.service';
import type { Caller } from './caller';
import { CurrentCaller, Public } from './auth.guard';
import { UsersDirectory } from './users-directory.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly directory: UsersDirectory,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponse })
  @ApiUnauthorizedResponse({ description: 'Wrong e-mail or password' })
  login(@Body() body: LoginRequest): Promise<LoginResponse> {
    return this.auth.login(body.email, body.password);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserSummary })
  async me(@CurrentCaller() caller: Caller): Promise<UserSummary> {
    const user = await this.directory.findActive(caller.userId);
    if (!user) throw new NotFound('Your account');
    return toUserSummary(user);
  }
}
