import { BullModule, InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, DynamicModule, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import type { ConnectionOptions, Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { DEADLINES_QUEUE, EMAIL_QUEUE, redisOptions } from './queues';
import { dropQueueConnection, redisClientOf } from './redis-calls';

/** While Redis stays away, how often its connection errors are logged again. */
const ERROR_LOG_EVERY_MS = 10_000;

/**
 * What a queue needs around its connection:
 * - A queue with no 'error' listener makes BullMQ print the error itself, as a multi-line stack on
 *   stderr, on every reconnection attempt. Listening turns each into one structured line, at most
 *   one per queue every ten seconds while Redis is away.
 * - Closing a queue sends QUIT, which ioredis holds until Redis is back; a process stopping while
 *   Redis is away drops the connection instead (there is nothing to say to a server that is gone).
 */
@Injectable()
class QueueConnectionCare implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Queues');
  private readonly lastLogged = new Map<string, number>();

  constructor(
    @InjectQueue(DEADLINES_QUEUE) private readonly deadlines: Queue,
    @InjectQueue(EMAIL_QUEUE) private readonly emails: Queue,
  ) {}

  onModuleInit(): void {
    for (const queue of [this.deadlines, this.emails]) {
      queue.on('error', (err: Error) => {
        const last = this.lastLogged.get(queue.name) ?? 0;
        if (Date.now() - last < ERROR_LOG_EVERY_MS) return;
        this.lastLogged.set(queue.name, Date.now());
        this.logger.warn({ queue: queue.name, err: err.message, code: (err as { code?: string }).code }, 'Queue cannot reach Redis; the work waits in the database');
      });
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const queue of [this.deadlines, this.emails]) {
      const client = await Promise.race([redisClientOf(queue), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 200))]).catch(() => undefined);
      if (client?.status !== 'ready') dropQueueConnection(queue);
    }
  }
}

/** BullMQ on the configured Redis, with the installation's key prefix. */
@Module({})
export class QueuesModule {
  static forRoot(): DynamicModule {
    return {
      module: QueuesModule,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => {
            if (!config.REDIS_URL) throw new Error('REDIS_URL is not set: resolve Redis before starting the worker (see apps/worker/src/main.ts).');
            return { connection: redisOptions(config.REDIS_URL) as ConnectionOptions, prefix: config.QUEUE_PREFIX };
          },
        }),
      ],
    };
  }

  /** The queues, for feature modules (the root connection comes from forRoot in the app). */
  static queues(): DynamicModule {
    const registered = BullModule.registerQueue({ name: DEADLINES_QUEUE }, { name: EMAIL_QUEUE });
    return { module: QueueHandlesModule, imports: [registered], providers: [QueueConnectionCare], exports: [registered] };
  }
}

/** Holder of one registration of the queues and its error log (each importer gets its own). */
@Module({})
class QueueHandlesModule {}
