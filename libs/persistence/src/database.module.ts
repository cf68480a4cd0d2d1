import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@cc/config';

/**
 * The TypeORM connection. Schema changes come only from migrations (never synchronize); entities
 * are registered by the module that owns them (autoLoadEntities), so this module knows none.
 */
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => {
            if (!config.DATABASE_URL) {
              throw new Error('DATABASE_URL is not set: start the embedded database before the application (see apps/api/src/main.ts).');
            }
            return {
              type: 'postgres' as const,
              url: config.DATABASE_URL,
              autoLoadEntities: true,
              synchronize: false,
              migrationsRun: false,
              // A database host that drops packets (rather than refusing) must not make requests wait without end.
              extra: { max: config.embeddedDatabase ? 1 : config.DATABASE_POOL_SIZE, connectionTimeoutMillis: 5_000 },
              // The embedded server frees its single connection a moment after the migrations
              // close theirs; retry soon rather than after the default 3 s.
              retryDelay: config.embeddedDatabase ? 200 : 3000,
            };
          },
        }),
      ],
    };
  }
}
