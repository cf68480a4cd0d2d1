import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runPrepared, sql } from '@cc/persistence';

/**
 * How long a looked-up answer is reused. A deactivation made in this process applies at once;
 * other API processes see it within this time.
 */
const STANDING_CACHE_MS = 10_000;
const MAX_CACHED = 10_000;

/**
 * Whether an account may still act. Bearer tokens are checked by signature alone and outlive a
 * deactivation; this is the one database fact the guard asks for, and briefly cached so a busy
 * client costs a query every few seconds, not one per request.
 */
@Injectable()
export class AccountStanding {
  private readonly cache = new Map<string, { active: boolean; until: number }>();

  constructor(private readonly dataSource: DataSource) {}

  async isActive(userId: string, now = Date.now()): Promise<boolean> {
    const cached = this.cache.get(userId);
    if (cached && cached.until > now) return cached.active;
    const [row] = await runPrepared<{ active: boolean }>(this.dataSource.manager, sql`SELECT active FROM users WHERE id = ${userId}`);
    const active = row?.active === true;
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(userId, { active, until: now + STANDING_CACHE_MS });
    return active;
  }

  /** Called when an account is deactivated or reactivated here, so this process knows at once. */
  forget(userId: string): void {
    this.cache.delete(userId);
  }
}
