import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { AppConfig, loadConfig } from '@cc/config';
import { createWorker } from '@cc/worker';
import { REDIS_URL } from './test-redis';

/** Settings that make a worker quick to observe in tests: short intervals, short backoff. */
export function workerConfig(databaseUrl: string, queuePrefix: string, smtpUrl: string, overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    SMTP_URL: smtpUrl,
    RELAY_INTERVAL_MS: '50',
    SWEEP_INTERVAL_MS: '1000',
    EMAIL_BACKOFF_MS: '100',
    EMAIL_MAX_BACKOFF_MS: '2000',
    EMAIL_CLAIM_TIMEOUT_MS: '2000',
    WORKER_CONCURRENCY: '10',
    ...overrides,
  });
}

/** The worker in this process (its own Nest application context, as in production). */
export function startWorker(config: AppConfig): Promise<INestApplicationContext> {
  return createWorker(config);
}

/** The worker as its own OS process (the built entry point), so a test can kill it outright. */
export function spawnWorker(config: AppConfig, options: { captureOutput?: boolean } = {}): ChildProcess {
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const [key, value] of Object.entries(config)) if (typeof value === 'string' || typeof value === 'number') env[key] = String(value);
  const stdio = options.captureOutput ? 'pipe' : process.env.TEST_LOG_LEVEL ? 'inherit' : 'ignore';
  return spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'apps', 'worker', 'src', 'main.js')], {
    env,
    stdio: ['ignore', stdio, options.captureOutput ? 'pipe' : 'inherit'],
  });
}

/** Polls until the check passes or the time runs out (then fails with the last value seen). */
export async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last seen: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}
