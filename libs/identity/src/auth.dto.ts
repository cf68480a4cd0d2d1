import type { Role } from '@cc/workflows';
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
}
