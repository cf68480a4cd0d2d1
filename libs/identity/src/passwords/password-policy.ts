import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The NCSC's advice on passwords: long enough (12 characters at least), no composition rules,
 * long passphrases welcome, and refuse the passwords attackers try first. The deny-list is the
 * common-passwords list that @zxcvbn-ts keeps (about 49,000, from breached password sets), so it
 * is maintained upstream rather than typed here.
 */
export const PASSWORD_MIN_LENGTH = 12;
/** Long passphrases are welcome; the cap only keeps hashing cost bounded. */
export const PASSWORD_MAX_LENGTH = 256;

let common: Set<string> | undefined;
const commonPasswords = (): Set<string> => (common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase())));

/** Characters counted as a person sees them (an emoji is one), as NCSC and ASVS ask. */
const lengthOf = (s: string) => [...s].length;

export interface PasswordOwner {
  email?: string | null;
  displayName?: string | null;
}

/**
 * Why a new password is refused, in words for the person choosing it, or null when it is fine.
 * Checks a common password hidden by padding (digits or symbols around it, or said twice) and one
 * made of a short pattern repeated, as well as the account's own name and e-mail address.
 */
export function passwordProblem(password: string, owner: PasswordOwner = {}): string | null {
  if (typeof password !== 'string' || password.length === 0) return 'Enter a password';
  const length = lengthOf(password);
  if (length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters. A few words together make a good one, like "purple kettle river spoon"`;
  if (length > PASSWORD_MAX_LENGTH) return `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`;
  if (password.trim().length === 0) return 'Password must not be only spaces';
  const folded = password.normalize('NFKC').toLowerCase();
  const compact = folded.replace(/\s+/g, '');
  if (isCommon(compact)) return 'This is one of the most common passwords, so it is easy to guess. Choose another, for example three or four random words';
  if (isRepeatedPattern(compact)) return 'Password must not be one character or a short pattern repeated. Choose something harder to guess, for example three or four random words';
  for (const part of ownWords(owner)) {
    if (compact.includes(part)) return 'Password must not contain your name or e-mail address';
  }
  return null;
}

function isCommon(compact: string): boolean {
  const list = commonPasswords();
  if (list.has(compact)) return true;
  const core = compact.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (core.length >= 4 && list.has(core)) return true;
  // "passwordpassword", "qwertyqwerty1"
  const half = core.slice(0, core.length / 2);
  return core.length % 2 === 0 && half.length >= 4 && half + half === core && list.has(half);
}

function isRepeatedPattern(compact: string): boolean {
  for (let size = 1; size <= 4; size++) {
    const unit = compact.slice(0, size);
    if (unit.repeat(Math.ceil(compact.length / size)).slice(0, compact.length) === compact) return true;
  }
  return new Set(compact).size <= 3;
}

function ownWords(owner: PasswordOwner): string[] {
  const email = (owner.email ?? '').toLowerCase();
  const local = email.split('@')[0] ?? '';
  const name = (owner.displayName ?? '').normalize('NFKC').toLowerCase();
  return [email, local, name.replace(/\s+/g, ''), ...name.split(/\s+/)].filter((part) => part.length >= 4);
}
