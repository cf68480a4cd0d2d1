import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Unauthenticated } from '@cc/common';
import { LoginResponse, UserSummary } from './auth.dto';
import { hashPassword, verifyPassword } from './passwords';
import { TokenService } from './token.service';
import { UserEntity } from './user.entity';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  /** Verified when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password. */
  private readonly decoyHash = hashPassword('decoy-password-for-unknown-accounts');

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly tokens: TokenService,
  ) {}

  async login(email: string, password: string): Promise<LoginResponse> {
    const user = await this.authenticate(email, password);
    const { token, expiresAt } = this.tokens.issue({ userId: user.id, role: user.role, organisationId: user.organisationId });
    return { token, expiresAt: expiresAt.toISOString(), user };
  }

  /** The active account with this e-mail and password, or Unauthenticated (the same for every reason). */
  async authenticate(email: string, password: string): Promise<UserSummary> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
    const ok = await verifyPassword(user?.passwordHash ?? (await this.decoyHash), password);
    if (!user || !ok || !user.active) {
      this.logger.warn({ email }, 'Failed sign-in');
      throw new Unauthenticated('The e-mail address or password is not right. Check them and try again.');
    }
    return toUserSummary(user);
  }
}

export function toUserSummary(user: UserEntity): UserSummary {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role, organisationId: user.organisationId };
}
