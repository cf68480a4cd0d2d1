import { DynamicModule, Module } from '@nestjs/common';
import { NotificationsModule } from '@cc/notifications';
import { QueuesModule } from '@cc/queues';
import { DeadlineFiring } from './fire-deadline/deadline-firing.service';
import { DeadlineWakeups } from './relay-wakeups/deadline-wakeups.service';
import { DeadlinesProcessor } from './fire-deadline/deadlines.processor';

/** The worker side: wake-ups, firing, and the sweeper. */
@Module({})
export class DeadlinesWorkerModule {
  /**
   * `cases` is the case module with its effect handlers, which sends the system event a clock
   * fires. It is handed in, not imported: it is composed in @cc/composition, which imports this
   * library (and the case module imports this library's DeadlinesModule for its effects).
   */
  static register(cases: DynamicModule): DynamicModule {
    return {
      module: DeadlinesWorkerModule,
      imports: [QueuesModule.queues(), NotificationsModule, cases],
      providers: [DeadlineFiring, DeadlineWakeups, DeadlinesProcessor],
      exports: [DeadlineFiring, DeadlineWakeups, DeadlinesProcessor],
    };
  }
}
