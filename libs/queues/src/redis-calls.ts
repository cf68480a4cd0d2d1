import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** A Redis call that did not answer in time; the caller treats it like Redis being down. */
export class RedisTimeout extends Error {
  constructor(what: string, ms: number) {
    super(`Redis did not answer within ${ms} ms (${what})`);
    this.name = 'RedisTimeout';
  }
}

/**
 * Bounds a call to Redis. ioredis keeps commands in its offline queue while disconnected, so an
 * unbounded call waits for as long as Redis is away; callers give up instead and leave the work in
 * the database, where the next pass finds it. (The command may still run later; every job id is
 * deterministic, so a late one is a no-op or a job whose row says it is done.)
 */
export async function withRedisTimeout<T>(what: string, ms: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      call(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RedisTimeout(what, ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** BullMQ's Redis backend is ioredis; its own client type hides the commands we need. */
export async function redisClientOf(queue: Queue): Promise<Redis> {
  return (await queue.backend.client) as unknown as Redis;
}

/** Whether the queue's connection is up now, without sending anything (so never waits). */
export async function queueConnected(queue: Queue, ms: number): Promise<boolean> {
  try {
    const client = await withRedisTimeout('connect', ms, () => redisClientOf(queue));
    return client.status === 'ready';
  } catch {
    return false;
  }
}

/**
 * Drops a queue's connection at once, without waiting for Redis. BullMQ's own close() sends QUIT
 * (held by ioredis until Redis answers) and its disconnect() first waits for the connection to have
 * been made: both wait for as long as Redis is away. This reaches the ioredis client BullMQ keeps
 * (not part of its typed API, hence the guarded lookup) and disconnects it, which also rejects the
 * commands waiting in its offline queue; close() afterwards returns at once.
 */
export function dropQueueConnection(queue: Queue): void {
  const client = (queue.backend as unknown as { connection?: { _client?: { status?: string; disconnect?: () => void } } }).connection?._client;
  if (client?.status !== 'end') client?.disconnect?.();
}
