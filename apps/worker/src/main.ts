import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { StructuredLogger, createPino } from '@cc/common';
import { loadConfig } from '@cc/config';
import { runMigrations } from '@cc/persistence';
import { resolveRedisUrl, warnUnlessNoEviction } from '@cc/queues';
import { createWorker } from './create-worker';

/**
 * `npm run start:worker`: the worker on its own (several may run beside several API processes).
 * It needs DATABASE_URL: the embedded database serves one process, so the demo runs the worker
 * inside the API process instead (`npm start`).
 */
async function main(): Promise<void> {
  let config = loadConfig();
  Logger.overrideLogger(new StructuredLogger(createPino(config.LOG_LEVEL)));
  if (!config.DATABASE_URL) throw new Error('The worker needs DATABASE_URL. For the demo, `npm start` runs the worker inside the API process.');
  const redis = await resolveRedisUrl(config.REDIS_URL, config.DATA_DIR);
  config = { ...config, REDIS_URL: redis.url };
  await warnUnlessNoEviction(redis.url);
  await runMigrations(config.DATABASE_URL!);
  const worker = await createWorker(config);
  new Logger('Worker').log('Worker running: deadlines, e-mail relay and delivery, sweeper');
  // SIGTERM: the jobs in hand finish or are given back (see RelayLoop), then the process exits.
  const stop = async (signal: string) => {
    new Logger('Worker').log({ signal }, 'Stopping: finishing the jobs in hand');
    await worker.close();
    redis.stop?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
