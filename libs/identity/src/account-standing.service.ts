import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { runPrepared, sql } from '@cc/persistence';
import type { Role } from '@cc/workflows';

/** How long a looked-up answer is reused while this process hears every change to accounts. */
const STANDING_CACHE_MS = 10_000;
const MAX_CACHED = 10_000;
const RECONNECT_MS = 2_000;

/** An account as a request needs it: may it act, as whom, and which tokens of it still count. */
export interface Standing {
  active: boolean;
  role: Role;
  organisationId: string | null;
  /** Tokens and sessions issued under an older generation no longer count. */
  generation: number;
}

/**
 * The one database fact every authenticated request needs. Bearer tokens are checked by signature
 * alone, so deactivation, a role change and "sign out everywhere" are all read from here.
 *
 * Answers are cached briefly, but only while this process is LISTENing for `account_changed`
 * (a trigger on users sends it when any account row changes, at commit): a change made by any
 * process then reaches every process at once. While the listener is not connected (or on the
 * embedded database, which takes one connection at a time) nothing is cached, so no process ever
 * acts on a stale answer.
 */
@Injectable()
export class AccountStanding implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AccountStanding.name);
  private readonly cache = new Map<string, { standing: Standing | null; until: number }>();
  private listener: Client | null = null;
  private listening = false;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.embeddedDatabase && this.config.DATABASE_URL) await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.listening = false;
    await this.listener?.end().catch(() => undefined);
  }

  async lookup(userId: string, now = Date.now()): Promise<Standing | null> {
    const cached = this.cache.get(userId);
    if (this.listening && cached && cached.until > now) return cached.standing;
    const [row] = await runPrepared<Standing>(
      this.dataSource.manager,
      sql`SELECT active, role, organisation_id AS "organisationId", token_generation AS generation FROM users WHERE id = ${userId}`,
    );
    const standing = row ?? null;
    if (this.listening) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(userId, { standing, until: now + STANDING_CACHE_MS });
    }
    return standing;
  }

  /** Whether an account may still act (the worker's and other modules' question). */
  async isActive(userId: string): Promise<boolean> {
    return (await this.lookup(userId))?.active === true;
  }

  /** Called after an account changes here, so this process knows before the notice arrives. */
  forget(userId: string): void {
    this.cache.delete(userId);
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, connectionTimeoutMillis: 5_000 });
    const lost = (err?: unknown) => {
      if (this.listener !== client) return;
      this.listener = null;
      this.listening = false;
      this.cache.clear();
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn({ err: err instanceof Error ? err.message : err }, 'Lost the account-change listener; account checks go to the database until it is back');
      this.reconnectTimer = setTimeout(() => void this.listen(), RECONNECT_MS);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      if (message.channel === 'account_changed' && message.payload) this.cache.delete(message.payload);
    });
    this.listener = client;
    try {
      await client.connect();
      await client.query('LISTEN account_changed');
      // Anything cached before the listener was up may have missed a notice.
      this.cache.clear();
      this.listening = true;
    } catch (err) {
      lost(err);
    }
  }
}
