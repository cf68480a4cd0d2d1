import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runSql, sql } from '@cc/persistence';
import { APP_CONFIG, AppConfig } from '@cc/config';

const VERSION = 'v1';
const HKDF_SALT = 'compact-cases';
const HKDF_INFO = 'totp-secret/v1';

/**
 * Seals small secrets (an authenticator app's shared secret) for storage: AES-256-GCM under a key
 * derived with HKDF from the installation's signing secret, the same key material the bearer
 * tokens use (AUTH_SECRET, or the random one stored once in app_settings), so there is nothing new
 * for an operator to set. A derived key keeps the two uses apart: knowing one says nothing of the
 * other. Each sealed value is bound to what it belongs to (a user id) as associated data, so a
 * sealed secret copied onto another account does not open.
 *
 * Changing AUTH_SECRET therefore also means everyone sets up two-factor sign-in again (their
 * recovery codes still work, and an administrator can reset it).
 */
@Injectable()
export class SecretBox implements OnModuleInit {
  private key: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    this.key = SecretBox.deriveKey(await this.keyMaterial());
  }

  static deriveKey(material: string): Buffer {
    return Buffer.from(hkdfSync('sha256', Buffer.from(material, 'utf8'), HKDF_SALT, HKDF_INFO, 32));
  }

  /** For tests and tools that have the key material already. */
  static withMaterial(material: string): SecretBox {
    const box = new SecretBox(undefined as unknown as AppConfig, undefined as unknown as DataSource);
    box.key = SecretBox.deriveKey(material);
    return box;
  }

  seal(plain: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), sealed.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** The plain text, or null when it does not open (another key, another owner, or tampered with). */
  open(sealed: string, boundTo: string): string | null {
    const [version, iv, body, tag, extra] = sealed.split('.');
    if (version !== VERSION || !iv || !body || !tag || extra !== undefined) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  /** The same key material TokenService signs with, found the same way. */
  private async keyMaterial(): Promise<string> {
    if (this.config.AUTH_SECRET) return this.config.AUTH_SECRET;
    await runSql(this.dataSource, sql`INSERT INTO app_settings (key, value) VALUES ('auth_secret', ${randomBytes(48).toString('base64url')}) ON CONFLICT (key) DO NOTHING`);
    const [row] = await runSql<{ value: string }>(this.dataSource, sql`SELECT value FROM app_settings WHERE key = 'auth_secret'`);
    return row.value;
  }
}
