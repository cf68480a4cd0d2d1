import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { redisOptions } from '@cc/queues';

/** A load balancer's probe must get an answer even when a server hangs rather than refuses. */
const DATABASE_CHECK_MS = 2_000;
const REDIS_CHECK_MS = 1_000;

export interface HealthReport {
  /** ok: everything answers; degraded: Redis does not (the API still works); down: the database does not. */
  status: 'ok' | 'degraded' | 'down';
  database: { status: 'up' | 'down' };
  redis: { status: 'up' | 'down' | 'not configured' };
}

/**
 * The API's own view of Redis, on a connection of its own: the queues' connections wait for Redis
 * to come back (BullMQ needs them to), so a PING through them would hang for the whole outage.
 * This one refuses commands at once while disconnected and keeps trying to reconnect, gently.
 */
@Injectable()
export class RedisHealth implements OnModuleDestroy {
  private readonly client?: Redis;
  private readonly logger = new Logger('Health');
  private wasUp?: boolean;
  private firstConnect?: Promise<void>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (!config.REDIS_URL) return;
    this.client = new Redis({
      ...redisOptions(config.REDIS_URL),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: REDIS_CHECK_MS,
      retryStrategy: (attempt) => Math.min(500 * attempt, 5_000),
    });
    // Without a listener ioredis prints every failed reconnect as a stack; the health answer says it instead.
    this.client.on('error', () => undefined);
  }

  async status(): Promise<HealthReport['redis']['status']> {
    if (!this.client) return 'not configured';
    const up = await withTimeout(this.ping(this.client), REDIS_CHECK_MS).catch(() => false);
    if (up !== this.wasUp) {
      if (this.wasUp !== undefined || !up) this.logger.warn({ redis: up ? 'up' : 'down' }, up ? 'Redis answers again' : 'Redis does not answer');
      this.wasUp = up;
    }
    return up ? 'up' : 'down';
  }

  private async ping(client: Redis): Promise<boolean> {
    // Checks that arrive together share the first connect rather than being refused while it runs.
    if (client.status === 'wait' || client.status === 'end') this.firstConnect = client.connect().finally(() => (this.firstConnect = undefined));
    if (this.firstConnect) await this.firstConnect;
    return (await client.ping()) === 'PONG';
  }

  onModuleDestroy(): void {
    this.client?.disconnect();
  }
}

/** The database's answer to a trivial query, bounded. */
@Injectable()
export class DatabaseHealth {
  constructor(private readonly dataSource: DataSource) {}

  async status(): Promise<HealthReport['database']['status']> {
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), DATABASE_CHECK_MS);
      return 'up';
    } catch {
      return 'down';
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
