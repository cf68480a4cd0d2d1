import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { redisOptions } from './queues';

const logger = new Logger('Redis');

async function answers(url: string, timeoutMs = 1_000): Promise<boolean> {
  const client = new Redis({ ...redisOptions(url), lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * The Redis to use: REDIS_URL when given; else 127.0.0.1:6379 when it answers; else a
 * redis-server from the PATH on a unix socket under the data folder; else a clear stop.
 */
export async function resolveRedisUrl(configured: string | undefined, dataDir: string): Promise<{ url: string; stop?: () => void }> {
  if (configured) return { url: configured };
  const local = 'redis://127.0.0.1:6379';
  if (await answers(local)) {
    logger.log('No REDIS_URL given: using the Redis on 127.0.0.1:6379');
    return { url: local };
  }
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error(
      'Deadlines and e-mail need Redis, and none was found. Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.',
    );
  }
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const socket = resolve(dir, 'redis.sock');
  const child = spawn(
    'redis-server',
    ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', dir],
    { stdio: 'ignore' },
  );
  const url = `unix://${socket}`;
  for (let i = 0; i < 50; i++) {
    if (existsSync(socket) && (await answers(url))) {
      logger.log(`No Redis on 127.0.0.1:6379: started redis-server on ${socket}`);
      return { url, stop: () => child.kill('SIGTERM') };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on ${socket}; start Redis yourself and set REDIS_URL.`);
}

/** BullMQ loses jobs if Redis evicts keys under memory pressure; say so at start. */
export async function warnUnlessNoEviction(url: string): Promise<void> {
  // One attempt, no retries: this is a check at start, and Redis being away is reported below.
  const client = new Redis({ ...redisOptions(url), lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000, retryStrategy: () => null });
  // Without a listener ioredis prints each connection error as a multi-line stack on stderr.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [, policy] = (await client.config('GET', 'maxmemory-policy')) as [string, string];
    if (policy !== 'noeviction') {
      logger.warn(`Redis maxmemory-policy is '${policy}'; BullMQ needs 'noeviction' (redis-cli CONFIG SET maxmemory-policy noeviction). Deadlines still fire from the database, but e-mail and wake-up jobs may be evicted.`);
    }
  } catch (err) {
    logger.warn({ redisError: { code: (err as { code?: string }).code, message: err instanceof Error ? err.message : String(err) } }, 'Could not read Redis maxmemory-policy');
  } finally {
    client.disconnect();
  }
}
