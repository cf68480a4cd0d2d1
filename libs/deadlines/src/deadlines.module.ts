import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CaseAccess, CaseEntity } from '@cc/cases';
import { DeadlinePolicies } from './deadline-policy.service';
import { DeadlineEffects } from './deadline-effects.handler';
import { DeadlinesController } from './deadlines.controller';
import { DeadlineQueries } from './deadline-queries.service';

/** The API side: transitions start, pause, resume and end clocks; people see where they stand. */
@Module({
  // CaseAccess is provided here too (it is stateless) because the cases module imports this one
  // for its effect handler; importing the cases module back would make a cycle.
  imports: [TypeOrmModule.forFeature([CaseEntity])],
  controllers: [DeadlinesController],
  providers: [DeadlinePolicies, DeadlineEffects, CaseAccess, DeadlineQueries],
  exports: [DeadlineEffects, DeadlinePolicies, DeadlineQueries],
})
export class DeadlinesModule {}
