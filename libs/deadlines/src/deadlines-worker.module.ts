import { Module } from '@nestjs/common';
import { NotificationsModule } from '@cc/notifications';
import { QueuesModule } from '@cc/queues';
import { DeadlineFiring } from './deadline-firing.service';
import { DeadlineWakeups } from './deadline-wakeups.service';
import { DeadlinesProcessor } from './deadlines.processor';

/** The worker side: wake-ups, firing, and the sweeper. Needs the cases module for system events. */
@Module({
  imports: [QueuesModule.queues(), NotificationsModule],
  providers: [DeadlineFiring, DeadlineWakeups, DeadlinesProcessor],
  exports: [DeadlineFiring, DeadlineWakeups, DeadlinesProcessor],
})
export class DeadlinesWorkerModule {}
