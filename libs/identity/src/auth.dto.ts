import type { Role } from '@cc/workflows';
import type { SignInStep } from './sign-in/sign-in-steps';
import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginRequest {
  @ApiProperty({ example: 'reporter@demo.compact.test' })
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'demo-password' })
  @IsString({ message: 'must be a string' })
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  password: string;
}

export class UserSummary {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ['reporter', 'caseworker', 'mediator', 'administrator'] }) role: Role;
  @ApiProperty({ nullable: true, type: String }) organisationId: string | null;
}

export class LoginResponse {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <token>`' }) token: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ type: UserSummary }) user: UserSummary;
  @ApiProperty({
    enum: ['second-factor', 'change-password', 'set-up-two-factor'],
    nullable: true,
    description: 'A step still to do before this token may be used for anything else (null: fully signed in)',
  })
  step: SignInStep | null;
}

export class ChangePasswordRequest {
  @ApiProperty() @IsString({ message: 'must be a string' }) @MaxLength(1024, { message: 'must be at most 1024 characters' }) currentPassword: string;
  @ApiProperty({ description: 'At least 12 characters; long passphrases welcome; not a common password, nor your name or e-mail address' })
  @IsString({ message: 'must be a string' })
  @MaxLength(1024, { message: 'must be at most 1024 characters' })
  newPassword: string;
}

export class PasswordResetRequest {
  @ApiProperty({ example: 'reporter@demo.compact.test' }) @IsString({ message: 'must be a string' }) @MaxLength(320, { message: 'must be at most 320 characters' }) email: string;
}

export class CompletePasswordResetRequest {
  @ApiProperty({ description: 'The token from the link in the e-mail' }) @IsString({ message: 'must be a string' }) @MaxLength(200, { message: 'must be at most 200 characters' }) token: string;
  @ApiProperty() @IsString({ message: 'must be a string' }) @MaxLength(1024, { message: 'must be at most 1024 characters' }) newPassword: string;
}

export class MessageResponse {
  @ApiProperty() message: string;
}
