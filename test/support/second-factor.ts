import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { generate } from 'otplib';
import { TwoFactor } from '@cc/identity';

const PERIOD = 30;

/** What a test keeps of an account's authenticator: the secret (as the phone has it) and its recovery codes. */
export interface TestAuthenticator {
  userId: string;
  secret: string;
  recoveryCodes: string[];
}

const codeAt = (secret: string, step: number) => generate({ strategy: 'totp', secret, epoch: step * PERIOD, period: PERIOD });

/** Sets up two-factor sign-in for an account as its owner would, through the service, with a code computed here. */
export async function giveAuthenticator(app: INestApplication, userId: string): Promise<TestAuthenticator> {
  const twoFactor = app.get(TwoFactor);
  const { secret } = await twoFactor.beginSetup(userId);
  const recoveryCodes = await twoFactor.confirmSetup(userId, await codeAt(secret, Math.floor(Date.now() / 1000 / PERIOD)));
  return { userId, secret, recoveryCodes };
}

/**
 * A code the service will accept now, as a person reads it off their phone. A code works once
 * (its time step must come after the last one used), so signing in several times within 30
 * seconds takes the next step (one ahead is accepted) and, past that, a recovery code: tests
 * never wait for the clock.
 */
export async function nextCode(db: DataSource, authenticator: TestAuthenticator): Promise<string> {
  const [row] = await db.query(`SELECT totp_last_step AS last FROM users WHERE id = $1`, [authenticator.userId]);
  const last = Number(row?.last ?? 0);
  const now = Math.floor(Date.now() / 1000 / PERIOD);
  // Not the step ahead when this one is about to end: it could be two ahead by the time it is checked.
  const candidates = Date.now() / 1000 - now * PERIOD < PERIOD - 2 ? [now, now + 1] : [now + 1];
  const step = candidates.find((s) => s > last);
  if (step !== undefined) return codeAt(authenticator.secret, step);
  const recovery = authenticator.recoveryCodes.shift();
  if (!recovery) throw new Error('the test account has used every code it has; sign in fewer times in one file');
  return recovery;
}
