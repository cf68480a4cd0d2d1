import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AccountStanding } from './account-standing.service';
import { AuthService } from './auth.service';
import { AdminUsersController } from './manage-users/admin-users.controller';
import { ManageUsers } from './manage-users/manage-users';
import { TokenService } from './token.service';
import { UserTieEntity } from './user-tie.entity';
import { UserEntity } from './user.entity';
import { UsersDirectory } from './users-directory.service';

/** Accounts, sign-in and the guard that authenticates every request. */
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, UserTieEntity])],
  controllers: [AuthController, AdminUsersController],
  providers: [AuthService, TokenService, AccountStanding, UsersDirectory, ManageUsers, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [UsersDirectory, TokenService, AuthService, ManageUsers],
})
export class IdentityModule {}
