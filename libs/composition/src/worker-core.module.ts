import { Module } from '@nestjs/common';
import { DeadlinesWorkerModule } from '@cc/deadlines';
import { InboundMailWorkerModule } from '@cc/inbound-mail';
import { NotificationsWorkerModule } from '@cc/notifications';
import { QueuesModule } from '@cc/queues';
import { StatsWorkerModule } from '@cc/stats';
import { casesWithEffects } from './cases-with-effects';
import { RelayLoop } from './relay-loop.service';

/**
 * What a worker runs: queue processors, the relays and the sweeper. Imported by the worker's own
 * entry point, and by the API process for the one-process demo (`npm start`).
 */
@Module({
  imports: [QueuesModule.forRoot(), QueuesModule.queues(), DeadlinesWorkerModule.register(casesWithEffects()), NotificationsWorkerModule, StatsWorkerModule, InboundMailWorkerModule],
  providers: [RelayLoop],
})
export class WorkerCoreModule {}
