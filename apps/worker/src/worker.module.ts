import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@cc/config';
import { WorkerCoreModule, casesWithEffects } from '@cc/composition';
import { DatabaseModule } from '@cc/persistence';
import { InboundTransportsModule } from '@cc/inbound-mail';

/** The worker process: no HTTP, just the queues, relays and sweeper over the database. */
@Module({})
export class WorkerModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), casesWithEffects(), WorkerCoreModule, InboundTransportsModule],
    };
  }
}
