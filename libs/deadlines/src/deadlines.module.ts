import { Module } from '@nestjs/common';
import { CasesCoreModule } from '@cc/cases';
import { DeadlinePolicies } from './deadline-policy/deadline-policy.service';
import { DeadlineEffects } from './start-and-end-clocks/deadline-effects.handler';
import { DeadlinesController } from './deadlines.controller';
import { DeadlineQueries } from './deadline-queries.service';

/** The API side: transitions start, pause, resume and end clocks; people see where they stand. */
@Module({
  // The core (CaseAccess) only: the case module imports this one for its effect handler.
  imports: [CasesCoreModule],
  controllers: [DeadlinesController],
  providers: [DeadlinePolicies, DeadlineEffects, DeadlineQueries],
  exports: [DeadlineEffects, DeadlinePolicies, DeadlineQueries],
})
export class DeadlinesModule {}
