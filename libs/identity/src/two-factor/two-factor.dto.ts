import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { LoginResponse } from '../auth.dto';

export class TwoFactorCodeRequest {
  @ApiProperty({ example: '123 456', description: 'The 6 digits the authenticator app shows, or a recovery code (spaces and dashes do not matter)' })
  @IsString({ message: 'must be a string' })
  @MaxLength(64, { message: 'must be at most 64 characters' })
  code: string;
}

export class TwoFactorSetupResponse {
  @ApiProperty({ description: 'The shared secret (Base32), for typing into the app by hand' }) secret: string;
  @ApiProperty({ example: 'JBSW Y3DP EHPK 3PXP ...', description: 'The same, in groups of four' }) secretInGroups: string;
  @ApiProperty({ example: 'otpauth://totp/Compact%20Cases:name%40example.org?secret=...&issuer=Compact%20Cases' }) otpauthUrl: string;
  @ApiProperty({ description: 'The otpauth URL as a QR code: a PNG data: URL' }) qrDataUrl: string;
  @ApiProperty({ description: 'Confirm with a code before this, or start again' }) lapsesAt: string;
}

export class TwoFactorConfirmResponse {
  @ApiProperty({ type: [String], example: ['k3xp9-mw2qa'], description: 'Ten single-use recovery codes, shown this once: keep them somewhere safe' })
  recoveryCodes: string[];
  @ApiProperty({ type: LoginResponse, nullable: true, description: 'When this finished a sign-in step: the token for what comes next (null when already signed in)' })
  signIn: LoginResponse | null;
}

export class TwoFactorStatusResponse {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'When it was set up' }) since: string | null;
  @ApiProperty() recoveryCodesLeft: number;
  @ApiProperty({ description: 'Administrators must use it and cannot turn it off' }) required: boolean;
}

export class TwoFactorResetResponse {
  @ApiProperty({ description: 'Whether the person had two-factor sign-in on before the reset' }) hadSecondFactor: boolean;
}

export class TwoFactorTurnOffRequest {
  @ApiProperty({ example: '123 456', description: 'A current code from the authenticator app, or a recovery code: turning it off needs proof it is you' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @MaxLength(64, { message: 'must be at most 64 characters' })
  code?: string;
}
