import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StructuredLogger, createPino } from '@cc/common';
import { AppConfig, loadConfig } from '@cc/config';
import { DEMO_PASSWORD, seedDemoData } from '@cc/demo-data';
import { seedRegistry } from '@cc/registry';
import { EmbeddedPostgres, runMigrations, startEmbeddedPostgres } from '@cc/persistence';
import { resolveRedisUrl, warnUnlessNoEviction } from '@cc/queues';
import { createApiApp } from './create-api-app';
import { seedDemoCases } from './demo-cases';

const logger = new Logger('Bootstrap');
/** `npm start` runs the worker inside this process: one process for the whole demo. */
const WITH_WORKER = process.argv.includes('--with-worker');

/**
 * Starts the API. With no DATABASE_URL it starts the embedded PostgreSQL first, so `npm start`
 * works on a machine with no database server. Migrations run before the first request is served.
 * API_PROCESSES > 1 runs that many HTTP processes sharing the port (Node uses one core each).
 */
async function main(): Promise<void> {
  if (cluster.isWorker) {
    Logger.overrideLogger(new StructuredLogger(createPino(loadConfig().LOG_LEVEL)));
    await serve(JSON.parse(process.env.CC_RESOLVED_CONFIG!) as AppConfig);
    return;
  }

  let config = loadConfig();
  Logger.overrideLogger(new StructuredLogger(createPino(config.LOG_LEVEL)));
  let embedded: EmbeddedPostgres | undefined;
  if (config.embeddedDatabase) {
    embedded = await startEmbeddedPostgres(config.DATA_DIR);
    config = { ...config, DATABASE_URL: embedded.url, DATABASE_POOL_SIZE: 1, API_PROCESSES: 1 };
    logger.log(`No DATABASE_URL given: using the embedded PostgreSQL with data under ${config.DATA_DIR}/pglite`);
  }
  let stopRedis: (() => void) | undefined;
  if (WITH_WORKER) {
    const redis = await resolveRedisUrl(config.REDIS_URL, config.DATA_DIR);
    stopRedis = redis.stop;
    config = { ...config, REDIS_URL: redis.url };
    await warnUnlessNoEviction(redis.url);
  }
  const applied = await runMigrations(config.DATABASE_URL!, { useLock: !config.embeddedDatabase });
  logger.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');

  if (config.API_PROCESSES === 1) {
    const app = await serve(config);
    const stop = async () => {
      await app.close();
      await embedded?.stop();
      stopRedis?.();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  for (let i = 0; i < config.API_PROCESSES; i++) cluster.fork({ CC_RESOLVED_CONFIG: JSON.stringify(config) });
  cluster.on('exit', (worker, code) => {
    logger.error(`API process ${worker.process.pid} exited (${code}); starting another`);
    cluster.fork({ CC_RESOLVED_CONFIG: JSON.stringify(config) });
  });
  const stop = () => {
    cluster.removeAllListeners('exit');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function serve(config: AppConfig) {
  const app = await createApiApp(config, { withWorker: WITH_WORKER });
  const primary = !cluster.isWorker || cluster.worker?.id === 1;
  const seedDemo = primary && process.env.SEED_DEMO_DATA !== 'false' && config.NODE_ENV !== 'production';
  // The registry seed (the national Compacts, Harborough's) is loaded on first start; later starts
  // find it there. The demo data loads it itself, as the demo accounts and cases name it.
  if (primary && !seedDemo && process.env.SEED_REGISTRY !== 'false') await seedRegistry(app.get(DataSource));
  if (seedDemo) {
    const demo = await seedDemoData(app.get(DataSource));
    await seedDemoCases(app, demo);
    const accounts = Object.values(demo.users).map((u) => `    ${u.email}`).join('\n');
    logger.log(`Demo accounts (password "${DEMO_PASSWORD}"):\n${accounts}`);
  }
  await app.listen(config.PORT, '0.0.0.0');
  if (primary) {
    logger.log(`Compact Cases API on ${await app.getUrl()}/api; OpenAPI document at /api/docs${config.REDIS_URL ? '; queue dashboard at /admin/queues (administrators)' : ''}`);
    if (WITH_WORKER) logger.log(`Worker running in this process: deadlines, e-mail${config.SMTP_URL ? '' : ` (written to ${config.DATA_DIR}/mail)`}`);
  }
  return app;
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
