import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { signingSecret } from '@cc/identity';

/**
 * Reply addresses: `replies+<token>@domain`, one per e-mail sent (so per case and recipient), where the
 * token is base32(the notification's 16 id bytes + the first 10 bytes of an HMAC-SHA256 of them).
 *
 * - The token names the notification itself, so a reply needs no lookup table and nothing is stored
 *   when an e-mail goes; the notification row says which case, which person and when it was sent
 *   (which is what the inbound side checks the sender and the reply window against).
 * - Base32 (a-z, 2-7) because mail systems may lowercase a local part on the way back (RFC 5321 says
 *   they should not, some do): the token reads the same in either case. 26 bytes make 42 characters,
 *   so with "replies+" the local part stays far under the 64 characters SMTP allows.
 * - 80 bits of MAC: a forger must guess blindly, one SMTP delivery per guess.
 */
const ID_BYTES = 16;
const MAC_BYTES = 10;
const TOKEN_CHARS = Math.ceil(((ID_BYTES + MAC_BYTES) * 8) / 5);
const MAC_CONTEXT = Buffer.from('compact-cases reply-address v1\0', 'utf8');
const HKDF_SALT = 'compact-cases';
const HKDF_INFO = 'reply-address/v1';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The longest local part REPLY_TO_ADDRESS may have, so that `<local>+<token>` fits SMTP's 64. */
export const REPLY_ADDRESS_MAX_BASE_LOCAL = 64 - 1 - TOKEN_CHARS;

export type ReplyAddressReading = { ok: true; notificationId: string } | { ok: false; problem: 'not-a-reply-address' | 'forged' };

/** The key for reply tokens, derived from the installation's signing secret (kept apart from its other uses). */
export function replyAddressKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), HKDF_SALT, HKDF_INFO, 32));
}

export function mintReplyAddress(notificationId: string, key: Buffer, replyTo: string): string {
  if (!UUID.test(notificationId)) throw new Error('A reply address is minted for a notification id (a UUID)');
  const base = splitAddress(replyTo);
  if (!base) throw new Error('The reply-to address is not a plain address');
  const id = Buffer.from(notificationId.replace(/-/g, ''), 'hex');
  const token = toBase32(Buffer.concat([id, mac(key, id)]));
  return `${base.local}+${token}@${base.domain}`;
}

/**
 * Reads an address a message was sent to. Anything not of the form `<replyTo's local part>+<token>@<replyTo's
 * domain>` (another domain, another local part, no token) is 'not-a-reply-address'; a token that is
 * there but does not carry our MAC (made up, altered, or from another installation's key) is 'forged'.
 * The domain and the local part are compared without regard to case; angle brackets are allowed.
 */
export function readReplyAddress(address: string, key: Buffer, replyTo: string): ReplyAddressReading {
  const base = splitAddress(replyTo);
  const given = splitAddress(address.trim().replace(/^<(.*)>$/, '$1'));
  if (!base || !given || given.domain !== base.domain) return { ok: false, problem: 'not-a-reply-address' };
  const prefix = `${base.local}+`;
  if (!given.local.startsWith(prefix) || given.local.length === prefix.length) return { ok: false, problem: 'not-a-reply-address' };
  const bytes = fromBase32(given.local.slice(prefix.length));
  if (!bytes || bytes.length !== ID_BYTES + MAC_BYTES) return { ok: false, problem: 'forged' };
  const id = bytes.subarray(0, ID_BYTES);
  if (!timingSafeEqual(bytes.subarray(ID_BYTES), mac(key, id))) return { ok: false, problem: 'forged' };
  const hex = id.toString('hex');
  return { ok: true, notificationId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` };
}

/**
 * Mints and reads reply addresses with this installation's key (from AUTH_SECRET, or the random secret
 * stored once in the database, as bearer tokens do) and REPLY_TO_ADDRESS.
 */
@Injectable()
export class ReplyAddresses implements OnModuleInit {
  private key?: Promise<Buffer>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  /** The key is read at start, so sending an e-mail never waits on (or fails for) a read of the secret. */
  async onModuleInit(): Promise<void> {
    await this.keyOnce();
  }

  /** The base address replies go to (REPLY_TO_ADDRESS), e.g. replies@example.org. */
  get replyTo(): string {
    return this.config.REPLY_TO_ADDRESS;
  }

  /** Whether a recipient address is at the reply domain (what the SMTP receiver accepts mail for). */
  isAtReplyDomain(address: string): boolean {
    return splitAddress(address.trim().replace(/^<(.*)>$/, '$1'))?.domain === splitAddress(this.replyTo)?.domain;
  }

  async mint(notificationId: string): Promise<string> {
    return mintReplyAddress(notificationId, await this.keyOnce(), this.replyTo);
  }

  async read(address: string): Promise<ReplyAddressReading> {
    return readReplyAddress(address, await this.keyOnce(), this.replyTo);
  }

  private keyOnce(): Promise<Buffer> {
    this.key ??= signingSecret(this.config, this.dataSource).then(replyAddressKey);
    // A database briefly away must not leave a failed promise cached for ever.
    this.key.catch(() => (this.key = undefined));
    return this.key;
  }
}

function mac(key: Buffer, id: Buffer): Buffer {
  return createHmac('sha256', key).update(MAC_CONTEXT).update(id).digest().subarray(0, MAC_BYTES);
}

/** A plain address's parts, lowercased; null for anything with spaces, brackets or not one @. */
function splitAddress(address: string): { local: string; domain: string } | null {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1 || /[\s<>,;"()\\[\]]/.test(address)) return null;
  return { local: address.slice(0, at).toLowerCase(), domain: address.slice(at + 1).toLowerCase() };
}

function toBase32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 without regard to case; null for a wrong character, a wrong length or stray bits set. */
function fromBase32(text: string): Buffer | null {
  if (text.length !== TOKEN_CHARS) return null;
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text.toLowerCase()) {
    const digit = BASE32.indexOf(ch);
    if (digit < 0) return null;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  // The padding bits of the last character must be zero: otherwise two spellings would read the same.
  if (bits > 0 && (value & ((1 << bits) - 1)) !== 0) return null;
  return Buffer.from(out);
}
