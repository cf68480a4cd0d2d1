import 'reflect-metadata';
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { INestApplication, Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { DataSource } from 'typeorm';
import { StructuredLogger, captureConsole, createPino } from '@cc/common';
import { AppConfig, InvalidConfigError, loadConfig } from '@cc/config';
import { demoAccountsText, seedDemoData } from '@cc/demo-data';
import { seedRegistry } from '@cc/registry';
import { EmbeddedPostgres, runMigrations, startEmbeddedPostgres } from '@cc/persistence';
import { resolveRedisUrl, warnUnlessNoEviction } from '@cc/queues';
import { createApiApp } from './create-api-app';
import { seedDemoCases } from './demo-cases';

const logger = new Logger('Bootstrap');
/** `npm start` runs the worker inside this process: one process for the whole demo. */
const WITH_WORKER = process.argv.includes('--with-worker');
/**
 * A process stopping waits this long for requests in flight; then it exits anyway, so one stuck
 * request cannot keep an old process (and its port) alive. The primary of several processes waits
 * a little longer for them, so each gets to finish on its own first. Both stay under the 30 s an
 * orchestrator usually allows between SIGTERM and SIGKILL.
 */
const SHUTDOWN_TIMEOUT_MS = 20_000;
const PRIMARY_SHUTDOWN_TIMEOUT_MS = 25_000;

/**
 * The process's pino, before the configuration is read: whatever is printed from here on, by us
 * or by a library, is one JSON line. (The level is checked again when the configuration loads.)
 */
const pino = createPino(pinoLevel(process.env.LOG_LEVEL));
captureConsole(pino);
Logger.overrideLogger(new StructuredLogger(pino));

/**
 * Starts the API. With no DATABASE_URL it starts the embedded PostgreSQL first, so `npm start`
 * works on a machine with no database server. Migrations run before the first request is served.
 * API_PROCESSES > 1 runs that many HTTP processes sharing the port (Node uses one core each).
 */
async function main(): Promise<void> {
  if (cluster.isWorker) {
    let app: INestApplication | undefined;
    let stopping = false;
    // The primary sends SIGTERM; a terminal's Ctrl-C sends SIGINT to every process of the group.
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      // Still starting: nothing is being served yet, so there is nothing to finish.
      if (!app) process.exit(0);
      void closeGracefully(app, signal).then((code) => process.exit(code));
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    app = await serve(JSON.parse(process.env.CC_RESOLVED_CONFIG!) as AppConfig);
    return;
  }

  let config = loadConfig();
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
    const stop = async (signal: string) => {
      const code = await closeGracefully(app, signal);
      await embedded?.stop();
      stopRedis?.();
      process.exit(code);
    };
    process.once('SIGINT', (signal) => void stop(signal));
    process.once('SIGTERM', (signal) => void stop(signal));
    return;
  }
  for (let i = 0; i < config.API_PROCESSES; i++) cluster.fork({ CC_RESOLVED_CONFIG: JSON.stringify(config) });
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error({ pid: worker.process.pid, code, signal }, 'API process exited; starting another');
    cluster.fork({ CC_RESOLVED_CONFIG: JSON.stringify(config) });
  });
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is NonNullable<typeof w> => !!w && !w.isDead());
    logger.log({ signal, processes: workers.length }, 'Stopping: each API process finishes its requests in flight');
    const exited = workers.map((worker) => new Promise<void>((resolve) => (worker.isDead() ? resolve() : worker.once('exit', () => resolve()))));
    // Each process closes itself (see the isWorker branch); a signal, not cluster's disconnect,
    // so the same path runs whoever sent it.
    for (const worker of workers) worker.process.kill('SIGTERM');
    const timedOut = await Promise.race([Promise.all(exited).then(() => false), sleep(PRIMARY_SHUTDOWN_TIMEOUT_MS).then(() => true)]);
    if (timedOut) {
      const left = workers.filter((w) => !w.isDead());
      logger.warn({ pids: left.map((w) => w.process.pid), timeoutMs: PRIMARY_SHUTDOWN_TIMEOUT_MS }, 'API processes did not stop in time; killing them');
      for (const worker of left) worker.process.kill('SIGKILL');
    }
    process.exit(timedOut ? 1 : 0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/**
 * Stops taking connections and lets the requests in flight finish, then closes the modules and the
 * database pool. The HTTP server closes first, so the database is still there for those requests.
 * Fastify's close: the listening socket closes at once, idle keep-alive connections are closed, a
 * request that arrives on an open keep-alive connection meanwhile is answered 503 with
 * Connection: close (so a load balancer sends it elsewhere), and every response from then on says
 * Connection: close (see create-api-app.ts). Resolves with the exit code: 0 when everything
 * finished, 1 when the timeout cut it short or closing failed.
 */
async function closeGracefully(app: INestApplication, signal: string): Promise<number> {
  logger.log({ signal }, 'Stopping: finishing the requests in flight');
  const started = Date.now();
  const server = app.getHttpServer() as Server;
  // A keep-alive connection whose response was already on its way when the close began stays
  // open after it, until the client's next request or keepAliveTimeout (72 s); close each as it idles.
  const reaper = setInterval(() => server.closeIdleConnections(), 100);
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    (async () => {
      await (app.getHttpAdapter().getInstance() as FastifyInstance).close();
      clearInterval(reaper);
      await app.close();
      logger.log({ ms: Date.now() - started }, 'Stopped');
      return 0;
    })().catch((err: unknown) => {
      logger.error({ err }, 'Error while stopping');
      return 1;
    }),
    new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        logger.warn({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'Requests still in flight after the shutdown timeout; stopping anyway');
        resolve(1);
      }, SHUTDOWN_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  clearInterval(reaper);
  return code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** LOG_LEVEL as pino takes it, before the configuration is validated (which names a bad value). */
function pinoLevel(value: string | undefined): string {
  return value && ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(value) ? value : 'info';
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
    logger.log(demoAccountsText(demo));
  }
  await app.listen(config.PORT, '0.0.0.0');
  if (primary) {
    logger.log(`Compact Cases API on ${await app.getUrl()}/api; OpenAPI document at /api/docs${config.REDIS_URL ? '; queue dashboard at /admin/queues (administrators)' : ''}`);
    if (WITH_WORKER) logger.log(`Worker running in this process: deadlines, e-mail${config.SMTP_URL ? '' : ` (written to ${config.DATA_DIR}/mail)`}`);
  }
  return app;
}

main().catch((err) => {
  // A bad setting is the person's to fix and its message says how; anything else needs its stack.
  if (err instanceof InvalidConfigError) pino.fatal({ context: 'Bootstrap' }, err.message);
  else pino.fatal({ context: 'Bootstrap', err }, `The API did not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
