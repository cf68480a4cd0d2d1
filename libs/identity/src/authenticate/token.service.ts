import { randomBytes } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { JWTPayload, SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { runSql, sql } from '@cc/persistence';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { Unauthenticated } from '@cc/common';
import { SignInStep, isSignInStep } from '../sign-in/sign-in-steps';

const VERIFIED_CACHE_SIZE = 10_000;
const ISSUER = 'compact-cases';
/** A token that only finishes a sign-in (a second factor) is short-lived. */
const STEP_TOKEN_TTL_SECONDS: Record<SignInStep, number> = { 'second-factor': 5 * 60, 'change-password': 30 * 60, 'set-up-two-factor': 30 * 60 };

/** What a bearer token says: whose it is, the account generation it was issued under, and any pending step. */
export interface TokenClaims {
  userId: string;
  generation: number;
  step: SignInStep | null;
  expiresAt: Date;
}

/**
 * Bearer tokens are JWTs (HS256, via `jose`): a standard, audited format that clients can read,
 * in place of the hand-made one. A token names only the person, the generation of their account
 * it was issued under (raised to revoke every token at once) and any unfinished sign-in step;
 * the role and organisation are read from the account on each request, so a change of role
 * applies at once. Every API process must share the key: it comes from AUTH_SECRET or, where that
 * is not set, from a random key stored once in the database.
 */
@Injectable()
export class TokenService implements OnModuleInit {
  private key: Uint8Array;
  private readonly verified = new Map<string, TokenClaims>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    this.key = Buffer.from(await signingSecret(this.config, this.dataSource), 'utf8');
  }

  async issue(userId: string, generation: number, step: SignInStep | null = null, now = Date.now()): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now / 1000);
    const exp = iat + (step ? STEP_TOKEN_TTL_SECONDS[step] : this.config.AUTH_TOKEN_TTL_MINUTES * 60);
    const token = await new SignJWT({ gen: generation, ...(step ? { step } : {}) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomBytes(12).toString('base64url'))
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async verify(token: string, now = Date.now()): Promise<TokenClaims> {
    const cached = this.verified.get(token);
    if (cached && cached.expiresAt.getTime() > now) return cached;
    if (token.length > 2000 || token.split('.').length !== 3) throw new Unauthenticated('The bearer token is malformed; sign in again.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER, currentDate: new Date(now), requiredClaims: ['sub', 'exp', 'iat'] }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new Unauthenticated('Your sign-in has expired; sign in again.');
      throw new Unauthenticated('The bearer token is not valid; sign in again.');
    }
    const step = payload.step ?? null;
    if (typeof payload.sub !== 'string' || typeof payload.gen !== 'number' || (step !== null && !isSignInStep(step))) {
      throw new Unauthenticated('The bearer token is not valid; sign in again.');
    }
    const claims: TokenClaims = { userId: payload.sub, generation: payload.gen, step, expiresAt: new Date((payload.exp as number) * 1000) };
    // A client sends the same token on every request; checking its signature once is enough.
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
    this.verified.set(token, claims);
    return claims;
  }
}

/** AUTH_SECRET, or the installation's random secret stored once in the database (shared by every process). */
export async function signingSecret(config: AppConfig, dataSource: DataSource): Promise<string> {
  if (config.AUTH_SECRET) return config.AUTH_SECRET;
  await runSql(dataSource, sql`INSERT INTO app_settings (key, value) VALUES ('auth_secret', ${randomBytes(48).toString('base64url')}) ON CONFLICT (key) DO NOTHING`);
  const [row] = await runSql<{ value: string }>(dataSource, sql`SELECT value FROM app_settings WHERE key = 'auth_secret'`);
  return row.value;
}
