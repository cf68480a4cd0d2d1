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
import { SignInLocksController } from './sign-in-throttle/sign-in-locks.controller';
import { SignInThrottle } from './sign-in-throttle/sign-in-throttle.service';

/** Accounts, sign-in and the guard that authenticates every request. */
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, UserTieEntity])],
  controllers: [AuthController, AdminUsersController, SignInLocksController],
  providers: [AuthService, TokenService, AccountStanding, UsersDirectory, ManageUsers, SignInThrottle, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [UsersDirectory, TokenService, AuthService, ManageUsers, SignInThrottle],
})
export class IdentityModule {}
