import { createHash, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';

/** What authenticator apps expect (RFC 6238 defaults: SHA-1, 6 digits, 30 seconds). */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_ISSUER = 'Compact Cases';
export const RECOVERY_CODE_COUNT = 10;

/** Recovery codes: no letters that look alike (0/o, 1/l/i), so they can be copied from paper. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_LENGTH = 10;

/** A secret for a new authenticator: 20 random bytes (160 bits, RFC 4226's recommendation), in Base32. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function otpauthUrl(secret: string, email: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: email, secret, period: TOTP_PERIOD_SECONDS, digits: 6 });
}

/** "JBSW Y3DP EHPK ..." for people who type the secret in instead of scanning it. */
export function inGroupsOfFour(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? secret;
}

/** A code as typed: spaces, dashes and capitals do not matter. */
export function normaliseCode(typed: string): string {
  return typed.replace(/[\s\u002d\u2010-\u2015\u2212]/g, '').toLowerCase();
}

export const isTotpShape = (code: string): boolean => /^\d{6}$/.test(code);

export const isRecoveryShape = (code: string): boolean => code.length === RECOVERY_LENGTH && [...code].every((c) => RECOVERY_ALPHABET.includes(c));

/**
 * The time step of a correct code, or null. One step either side of now is accepted, for a phone
 * whose clock is a little out and a code typed just as it changed; a step not after `lastStep`
 * (the last code this account used) is refused, so no code works twice.
 */
export async function totpStep(secret: string, code: string, lastStep: number, epochSeconds: number): Promise<number | null> {
  if (!isTotpShape(code)) return null;
  const result = await verify({ strategy: 'totp', secret, token: code, epoch: epochSeconds, period: TOTP_PERIOD_SECONDS, epochTolerance: TOTP_PERIOD_SECONDS, afterTimeStep: lastStep });
  // The result type also covers counter-based codes, which have no time step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

/**
 * Ten codes like "k3xp9-mw2qa": 10 characters of a 31-letter alphabet, about 50 random bits each.
 * Shown once; only their hashes are kept.
 */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: RECOVERY_LENGTH }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/**
 * SHA-256 is enough here (a slow password hash is for secrets people choose): with 50 random bits
 * and sign-in throttled, the hashes cannot be searched in any useful time even if they leak.
 */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normaliseCode(code)).digest('hex');
}
