import { Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@cc/config';
import { IdentityModule } from '@cc/identity';
import { EvidenceModule } from '@cc/evidence';
import { LettersModule } from '@cc/letters';
import { DatabaseModule } from '@cc/persistence';
import { RegistryModule } from '@cc/registry';
import { StatsModule } from '@cc/stats';
import { WebModule } from '@cc/web';
import { AdminAudit } from './admin-audit';
import { WorkerCoreModule, casesWithEffects } from '@cc/composition';
import { QueuesModule } from '@cc/queues';
import { InboundTransportsModule } from '@cc/inbound-mail';
import { DatabaseHealth, RedisHealth } from './health-checks';
import { HealthController } from './health.controller';
import { QUEUE_CONNECTION_WATCH } from './queue-dashboard';

export interface ApiOptions {
  /** Run the worker in this process too (the one-process demo on the embedded database). */
  withWorker?: boolean;
}

@Module({})
export class ApiModule {
  static forConfig(config: AppConfig, options: ApiOptions = {}) {
    // With Redis known, the API mounts the queue dashboard; the worker brings its own connection.
    const queues = options.withWorker ? [WorkerCoreModule, InboundTransportsModule] : config.REDIS_URL ? [QueuesModule.forRoot(), QueuesModule.queues()] : [];
    // The worker watches its own queues' connections; the API's exist for the dashboard alone.
    const watch = !options.withWorker && config.REDIS_URL ? [QUEUE_CONNECTION_WATCH] : [];
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(),
        IdentityModule,
        RegistryModule,
        casesWithEffects(),
        EvidenceModule,
        LettersModule,
        StatsModule,
        WebModule,
        ...queues,
      ],
      controllers: [HealthController],
      providers: [AdminAudit, DatabaseHealth, RedisHealth, ...watch],
    };
  }
}
