import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthController } from './auth.controller';
import { AuthGuard } from './authenticate/auth.guard';
import { AccountStanding } from './domain/account-standing.service';
import { AuthService } from './sign-in/auth.service';
import { BearerAuthentication } from './authenticate/bearer-authentication';
import { AccountPasswords } from './passwords/account-passwords.service';
import { SignInLinks } from './sign-in-links/sign-in-links';
import { AdminUsersController } from './manage-users/admin-users.controller';
import { ManageUsers } from './manage-users/manage-users';
import { TokenService } from './authenticate/token.service';
import { UserTieEntity } from './domain/user-tie.entity';
import { UserEntity } from './domain/user.entity';
import { UsersDirectory } from './domain/users-directory.service';
import { StaffChoices } from './list-staff/staff-choices.query';
import { WebSessionStore } from './authenticate/web-session.store';
import { SignInLocksController } from './sign-in-throttle/sign-in-locks.controller';
import { SignInThrottle } from './sign-in-throttle/sign-in-throttle.service';
import { AccountEvents } from './two-factor/account-events';
import { SecretBox } from './two-factor/secret-box';
import { TwoFactorController } from './two-factor/two-factor.controller';
import { TwoFactor } from './two-factor/two-factor.service';

/** Accounts, sign-in and the guard that authenticates every request. */
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, UserTieEntity])],
  controllers: [AuthController, AdminUsersController, SignInLocksController, TwoFactorController],
  providers: [AuthService, TokenService, BearerAuthentication, AccountPasswords, AccountStanding, UsersDirectory, StaffChoices, WebSessionStore, ManageUsers, SignInThrottle, SecretBox, AccountEvents, TwoFactor, SignInLinks, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [UsersDirectory, StaffChoices, WebSessionStore, TokenService, BearerAuthentication, AuthService, AccountPasswords, AccountStanding, ManageUsers, SignInThrottle, AccountEvents, TwoFactor, SignInLinks],
})
export class IdentityModule {}
