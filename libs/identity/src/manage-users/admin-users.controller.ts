import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { z } from 'zod';
import { UuidParam } from '@cc/common';
import { CurrentCaller, Roles } from '../authenticate/auth.guard';
import type { Caller } from '../domain/caller';
import { CreatedUser, ManageUsers, ManagedUser, USER_ROLES, UserTie, newUserSchema, userPatchSchema, userTieSchema } from './manage-users';

const schema = (s: z.ZodTypeAny) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  return rest;
};

export class UsersQuery {
  @ApiPropertyOptional({ description: 'Part of a name or e-mail address' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES, { message: `must be one of ${USER_ROLES.join(', ')}` })
  role?: (typeof USER_ROLES)[number];

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  active?: boolean;
}

/** How a 404 names an account asked for by id. */
const USER = (id: string) => `User ${id}`;

/** Administrators manage accounts. There is no delete: cases and their events name the people. */
@ApiTags('admin: users')
@ApiBearerAuth()
@Roles('administrator')
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly users: ManageUsers) {}

  @Get()
  @ApiOkResponse({ description: 'Accounts, active first, by name (at most 500)' })
  list(@Query() query: UsersQuery): Promise<ManagedUser[]> {
    return this.users.list({ ...query, limit: 500 });
  }

  @Post()
  @ApiBody({ schema: schema(newUserSchema), description: 'A reporter needs organisationId (a voluntary organisation)' })
  @ApiCreatedResponse({ description: 'The account and its temporary password, shown this once' })
  create(@CurrentCaller() caller: Caller, @Body() body: unknown): Promise<CreatedUser> {
    return this.users.create(caller, body);
  }

  @Post(':id/sign-out-everywhere')
  @HttpCode(204)
  @ApiNoContentResponse({ description: "Every bearer token and page session of the person's account has ended, in every process" })
  async signOutEverywhere(@CurrentCaller() caller: Caller, @UuidParam('id', USER, 'USER_NOT_FOUND') id: string): Promise<void> {
    await this.users.signOutEverywhere(caller, id);
  }

  @Post(':id/password-link')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'A link to choose a new password is e-mailed to the person (it works once, for 30 minutes)' })
  async sendPasswordLink(@CurrentCaller() caller: Caller, @UuidParam('id', USER, 'USER_NOT_FOUND') id: string): Promise<void> {
    await this.users.sendPasswordLink(caller, id);
  }

  @Patch(':id')
  @ApiBody({ schema: schema(userPatchSchema), description: 'active: false deactivates (and ends page sessions); true reactivates. A reporter needs organisationId; nobody may change their own role.' })
  @ApiOkResponse({ description: 'The account as it now is' })
  update(@CurrentCaller() caller: Caller, @UuidParam('id', USER, 'USER_NOT_FOUND') id: string, @Body() body: unknown): Promise<ManagedUser> {
    return this.users.update(caller, id, body);
  }

  @Get(':id/ties')
  @ApiOkResponse({ description: 'The organisations the person is tied to (a mediator is never appointed to their cases)' })
  ties(@UuidParam('id', USER, 'USER_NOT_FOUND') id: string): Promise<UserTie[]> {
    return this.users.ties(id);
  }

  @Post(':id/ties')
  @ApiBody({ schema: schema(userTieSchema), description: 'Records a tie, or changes how they are tied' })
  @ApiOkResponse({ description: 'The ties as they now are' })
  addTie(@CurrentCaller() caller: Caller, @UuidParam('id', USER, 'USER_NOT_FOUND') id: string, @Body() body: unknown): Promise<UserTie[]> {
    return this.users.addTie(caller, id, body);
  }

  @Delete(':id/ties/:organisationId')
  @ApiOkResponse({ description: 'The ties as they now are' })
  removeTie(@CurrentCaller() caller: Caller, @UuidParam('id', 'That tie', 'TIE_NOT_FOUND') id: string, @UuidParam('organisationId', 'That tie', 'TIE_NOT_FOUND') organisationId: string): Promise<UserTie[]> {
    return this.users.removeTie(caller, id, organisationId);
  }
}
