import type { RedisOptions } from 'ioredis';

/** Queue names. Jobs in them are wake-ups and deliveries that can always be rebuilt from the database. */
export const DEADLINES_QUEUE = 'deadlines';
export const EMAIL_QUEUE = 'email';

/** Job names in the deadlines queue. */
export const DEADLINE_DUE_JOB = 'due';
export const DEADLINE_REMINDER_JOB = 'reminder';
export const SWEEP_JOB = 'sweep';

/** Deterministic ids (BullMQ forbids ':' in them): queuing the same wake-up twice is a no-op. */
export const deadlineDueJobId = (deadlineId: string, dueAt: Date) => `due_${deadlineId}_${dueAt.getTime()}`;
export const deadlineReminderJobId = (deadlineId: string, at: Date) => `reminder_${deadlineId}_${at.getTime()}`;
export const emailJobId = (notificationId: string, relayCount: number) => `email_${notificationId}_${relayCount}`;

/**
 * ioredis options from a URL: redis://[:password@]host:port[/db], rediss://..., or
 * unix:///path/to/redis.sock. BullMQ workers need maxRetriesPerRequest null (they block).
 */
export function redisOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  // Reconnect within two seconds of Redis coming back (BullMQ's own strategy waits up to 20 s,
  // and every wake-up and e-mail waits with it).
  const base: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: (times: number) => Math.min(250 * times, 2_000) };
  if (parsed.protocol === 'unix:') return { ...base, path: parsed.pathname };
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL must start with redis://, rediss:// or unix://, not ${parsed.protocol}`);
  }
  return {
    ...base,
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 6379),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}
