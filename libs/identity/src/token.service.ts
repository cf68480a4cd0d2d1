import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { Unauthenticated } from '@cc/common';
import type { Caller } from './caller';

const VERIFIED_CACHE_SIZE = 10_000;

interface TokenClaims {
  sub: string;
  role: Caller['role'];
  org: string | null;
  exp: number;
}

/**
 * Signed bearer tokens (HMAC-SHA256). Stateless, so checking one costs no database round trip on
 * every request. Every API process must share the key: it comes from AUTH_SECRET or, where that is
 * not set, from a random key stored once in the database.
 */
@Injectable()
export class TokenService implements OnModuleInit {
  private key: Buffer;
  private readonly verified = new Map<string, { caller: Caller; exp: number }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.AUTH_SECRET) {
      this.key = Buffer.from(this.config.AUTH_SECRET, 'utf8');
      return;
    }
    await this.dataSource.query(`INSERT INTO app_settings (key, value) VALUES ('auth_secret', $1) ON CONFLICT (key) DO NOTHING`, [
      randomBytes(48).toString('base64url'),
    ]);
    const [row] = await this.dataSource.query(`SELECT value FROM app_settings WHERE key = 'auth_secret'`);
    this.key = Buffer.from(row.value, 'utf8');
  }

  issue(caller: Caller, now = Date.now()): { token: string; expiresAt: Date } {
    const exp = Math.floor(now / 1000) + this.config.AUTH_TOKEN_TTL_MINUTES * 60;
    const claims: TokenClaims = { sub: caller.userId, role: caller.role, org: caller.organisationId, exp };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `${body}.${this.sign(body)}`, expiresAt: new Date(exp * 1000) };
  }

  verify(token: string, now = Date.now()): Caller {
    const cached = this.verified.get(token);
    if (cached && cached.exp * 1000 > now) return cached.caller;
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined) throw new Unauthenticated('The bearer token is malformed; sign in again.');
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new Unauthenticated('The bearer token is not valid; sign in again.');
    }
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
    if (claims.exp * 1000 <= now) throw new Unauthenticated('Your sign-in has expired; sign in again.');
    const caller: Caller = { userId: claims.sub, role: claims.role, organisationId: claims.org };
    // A client sends the same token on every request; checking its signature once is enough.
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
    this.verified.set(token, { caller, exp: claims.exp });
    return caller;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
