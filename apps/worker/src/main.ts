import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { StructuredLogger, captureConsole, createPino } from '@cc/common';
import { InvalidConfigError, loadConfig } from '@cc/config';
import { runMigrations } from '@cc/persistence';
import { resolveRedisUrl, warnUnlessNoEviction } from '@cc/queues';
import { createWorker } from './create-worker';

/**
 * The process's pino, before the configuration is read: whatever is printed from here on, by us or
 * by a library (ioredis, BullMQ), is one JSON line.
 */
const pino = createPino(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(process.env.LOG_LEVEL ?? '') ? process.env.LOG_LEVEL! : 'info');
captureConsole(pino);
Logger.overrideLogger(new StructuredLogger(pino));

/** Beyond the worker's own shutdown bound, the time Nest may take to close queues and the database. */
const CLOSE_MARGIN_MS = 5_000;

/**
 * `npm run start:worker`: the worker on its own (several may run beside several API processes).
 * It needs DATABASE_URL: the embedded database serves one process, so the demo runs the worker
 * inside the API process instead (`npm start`).
 */
async function main(): Promise<void> {
  let config = loadConfig();
  if (!config.DATABASE_URL) throw new InvalidConfigError('The worker needs DATABASE_URL. For the demo, `npm start` runs the worker inside the API process.');
  const redis = await resolveRedisUrl(config.REDIS_URL, config.DATA_DIR);
  config = { ...config, REDIS_URL: redis.url };
  await warnUnlessNoEviction(redis.url);
  await runMigrations(config.DATABASE_URL!);
  const worker = await createWorker(config);
  const logger = new Logger('Worker');
  logger.log('Worker running: deadlines, e-mail relay and delivery, sweeper');
  // SIGTERM: the jobs in hand finish or are given back (see RelayLoop), then the process exits.
  const stop = async (signal: string) => {
    logger.log({ signal }, 'Stopping: finishing the jobs in hand');
    setTimeout(() => {
      logger.error({ afterMs: config.WORKER_SHUTDOWN_TIMEOUT_MS + CLOSE_MARGIN_MS }, 'The worker did not stop in time; exiting anyway');
      process.exit(1);
    }, config.WORKER_SHUTDOWN_TIMEOUT_MS + CLOSE_MARGIN_MS).unref();
    await worker.close();
    redis.stop?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  // A bad setting is the person's to fix and its message says how; anything else needs its stack.
  if (err instanceof InvalidConfigError) pino.fatal({ context: 'Worker' }, err.message);
  else pino.fatal({ context: 'Worker', err }, `The worker did not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
