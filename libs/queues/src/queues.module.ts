import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { DEADLINES_QUEUE, EMAIL_QUEUE, redisOptions } from './queues';

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
    return BullModule.registerQueue({ name: DEADLINES_QUEUE }, { name: EMAIL_QUEUE });
  }
}
