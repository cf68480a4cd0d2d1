import { isIP } from 'node:net';

/** What is being guessed at: a password, a reset request, a second-factor (or recovery) code. */
export const THROTTLE_SCOPES = ['password', 'reset', 'second-factor'] as const;
export type ThrottleScope = (typeof THROTTLE_SCOPES)[number];

export const isThrottleScope = (value: unknown): value is ThrottleScope => typeof value === 'string' && (THROTTLE_SCOPES as readonly string[]).includes(value);

export type ThrottleKind = 'account' | 'address';
/** `account:<lower-case e-mail>` or `address:<client address>`; build them with accountKey and addressKey. */
export type ThrottleKey = `${ThrottleKind}:${string}`;

/** Longest key kept: an e-mail address is at most 320 characters. */
export const MAX_KEY_LENGTH = 400;

export interface ThrottlePolicy {
  /** Failures allowed with no wait at all, so a person who mistypes a few times never notices. */
  free: number;
  /** The attempt that brings the failures to this many locks the key. */
  limit: number;
  /** How long a lock lasts. */
  lockSeconds: number;
  /** One failure is forgotten for each this long without another (a leaky bucket). */
  leakSeconds: number;
  /** The longest wait between two attempts short of a lock. */
  maxDelaySeconds: number;
}

/**
 * An account is the thing being guessed: it locks after 20 tries, and then allows about one try
 * each 15 minutes while the guessing goes on (NIST 800-63B asks for at most 100 in a row).
 * An address is shared by everyone behind one office or mobile network, so it has more room, and
 * exists to slow one machine trying many accounts.
 */
export const THROTTLE_POLICIES: Record<ThrottleKind, ThrottlePolicy> = {
  account: { free: 5, limit: 20, lockSeconds: 15 * 60, leakSeconds: 15 * 60, maxDelaySeconds: 60 },
  address: { free: 20, limit: 100, lockSeconds: 15 * 60, leakSeconds: 5 * 60, maxDelaySeconds: 60 },
};

/** How long to wait after the attempt that makes `failures`: none at first, then 1 s, 2 s, 4 s ... up to the cap. */
export function delayAfter(policy: ThrottlePolicy, failures: number): number {
  if (failures <= policy.free) return 0;
  return Math.min(policy.maxDelaySeconds, 2 ** Math.min(failures - policy.free - 1, 30));
}

/** The waits for failures 1..limit (beyond the limit the last applies), so the database indexes one list. */
export function delaySchedule(policy: ThrottlePolicy): number[] {
  return Array.from({ length: Math.max(policy.limit, 1) }, (_, i) => delayAfter(policy, i + 1));
}

export function kindOf(key: string): ThrottleKind | undefined {
  const kind = key.slice(0, key.indexOf(':'));
  return kind === 'account' || kind === 'address' ? kind : undefined;
}

/** A key as it may be stored: a known kind and something after it, not too long. */
export function isThrottleKey(value: unknown): value is ThrottleKey {
  return typeof value === 'string' && value.length <= MAX_KEY_LENGTH && kindOf(value) !== undefined && value.indexOf(':') < value.length - 1;
}

/** The account being tried, by e-mail address: capitals and spaces around it do not make another account. */
export function accountKey(email: string): ThrottleKey {
  return `account:${email.trim().toLowerCase().slice(0, MAX_KEY_LENGTH - 'account:'.length)}`;
}

/**
 * Where the attempt came from. An IPv6 address counts by its /64 network: one home or phone is
 * given a whole /64 and can pick a new address in it for each try.
 */
export function addressKey(ip: string | undefined): ThrottleKey {
  return `address:${clientNetwork(ip)}`;
}

export function clientNetwork(ip: string | undefined): string {
  const bare = (ip ?? '').trim().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped && isIP(mapped[1]) === 4) return mapped[1];
  if (isIP(bare) === 4) return bare;
  if (isIP(bare) === 6) return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
  return 'unknown';
}

/** The eight groups of an IPv6 address, without leading zeros ("2001:db8::1" → 2001, db8, 0 ... 1). */
function ipv6Groups(ip: string): string[] {
  const toGroups = (part: string): string[] => {
    if (part === '') return [];
    return part.split(':').flatMap((g) => {
      if (!g.includes('.')) return [g];
      const [a, b, c, d] = g.split('.').map(Number);
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  };
  const [head, tail] = ip.toLowerCase().split('::');
  const before = toGroups(head);
  const after = tail === undefined ? [] : toGroups(tail);
  const zeros = Array.from({ length: 8 - before.length - after.length }, () => '0');
  return [...before, ...zeros, ...after].map((g) => parseInt(g, 16).toString(16));
}

const DOING: Record<ThrottleScope, string> = {
  password: 'Too many attempts to sign in.',
  reset: 'Too many requests for a password reset link.',
  'second-factor': 'Too many attempts at the security code.',
};

/** "Too many attempts to sign in. Wait 2 minutes, then try again." */
export function tooManyMessage(scope: ThrottleScope, retryAfterSeconds: number): string {
  return `${DOING[scope]} Wait ${waitInWords(retryAfterSeconds)}, then try again.`;
}

/** Seconds under a minute; whole minutes (rounded up, so the wait is never too short) under two hours; else hours. */
export function waitInWords(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} ${s === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 120) return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hours`;
}
